"""Pages through shells: mkdocs renders one placeholder page per layout, hubkb fills it for every generated page.

Generated pages are thousands of pages that share a handful of layouts: the theme, the navigation and the
relative links only depend on where a page sits, not on what it says. Running each through mkdocs costs the
same full theme render thousands of times, and makes mkdocs' output depend on Metabase's data. So mkdocs builds
the hand-written pages and one placeholder per layout (`hubkbshell` pages; a navigation page's placeholder sits
at its own URL, so its menu entry is the active one) and hubkb substitutes each page's title, description,
JSON-LD, URLs and body, already escaped by the templates. The output is what mkdocs would write for the page's
Markdown source (tests/test_shell.py builds both and compares).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import BuildError
from .render import Page

ITEM_SECTIONS = ("resources", "tools")
SHELL = "hubkbshell"
# Tokens that cannot occur in escaped page content.
TITLE, DESCRIPTION, JSONLD, BODY = f"{SHELL}title", f"{SHELL}description", f"{SHELL}jsonld", f"{SHELL}body"
ALTERNATE = f"{SHELL}alternate/"
BODY_HTML = f"<div><h1>{BODY}</h1></div>"
DESCRIPTION_TAG = f'<meta name="description" content="{DESCRIPTION}">'
JSONLD_TAG = f'<script type="application/ld+json">{JSONLD}</script>'


def is_item(page: Page) -> bool:
    return page.path.split("/", 1)[0] in ITEM_SECTIONS and page.url.count("/") == 2


def page_url(path: str) -> str:
    """The directory URL mkdocs gives a Markdown path (`about.md` → `about/`, `x/index.md` → `x/`)."""
    if path == "index.md" or path.endswith("/index.md"):
        return path.removesuffix("index.md")
    return path.removesuffix(".md") + "/"


@dataclass(frozen=True)
class Layout:
    """Where a shell sits: its URL, the parts of the page it hides, and whether it is the page's own URL."""

    url: str
    hide: tuple[str, ...]
    own: bool


class Layouts:
    """Maps generated pages to shells, given the navigation's pages."""

    def __init__(self, nav_paths: list[str]) -> None:
        self.nav_urls = {page_url(path) for path in nav_paths}
        self.nav_dirs = {url[: i + 1] for url in self.nav_urls for i, c in enumerate(url) if c == "/"}

    def of(self, page: Page) -> Layout:
        """A navigation page gets a shell at its own URL; any other page one at the same depth that keeps the
        leading folders it shares with the navigation, so every relative link comes out as mkdocs writes it."""
        hide = page.hide
        if page.url in self.nav_urls:
            return Layout(page.url, hide, own=True)
        segments = page.url.split("/")[:-1]
        kept = 0
        while kept < len(segments) and "/".join(segments[: kept + 1]) + "/" in self.nav_dirs:
            kept += 1
        token = "-".join([SHELL, *hide])
        url = "".join(f"{s}/" for s in segments[:kept]) + f"{token}/" * (len(segments) - kept)
        return Layout(url, hide, own=url == page.url)


def shell_page(layout: Layout) -> Page:
    """The placeholder page mkdocs renders for a layout."""
    front = {"title": TITLE, "description": DESCRIPTION, "jsonld": JSONLD, "hide": list(layout.hide),
             "alternate": ALTERNATE}
    return Page(path=f"{layout.url}index.md", front=front, body=BODY_HTML + "\n")


class Shell:
    """A rendered placeholder page, ready to be filled."""

    def __init__(self, html: str, layout: Layout) -> None:
        self.html = html
        self.layout = layout
        tokens = [BODY_HTML, DESCRIPTION_TAG, JSONLD_TAG, TITLE, ALTERNATE, *([] if layout.own else [layout.url])]
        self.tokens = re.compile("|".join(re.escape(t) for t in sorted(tokens, key=len, reverse=True)))

    @classmethod
    def read(cls, built: Path, layout: Layout) -> Shell:
        path = built / layout.url / "index.html"
        try:
            html = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise BuildError(f"{path}: mkdocs did not render the page shell: {exc.strerror}") from exc
        for token in (TITLE, BODY_HTML, ALTERNATE, *([] if layout.own else [layout.url])):
            if token not in html:
                raise BuildError(f"{path}: the page shell lost its {token!r} placeholder; check theme overrides")
        return cls(html, layout)

    def fill(self, page: Page, body: str) -> str:
        """One pass over the shell, so text inserted from Metabase is never scanned for placeholders again."""
        description, jsonld = page.front.get("description"), page.front.get("jsonld")
        values = {
            BODY_HTML: body.strip(),
            DESCRIPTION_TAG: f'<meta name="description" content="{description}">' if description else "",
            JSONLD_TAG: f'<script type="application/ld+json">{jsonld}</script>' if jsonld else "",
            TITLE: page.front["title"],
            ALTERNATE: page.front.get("alternate") or page.url,
            self.layout.url: page.url,
        }
        return self.tokens.sub(lambda match: values[match.group()], self.html)
