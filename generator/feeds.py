"""The site's machine-readable side: an Atom feed per locale, sitemaps with hreflang alternates, robots.txt.

Written into the staging folder after the mkdocs builds, from the same catalog and titles as the pages, through
xml.etree (its serializer escapes every Metabase string) and with no build time in them, so an unchanged
catalog gives unchanged bytes. mkdocs' own per-locale sitemap.xml lists no translations: it is replaced by one
that does, and the root sitemap.xml is the index of those.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
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


def _xml(root: ET.Element) -> bytes:
    ET.indent(root, space=" ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: _NOT_XML.sub("", v) for k, v in attrs.items()})
    if text is not None:
        element.text = _NOT_XML.sub("", text)
    return element


def atom_feed(catalog: Catalog, config: Config, loc: LocaleConfig, translations: NullTranslations) -> bytes:
    """<locale>/feed.xml: the newest resources with their titles and descriptions in the reader's language."""
    renderer = LocaleRenderer(catalog, config, loc, translations)
    base = f"{config.site.url}{loc.code}/"
    newest = renderer.newest(FEED_ENTRIES)
    latest = max((r.modified for r in catalog.resources.values() if r.modified), default=EPOCH)
    feed = ET.Element("feed", {"xmlns": ATOM, XML_LANG: loc.theme_language})
    _add(feed, "id", f"{base}{FEED_NAME}")
    _add(feed, "title", config.site.name)
    # Translators: also the subtitle of each locale's Atom feed (feed.xml) of the newest resources.
    _add(feed, "subtitle", translations.gettext("Newest additions"))
    _add(feed, "updated", max((r.modified or latest for r in newest), default=latest))
    _add(feed, "link", rel="self", type="application/atom+xml", href=f"{base}{FEED_NAME}")
    _add(feed, "link", rel="alternate", type="text/html", hreflang=loc.theme_language, href=base)
    author = _add(feed, "author")
    _add(author, "name", config.site.name)
    _add(author, "uri", config.site.url)
    _add(feed, "generator", "hubkb", version=__version__)
    for r in newest:
        url = f"{base}resources/{r.qid}/"
        entry = _add(feed, "entry")
        _add(entry, "id", url)
        title = renderer.title(r)
        _add(entry, "title", title.text, **({XML_LANG: title.lang} if title.fallback else {}))
        _add(entry, "link", rel="alternate", type="text/html", href=url)
        _add(entry, "updated", r.modified or latest)
        for qid in r.types:
            _add(entry, "category", term=qid, label=renderer.l10n.label(qid).text)
        description = renderer.description(r)
        if description:
            _add(entry, "summary", description.text,
                 **({XML_LANG: description.lang} if description.fallback else {}))
    return _xml(feed)


def site_pages(site: Path, code: str) -> set[str]:
    """The directory URL of every page a locale's mkdocs build wrote (`resources/Q1/`, `` for its home)."""
    root = site / code
    found = (p.relative_to(root) for p in root.rglob("index.html"))
    return {p.as_posix().removesuffix("index.html") for p in found if not any(s.startswith(".") for s in p.parts)}


def sitemaps(site: Path, config: Config, locales: list[LocaleConfig]) -> dict[str, bytes]:
    """Each locale's sitemap (every page with its hreflang alternates and x-default) and the root index."""
    pages = {loc.code: site_pages(site, loc.code) for loc in locales}
    files: dict[str, bytes] = {}
    index = ET.Element("sitemapindex", {"xmlns": SITEMAP})
    for loc in locales:
        urls = sorted(pages[loc.code])
        for start in range(0, max(len(urls), 1), SITEMAP_URLS):
            name = f"{loc.code}/sitemap.xml" if start == 0 else f"{loc.code}/sitemap-{start // SITEMAP_URLS + 1}.xml"
            urlset = ET.Element("urlset", {"xmlns": SITEMAP, "xmlns:xhtml": XHTML})
            for url in urls[start:start + SITEMAP_URLS]:
                entry = _add(urlset, "url")
                _add(entry, "loc", f"{config.site.url}{loc.code}/{url}")
                for other in locales:
                    if url in pages[other.code]:
                        _add(entry, "xhtml:link", rel="alternate", hreflang=other.theme_language,
                             href=f"{config.site.url}{other.code}/{url}")
                _add(entry, "xhtml:link", rel="alternate", hreflang="x-default", href=config.site.url)
            files[name] = _xml(urlset)
            _add(_add(index, "sitemap"), "loc", f"{config.site.url}{name}")
    files["sitemap.xml"] = _xml(index)
    return files


def robots(config: Config) -> bytes:
    """robots.txt: every page may be crawled, and the sitemap index says where each page's translations are."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {config.site.url}sitemap.xml\n".encode()


def write_machine_files(site: Path, catalog: Catalog, config: Config, locales: list[LocaleConfig],
                        translations: dict[str, NullTranslations]) -> None:
    """Write the feeds, the sitemaps and robots.txt into a built site (mkdocs' plain sitemaps are replaced)."""
    for loc in locales:
        write_atomic(site / loc.code / FEED_NAME, atom_feed(catalog, config, loc, translations[loc.code]))
        (site / loc.code / "sitemap.xml.gz").unlink(missing_ok=True)
    for name, data in sitemaps(site, config, locales).items():
        write_atomic(site / name, data)
    write_atomic(site / "robots.txt", robots(config))
