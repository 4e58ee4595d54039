"""The site's machine-readable side: an Atom feed per locale, sitemaps with hreflang alternates, robots.txt.

Written into the staging folder after the mkdocs builds, from the same catalog and titles as the pages, and
with no build time in them, so an unchanged catalog gives unchanged bytes. mkdocs' own per-locale sitemap.xml
lists no translations: it is replaced by one that does, and the root sitemap.xml is the index of those.

The XML is joined from strings (a site's sitemaps hold some 100,000 elements; xml.etree took seconds over
them), byte for byte what `ET.indent(root, space=" ")` and `ET.tostring(root, encoding="utf-8",
xml_declaration=True)` write: every text and attribute value, Metabase strings and URLs alike, goes through
`_text` or `_attr`, which drop what XML 1.0 cannot carry and escape like xml.etree does.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from babel.support import NullTranslations

from . import __version__
from .catalog import Catalog
from .config import Config, LocaleConfig
from .render import LocaleRenderer
from .writer import write_atomic

FEED_NAME = "feed.xml"
FEED_ENTRIES = 50
# The sitemap protocol's limit of URLs per file; a locale with more pages gets sitemap-2.xml, sitemap-3.xml…
SITEMAP_URLS = 50_000
ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"
XML_LANG = "xml:lang"
# When no resource says when it was last edited (Atom requires a time).
EPOCH = "1970-01-01T00:00:00Z"
# Characters XML 1.0 cannot carry at all, not even escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
XML_DECLARATION = "<?xml version='1.0' encoding='utf-8'?>\n"


# What xml.etree escapes in element text, and additionally in attribute values.
_TEXT_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))
_ATTR_ESCAPES = (('"', "&quot;"), ("\r", "&#13;"), ("\n", "&#10;"), ("\t", "&#09;"))


def _replace(value: str, pairs: tuple[tuple[str, str], ...]) -> str:
    for raw, reference in pairs:
        if raw in value:
            value = value.replace(raw, reference)
    return value


def _text(value: str) -> str:
    """Element text: what XML 1.0 cannot carry dropped, then escaped as xml.etree escapes text."""
    return _replace(_NOT_XML.sub("", value), _TEXT_ESCAPES)


def _attr(value: str) -> str:
    """An attribute value: like `_text`, and quotes and the line-breaking characters as references too."""
    return _replace(_text(value), _ATTR_ESCAPES)


def _element(tag: str, text: str | None = None, attrs: dict[str, str] | None = None,
             children: list[str] | None = None, level: int = 0) -> str:
    """One element as xml.etree writes it after `ET.indent(space=" ")`: children (already written at
    `level + 1`) one per line, an element without text or children closed as `<tag />`."""
    start = "<" + tag + "".join(f' {name}="{_attr(value)}"' for name, value in (attrs or {}).items())
    if children:
        inner = "\n" + " " * (level + 1)
        return f"{start}>{inner}{inner.join(children)}\n{' ' * level}</{tag}>"
    text = _text(text) if text else ""
    return f"{start}>{text}</{tag}>" if text else start + " />"


def _document(root: str) -> bytes:
    return (XML_DECLARATION + root + "\n").encode("utf-8")


def atom_feed(catalog: Catalog, config: Config, loc: LocaleConfig, translations: NullTranslations) -> bytes:
    """<locale>/feed.xml: the newest resources with their titles and descriptions in the reader's language."""
    renderer = LocaleRenderer(catalog, config, loc, translations)
    base = f"{config.site.url}{loc.code}/"
    newest = renderer.newest(FEED_ENTRIES)
    latest = max((r.modified for r in catalog.resources.values() if r.modified), default=EPOCH)
    entries = []
    for r in newest:
        url = f"{base}resources/{r.qid}/"
        title = renderer.title(r)
        fields = [
            _element("id", url),
            _element("title", title.text, {XML_LANG: title.lang} if title.fallback else None),
            _element("link", attrs={"rel": "alternate", "type": "text/html", "href": url}),
            _element("updated", r.modified or latest),
            *(_element("category", attrs={"term": qid, "label": renderer.l10n.label(qid).text}) for qid in r.types),
        ]
        description = renderer.description(r)
        if description:
            fields.append(_element("summary", description.text,
                                   {XML_LANG: description.lang} if description.fallback else None))
        entries.append(_element("entry", children=fields, level=1))
    author = [_element("name", config.site.name), _element("uri", config.site.url)]
    feed = [
        _element("id", f"{base}{FEED_NAME}"),
        _element("title", config.site.name),
        # Translators: also the subtitle of each locale's Atom feed (feed.xml) of the newest resources.
        _element("subtitle", translations.gettext("Newest additions")),
        _element("updated", max((r.modified or latest for r in newest), default=latest)),
        _element("link", attrs={"rel": "self", "type": "application/atom+xml", "href": f"{base}{FEED_NAME}"}),
        _element("link", attrs={"rel": "alternate", "type": "text/html", "hreflang": loc.theme_language,
                                "href": base}),
        _element("author", children=author, level=1),
        _element("generator", "hubkb", {"version": __version__}),
        *entries,
    ]
    return _document(_element("feed", attrs={"xmlns": ATOM, XML_LANG: loc.theme_language}, children=feed))


def site_pages(site: Path, code: str) -> set[str]:
    """The directory URL of every page under a locale's folder of a built site (`resources/Q1/`, `` for home).

    Hidden folders and symlinked ones are not entered. One scandir per folder, and no stat of each folder or
    `index.html` candidate as os.walk and Path.rglob make: a site has some 2,600 folders per locale."""
    found = set()

    def walk(folder: str, url: str) -> None:
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        if not entry.name.startswith("."):
                            walk(entry.path, f"{url}{entry.name}/")
                    elif entry.name == "index.html" and entry.is_file():
                        found.add(url)
        except OSError:  # a locale not built, or a folder gone meanwhile: no pages there
            pass

    walk(str(site / code), "")
    return found


def sitemaps(pages: dict[str, set[str]], config: Config, locales: list[LocaleConfig]) -> dict[str, bytes]:
    """Each locale's sitemap (every page, by its directory URL in `pages`, with its hreflang alternates and
    x-default) and the root index."""
    # A page's <url> entry is `_element("url", children=[loc, *alternates, x_default], level=1)`, written out
    # here from pieces escaped once: escaping a joined string is joining the escaped pieces, as every
    # character is dropped or replaced on its own.
    url_start = {loc.code: f"<url>\n  <loc>{_text(f'{config.site.url}{loc.code}/')}" for loc in locales}
    link_start = {loc.code: f'\n  <xhtml:link rel="alternate" hreflang="{_attr(loc.theme_language)}" '
                            f'href="{_attr(f"{config.site.url}{loc.code}/")}' for loc in locales}
    url_end = "\n  " + _element("xhtml:link", attrs={"rel": "alternate", "hreflang": "x-default",
                                                     "href": config.site.url}) + "\n </url>"
    # A page's alternates are the same in every locale's sitemap that lists it.
    alternates: dict[str, str] = {}
    for url in set().union(*pages.values()):
        attr = _attr(url)
        alternates[url] = "".join(f'{link_start[loc.code]}{attr}" />' for loc in locales if url in pages[loc.code])
    urlset = {"xmlns": SITEMAP, "xmlns:xhtml": XHTML}
    files: dict[str, bytes] = {}
    index = []
    for loc in locales:
        urls = sorted(pages[loc.code])
        for start in range(0, max(len(urls), 1), SITEMAP_URLS):
            name = f"{loc.code}/sitemap.xml" if start == 0 else f"{loc.code}/sitemap-{start // SITEMAP_URLS + 1}.xml"
            entries = [f"{url_start[loc.code]}{_text(url)}</loc>{alternates[url]}{url_end}"
                       for url in urls[start:start + SITEMAP_URLS]]
            files[name] = _document(_element("urlset", attrs=urlset, children=entries))
            index.append(_element("sitemap", children=[_element("loc", f"{config.site.url}{name}")], level=1))
    files["sitemap.xml"] = _document(_element("sitemapindex", attrs={"xmlns": SITEMAP}, children=index))
    return files


def robots(config: Config) -> bytes:
    """robots.txt: every page may be crawled, and the sitemap index says where each page's translations are."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {config.site.url}sitemap.xml\n".encode()


def feed_files(catalog: Catalog, config: Config, locales: list[LocaleConfig],
               translations: dict[str, NullTranslations]) -> dict[str, bytes]:
    """Each locale's Atom feed and robots.txt, by their path in the site."""
    files = {f"{loc.code}/{FEED_NAME}": atom_feed(catalog, config, loc, translations[loc.code]) for loc in locales}
    files["robots.txt"] = robots(config)
    return files


def write_sitemaps(site: Path, config: Config, locales: list[LocaleConfig], pages: dict[str, set[str]]) -> None:
    """Write the sitemaps of `pages` (each locale's page URLs) into a built site, replacing mkdocs' plain ones."""
    for loc in locales:
        (site / loc.code / "sitemap.xml.gz").unlink(missing_ok=True)
    for name, data in sitemaps(pages, config, locales).items():
        write_atomic(site / name, data)
