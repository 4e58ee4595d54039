"""Strings an open wiki may hold, each one a way a page could break or run someone else's code: the payloads set
`window.__pwned` or the document title, which the browser tests watch."""

from __future__ import annotations

PWN = "window.__pwned=1"
CORPUS: list[str] = [
    # HTML and script injection in many spellings.
    f"<script>{PWN}</script>",
    f"<SCRIPT SRC=data:text/javascript,{PWN}></SCRIPT>",
    f"<img src=x onerror={PWN}>",
    f'<img src="x" onerror="{PWN}">',
    f"<svg onload={PWN}>",
    "<img src=x onerror=\"document.title='PWNED'\">",
    f"<svg><script>{PWN}</script></svg>",
    f'<iframe srcdoc="<script>parent.{PWN}</script>"></iframe>',
    f"<body onload={PWN}>",
    f"<details open ontoggle={PWN}>",
    f"<a href=javascript:{PWN}>click</a>",
    f"<a href=JaVaScRiPt:{PWN}>click</a>",
    f"<a href=&#106;avascript:{PWN}>click</a>",
    f"<a href=data:text/html,<script>{PWN}</script>>x</a>",
    "<a href=vbscript:msgbox(1)>x</a>",
    f"<input autofocus onfocus={PWN}>",
    f"<math><mtext><table><mglyph><style><img src=x onerror={PWN}>",
    f"<style>@import 'javascript:{PWN}';</style>",
    "<div style=\"width: expression(alert(1))\">css</div>",
    f"<object data=javascript:{PWN}>",
    f"<meta http-equiv=refresh content=\"0;url=javascript:{PWN}\">",
    # Attribute breakouts: quotes, backticks, closing tags of the head.
    f'" onmouseover="{PWN}" x="',
    f"' onfocus='{PWN}' autofocus '",
    f"` onclick=`{PWN}",
    f"</title><script>{PWN}</script>",
    f"</script><script>{PWN}</script>",
    f"<!-- --><script>{PWN}</script><!-- -->",
    f"--><script>{PWN}</script>",
    f"]]><script>{PWN}</script>",
    f'"}}</script><script>{PWN}</script>',
    # Template injection: Jinja, JavaScript template literals, mkdocs macros.
    "{{ 7*7 }}",
    "{% for x in range(3) %}loop{% endfor %}",
    "{{ config.__class__.__init__.__globals__ }}",
    "{# comment #}",
    "${alert(1)}",
    "#{7*7} <%= 7*7 %>",
    # Markdown: links, images, autolinks, HTML blocks, headings, tables.
    f"[click](javascript:{PWN})",
    "![img](https://evil.example/x.png)",
    "<https://evil.example/>",
    "**bold** _it_ `code` ~~strike~~",
    "# heading\n\n| a | b |\n|---|---|\n| 1 | 2 |",
    f"<div markdown=1>\n\n[x](javascript:{PWN})\n\n</div>",
    "[ref]: https://evil.example/ \"t\"\n\n[ref]",
    "!!! warning \"x\"\n    admonition",
    # Text direction and invisible characters.
    "\u202eevil\u202c text after an override",
    "\u2066isolate\u2069 \u2067rtl isolate\u2069 \u2068first strong",
    "\u200fright-to-left mark \u200eleft-to-right mark \u061c",
    "zero\u200bwidth\u200c\u200djoiners\ufeff",
    # Scripts, emoji, combining marks, the length nobody expects.
    "日本語のガイド 中文指南 한국어 안내서",
    "👩🏽‍💻 emoji 🏳️‍🌈 guide 🧪",
    "Z̴̡̧̛̛̖͍͙a̸̢̛͔l̷̨̛g̵o̶ combining marks",
    "دليل عربي مع English inside",
    "x" * 10_000,
    # Control characters: NUL, C0 and C1.
    "nul\u0000byte",
    "bell\u0007 backspace\u0008 escape\u001b[31m vertical\u000b formfeed\u000c",
    "c1\u0085next line\u0080\u009b31m",
    "line\nbreak\r\nand\ttab",
]
# Language tags that are valid in Turtle but odd: never to be trusted into an attribute unchecked.
HOSTILE_TAGS = ["x-evil-onload", "en-x-12345678", "zz", "ar-x-rtl", "i-klingon", "qaa-Latn-x-aaaaaaaa"]
