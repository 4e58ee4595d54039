"""The translation status and "Improve Metabase" pages of the built sample, checked against figures computed here
from the site's own catalog.json and the locale files: the pages must tell volunteers the truth."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from babel.messages.pofile import read_po
from browsing import screenshot_path
from conftest import REPO_ROOT, Project
from test_site import LOCALES, elements

from generator.catalog import Catalog
from generator.messages import extract

if TYPE_CHECKING:
    from playwright.sync_api import Page

KINDS = ("resources", "tools", "types", "subjects")
GAP_NAMES = ("Label", "Description", "Type", "Language of the work", "Publication date", "Link")


class Tables(HTMLParser):
    """Every table of a page as rows of (row attributes, cell texts)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[tuple[dict[str, str], list[str]]]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append(({k: v or "" for k, v in attrs}, []))
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None:
            self.tables[-1][-1][1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def tables(path: Path) -> list[list[tuple[dict[str, str], list[str]]]]:
    parser = Tables()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.tables


def first_number(cell: str) -> int:
    return int(re.match(r"\d+", cell.replace(",", "")).group())  # type: ignore[union-attr]


def has(values: dict[str, str], code: str) -> bool:
    return bool(values.get(code) or values.get("mul"))


def expected_gaps(catalog: Catalog, code: str) -> dict[str, list[str]]:
    """What a locale's pages must list, computed from catalog.json: the issue's definition of a gap."""
    found = {}
    for r in catalog.resources.values():
        missing = (not has(r.labels, code), not has(r.descriptions, code), not r.types, not r.languages,
                   r.date is None, not r.links)
        if gaps := [name for name, lacks in zip(GAP_NAMES, missing, strict=True) if lacks]:
            found[r.qid] = gaps
    for t in catalog.tools.values():
        missing = (not has(t.labels, code), not has(t.descriptions, code))
        if gaps := [name for name, lacks in zip(GAP_NAMES[:2], missing, strict=True) if lacks]:
            found[t.qid] = gaps
    return found


@pytest.fixture(scope="module")
def catalog(sample_site: Path) -> Catalog:
    return Catalog.read(sample_site / "catalog.json")


def test_status_page_shows_true_label_and_description_figures(sample_site: Path, catalog: Catalog) -> None:
    everything = {**catalog.entities, **catalog.tools, **catalog.resources}
    records = {
        "resources": list(catalog.resources.values()), "tools": list(catalog.tools.values()),
        "types": [everything[q] for q in {q for r in [*catalog.resources.values(), *catalog.tools.values()]
                                          for q in r.types}],
        # Subjects are items of any kind, tools among them.
        "subjects": [everything[q] for q in {q for r in catalog.resources.values() for q in r.subjects}],
    }
    _, labels, descriptions = tables(sample_site / "en" / "status" / "index.html")
    for table, field in ((labels, "labels"), (descriptions, "descriptions")):
        shown = {attrs["data-locale"]: [first_number(c) for c in cells[1:]] for attrs, cells in table[1:-1]}
        expected = {code: [sum(1 for r in records[kind] if has(getattr(r, field), code)) for kind in KINDS]
                    for code in LOCALES}
        assert shown == expected
        assert [first_number(c) for c in table[-1][1][1:]] == [len(records[kind]) for kind in KINDS]


def test_status_page_shows_true_interface_figures(sample_site: Path) -> None:
    pot = [(m.id, m.context) for m in extract() if m.id]
    expected = {"en": [len(pot), 0, 0, 0]}
    for code in LOCALES[1:]:
        with (REPO_ROOT / "translations" / code / "LC_MESSAGES" / "messages.po").open("rb") as fh:
            po = read_po(fh)
        found = [po.get(msgid, context) for msgid, context in pot]
        fuzzy = sum(1 for m in found if m is not None and m.fuzzy)
        translated = sum(1 for m in found if m is not None and not m.fuzzy and all(
            m.string if isinstance(m.string, tuple) else (m.string,)))
        expected[code] = [translated, fuzzy, len(pot) - translated - fuzzy, 0]
    for code in LOCALES:
        interface = tables(sample_site / code / "status" / "index.html")[0]
        shown = {attrs["data-locale"]: [first_number(c) for c in cells[1:]] for attrs, cells in interface[1:]}
        assert shown == expected, code


def test_i18n_status_prints_the_figures_of_the_status_page(sample_site: Path, project: Project) -> None:
    proc = project.run("i18n", "status", "--catalog", sample_site / "catalog.json", check=True)
    interface, labels, descriptions = tables(sample_site / "en" / "status" / "index.html")
    lines = iter(proc.stdout.splitlines())
    for (attrs, cells), label_row, description_row in zip(interface[1:], labels[1:-1], descriptions[1:-1],
                                                            strict=True):
        translated, fuzzy, untranslated, errors = (first_number(c) for c in cells[1:])
        assert next(lines).startswith(f"{attrs['data-locale']}: interface {translated} translated, {fuzzy} fuzzy, "
                                      f"{untranslated} untranslated, {errors} with errors")
        for row, what in ((label_row, "labels"), (description_row, "descriptions")):
            totals = [first_number(c) for c in labels[-1][1][1:]]
            figures = ", ".join(f"{kind} {first_number(c)}/{total}"
                                for kind, c, total in zip(KINDS, row[1][1:], totals, strict=True))
            assert next(lines) == f"  {what} on Metabase: {figures}"


def improve_entries(first_page: Path) -> tuple[list[Path], dict[str, tuple[list[str], str]]]:
    """Follow the pager from the first Improve Metabase page; QID → (gaps shown, edit link) of every entry."""
    pages, entries, page = [], {}, first_page
    while True:
        pages.append(page)
        qid = None
        for tag, attrs, text in elements(page):
            classes = attrs.get("class", "").split()
            if tag == "bdi" and "hubkb-qid" in classes:
                qid = text
                entries[qid] = ([], "")
            elif tag == "span" and "hubkb-gap" in classes and qid:
                entries[qid][0].append(text)
            elif tag == "a" and attrs.get("rel") == "nofollow" and qid:
                entries[qid] = (entries[qid][0], attrs["href"])
        following = [a["href"] for tag, a, _ in elements(page) if tag == "a" and a.get("rel") == "next"]
        if not following:
            return pages, entries
        page = (page.parent / following[0] / "index.html").resolve()


@pytest.mark.parametrize("code", ["en", "sv", "ar"])
def test_improve_pages_list_every_gap_with_an_edit_link(sample_site: Path, catalog: Catalog, code: str) -> None:
    expected = expected_gaps(catalog, code)
    pages, entries = improve_entries(sample_site / code / "improve" / "index.html")
    assert {qid: len(gaps) for qid, (gaps, _) in entries.items()} == {q: len(g) for q, g in expected.items()}
    assert all(href == f"https://metabase.wikibase.cloud/wiki/Item:{qid}" for qid, (_, href) in entries.items())
    assert len(pages) == -(-len(expected) // 50) and len(pages) > 1
    counts = [first_number(cells[1]) for _, cells in tables(pages[0])[0][1:]]
    assert counts == [sum(1 for g in expected.values() if name in g) for name in GAP_NAMES]
    count_line = [t for tag, a, t in elements(pages[0]) if "hubkb-count-line" in a.get("class", "")][0]
    assert count_line.startswith(str(len(expected)))


def test_improve_page_names_gaps_in_the_readers_language(sample_site: Path, catalog: Catalog) -> None:
    _, entries = improve_entries(sample_site / "en" / "improve" / "index.html")
    expected = expected_gaps(catalog, "en")
    assert {qid: gaps for qid, (gaps, _) in entries.items()} == expected
    _, swedish = improve_entries(sample_site / "sv" / "improve" / "index.html")
    assert {gap for gaps, _ in swedish.values() for gap in gaps} <= {
        "Etikett", "Beskrivning", "Typ", "Verkets språk", "Publiceringsdatum", "Länk"}


def test_gaps_json_holds_the_same_gaps_as_the_pages(sample_site: Path, catalog: Catalog) -> None:
    data = json.loads((sample_site / "gaps.json").read_text(encoding="utf-8"))
    assert data["locales"] == list(LOCALES)
    for code in LOCALES:
        expected = expected_gaps(catalog, code)
        listed = {qid: item["missing"][code] for qid, item in data["items"].items() if code in item["missing"]}
        assert {q: len(g) for q, g in listed.items()} == {q: len(g) for q, g in expected.items()}
        assert data["counts"][code]["items"] == len(expected)
    assert all(item["edit_url"] == f"https://metabase.wikibase.cloud/wiki/Item:{qid}"
               for qid, item in data["items"].items())


def test_status_and_improve_pages_are_in_every_locales_navigation(sample_site: Path) -> None:
    for code in LOCALES:
        links = {a.get("href") for tag, a, _ in elements(sample_site / code / "index.html") if tag == "a"}
        assert {"status/", "improve/"} <= links, code


@pytest.mark.parametrize("code", ["sv", "ar"])
def test_status_and_improve_pages_fit_a_phone_screen(browser_page: Page, served_sample: str, code: str) -> None:
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{served_sample}{code}/")
    for path, table in (("improve/", ".hubkb-gap-counts table"), ("status/", ".hubkb-status table")):
        page.goto(f"{served_sample}{code}/{path}")
        assert page.locator(table).first.is_visible()
        # The page never scrolls sideways: a wide table scrolls inside its own box.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (code, path)
        for box in page.locator(".hubkb-table").all():
            assert box.evaluate("b => b.getBoundingClientRect().right <= window.innerWidth + 1"), (code, path)
        page.screenshot(path=screenshot_path(f"{code}-{path.strip('/')}-phone"), full_page=False)
    assert page.evaluate("document.documentElement.dir") == ("rtl" if code == "ar" else "ltr")


def test_improve_page_reached_from_the_navigation_edits_on_metabase(browser_page: Page, served_sample: str) -> None:
    page = browser_page
    page.goto(f"{served_sample}sv/")
    page.get_by_role("link", name="Förbättra Metabase").first.click()
    page.wait_for_url(f"{served_sample}sv/improve/")
    entry = page.locator(".hubkb-gap-entry").first
    assert entry.locator(".hubkb-gap").first.is_visible()
    edit = entry.get_by_role("link", name="Redigera i Metabase")
    qid = entry.locator(".hubkb-qid").inner_text()
    assert edit.get_attribute("href") == f"https://metabase.wikibase.cloud/wiki/Item:{qid}"
    page.get_by_role("link", name="Nästa").first.click()
    page.wait_for_url(f"{served_sample}sv/improve/2/")
    assert page.locator(".hubkb-gap-entry").count() == 50
