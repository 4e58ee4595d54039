"""The built sample site, read with an HTML parser the way a reader's browser and a crawler meet it."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.catalog import Catalog
from generator.check import check_site, read_page
from generator.config import Config

LOCALES = ("en", "sv", "fr", "es", "pt-br", "ar")


class Elements(HTMLParser):
    """Collects (tag, attributes, text) of every element, enough for assertions on what a reader sees."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str], list[str]]] = []
        self.stack: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        text: list[str] = []
        self.elements.append((tag, {k: v or "" for k, v in attrs}, text))
        if tag not in ("br", "img", "meta", "link", "input", "hr"):
            self.stack.append(text)

    def handle_endtag(self, tag: str) -> None:
        if self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        for text in self.stack:
            text.append(data)


def elements(path: Path) -> list[tuple[str, dict[str, str], str]]:
    parser = Elements()
    parser.feed(path.read_text(encoding="utf-8"))
    return [(tag, attrs, "".join(text).strip()) for tag, attrs, text in parser.elements]


def find(path: Path, tag: str, cls: str | None = None) -> list[tuple[dict[str, str], str]]:
    return [(a, t) for g, a, t in elements(path) if g == tag and (cls is None or cls in a.get("class", "").split())]


def test_every_resource_and_tool_page_exists_in_every_locale(sample_site: Path, catalog: Catalog) -> None:
    missing = [f"{loc}/{kind}/{qid}" for loc in LOCALES
               for kind, table in (("resources", catalog.resources), ("tools", catalog.tools))
               for qid in table if not (sample_site / loc / kind / qid / "index.html").is_file()]
    assert missing == []
    assert len(catalog.resources) >= 300 and len(catalog.tools) >= 60


def test_home_pages_and_picker_exist(sample_site: Path, hubkb_config: Config) -> None:
    assert (sample_site / "index.html").is_file()
    for loc in LOCALES:
        # A browser tab shows the site's name once on a home page, and the page's name before it elsewhere.
        home = (sample_site / loc / "index.html").read_text(encoding="utf-8")
        assert re.findall(r"<title>(.*?)</title>", home) == [hubkb_config.site.name]
        about = (sample_site / loc / "about" / "index.html").read_text(encoding="utf-8")
        assert re.search(rf"<title>.+ - {re.escape(hubkb_config.site.name)}</title>", about)


@pytest.mark.parametrize("loc,lang,direction", [("en", "en", "ltr"), ("sv", "sv", "ltr"), ("pt-br", "pt-BR", "ltr"),
                                                ("ar", "ar", "rtl")])
def test_html_lang_and_dir_follow_the_locale(sample_site: Path, catalog: Catalog, loc: str, lang: str,
                                             direction: str) -> None:
    qid = next(iter(catalog.resources))
    for page in (sample_site / loc / "index.html", sample_site / loc / "resources" / qid / "index.html"):
        facts = read_page(page)
        assert (facts.lang, facts.dir) == (lang, direction)
        body = [a for tag, a, _ in elements(page) if tag == "body"][0]
        assert body["dir"] == direction


def test_language_switcher_keeps_the_reader_on_the_same_page(sample_site: Path, catalog: Catalog) -> None:
    qid = next(iter(catalog.tools))
    page = sample_site / "sv" / "tools" / qid / "index.html"
    links = {a["hreflang"]: a["href"] for a, _ in find(page, "a", "hubkb-switch")}
    assert set(links) == {"en", "sv", "fr", "es", "pt-BR", "ar"}
    for href in links.values():
        target = (page.parent / href).resolve()
        assert target.name == qid and target.parent.name == "tools" and (target / "index.html").is_file()


def test_hreflang_alternates_and_canonical_on_item_pages(sample_site: Path, catalog: Catalog) -> None:
    qid = next(iter(catalog.resources))
    facts = read_page(sample_site / "fr" / "resources" / qid / "index.html")
    assert facts.canonical == f"https://hub.example.org/fr/resources/{qid}/"
    assert facts.hreflang["pt-BR"] == f"https://hub.example.org/pt-br/resources/{qid}/"
    assert facts.hreflang["x-default"] == "https://hub.example.org/"


def test_fallback_title_is_marked_with_its_own_language(sample_site: Path, catalog: Catalog) -> None:
    qid = next(q for q, r in catalog.resources.items() if "en" in r.labels and not {"sv", "mul"} & set(r.labels))
    (attrs, text), = find(sample_site / "sv" / "resources" / qid / "index.html", "h1")
    assert text == catalog.resources[qid].labels["en"]
    assert attrs["lang"] == "en" and "hubkb-fallback" in attrs["class"]
    invites = find(sample_site / "sv" / "resources" / qid / "index.html", "p", "hubkb-invite")
    assert invites and "svenska" in invites[0][1]


def test_title_in_readers_language_is_not_marked(sample_site: Path, catalog: Catalog) -> None:
    qid = next(q for q, r in catalog.resources.items() if "sv" in r.labels)
    (attrs, text), = find(sample_site / "sv" / "resources" / qid / "index.html", "h1")
    assert text == catalog.resources[qid].labels["sv"] and "lang" not in attrs
    assert not find(sample_site / "sv" / "resources" / qid / "index.html", "p", "hubkb-invite")


def test_year_precision_date_prints_as_a_year(sample_site: Path, catalog: Catalog) -> None:
    qid = next(q for q, r in catalog.resources.items() if r.date and r.date.precision == 9)
    year = catalog.resources[qid].date.iso  # type: ignore[union-attr]
    for loc in ("en", "fr", "ar"):
        times = find(sample_site / loc / "resources" / qid / "index.html", "time")
        assert (times[0][0]["datetime"], times[0][1]) == (year, year)


def test_day_precision_date_printed_in_the_readers_locale(sample_site: Path, catalog: Catalog) -> None:
    qid = next(q for q, r in catalog.resources.items() if r.date and r.date.precision == 11)
    iso = catalog.resources[qid].date.iso  # type: ignore[union-attr]
    month = int(iso.split("-")[1])
    english = find(sample_site / "en" / "resources" / qid / "index.html", "time")[0][1]
    swedish = find(sample_site / "sv" / "resources" / qid / "index.html", "time")[0][1]
    assert english != swedish
    assert ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
            "november", "december"][month - 1] in swedish


def test_interface_strings_are_translated(sample_site: Path) -> None:
    headings = {loc: [t for _, t in find(sample_site / loc / "index.html", "h2")] for loc in LOCALES}
    assert headings["en"][0] == "Newest additions"
    for loc in LOCALES[1:]:
        assert headings[loc][0] != "Newest additions", loc


def test_arabic_plural_forms_used(sample_site: Path, catalog: Catalog) -> None:
    lines = [t for _, t in find(sample_site / "ar" / "browse" / "types" / "index.html", "h1")]
    assert lines and not re.search(r"[A-Za-z]", lines[0])


def test_no_internal_link_is_broken_and_every_page_has_its_head(sample_site: Path) -> None:
    count, problems = check_site(sample_site)
    assert count > 2000
    assert [str(p) for p in problems] == []


def test_listing_pages_are_paginated(sample_site: Path, catalog: Catalog) -> None:
    az = sample_site / "en" / "browse" / "a-z"
    pages = [az / "index.html", *sorted(az.glob("*/index.html"))]
    counts = [len(find(page, "li", "hubkb-entry")) for page in pages]
    assert sum(counts) == len(catalog.resources)
    assert max(counts) <= 50 and len(pages) == -(-len(catalog.resources) // 50)


def test_navigation_does_not_grow_with_the_catalog(sample_site: Path, catalog: Catalog) -> None:
    qid = next(iter(catalog.resources))
    nav_links = [a for a, _ in find(sample_site / "en" / "resources" / qid / "index.html", "a", "md-nav__link")]
    assert len(nav_links) < 20


def test_json_ld_describes_the_item(sample_site: Path, catalog: Catalog) -> None:
    qid, resource = next((q, r) for q, r in catalog.resources.items() if r.date and "en" in r.labels)
    text = (sample_site / "en" / "resources" / qid / "index.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.S).group(1))  # type: ignore[union-attr]
    assert data["@type"] == "LearningResource" and data["name"] == resource.labels["en"]
    assert data["datePublished"] == resource.date.iso  # type: ignore[union-attr]
    tool = next(iter(catalog.tools))
    text = (sample_site / "en" / "tools" / tool / "index.html").read_text(encoding="utf-8")
    assert '"@type":"SoftwareApplication"' in text


def test_tool_page_lists_resources_about_it(sample_site: Path, catalog: Catalog) -> None:
    qid = next(q for q in catalog.tools if catalog.resources_about(q))
    entries = find(sample_site / "en" / "tools" / qid / "index.html", "li", "hubkb-entry")
    assert 0 < len(entries) <= 20


def test_manifest_describes_the_build(sample_site: Path, catalog: Catalog) -> None:
    manifest = json.loads((sample_site / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["catalog_hash"] == catalog.hash
    assert manifest["counts"]["resources"] == len(catalog.resources)
    assert manifest["locales"] == list(LOCALES)
    assert manifest["generator"].startswith("hubkb ") and manifest["built"].endswith("Z")


def test_language_picker_lists_every_locale_without_javascript(sample_site: Path) -> None:
    links = {a["href"]: t for a, t in find(sample_site / "index.html", "a")}
    assert set(links) == {f"{loc}/" for loc in LOCALES}
    assert links["sv/"] == "Svenska" and links["ar/"] == "العربية"


def test_catalog_csv_has_one_row_per_resource(sample_site: Path, catalog: Catalog) -> None:
    raw = (sample_site / "catalog.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("utf-8-sig").count("\r\n") == len(catalog.resources) + 1


def test_sample_data_is_labelled_as_sample(sample_site: Path) -> None:
    text = (sample_site / "en" / "about" / "index.html").read_text(encoding="utf-8")
    assert "Metabase" in text
