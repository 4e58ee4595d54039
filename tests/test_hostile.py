"""Strings from an open wiki built into pages where none of them is live."""

from __future__ import annotations

import re

from conftest import Project
from test_site import elements
from wikibase import Doc, Time, iri, item, lit, mono

XSS = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">'
HOSTILE = {
    "en": f"Guide {XSS} {{{{ 7*7 }}}} {{% raw %}}",
    "sv": "[click](javascript:window.__pwned=1) ![img](https://evil.example/x.png) **bold**",
    "ar": "\u202eدليل\u202c <a href=javascript:alert(1)>x</a>",
    "fr": '" onmouseover="window.__pwned=1" x="',
}


def hostile_doc() -> Doc:
    doc = Doc().standard()
    doc.item("Q21954", {"en": "Guide <b onclick=alert(1)>"})
    doc.item("Q7", HOSTILE, {"en": "{% for x in range(9) %}loop{% endfor %}"})
    doc.resource("Q100", labels=HOSTILE, descriptions=HOSTILE)
    doc.claim("Q100", "P20", item("Q7")).claim("Q100", "P15", item("Q7"))
    doc.claim("Q100", "P8", mono(XSS, "en"))
    doc.claim("Q100", "P18", Time("2020-01-01T00:00:00Z", 9))
    doc.claim("Q100", "P38", lit(XSS), qualifiers={"P41": item("P19")})
    doc.claim("Q100", "P12", iri("javascript:window.__pwned=1"))
    doc.claim("Q100", "P12", iri("https://example.org/x'onmouseover='window.__pwned=1'"))
    doc.claim("Q100", "P45", lit(':wmse:"><script>x</script>'))
    doc.claim("Q100", "P59", lit('"><svg onload=alert(1)>'))
    doc.claim("Q100", "P1", lit("Q1<script>"))
    return doc


def test_hostile_strings_are_inert_in_every_page(project: Project) -> None:
    snapshot = hostile_doc().write(project.root / "hostile.ttl")
    project.run("build", "--snapshot", snapshot, "--out", project.root / "site", "--locales", "en,sv,fr,ar",
                check=True)
    pages = sorted((project.root / "site").rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for tag, attrs, _ in elements(page):
            handlers = [k for k in attrs if k.startswith("on")]
            assert not handlers, f"{page}: <{tag}> carries {handlers}"
            for key in ("href", "src", "action", "formaction"):
                assert not attrs.get(key, "").strip().lower().startswith("javascript:"), f"{page}: {tag} {key}"
            if tag == "script":
                assert not re.match(r"^\s*(https?:)?//", attrs.get("src", "")), f"{page}: remote script"
            assert not (tag == "img" and "evil.example" in attrs.get("src", "")), page
        inline = re.findall(r"<script(?![^>]*ld\+json)[^>]*>(.*?)</script>", text, re.S)
        assert not any("__pwned" in body for body in inline), page
    resource = (project.root / "site" / "en" / "resources" / "Q100" / "index.html").read_text(encoding="utf-8")
    assert "{{ 7*7 }}" in resource and ">49<" not in resource
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in resource
    assert "loop" not in (project.root / "site" / "en" / "browse" / "languages" / "index.html").read_text()


def test_bidi_override_is_isolated(project: Project) -> None:
    snapshot = hostile_doc().write(project.root / "hostile.ttl")
    project.run("build", "--snapshot", snapshot, "--out", project.root / "site", "--locales", "ar", check=True)
    page = project.root / "site" / "ar" / "resources" / "Q100" / "index.html"
    h1 = [(a, t) for tag, a, t in elements(page) if tag == "h1"]
    assert h1[0][0]["dir"] == "auto" and "\u202e" in h1[0][1]
    title = re.search(r"<title>(.*?)</title>", page.read_text(encoding="utf-8"), re.S).group(1)  # type: ignore[union-attr]
    assert "\u202e" not in title
