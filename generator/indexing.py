"""Search indexing within a build: what Pagefind reads of each locale, which shards must be indexed again, the
recent-edits bundle, and Pagefind running in the background while the build goes on.

search.py has Pagefind's side (shards, sources, bundles, the search page); this module decides what to index.
A full build indexes every shard. An incremental build indexes no shard: the item pages changed since their
shard was indexed go to the locale's recent-edits bundle, indexed on its own in milliseconds, and
`hubkb-recent.json` beside the shards tells the search page which shard pages that bundle replaces. Once the
bundle would hold more than `search.recent_pages` pages, their shards are indexed again and it empties.

State, in site_src/.generated/search/ (valid only while the caches belong to the site, see build.STATE):
`<locale>/<shard>/…` the sources of each shard, `<locale>.files.json` their listing, `<locale>.recent/` the
sources of the recent-edits bundle, `<locale>.recent.json` its pages, `<locale>.base.json` the shard and
Pagefind id of every shard page on the site (recorded by the build that indexed the shards, else read from the
bundles when first needed).
"""

from __future__ import annotations

import json
import os
import shutil
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import Config, LocaleConfig
from .search import (
    RECENT,
    SearchStats,
    bundle_pages,
    index_language,
    index_shard,
    page_filters,
    search_source,
    shard_count,
    shard_of,
    shards,
)
from .shell import is_item
from .writer import Writer, write_atomic

if TYPE_CHECKING:
    from .build import LocaleBuild

# Beside a locale's shards on the site: whether it has a recent-edits bundle, and the shard pages it replaces.
RECENT_FILE = "hubkb-recent.json"


@dataclass
class RecentEdits:
    """A locale's recent-edits bundle: item pages (URLs within the locale, `resources/Q1/`) changed since their
    shard was indexed, which it holds, and those removed since, which it only hides."""

    pages: set[str] = field(default_factory=set)
    gone: set[str] = field(default_factory=set)

    def __len__(self) -> int:
        return len(self.pages) + len(self.gone)

    def urls(self) -> set[str]:
        return self.pages | self.gone


def url_of(source: str) -> str:
    """The item URL of a search source path (`<shard>/<locale>/resources/Q1/index.html` → `resources/Q1/`)."""
    return source.split("/", 2)[2].removesuffix("index.html")


class SearchState:
    """The search sources and records of one locale in site_src/.generated/search/."""

    def __init__(self, generated: Path, code: str) -> None:
        self.root = generated / "search" / code
        self.listing = self.root.with_name(f"{code}.files.json")
        self.recent_sources = self.root.with_name(f"{code}.recent")
        self.recent_file = self.root.with_name(f"{code}.recent.json")
        self.base_file = self.root.with_name(f"{code}.base.json")

    def read_recent(self) -> RecentEdits | None:
        try:
            data = json.loads(self.recent_file.read_text(encoding="utf-8"))
            return RecentEdits(set(data["pages"]), set(data["gone"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def write_recent(self, recent: RecentEdits) -> None:
        data = {"pages": sorted(recent.pages), "gone": sorted(recent.gone)}
        write_atomic(self.recent_file, json.dumps(data).encode("utf-8"))

    def forget_recent(self) -> None:
        """Drop the recent-edits records: the shards are being indexed again."""
        self.recent_file.unlink(missing_ok=True)
        self.base_file.unlink(missing_ok=True)
        shutil.rmtree(self.recent_sources, ignore_errors=True)

    def base(self, bundle: Path, loc: LocaleConfig, shard_names: list[int]) -> dict[str, list[Any]]:
        """The shard and Pagefind id of every page in the site's shards (`bundle` is the locale's folder): kept
        since the build that indexed them (Indexer.start), else read from their fragments."""
        try:
            kept = json.loads(self.base_file.read_text(encoding="utf-8"))
            # Written by this code, unless an older hubkb left another shape: then it is read again.
            if isinstance(kept, dict) and all(isinstance(v, list) and len(v) == 2 and type(v[0]) is int
                                              and isinstance(v[1], str) for v in kept.values()):
                return kept
        except (OSError, ValueError):
            pass
        return self.record_base(bundle, loc, shard_names)

    def record_base(self, bundle: Path, loc: LocaleConfig, shard_names: list[int]) -> dict[str, list[Any]]:
        """Read the pages of the shards in `bundle` from their fragments (some 20 ms per 2,000 pages) and keep
        them for `base`."""
        pages: dict[str, list[Any]] = {}
        for shard in shard_names:
            pages.update((url, [shard, page_id]) for url, page_id in bundle_pages(bundle / str(shard), loc).items())
        write_atomic(self.base_file, json.dumps(pages).encode("utf-8"))
        return pages


def write_search_sources(config: Config, generated: Path, build: LocaleBuild) -> Writer:
    """What Pagefind reads of a locale: item pages laid out as in the site, one folder per search shard
    (`<shard>/<locale>/resources/Q1/index.html`), kept while they are unchanged; sets `build.shards`."""
    state = SearchState(generated, build.loc.code)
    # The files the last complete run left there, recorded beside the folder instead of walked again.
    try:
        known: set[str] | None = set(json.loads(state.listing.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        known = None
    state.listing.unlink(missing_ok=True)
    writer = Writer(state.root, known=known)
    items = [page for page in build.pages if is_item(page)]
    shard = shards((page.url for page in items), config.search.shard_pages)
    build.shard_count = shard_count(len(items), config.search.shard_pages)
    existing, root = writer.existing(), str(state.root)
    for page in items:
        relative = f"{shard[page.url]}/{build.loc.code}/{page.url}index.html"
        if page.body is None and relative in existing and os.path.isfile(f"{root}/{relative}"):
            writer.keep(relative)
        else:
            writer.write(relative, search_source(build.loc, build.body(page)))
    writer.prune(("",))
    write_atomic(state.listing, json.dumps(sorted(writer.seen)).encode("utf-8"))
    build.shards = sorted(set(shard.values()))
    return writer


def plan_search(config: Config, generated: Path, build: LocaleBuild, bundle: Path, whole: bool) -> list[int] | None:
    """Which shards of a locale to index again for the site's bundle folder `bundle`: None for all of them, the
    folder replaced as a whole (`whole`, or the site holds other shards than this build's, or recent edits
    without their record); otherwise usually none, the changed item pages joining `build.recent`, and their
    shards only once it would hold more than `search.recent_pages` pages (it empties then)."""
    assert build.search is not None
    state = SearchState(generated, build.loc.code)
    held = {path.name for path in bundle.iterdir()} if bundle.is_dir() and not whole else set()
    previous = state.read_recent() if RECENT in held else RecentEdits()
    if whole or previous is None or not build.shards \
            or held - {RECENT, RECENT_FILE} != {str(shard) for shard in build.shards} \
            or not (bundle / str(build.shards[0]) / "pagefind.js").is_file():
        state.forget_recent()
        build.recent, build.superseded = RecentEdits(), {}
        return None
    build.recent = previous
    changed = {url_of(path) for path in build.search.changed}
    removed = {url_of(path) for path in build.search.removed} - changed
    if not changed and not removed:
        return []
    build.recent_changed = True
    base = state.base(bundle, build.loc, build.shards)
    recent = RecentEdits((previous.pages | changed) - removed, ((previous.gone - changed) | removed) & base.keys())
    if len(recent) > config.search.recent_pages:
        state.forget_recent()
        build.recent = RecentEdits()
        build.superseded = {}
        touched = {shard_of(url, build.shard_count) for url in recent.urls()}
        return sorted(shard for shard in build.shards if shard in touched)
    build.recent = recent
    build.superseded = {page_id: page_filters(bundle / str(shard), page_id)
                        for shard, page_id in (base[url] for url in sorted(recent.urls()) if url in base)}
    state.write_recent(recent)
    return []


def write_recent_sources(generated: Path, build: LocaleBuild) -> Path:
    """The sources of a locale's recent-edits bundle: its pages as in their shards, each with the bundle's mark."""
    state = SearchState(generated, build.loc.code)
    writer = Writer(state.recent_sources)
    pages = {page.url: page for page in build.pages if page.url in build.recent.pages}
    for url in sorted(build.recent.pages):
        writer.write(f"{build.loc.code}/{url}index.html", search_source(build.loc, build.body(pages[url]), True))
    writer.prune(("",))
    return state.recent_sources


class Indexer:
    """Pagefind in the background, one bundle at a time (`jobs` at once); bundles land in
    site_src/.generated/bundles/<index language>/<shard or recent>/ until the site takes them: a locale's whole
    folder when all its shards were indexed (`whole`), else the indexed bundles one by one."""

    def __init__(self, generated: Path, jobs: int) -> None:
        self.generated = generated
        self.bundles = generated / "bundles"
        self.pool = ThreadPoolExecutor(max_workers=jobs)
        self.started = time.monotonic()
        self.running: dict[tuple[str, str], Future[SearchStats]] = {}
        self.whole: set[str] = set()
        # Per wholly indexed locale, the record of its shards' pages (SearchState.record_base), made in the
        # background so that the first rebuild after this build need not read it back from the bundles.
        self.bases: dict[str, Future[Any]] = {}

    def _folder(self, loc: LocaleConfig) -> Path:
        """The locale's folder of new bundles, emptied when this build first indexes something of it."""
        folder = self.bundles / index_language(loc)
        if not any(key[0] == loc.code for key in self.running):
            if folder.exists():
                shutil.rmtree(folder)
            folder.mkdir(parents=True)
        return folder

    def start(self, build: LocaleBuild, stale: list[int] | None = None) -> None:
        """Index the `stale` shards of a locale, or all of them (None): then the site takes its whole folder."""
        code = build.loc.code
        folder = self._folder(build.loc)
        if stale is None:
            self.whole.add(code)
        sources = SearchState(self.generated, code).root
        for shard in build.shards if stale is None else stale:
            if (code, str(shard)) not in self.running:
                self.running[code, str(shard)] = self.pool.submit(
                    index_shard, sources / str(shard), build.loc, folder / str(shard), shard == build.shards[0])
        if stale is None and code not in self.bases:
            # Queued after the shards it waits for, so it never holds a worker they need.
            shards = [self.running[code, str(shard)] for shard in build.shards]
            self.bases[code] = self.pool.submit(self._record_base, build.loc, folder, build.shards, shards)

    def _record_base(self, loc: LocaleConfig, folder: Path, shard_names: list[int],
                     shards: list[Future[SearchStats]]) -> None:
        for future in shards:
            future.result()
        SearchState(self.generated, loc.code).record_base(folder, loc, shard_names)

    def start_recent(self, build: LocaleBuild, sources: Path) -> None:
        """Index a locale's recent-edits bundle."""
        folder = self._folder(build.loc)
        self.running[build.loc.code, RECENT] = self.pool.submit(index_shard, sources, build.loc, folder / RECENT,
                                                                False)

    def indexed(self, code: str) -> list[str]:
        """The bundles of a locale indexed in this build (shard numbers, `recent`)."""
        return sorted(name for key, name in self.running if key == code)

    def wait(self) -> SearchStats:
        """Every started bundle, finished (the first Pagefind error is raised here)."""
        stats = SearchStats()
        for future in self.running.values():
            stats.add(future.result())
        for base in self.bases.values():
            base.result()
        stats.seconds = time.monotonic() - self.started
        return stats

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def recent_file(build: LocaleBuild) -> bytes:
    """hubkb-recent.json of a locale: whether the search page merges its recent-edits bundle, and the shard pages
    to hide (Pagefind id → filter values, to take them out of facet counts too)."""
    data = {"bundle": RECENT if build.recent.pages else None, "superseded": build.superseded}
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
