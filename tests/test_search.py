"""Search and facets as a reader meets them: typed into a real Chromium on the built sample site, in the
reader's language, with the view kept in the URL; and the pieces a crawler or a no-JavaScript reader sees."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import pytest
from browsing import screenshot_path, serve_directory
from conftest import Project
from test_hostile import XSS
from test_site import LOCALES, elements, find
from wikibase import Doc, Time, item

from generator.catalog import Catalog, Resource
from generator.config import Config
from generator.i18n import Localizer, load_translations
from generator.search import FACETS, plural_variants, shard_count, shard_of

if TYPE_CHECKING:
    from playwright.sync_api import Page

ROOT = "#hubkb-search"


def settle(page: Page, **params: str | list[str]) -> None:
    """Wait until the search page shows the results for exactly these URL parameters."""
    expected = {k: v if isinstance(v, list) else [v] for k, v in params.items()}
    page.wait_for_function(
        """([root, expected]) => {
            const state = document.querySelector(root)?.dataset.state;
            const got = {};
            for (const [k, v] of new URLSearchParams(location.search)) (got[k] = got[k] || []).push(v);
            return state === "ready" && JSON.stringify(got, Object.keys(got).sort())
                === JSON.stringify(expected, Object.keys(expected).sort());
        }""",
        arg=[ROOT, expected], timeout=15_000)


def url_params(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def status(page: Page) -> str:
    return page.inner_text("#hubkb-search-status").strip()


def result_links(page: Page) -> list[str]:
    return page.eval_on_selector_all("#hubkb-search-results a", "links => links.map(a => a.getAttribute('href'))")


def facet_counts(page: Page, key: str) -> dict[str, int]:
    """The values a facet offers and the count printed beside each."""
    rows = page.eval_on_selector_all(
        f"#hubkb-search-facets input[name='{key}']",
        "boxes => boxes.map(b => [b.value, b.closest('label').querySelector('.hubkb-count').textContent])")
    return {value: int(count.replace("\u00a0", "").replace(",", "")) for value, count in rows}


def checked(page: Page) -> list[tuple[str, str]]:
    return sorted(map(tuple, page.eval_on_selector_all("#hubkb-search-facets input:checked",
                                                        "boxes => boxes.map(b => [b.name, b.value])")))


def qid_of(href: str, loc: str) -> str:
    match = re.fullmatch(rf"/{loc}/(resources|tools)/(Q\d+)/", href)
    assert match, f"result link {href} is not an item page of locale {loc}"
    return match.group(2)


def word_in_titles(catalog: Catalog, loc: str) -> tuple[str, list[Resource]]:
    """A word of at least five letters that starts the most titles in the locale's own language."""
    counts: dict[str, list[Resource]] = {}
    for r in catalog.resources.values():
        for word in set(re.findall(r"\w{5,}", r.labels.get(loc, "").casefold())):
            counts.setdefault(word, []).append(r)
    word = max(sorted(counts), key=lambda w: len(counts[w]))
    return word, counts[word]


def set_search_option(config: Path, key: str, value: int) -> None:
    """Set one key of hubkb.toml's [search] table."""
    text = config.read_text(encoding="utf-8")
    assert re.search(rf"^{key}\s*=", text, re.M), f"{config} has no {key}"
    config.write_text(re.sub(rf"^{key}\s*=.*$", f"{key} = {value}", text, flags=re.M), encoding="utf-8")


def shard_pages(bundle: Path) -> dict[str, int]:
    """The page count of each search shard in a locale's bundle folder; each holds that language alone."""
    counts = {}
    for shard in sorted(p for p in bundle.iterdir() if p.name.isdigit()):
        entry = json.loads((shard / "pagefind-entry.json").read_text(encoding="utf-8"))
        assert list(entry["languages"]) == [bundle.name]
        counts[shard.name] = entry["languages"][bundle.name]["page_count"]
    return counts


def test_search_index_covers_every_item_in_every_locale(sample_site: Path, catalog: Catalog) -> None:
    counts = {bundle.name: sum(shard_pages(bundle).values()) for bundle in (sample_site / "pagefind").iterdir()}
    assert counts == {loc.lower(): len(catalog.resources) + len(catalog.tools)
                      for loc in ("en", "sv", "fr", "es", "pt-BR", "ar")}


def page_filters(page: Path) -> dict[str, list[str]]:
    """The facet values an item page hands to the search index."""
    filters: dict[str, list[str]] = {}
    for _, attrs, text in elements(page):
        if "data-pagefind-filter" in attrs:
            filters.setdefault(attrs["data-pagefind-filter"], []).append(text)
    return filters


def test_search_facets_on_item_pages_are_in_the_readers_language(sample_site: Path, catalog: Catalog,
                                                                  hubkb_config: Config) -> None:
    l10n = Localizer(hubkb_config.locale("sv"), catalog)
    qid, r = next((q, r) for q, r in catalog.resources.items() if r.types and r.languages and r.date)
    page = sample_site / "sv" / "resources" / qid / "index.html"
    filters = page_filters(page)
    assert set(filters) <= set(FACETS)
    assert filters["type"] == [l10n.label(q).text for q in r.types]
    assert filters["language"] == [l10n.label(q).text for q in r.languages]
    assert filters["year"] == [str(r.date.year)]  # type: ignore[union-attr]
    hidden = find(page, "div", "hubkb-search-data")
    assert hidden and "hidden" in hidden[0][0] and "data-pagefind-ignore" in hidden[0][0]
    tid, tool = next((q, t) for q, t in catalog.tools.items() if t.licenses and t.ui_languages)
    filters = page_filters(sample_site / "sv" / "tools" / tid / "index.html")
    assert set(filters) == {"tooltype", "licence", "uilanguage"}
    assert filters["licence"] == [l10n.label(q).text for q in tool.licenses]
    assert filters["uilanguage"] == [l10n.label(q).text for q in tool.ui_languages]


def test_search_header_box_on_every_page_opens_the_locale_search_page(sample_site: Path, catalog: Catalog) -> None:
    qid = next(iter(catalog.tools))
    for loc in LOCALES:
        for page in (sample_site / loc / "index.html", sample_site / loc / "tools" / qid / "index.html",
                     sample_site / loc / "browse" / "a-z" / "index.html"):
            forms = [a for a, _ in find(page, "form", "hubkb-searchbox")]
            assert len(forms) == 1 and forms[0]["method"] == "get", page
            assert (page.parent / forms[0]["action"]).resolve() == (sample_site / loc / "search").resolve()
            inputs = [a for a, _ in find(page, "input", "hubkb-searchbox__input")]
            assert inputs[0]["name"] == "q" and inputs[0]["aria-label"]


def test_search_page_without_javascript_links_to_every_listing(sample_site: Path) -> None:
    page = sample_site / "sv" / "search" / "index.html"
    in_noscript, links = False, []
    for tag, attrs, _ in elements(page):
        in_noscript = in_noscript or tag == "noscript"
        if in_noscript and tag == "a":
            links.append(attrs["href"])
    assert len(links) == 5
    for href in links:
        assert (page.parent / href / "index.html").is_file(), href


def test_search_results_count_has_every_arabic_plural_form(hubkb_config: Config) -> None:
    loc = hubkb_config.locale("ar")
    translations = load_translations(hubkb_config, loc)
    forms = plural_variants(loc.babel, lambda n: translations.ngettext("%(num)s result", "%(num)s results", n))
    assert set(forms) == {"zero", "one", "two", "few", "many", "other"}
    assert len({forms["two"], forms["few"], forms["many"], forms["other"]}) == 4
    assert all("%(num)s" in form for form in forms.values())
    assert not any(re.search(r"[A-Za-z]{3}", f.replace("%(num)s", "")) for f in forms.values())


@pytest.mark.parametrize("loc", ["sv", "ar"])
def test_search_query_and_two_facets_kept_in_the_url(browser_page: Page, served_sample: str, catalog: Catalog,
                                                    hubkb_config: Config, loc: str) -> None:
    page = browser_page
    l10n = Localizer(hubkb_config.locale(loc), catalog)
    word, titled = word_in_titles(catalog, loc)
    page.goto(f"{served_sample}{loc}/")
    page.fill(".hubkb-searchbox__input", word)
    page.press(".hubkb-searchbox__input", "Enter")
    page.wait_for_url(re.compile(rf"/{loc}/search/\?q="))
    settle(page, q=word)
    assert page.input_value("#hubkb-search-q") == word
    links = result_links(page)
    assert {qid_of(h, loc) for h in links} & {r.qid for r in titled}
    count = int(re.sub(r"\D", "", status(page)))
    assert count >= len(titled) and len(links) == min(count, 20)
    titles = page.eval_on_selector_all("#hubkb-search-results a", "as => as.map(a => a.innerText)")
    for href, shown in zip(links, titles, strict=True):
        record = catalog.resources.get(qid_of(href, loc)) or catalog.tools[qid_of(href, loc)]
        picked = l10n.pick(record.labels) or l10n.pick(getattr(record, "titles", {}))
        assert picked is None or shown == picked.text
    # The count is a sentence in the reader's language, not English.
    english = load_translations(hubkb_config, hubkb_config.locale("en")).ngettext(
        "%(num)s result", "%(num)s results", 2).replace("%(num)s", "").strip()
    assert english not in status(page) and re.sub(r"[\d\s\u00a0]", "", status(page))

    # First facet: the commonest resource type among the results; its printed count is the new result count.
    types = facet_counts(page, "type")
    chosen_type = max(sorted(types), key=lambda v: types[v])
    page.check(f"#hubkb-search-facets input[name='type'][value='{chosen_type}']")
    settle(page, q=word, type=chosen_type)
    assert len(page.query_selector_all("#hubkb-search-results li")) == min(types[chosen_type], 20)
    # Second facet, by keyboard: the commonest year left; focus stays on the box it toggled.
    years = facet_counts(page, "year")
    chosen_year = max(sorted(years), key=lambda v: years[v])
    box = f"#hubkb-search-facets input[name='year'][value='{chosen_year}']"
    page.focus(box)
    page.keyboard.press("Space")
    settle(page, q=word, type=chosen_type, year=chosen_year)
    assert page.evaluate("document.activeElement.name + '=' + document.activeElement.value") == f"year={chosen_year}"
    assert url_params(page) == {"q": [word], "type": [chosen_type], "year": [chosen_year]}
    links = result_links(page)
    assert len(links) == min(years[chosen_year], 20) > 0
    assert page.is_visible("#hubkb-search-more") == (years[chosen_year] > 20)
    for href in links:
        r = catalog.resources[qid_of(href, loc)]
        assert chosen_type in [l10n.label(q).text for q in r.types]
        assert r.date and str(r.date.year) == chosen_year
    shown = (status(page), links, checked(page))

    page.reload()
    settle(page, q=word, type=chosen_type, year=chosen_year)
    assert (status(page), result_links(page), checked(page)) == shown
    assert page.input_value("#hubkb-search-q") == word
    page.screenshot(path=screenshot_path(f"search-{loc}-two-facets"), full_page=True)


@pytest.mark.parametrize("loc", LOCALES)
def test_search_every_locale_finds_its_own_pages(browser_page: Page, served_sample: str, catalog: Catalog,
                                                 loc: str) -> None:
    word, titled = word_in_titles(catalog, loc)
    browser_page.goto(f"{served_sample}{loc}/search/?q={word}")
    settle(browser_page, q=word)
    found = {qid_of(h, loc) for h in result_links(browser_page)}
    assert found and found & {r.qid for r in titled}
    assert browser_page.get_attribute("html", "lang") == browser_page.evaluate(
        "JSON.parse(document.getElementById('hubkb-search-strings').textContent).lang")


def test_search_facets_without_words_browse_the_catalog(browser_page: Page, served_sample: str,
                                                        catalog: Catalog) -> None:
    page = browser_page
    page.goto(f"{served_sample}en/search/")
    settle(page)
    assert page.query_selector_all("#hubkb-search-results li") == []
    types = facet_counts(page, "type")
    assert sum(types.values()) == sum(len(r.types) for r in catalog.resources.values())
    top = max(sorted(types), key=lambda v: types[v])
    assert types[top] > 20
    page.check(f"#hubkb-search-facets input[name='type'][value='{top}']")
    settle(page, type=top)
    assert len(result_links(page)) == 20 and status(page) == f"{types[top]} results"
    page.click("#hubkb-search-more")
    page.wait_for_function(f"document.querySelectorAll('#hubkb-search-results li').length === {min(types[top], 40)}")
    assert page.evaluate("document.activeElement.getAttribute('href')") == result_links(page)[20]
    assert all(h.startswith("/en/resources/") for h in result_links(page))
    page.click(".hubkb-search__clear")
    settle(page)
    assert checked(page) == [] and urlsplit(page.url).query == ""
    tooltypes = facet_counts(page, "tooltype")
    top = max(sorted(tooltypes), key=lambda v: tooltypes[v])
    page.check(f"#hubkb-search-facets input[name='tooltype'][value='{top}']")
    settle(page, tooltype=top)
    assert status(page) == f"{tooltypes[top]} results" and facet_counts(page, "licence")
    assert all(h.startswith("/en/tools/") for h in result_links(page))


def test_search_nothing_found_says_so(browser_page: Page, served_sample: str, hubkb_config: Config) -> None:
    browser_page.goto(f"{served_sample}fr/search/?q=zzqxjvw")
    settle(browser_page, q="zzqxjvw")
    message = "Nothing found. Try other words or remove a filter."
    assert result_links(browser_page) == []
    assert status(browser_page) == load_translations(hubkb_config, hubkb_config.locale("fr")).gettext(message)
    assert status(browser_page) != message


def test_search_page_opened_from_disk_says_search_needs_a_server(browser_page: Page, sample_site: Path) -> None:
    browser_page.goto((sample_site / "en" / "search" / "index.html").as_uri())
    browser_page.wait_for_selector("#hubkb-search[data-state=failed]", state="attached")
    assert status(browser_page) == "Search is not available right now. The lists of resources still work."


def test_search_shows_hostile_strings_as_text(project: Project, browser_page: Page) -> None:
    doc = Doc().standard().item("Q21954", {"en": "Guide"})
    doc.resource("Q100", labels={"en": f"Guide {XSS}"}, descriptions={"en": f"Described {XSS}"})
    doc.claim("Q100", "P18", Time("2020-01-01T00:00:00Z", 9)).claim("Q100", "P21", item("Q7"))
    doc.item("Q7", {"en": f"Publisher {XSS}"})
    snapshot = doc.write(project.root / "hostile.ttl")
    project.run("build", "--snapshot", snapshot, "--out", project.root / "site", "--locales", "en", check=True)
    with serve_directory(project.root / "site") as base:
        browser_page.goto(f"{base}en/search/?q=guide")
        settle(browser_page, q="guide")
        assert browser_page.inner_text("#hubkb-search-results a").strip() == f"Guide {XSS}"
        assert f"Publisher {XSS}" in facet_counts(browser_page, "publisher")
        assert browser_page.query_selector_all("#hubkb-search img, #hubkb-search script:not([src]):not([type])") == []
        assert browser_page.evaluate("window.__pwned") is None


def test_build_without_pagefind_fails_and_keeps_the_site(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    snapshot = Doc().standard().item("Q21954", {"en": "Guide"}).resource("Q100").write(project.root / "s.ttl")
    site = project.root / "site"
    project.run("build", "--snapshot", snapshot, "--out", site, "--locales", "en", check=True)
    before = (site / "en" / "index.html").read_bytes()
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(project.root / "no-pagefind"))
    proc = project.run("build", "--full", "--snapshot", snapshot, "--out", site, "--locales", "en")
    assert proc.returncode == 1
    error = proc.stderr.strip().splitlines()[-1]
    assert error.startswith("Error: search index:") and "no-pagefind" in error and "pip install" in error
    assert (site / "en" / "index.html").read_bytes() == before


def test_search_in_shards_merges_every_shard_and_edits_go_to_a_recent_bundle(project: Project, browser_page: Page,
                                                                            tmp_path: Path) -> None:
    """A small `search.shard_pages` splits each locale's index into several bundles; the search page merges them
    (results and facet counts cover the whole catalog); after edits no shard is indexed again until the recent
    edits outgrow `search.recent_pages`, and results and counts are those of the edited catalog all along."""
    config = project.root / "hubkb.toml"
    set_search_option(config, "shard_pages", 60)
    project.run("fetch", "--quiet", "--out", project.root / "catalog.json", check=True)
    catalog = Catalog.read(project.root / "catalog.json")
    site = project.root / "site"
    build = ("build", "--catalog", project.root / "catalog.json", "--locales", "en,sv")
    project.run(*build, check=True)
    items = len(catalog.resources) + len(catalog.tools)
    count = shard_count(items, 60)
    expected: dict[str, int] = {}
    for url in [f"resources/{q}/" for q in catalog.resources] + [f"tools/{q}/" for q in catalog.tools]:
        expected[str(shard_of(url, count))] = expected.get(str(shard_of(url, count)), 0) + 1
    assert len(expected) > 3
    for lang in ("en", "sv"):
        assert shard_pages(site / "pagefind" / lang) == expected
        first, *others = sorted((p for p in (site / "pagefind" / lang).iterdir() if p.name.isdigit()),
                                key=lambda p: int(p.name))
        assert json.loads((site / "pagefind" / lang / "hubkb-recent.json").read_text(encoding="utf-8")) == {
            "bundle": None, "superseded": {}}
        # Pagefind's own UIs are dropped; only the first shard carries the runtime the page loads.
        assert sorted(p.name for p in first.iterdir() if p.is_file() and not p.name.endswith(".pf_meta")) == [
            "pagefind-entry.json", "pagefind.js", f"wasm.{lang}.pagefind"]
        assert all(sorted(p.name for p in o.iterdir() if p.suffix != ".pf_meta")
                   == ["filter", "fragment", "index", "pagefind-entry.json"] for o in others)

    with serve_directory(site) as base:
        page = browser_page
        page.goto(f"{base}en/search/")
        settle(page)
        types = facet_counts(page, "type")
        l10n = Localizer(project.config.locale("en"), catalog)
        assert types == dict(Counter(l10n.label(q).text for r in catalog.resources.values() for q in r.types))
        assert sum(facet_counts(page, "tooltype").values()) == sum(len(t.types) for t in catalog.tools.values())
        top = max(sorted(types), key=lambda v: types[v])
        page.check(f"#hubkb-search-facets input[name='type'][value='{top}']")
        settle(page, type=top)
        assert status(page) == f"{types[top]} results"
        while page.is_visible("#hubkb-search-more"):
            shown = len(result_links(page))
            page.click("#hubkb-search-more")
            page.wait_for_function(f"document.querySelectorAll('#hubkb-search-results li').length > {shown}")
        found = [qid_of(h, "en") for h in result_links(page)]
        assert len(found) == len(set(found)) == types[top]
        assert len({shard_of(f"resources/{q}/", count) for q in found}) > 1

    # Edits: one resource relabelled and given another type, one removed. No shard is indexed again: the edited
    # page goes to each locale's recent-edits bundle, and the search page hides the shards' old copies from
    # results and from facet counts.
    qid, gone = [q for q in sorted(catalog.resources) if "en" in catalog.resources[q].labels][:2]
    old_word = max(re.findall(r"\w{6,}", catalog.resources[qid].labels["en"]), key=len, default="")
    catalog.resources[qid].labels["en"] = "Zyzzyva handbook"
    new_type = next(t for r in catalog.resources.values() for t in r.types if t not in catalog.resources[qid].types)
    catalog.resources[qid].types = [new_type]
    del catalog.resources[gone]
    catalog.write(project.root / "catalog.json")
    before = {p: p.stat().st_mtime_ns for p in (site / "pagefind").glob("*/[0-9]*/**/*") if p.is_file()}
    proc = project.run(*build, check=True)
    assert all(p.stat().st_mtime_ns == mtime for p, mtime in before.items()), "a shard was indexed again"
    indexed = next(line for line in proc.stderr.splitlines() if line.startswith("indexed "))
    assert re.match(r"indexed [1-9] pages in 2 changed languages for search, 2 bundles ", indexed), indexed
    with serve_directory(site) as base:
        browser_page.goto(f"{base}en/search/?q=zyzzyva")
        settle(browser_page, q="zyzzyva")
        assert [qid_of(h, "en") for h in result_links(browser_page)] == [qid]
        if old_word:
            browser_page.goto(f"{base}en/search/?q={old_word}")
            settle(browser_page, q=old_word)
            assert qid not in [qid_of(h, "en") for h in result_links(browser_page)]
        browser_page.goto(f"{base}en/search/")
        settle(browser_page)
        l10n = Localizer(project.config.locale("en"), catalog)
        edited_types = dict(Counter(l10n.label(q).text for r in catalog.resources.values() for q in r.types))
        assert facet_counts(browser_page, "type") == edited_types != types
        name = l10n.label(new_type).text
        browser_page.check(f"#hubkb-search-facets input[name='type'][value='{name}']")
        settle(browser_page, type=name)
        assert status(browser_page) == f"{edited_types[name]} results"
        assert facet_counts(browser_page, "language") == dict(Counter(
            l10n.label(q).text for r in catalog.resources.values() if new_type in r.types for q in r.languages))

    # Past `search.recent_pages` edited pages, their shards are indexed again and the recent-edits bundle empties.
    set_search_option(config, "recent_pages", 1)
    catalog = Catalog.read(project.root / "catalog.json")
    catalog.resources[qid].labels["en"] = "Quokka handbook"
    catalog.write(project.root / "catalog.json")
    project.run(*build, check=True)
    assert json.loads((site / "pagefind" / "en" / "hubkb-recent.json").read_text(encoding="utf-8")) == {
        "bundle": None, "superseded": {}}
    assert not (site / "pagefind" / "en" / "recent").exists()
    with serve_directory(site) as base:
        browser_page.goto(f"{base}en/search/?q=quokka")
        settle(browser_page, q="quokka")
        assert [qid_of(h, "en") for h in result_links(browser_page)] == [qid]
        browser_page.goto(f"{base}en/search/?q=zyzzyva")
        settle(browser_page, q="zyzzyva")
        assert result_links(browser_page) == []
