"""The main pages as a reader meets them in headless Chromium, in English and in Arabic: axe-core finds no
serious barrier, the keyboard reaches search and facets with a visible focus, nothing is fetched from another
origin, a resource page stays light, and screenshots land in tests/screenshots/ for a person to look at."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from axe_playwright_python.sync_playwright import Axe
from browsing import screenshot_path, stays_local
from test_search import settle

from generator.catalog import Catalog

if TYPE_CHECKING:
    from playwright.sync_api import Page

# Search assets are loaded only when a reader searches, so the page weight budget leaves them out.
SEARCH_ASSETS = ("/pagefind/", "/hubkb-search.js")
WEIGHT_BUDGET = 250_000


def open_search_with_facet(page: Page, base: str, loc: str) -> None:
    """The search page with results showing: the commonest resource type ticked."""
    page.goto(f"{base}{loc}/search/")
    settle(page)
    box = page.locator("#hubkb-search-facets input[name='type']").first
    value = box.get_attribute("value") or ""
    box.check()
    settle(page, type=value)


def main_pages(catalog: Catalog) -> dict[str, Callable[[Page, str, str], None]]:
    """Name → how to open that page in a locale: home, resource, tool, listing, search with a facet, improve."""
    resource, tool = next(iter(catalog.resources)), next(iter(catalog.tools))

    def goto(path: str) -> Callable[[Page, str, str], None]:
        return lambda page, base, loc: page.goto(f"{base}{loc}/{path}") and None

    return {"home": goto(""), "resource": goto(f"resources/{resource}/"), "tool": goto(f"tools/{tool}/"),
            "listing": goto("browse/types/"), "search": open_search_with_facet, "improve": goto("improve/")}


@pytest.mark.parametrize("loc", ["en", "ar"])
def test_accessibility_main_pages_have_no_serious_violation(browser_page: Page, served_sample: str,
                                                            catalog: Catalog, loc: str) -> None:
    axe, found = Axe(), []
    for name, open_page in main_pages(catalog).items():
        open_page(browser_page, served_sample, loc)
        for violation in axe.run(browser_page).response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [node["target"] for node in violation["nodes"][:3]]
                found.append(f"{loc} {name}: {violation['id']} ({violation['impact']}) {targets}")
        browser_page.screenshot(path=screenshot_path(f"{loc}-{name}"), full_page=True)
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("loc", ["en", "ar"])
def test_privacy_pages_request_nothing_from_another_origin(browser_page: Page, served_sample: str,
                                                          catalog: Catalog, loc: str) -> None:
    requests: list[str] = []
    browser_page.on("request", lambda request: requests.append(request.url))
    for open_page in main_pages(catalog).values():
        open_page(browser_page, served_sample, loc)
        browser_page.wait_for_load_state("networkidle")
    assert requests and [url for url in requests if not stays_local(url)] == []


def test_weight_resource_page_stays_under_budget(browser_page: Page, served_sample: str, catalog: Catalog) -> None:
    sizes: dict[str, int] = {}
    browser_page.on("requestfinished", lambda request: sizes.__setitem__(
        request.url, request.sizes()["responseBodySize"]))
    browser_page.goto(f"{served_sample}en/resources/{next(iter(catalog.resources))}/")
    browser_page.wait_for_load_state("networkidle")
    counted = {url: size for url, size in sizes.items() if not any(part in url for part in SEARCH_ASSETS)}
    total = sum(counted.values())
    assert 0 < total < WEIGHT_BUDGET, f"{total} bytes: {counted}"


def tab_to(page: Page, selector: str, limit: int = 80) -> None:
    """Press Tab until the focus is on an element matching `selector`, and check that the focus shows."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement?.matches(s)", selector):
            style = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
                return [s.outlineStyle, s.outlineWidth, s.boxShadow]; }""")
            assert (style[0] != "none" and style[1] != "0px") or style[2] != "none", f"{selector}: no focus {style}"
            return
    raise AssertionError(f"{limit} presses of Tab never reached {selector}")


@pytest.mark.parametrize("loc", ["en", "ar"])
def test_keyboard_search_and_facets_work_without_a_mouse(browser_page: Page, served_sample: str, loc: str) -> None:
    page = browser_page
    page.goto(f"{served_sample}{loc}/")
    tab_to(page, ".hubkb-searchbox__input")
    page.keyboard.type("wiki")
    page.keyboard.press("Enter")
    settle(page, q="wiki")
    tab_to(page, "#hubkb-search-facets input[name='type']")
    value = page.evaluate("document.activeElement.value")
    page.keyboard.press("Space")
    settle(page, q="wiki", type=value)
    tab_to(page, "#hubkb-search-results a")
    href = page.evaluate("document.activeElement.getAttribute('href')")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{href}")
    assert page.locator("h1").first.is_visible()
