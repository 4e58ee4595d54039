"""The site as feed readers and crawlers meet it: an Atom feed per locale, sitemaps with every translation,
robots.txt."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from conftest import Project
from test_hostile import HOSTILE, hostile_doc
from test_site import LOCALES, find

from generator.catalog import Catalog, qid_sort_key
from generator.config import Config

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
THEME_LANG = {"en": "en", "sv": "sv", "fr": "fr", "es": "es", "pt-br": "pt-BR", "ar": "ar"}


def test_feed_lists_the_newest_resources_in_each_locale(sample_site: Path, catalog: Catalog,  # noqa: F811
                                                        hubkb_config: Config) -> None:
    newest = sorted(catalog.resources, key=qid_sort_key, reverse=True)[:50]
    for loc in LOCALES:
        feed = ET.parse(sample_site / loc / "feed.xml").getroot()
        assert feed.get(XML_LANG) == THEME_LANG[loc]
        assert feed.findtext(f"{ATOM}id") == f"{hubkb_config.site.url}{loc}/feed.xml"
        ids = [entry.findtext(f"{ATOM}id") for entry in feed.iter(f"{ATOM}entry")]
        assert ids == [f"{hubkb_config.site.url}{loc}/resources/{q}/" for q in newest]
    sv = {e.findtext(f"{ATOM}id"): e for e in ET.parse(sample_site / "sv" / "feed.xml").getroot().iter(f"{ATOM}entry")}
    qid = next(q for q in newest if "sv" in catalog.resources[q].labels)
    entry = sv[f"{hubkb_config.site.url}sv/resources/{qid}/"]
    assert entry.findtext(f"{ATOM}title") == catalog.resources[qid].labels["sv"]
    assert entry.findtext(f"{ATOM}updated") == catalog.resources[qid].modified


def test_every_page_links_to_its_locale_feed(sample_site: Path, catalog: Catalog) -> None:  # noqa: F811
    qid = next(iter(catalog.resources))
    for page in (sample_site / "ar" / "index.html", sample_site / "ar" / "resources" / qid / "index.html"):
        feeds = [a["href"] for a, _ in find(page, "link") if a.get("type") == "application/atom+xml"]
        assert len(feeds) == 1 and (page.parent / feeds[0]).resolve() == (sample_site / "ar" / "feed.xml").resolve()


def test_sitemap_lists_every_page_with_its_translations(sample_site: Path, hubkb_config: Config) -> None:
    url = hubkb_config.site.url
    index = ET.parse(sample_site / "sitemap.xml").getroot()
    assert [s.findtext(f"{SITEMAP}loc") for s in index] == [f"{url}{loc}/sitemap.xml" for loc in LOCALES]
    pages = {loc: {p.relative_to(sample_site / loc).as_posix().removesuffix("index.html")
                   for p in (sample_site / loc).rglob("index.html")} for loc in LOCALES}
    for loc in LOCALES:
        entries = ET.parse(sample_site / loc / "sitemap.xml").getroot().findall(f"{SITEMAP}url")
        assert sorted(e.findtext(f"{SITEMAP}loc") for e in entries) == sorted(f"{url}{loc}/{p}" for p in pages[loc])
        for entry in entries:
            page = entry.findtext(f"{SITEMAP}loc", "").removeprefix(f"{url}{loc}/")
            alternates = {a.get("hreflang"): a.get("href") for a in entry.findall(f"{XHTML}link")}
            assert alternates == {**{THEME_LANG[o]: f"{url}{o}/{page}" for o in LOCALES if page in pages[o]},
                                  "x-default": url}
            assert THEME_LANG[loc] in alternates
        assert not (sample_site / loc / "sitemap.xml.gz").exists()


def test_robots_txt_points_crawlers_to_the_sitemap(sample_site: Path, hubkb_config: Config) -> None:
    lines = (sample_site / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "User-agent: *" in lines and f"Sitemap: {hubkb_config.site.url}sitemap.xml" in lines
    assert not any(line.startswith("Disallow: /") and line != "Disallow: " for line in lines)


def test_feed_carries_hostile_titles_as_text(project: Project) -> None:
    snapshot = hostile_doc().write(project.root / "hostile.ttl")
    project.run("build", "--snapshot", snapshot, "--out", project.root / "site", "--locales", "en,ar", check=True)
    for loc in ("en", "ar"):
        raw = (project.root / "site" / loc / "feed.xml").read_bytes()
        assert b"<script" not in raw and b"<img" not in raw
        entry = next(ET.fromstring(raw).iter(f"{ATOM}entry"))
        assert entry.findtext(f"{ATOM}title") == HOSTILE[loc]
        assert entry.findtext(f"{ATOM}summary") == HOSTILE[loc]
