"""Search download size: the bytes a reader's browser fetches for a first query, against Material's lunr index.

Run: .venv/bin/python benchmarks/search_size.py [--resources 5000 --tools 500] [--locales en,sv,ar]
     [--shard-pages N] [--no-lunr]
Builds the bundled sample and a synthetic `hubkb sample` snapshot with `hubkb build`, serves each site on
127.0.0.1 and opens `<locale>/search/?q=<word>` (the commonest long word of that locale's titles) in headless
Debian Chromium with an empty cache, until the first results and the facets are shown. The bytes are Chromium's
own count of every request (Playwright `request.sizes()`: response headers and body as received, from a server
that does not compress, so text files count at full size). "search" is what searching adds to a page: the
files of every search shard of the locale (`--shard-pages` overrides `search.shard_pages`) and hubkb-search.js;
the `sitemap.xml` files that Material's JavaScript fetches for the
`<link rel="alternate">` elements of every page are counted apart; "page" is the rest (the HTML, Material's CSS
and JavaScript). The
lunr figure is `search/search_index.json` of a stock mkdocs-material build, search plugin on, of the same
generated Markdown for one locale (en); a stock multilingual site has one such index per locale.
Goals: a first query under 300 KB, and under 5% of the lunr index at 5,000 resources.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import yaml
from build_speed import BIN, copy_project, set_shard_pages

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from browsing import CHROMIUM, CHROMIUM_ARGS, serve_directory, stays_local  # noqa: E402

from generator.catalog import Catalog  # noqa: E402

FIRST_QUERY_GOAL = 300 * 1024
LUNR_SHARE_GOAL = 0.05


def common_word(catalog: Catalog, loc: str) -> str:
    """The commonest word of five letters or more in the locale's own titles: a query with many results."""
    words = Counter(w for r in catalog.resources.values() for w in set(re.findall(r"\w{5,}", r.labels.get(loc, ""))))
    return words.most_common(1)[0][0].casefold()


def first_query_bytes(url: str) -> tuple[int, int, int, int, int]:
    """Open a search URL with an empty cache; return bytes of (search, sitemaps, the rest of the page), the number
    of requests and of results shown."""
    from playwright.sync_api import Request, sync_playwright

    sizes: dict[str, int] = {}

    def finished(request: Request) -> None:
        got, response = request.sizes(), request.response()
        # Chromium reports no body size for a worker's own script; its Content-Length is the same figure here.
        body = got["responseBodySize"] or int((response.headers if response else {}).get("content-length", 0))
        sizes[request.url] = sizes.get(request.url, 0) + got["responseHeadersSize"] + body

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context()
        context.route("**/*", lambda route: route.continue_() if stays_local(route.request.url) else route.abort())
        page = context.new_page()
        context.on("requestfinished", finished)
        page.goto(url)
        page.wait_for_function("document.getElementById('hubkb-search').dataset.state === 'ready'", timeout=60_000)
        shown = len(page.query_selector_all("#hubkb-search-results li"))
        page.wait_for_timeout(500)
        browser.close()
    search = sum(n for u, n in sizes.items() if "/pagefind/" in u or u.endswith("/hubkb-search.js"))
    sitemaps = sum(n for u, n in sizes.items() if u.endswith("/sitemap.xml"))
    return search, sitemaps, sum(sizes.values()) - search - sitemaps, len(sizes), shown


def lunr_index_bytes(root: Path, loc: str) -> tuple[int, float]:
    """Size of Material's lunr search_index.json for one locale's generated Markdown, and the build's seconds."""
    config = {"site_name": "stock", "docs_dir": str(root / "site_src" / loc), "site_dir": str(root / "lunr_site"),
              "theme": {"name": "material", "font": False}, "plugins": ["search"],
              "nav": ["index.md", "about.md", "contribute.md"]}
    path = root / "lunr.yml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    started = time.monotonic()
    subprocess.run([str(BIN / "mkdocs"), "build", "-q", "-f", str(path)], check=True, capture_output=True)
    seconds = time.monotonic() - started
    size = (root / "lunr_site" / "search" / "search_index.json").stat().st_size
    shutil.rmtree(root / "lunr_site")
    return size, seconds


def measure(name: str, root: Path, snapshot: Path | None, locales: list[str], lunr_too: bool = True) -> bool:
    """Build one site, measure a first query per locale and the lunr index; print the figures, return the verdict."""
    hubkb = [str(BIN / "hubkb"), "--config", str(root / "hubkb.toml")]
    source = ["--snapshot", str(snapshot)] if snapshot else []
    started = time.monotonic()
    proc = subprocess.run([*hubkb, "build", *source, "--out", str(root / "site"), "--locales", ",".join(locales)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"hubkb build of the {name} failed:\n{proc.stderr[-3000:]}")
    indexed = next((line for line in proc.stderr.splitlines() if line.startswith("indexed ")), "")
    catalog = Catalog.read(root / "site" / "catalog.json")
    print(f"\n{name}: {len(catalog.resources)} resources, {len(catalog.tools)} tools, {len(locales)} locales, "
          f"built in {time.monotonic() - started:.0f} s; {indexed}")
    lunr, lunr_seconds = lunr_index_bytes(root, "en") if lunr_too else (0, 0.0)
    if lunr:
        print(f"  lunr search_index.json (stock Material, en only): {lunr / 1024:,.0f} KB "
              f"(stock build {lunr_seconds:.0f} s)")
    big = len(catalog.resources) >= 5000
    ok = True
    with serve_directory(root / "site") as base:
        for loc in locales:
            word = common_word(catalog, loc)
            search, sitemaps, page, requests, shown = first_query_bytes(f"{base}{loc}/search/?q={word}")
            share = search / lunr if lunr else 0.0
            ok = ok and search < FIRST_QUERY_GOAL and (share < LUNR_SHARE_GOAL or not big)
            print(f"  {loc:5} first query {word!r:16} {shown:2} results shown: search {search / 1024:6.1f} KB "
                  f"({share:.1%} of lunr en); page itself {page / 1024:.0f} KB, sitemap.xml fetched by Material's "
                  f"language switcher {sitemaps / 1024:,.0f} KB; {requests} requests")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=5000)
    parser.add_argument("--tools", type=int, default=500)
    parser.add_argument("--locales", default="en,sv,fr,es,pt-br,ar", help="Locales to build and measure.")
    parser.add_argument("--shard-pages", type=int, help="Override search.shard_pages of hubkb.toml.")
    parser.add_argument("--no-lunr", action="store_true", help="Skip the stock lunr build (no lunr share).")
    parser.add_argument("--synthetic-only", action="store_true", help="Skip the bundled sample.")
    parser.add_argument("--keep", action="store_true", help="Keep the temporary folders and print them.")
    args = parser.parse_args()
    locales = [code.strip() for code in args.locales.split(",") if code.strip()]
    verdicts = []
    for name, sized in (("bundled sample", False), (f"synthetic {args.resources}/{args.tools}", True)):
        if args.synthetic_only and not sized:
            continue
        root = Path(tempfile.mkdtemp(prefix="hubkb-search-"))
        try:
            copy_project(root)
            if args.shard_pages:
                set_shard_pages(root, args.shard_pages)
            snapshot = None
            if sized:
                snapshot = root / "snapshot.ttl.gz"
                subprocess.run([str(BIN / "hubkb"), "--config", str(root / "hubkb.toml"), "sample", "--resources",
                                str(args.resources), "--tools", str(args.tools), "--out", str(snapshot)],
                               check=True, capture_output=True)
            verdicts.append(measure(name, root, snapshot, locales, not args.no_lunr))
        finally:
            if args.keep:
                print(f"  kept {root}")
            else:
                shutil.rmtree(root)
    print(f"\ngoals (first query < {FIRST_QUERY_GOAL // 1024} KB; < {LUNR_SHARE_GOAL:.0%} of lunr at 5,000 "
          f"resources): {'met' if all(verdicts) else 'NOT met'}")


if __name__ == "__main__":
    main()
