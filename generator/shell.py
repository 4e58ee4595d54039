"""Item pages through a shell: mkdocs renders one placeholder item page per locale, hubkb fills it per item.

Resource and tool pages are most of the site and all share one layout: the same theme, navigation and depth.
Running each through mkdocs costs the same full theme render thousands of times, so mkdocs builds only the
placeholder (and every other page) and hubkb substitutes each item's title, description, JSON-LD, URL and
body, already escaped by the templates. The output is what mkdocs would write for the item's Markdown page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import BuildError
from .render import Page
from .writer import write_atomic

ITEM_SECTIONS = ("resources", "tools")
# Tokens that cannot occur in escaped page content; the placeholder page lives beside the item pages.
SHELL_URL = "resources/hubkbshell/"
TITLE, DESCRIPTION, JSONLD, BODY = "hubkbshelltitle", "hubkbshelldescription", "hubkbshelljsonld", "hubkbshellbody"
BODY_HTML = f"<div><h1>{BODY}</h1></div>"
DESCRIPTION_TAG = f'<meta name="description" content="{DESCRIPTION}">'
JSONLD_TAG = f'<script type="application/ld+json">{JSONLD}</script>'
_TOKENS = re.compile("|".join(re.escape(t) for t in (BODY_HTML, DESCRIPTION_TAG, JSONLD_TAG, TITLE, SHELL_URL)))
# mkdocs leaves item folders to the shell (gitignore-style patterns relative to the docs folder).
EXCLUDE = "".join(f"/{section}/Q*/\n" for section in ITEM_SECTIONS)


def is_item(page: Page) -> bool:
    return page.path.split("/", 1)[0] in ITEM_SECTIONS and page.url.count("/") == 2


def shell_page() -> Page:
    """The placeholder item page mkdocs renders once per locale."""
    front = {"title": TITLE, "description": DESCRIPTION, "jsonld": JSONLD, "hide": ["toc"]}
    return Page(path=f"{SHELL_URL}index.md", front=front, body=BODY_HTML + "\n")


@dataclass(frozen=True)
class Shell:
    """A rendered placeholder page, ready to be filled."""

    html: str

    @classmethod
    def read(cls, locale_dir: Path) -> Shell:
        path = locale_dir / SHELL_URL / "index.html"
        try:
            html = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise BuildError(f"{path}: mkdocs did not render the item page shell: {exc.strerror}") from exc
        for token in (TITLE, BODY_HTML, SHELL_URL):
            if token not in html:
                raise BuildError(f"{path}: the item page shell lost its {token!r} placeholder; check theme overrides")
        return cls(html)

    def fill(self, page: Page) -> str:
        """One pass over the shell, so text inserted from Metabase is never scanned for placeholders again."""
        description, jsonld = page.front.get("description"), page.front.get("jsonld")
        values = {
            BODY_HTML: page.body.strip(),
            DESCRIPTION_TAG: f'<meta name="description" content="{description}">' if description else "",
            JSONLD_TAG: f'<script type="application/ld+json">{jsonld}</script>' if jsonld else "",
            TITLE: page.front["title"],
            SHELL_URL: page.url,
        }
        return _TOKENS.sub(lambda match: values[match.group()], self.html)


def write_item_pages(locale_dir: Path, pages: list[Page]) -> int:
    """Fill the shell for every item page of a locale, then remove the placeholder from the site."""
    shell = Shell.read(locale_dir)
    count = 0
    for page in pages:
        if is_item(page):
            write_atomic(locale_dir / page.url / "index.html", shell.fill(page).encode("utf-8"))
            count += 1
    placeholder = locale_dir / SHELL_URL / "index.html"
    placeholder.unlink()
    placeholder.parent.rmdir()
    return count
