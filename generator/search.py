"""Search: chunked Pagefind bundles per locale over its item pages, in shards, and the search page that reads them.

Material's own search ships one lunr index of every page before the first result; Pagefind splits the index
into small chunks, so a reader downloads only the pieces their query needs. Each locale's item pages are split
into shards of about `search.shard_pages` pages by a hash of their URL (the same page lands in the same shard in
every locale and every build while the number of shards holds), each shard a bundle of its own
(`pagefind/<index language>/<shard>/`). The search page loads the first shard's Pagefind and merges the others
into it (`mergeIndex`: one WebAssembly runtime, results and filter counts summed over the shards). Item pages
mark what is indexed (`data-pagefind-body`) and carry their facet values (`LocaleRenderer.search_data`).

Pagefind cannot update an index, so a rebuild leaves the shards as they are and indexes the item pages changed
since into a small recent-edits bundle (`pagefind/<index language>/recent/`), which the search page merges too,
leaving out the shard pages it replaces (indexing.py decides; `bundle_pages` and `page_filters` read back what
the page must leave out).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import shutil
import subprocess
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from babel import Locale

from .config import LocaleConfig
from .errors import BuildError

if TYPE_CHECKING:
    from .render import LocaleRenderer, Page

log = logging.getLogger(__name__)

# Where the bundles go in the site: one folder per locale, `pagefind/<index language>/`, holding one bundle per
# shard, `pagefind/<index language>/<shard number>/`.
BUNDLE = "pagefind"
# What a shard keeps of Pagefind's output: the index itself, and in the first shard the runtime the search page
# loads (pagefind.js and the locale's WebAssembly; the page searches without a worker). Pagefind's own UIs and
# the worker (~450 KB per bundle) are never loaded and are dropped.
SHARD_FILES = ("pagefind-entry.json", "index", "filter", "fragment")
RUNTIME_FILES = ("pagefind.js",)
# The recent-edits bundle of a locale, beside its shards.
RECENT = "recent"
# What starts a Pagefind fragment (a page's record) once decompressed.
_FRAGMENT_SIGNATURE = b"pagefind_dcd"
_GZIP = 31  # zlib's wbits for a gzip stream
# The search page of each locale; the search box in every page's header links to it.
SEARCH_PAGE = "search/index.md"
# Page parts that are labels or invitations, not the item's own words ("Type", "no title in svenska yet").
NOT_INDEXED = ".hubkb-facts dt, .hubkb-invite, .hubkb-url"
# Facet keys in the order the search page shows them; each is also the URL parameter that keeps its state.
FACETS = ("type", "language", "subject", "year", "publisher", "tooltype", "licence", "uilanguage")
# Counts tried when looking for a number in each CLDR plural category (fr needs a million for "many").
_PLURAL_PROBES = (*range(0, 200), 1000, 10_000, 100_000, 1_000_000)


@dataclass
class SearchStats:
    """What indexing did: pages per index language, shards indexed, their size on disk, and the time it took."""

    pages: dict[str, int] = field(default_factory=dict)
    shards: int = 0
    bytes: int = 0
    seconds: float = 0.0

    def add(self, other: SearchStats) -> None:
        for lang, count in other.pages.items():
            self.pages[lang] = self.pages.get(lang, 0) + count
        self.shards += other.shards
        self.bytes += other.bytes


def pagefind_binary() -> Path:
    """The Pagefind executable shipped by the `pagefind[extended]` package."""
    try:
        from pagefind.service import get_executable
    except ImportError as exc:
        raise BuildError("search index: Pagefind is not installed; run: pip install 'pagefind[extended]'") from exc
    found = get_executable()
    if found is None or not found.is_file():
        raise BuildError(f"search index: the Pagefind binary {found or 'pagefind_extended'} is missing; "
                         "run: pip install 'pagefind[extended]'")
    return found


def index_language(loc: LocaleConfig) -> str:
    """The index name Pagefind gives a locale's pages (their `<html lang>`, lower-cased: `pt-br`)."""
    return loc.theme_language.lower()


def bundle_path(loc: LocaleConfig) -> str:
    """Where a locale's bundle sits, relative to the site root."""
    return f"{BUNDLE}/{index_language(loc)}/"


def shard_count(items: int, shard_pages: int) -> int:
    """How many shards a locale's `items` item pages go into: as few as keep each near `shard_pages`."""
    return max(1, -(-items // shard_pages))


def shard_of(url: str, count: int) -> int:
    """The shard of an item page (its URL within the locale, `resources/Q1/`): a stable hash, the same in every
    locale and every build while the number of shards holds."""
    return int.from_bytes(hashlib.blake2b(url.encode("utf-8"), digest_size=8).digest(), "big") % count


def shards(urls: Iterable[str], shard_pages: int) -> dict[str, int]:
    """The shard of each item page of a locale."""
    urls = list(urls)
    count = shard_count(len(urls), shard_pages)
    return {url: shard_of(url, count) for url in urls}


def search_source(loc: LocaleConfig, body: str, recent: bool = False) -> str:
    """What Pagefind reads of an item page: its language and its body, without the theme around it (a third
    of the bytes to parse, and the same for every theme). In the `recent` bundle a page carries a mark, so its
    Pagefind id (a hash of what is indexed) never equals the id of the shard page it replaces, even when the
    page is back to what its shard holds."""
    mark = '<span data-pagefind-meta="recent:1" hidden></span>\n' if recent else ""
    return f'<!DOCTYPE html>\n<html lang="{loc.theme_language}"><head><meta charset="utf-8"></head>' \
           f"<body>\n{mark}{body}</body></html>\n"


def _fragment(path: Path, limit: int = 0) -> bytes:
    """A Pagefind fragment (one page's record) inflated, all of it or its first `limit` bytes, without the
    signature it starts with."""
    try:
        data = zlib.decompressobj(_GZIP).decompress(path.read_bytes(), limit)
        if not data.startswith(_FRAGMENT_SIGNATURE):
            raise ValueError("not a Pagefind fragment")
    except (OSError, ValueError, zlib.error) as exc:
        raise BuildError(f"{path}: unreadable search fragment ({exc}); run `hubkb build --full`") from exc
    return data[len(_FRAGMENT_SIGNATURE):]


def bundle_pages(bundle: Path, loc: LocaleConfig) -> dict[str, str]:
    """The pages of a shard's bundle, read back from Pagefind's fragments: each page's URL within the locale
    (`resources/Q1/`) and its Pagefind id. Only the head of each fragment is inflated, where the URL is."""
    prefix = f"/{loc.code}/"
    pages: dict[str, str] = {}
    for path in sorted((bundle / "fragment").glob("*.pf_fragment")):
        match = re.match(rb'\{"url":"([^"]*)"', _fragment(path, 512))
        if match is None:
            raise BuildError(f"{path}: a search fragment without its URL; run `hubkb build --full`")
        pages[match.group(1).decode("utf-8").removeprefix(prefix)] = path.name.removesuffix(".pf_fragment")
    return pages


def page_filters(bundle: Path, page_id: str) -> dict[str, list[str]]:
    """The filter values of one page of a bundle, as Pagefind recorded them."""
    path = bundle / "fragment" / f"{page_id}.pf_fragment"
    try:
        filters = json.loads(_fragment(path)).get("filters") or {}
    except (ValueError, AttributeError) as exc:
        raise BuildError(f"{path}: unreadable search fragment ({exc}); run `hubkb build --full`") from exc
    if not isinstance(filters, dict):
        raise BuildError(f"{path}: search fragment filters are not an object; run `hubkb build --full`")
    return filters


def index_shard(sources: Path, loc: LocaleConfig, dest: Path, primary: bool) -> SearchStats:
    """Index one shard of a locale's item pages (their search sources, laid out as in the site) into the bundle
    `dest`; only the `primary` shard, the one the search page loads first, keeps Pagefind's runtime."""
    started = time.monotonic()
    proc = subprocess.run(
        [str(pagefind_binary()), "--site", str(sources), "--output-path", str(dest),
         "--exclude-selectors", NOT_INDEXED, "--silent"],
        capture_output=True, text=True,
    )
    if proc.returncode != 0:
        detail = ((proc.stderr or proc.stdout).strip().splitlines() or ["no output"])[-1]
        raise BuildError(f"search index of {sources}: pagefind failed: {detail}")
    entry_path = dest / "pagefind-entry.json"
    try:
        entry = json.loads(entry_path.read_text(encoding="utf-8"))
        languages = entry["languages"]
        pages = {code: int(info["page_count"]) for code, info in languages.items()}
        wasm = f"wasm.{languages[index_language(loc)].get('wasm') or 'unknown'}.pagefind" \
            if index_language(loc) in languages else ""
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BuildError(f"{entry_path}: Pagefind wrote no usable index: {exc}") from exc
    if index_language(loc) not in pages:
        raise BuildError(f"{entry_path}: no search index for locale {loc.code} "
                         f"(indexed languages: {', '.join(sorted(pages)) or 'none'})")
    kept = {*SHARD_FILES, *((*RUNTIME_FILES, wasm) if primary else ())}
    size = 0
    for path in dest.iterdir():
        if path.name in kept or path.suffix == ".pf_meta":
            size += sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() \
                else path.stat().st_size
        elif path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
    if primary and not (dest / wasm).is_file():
        raise BuildError(f"{dest}: Pagefind wrote no {wasm}")
    return SearchStats(pages={index_language(loc): pages[index_language(loc)]}, shards=1, bytes=size,
                       seconds=time.monotonic() - started)


def plural_variants(locale: Locale, message: Callable[[int], str]) -> dict[str, str]:
    """A message in each CLDR plural category of the locale, for the browser to pick with Intl.PluralRules."""
    rule = locale.plural_form
    wanted = rule.tags | {"other"}
    variants: dict[str, str] = {}
    for n in _PLURAL_PROBES:
        variants.setdefault(rule(n), message(n))
        if len(variants) == len(wanted):
            break
    return variants


def ui_strings(r: LocaleRenderer) -> dict[str, Any]:
    """The search page's interface strings in the reader's language, handed to its script as JSON."""
    _, pgettext = r._, r.translations.pgettext
    names = {
        # Translators: heading of a filter group on the search page: the resource type (Guide, Video...).
        "type": pgettext("search filter", "Type"),
        # Translators: heading of a filter group on the search page: the language a resource is written in.
        "language": pgettext("search filter", "Language of the work"),
        # Translators: heading of a filter group on the search page: the main subjects of resources.
        "subject": pgettext("search filter", "Subject"),
        # Translators: heading of a filter group on the search page: the year a resource was published.
        "year": pgettext("search filter", "Year"),
        # Translators: heading of a filter group on the search page: who published a resource.
        "publisher": pgettext("search filter", "Publisher"),
        # Translators: heading of a filter group on the search page: the kind of software a tool is.
        "tooltype": pgettext("search filter", "Tool type"),
        # Translators: heading of a filter group on the search page: the licence of a tool.
        "licence": pgettext("search filter", "Licence"),
        # Translators: heading of a filter group on the search page: languages a tool's interface offers.
        "uilanguage": pgettext("search filter", "Interface language"),
    }
    return {
        "lang": r.loc.theme_language,
        "facets": [[key, names[key]] for key in FACETS],
        # Translators: number of search results; %(num)s is the number, already formatted.
        "results": plural_variants(r.loc.babel, lambda n: r.ngettext("%(num)s result", "%(num)s results", n)),
        # Translators: shown on the search page before anything has been typed or chosen.
        "hint": _("Type a word, or choose a filter."),
        # Translators: shown on the search page when the words and filters match nothing.
        "none": _("Nothing found. Try other words or remove a filter."),
        # Translators: button under the search results that shows the next results.
        "more": _("Show more results"),
        # Translators: button on the search page that unticks every filter.
        "clear": _("Clear all filters"),
        # Translators: shown on the search page when its index cannot be loaded.
        "failed": _("Search is not available right now. The lists of resources still work."),
    }


def search_page(r: LocaleRenderer) -> Page:
    """The locale's search page: query box, facets and results, driven by assets/javascripts/hubkb-search.js."""
    # Translators: title of the search page, and the label of its search box.
    title = r._("Search")
    items = [f"resources/{res.qid}/" for res in r.resources] + [f"tools/{tool.qid}/" for tool in r.tools]
    return r.page(SEARCH_PAGE, title, "search.md.j2", hide=("navigation", "toc"), heading=title,
                  strings=ui_strings(r), bundle=f"../{bundle_path(r.loc)}",
                  shards=sorted(set(shards(items, r.config.search.shard_pages).values())))
