"""The orchestrator: catalog → pages → shells built by mkdocs → pages filled in → search → picker → manifest.

Every stage keeps what the last build made when its inputs did not change: a page is rendered again only when
its cache key changed (cache.py); mkdocs runs only when hand-written pages, theme, navigation or settings
changed, since it renders the hand-written pages and the page shells only (shell.py); Pagefind indexes only the
item pages changed since their search shard was indexed (indexing.py). Everything is rendered before anything
is published.

A build ends in one of two ways. A full build assembles the whole site in a sibling folder that replaces the
output folder in one step. An incremental build, chosen when the output folder holds exactly what the last
build of these sources made, does all its work first, then writes only the pages that changed into the site,
swaps in the search bundles that changed, and writes the manifest last. Either way a build that fails before
its last step leaves the previous site as it was.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import io
import json
import logging
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources as importlib_resources
from pathlib import Path
from typing import Any

import yaml
from babel.messages.catalog import Catalog as PoCatalog
from babel.messages.pofile import read_po, write_po
from markupsafe import escape

from . import __version__
from .background import Forked
from .cache import Digests, PageCache, code_digest, environment_key, read_body
from .catalog import Catalog, dumps
from .changed import MANIFEST_NAME, Provenance, fingerprint, settings_hash
from .config import Config, LocaleConfig
from .coverage import contributor_pages, find_gaps, gaps_json, translation_status
from .errors import BuildError
from .export import catalog_csv
from .feeds import feed_files, site_pages, write_sitemaps
from .i18n import load_translations, locale_name, po_path
from .indexing import (
    RECENT_FILE,
    Indexer,
    RecentEdits,
    plan_search,
    recent_file,
    write_recent_sources,
    write_search_sources,
)
from .messages import extract
from .render import LocaleRenderer, Page, cache_templates, navigation, render_picker
from .search import BUNDLE, RECENT, SEARCH_PAGE, index_language
from .shell import SHELL, Layout, Layouts, Shell, shell_page
from .writer import Writer, exchange, write_atomic

log = logging.getLogger(__name__)

# What the generator owns inside each site_src/<locale>/; everything else there is hand-written.
GENERATED = ("index.md", "resources", "tools", "browse", "search", "status", "improve")
# In site_src/.generated/: the token naming the site the caches belong to (absent while a build runs).
STATE = "state"
Say = Callable[[str], None]


@dataclass
class BuildResult:
    """What a build did, for the CLI's summary and the benchmarks."""

    out: Path
    pages: dict[str, int] = field(default_factory=dict)
    rendered: dict[str, int] = field(default_factory=dict)
    changed_sources: dict[str, int] = field(default_factory=dict)
    removed_sources: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    incremental: bool = False
    # Page files written into the site (all of them in a full build, the changed ones in an incremental one).
    written: int = 0


@dataclass
class Beside:
    """What goes beside the pages, as far as it is known before them: where the catalog came from, the token
    naming this build, and the files made from the catalog alone, on another core while the pages are made
    (`files`: beside_files)."""

    provenance: Provenance
    token: str
    files: Forked

    def write(self, target: Path) -> str:
        """Write the files made from the catalog; return the catalog's hash."""
        files, catalog_hash = self.files.result()
        for name, data in files.items():
            write_atomic(target / name, data)
        return str(catalog_hash)


@dataclass
class LocaleBuild:
    """One locale on its way through the build."""

    loc: LocaleConfig
    pages: list[Page]
    sources: Writer
    nav: list[dict[str, str]]
    search: Writer | None = None
    # The search shards holding item pages, in order (the first one holds Pagefind's runtime), and how many
    # there are in all.
    shards: list[int] = field(default_factory=list)
    shard_count: int = 1
    # The shards to index again (None: all of them), and the recent-edits bundle (indexing.py).
    stale: list[int] | None = None
    recent: RecentEdits = field(default_factory=RecentEdits)
    recent_changed: bool = False
    superseded: dict[str, Any] = field(default_factory=dict)
    layouts: dict[str, Layout] = field(default_factory=dict)
    shells: dict[Layout, Shell] = field(default_factory=dict)

    def body(self, page: Page) -> str:
        """A page's body: just rendered, or read back from its unchanged source."""
        return page.body if page.body is not None else read_body(self.sources.root / page.path)

    def html(self, page: Page) -> bytes:
        return self.shells[self.layouts[page.path]].fill(page, self.body(page)).encode("utf-8")


def theme_dir() -> Path:
    return Path(str(importlib_resources.files("generator") / "theme"))


def generated_dir(config: Config) -> Path:
    """Build caches and the per-locale mkdocs configs: site_src/.generated/ (git-ignored)."""
    return config.root / "site_src" / ".generated"


def mkdocs_config(config: Config, loc: LocaleConfig, docs_dir: Path, site_dir: Path, nav: list[dict[str, str]],
                  notice: str = "") -> dict:
    """The per-locale mkdocs config: inherits mkdocs.yml and adds only what differs between locales."""
    names = {other.code: locale_name(other) for other in config.locales}
    return {
        "INHERIT": str(config.root / "mkdocs.yml"),
        "docs_dir": str(docs_dir),
        "site_dir": str(site_dir),
        "site_url": f"{config.site.url}{loc.code}/",
        "site_name": config.site.name,
        "theme": {"name": "material", "language": loc.theme_language, "custom_dir": str(theme_dir())},
        "hooks": [str(Path(__file__).with_name("mkdocs_hooks.py"))],
        "nav": nav,
        "extra": {
            "alternate": [{"name": names[o.code], "code": o.code, "lang": o.theme_language} for o in config.locales],
            "hubkb": {"site_url": config.site.url, "lang": loc.theme_language, "dir": loc.direction,
                      "version": __version__, "notice": notice},
        },
    }


def write_sources(writer: Writer, pages: list[Page]) -> Writer:
    """Write a locale's generated pages; unchanged files keep their bytes and mtime, stale ones are removed."""
    for page in pages:
        if page.body is None:
            writer.keep(page.path)
        else:
            writer.write(page.path, page.markdown())
    writer.prune(GENERATED)
    return writer


def write_docs(config: Config, loc: LocaleConfig, layouts: Iterable[Layout]) -> Path:
    """mkdocs' own docs folder for a locale: the hand-written pages and one placeholder page per shell."""
    docs = generated_dir(config) / "docs" / loc.code
    writer = Writer(docs)
    source = config.root / "site_src" / loc.code
    for top in sorted(source.iterdir()) if source.is_dir() else []:
        if top.name not in GENERATED:
            for path in sorted([top] if top.is_file() else (p for p in top.rglob("*") if p.is_file())):
                writer.write(path.relative_to(source).as_posix(), path.read_bytes())
    for layout in sorted(set(layouts), key=lambda layout: layout.url):
        page = shell_page(layout)
        writer.write(page.path, page.markdown())
    writer.prune(("",))
    return docs


def inputs_digest(paths: Iterable[Path], *extra: str) -> str:
    """A hash of files (names and bytes) and strings: what decides whether mkdocs must run again."""
    digest = hashlib.sha256("\0".join(extra).encode("utf-8"))
    for path in sorted(paths):
        digest.update(f"\0{path}\0".encode() + path.read_bytes())
    return digest.hexdigest()


def run_mkdocs(config_file: Path, code: str) -> float:
    """One `mkdocs build` in its own process (locales build in parallel, and mkdocs stays swappable)."""
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file", str(config_file)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        detail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise BuildError(f"mkdocs build of locale {code} ({config_file}) failed: {detail}")
    for line in proc.stderr.splitlines():
        if line.startswith(("WARNING", "ERROR")):
            log.warning("mkdocs %s: %s", code, line)
    return time.monotonic() - started


def mkdocs_builds(config: Config, builds: list[LocaleBuild], translations: dict[str, Any], sample: bool,
                  jobs: int) -> dict[str, float]:
    """Build each locale's shells and hand-written pages with mkdocs, skipping locales whose inputs are
    unchanged; returns the seconds of each locale that ran."""
    generated = generated_dir(config)
    shared = [config.root / "mkdocs.yml", Path(__file__).with_name("mkdocs_hooks.py"),
              *(p for p in theme_dir().rglob("*") if p.is_file())]
    versions = (sys.version, importlib.metadata.version("mkdocs"), importlib.metadata.version("mkdocs-material"))
    todo: dict[str, tuple[Path, Path, str]] = {}
    for build in builds:
        loc = build.loc
        docs = write_docs(config, loc, build.layouts.values())
        # Translators: banner on every page of a site built from the bundled or generated sample data.
        notice = str(escape(translations[loc.code].gettext(
            "Sample data: this site was built from invented sample data, not from Metabase."))) if sample else ""
        site_dir = generated / "out" / loc.code
        data = yaml.safe_dump(mkdocs_config(config, loc, docs, site_dir, build.nav, notice), allow_unicode=True,
                              sort_keys=False)
        config_file = generated / f"mkdocs.{loc.code}.yml"
        write_atomic(config_file, data.encode("utf-8"))
        stamp = generated / "out" / f"{loc.code}.inputs"
        inputs = inputs_digest([config_file, *shared, *(p for p in docs.rglob("*") if p.is_file())], *versions)
        if not (site_dir.is_dir() and stamp.is_file() and stamp.read_text(encoding="utf-8") == inputs):
            stamp.unlink(missing_ok=True)
            todo[loc.code] = (config_file, stamp, inputs)
    seconds: dict[str, float] = {}
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {code: pool.submit(run_mkdocs, path, code) for code, (path, _, _) in todo.items()}
        for code, future in futures.items():
            seconds[code] = future.result()
            _, stamp, inputs = todo[code]
            stamp.write_text(inputs, encoding="utf-8")
    for build in builds:
        built = generated / "out" / build.loc.code
        build.shells = {layout: Shell.read(built, layout) for layout in set(build.layouts.values())}
    return seconds


def beside_files(catalog: Catalog, config: Config, locales: list[LocaleConfig],
                 translations: dict[str, Any]) -> tuple[dict[str, bytes], str]:
    """The files of a site made from the catalog alone (the language picker, catalog.json, catalog.csv,
    gaps.json, the feeds, robots.txt) by their path, and the catalog's hash."""
    files = {"index.html": render_picker(config).encode("utf-8"), "catalog.json": catalog.dumps().encode("utf-8"),
             "catalog.csv": catalog_csv(catalog, config),
             "gaps.json": gaps_json(catalog, config, find_gaps(catalog, [loc.code for loc in locales])),
             **feed_files(catalog, config, locales, translations)}
    return files, catalog.hash


def manifest(catalog: Catalog, config: Config, locales: list[LocaleConfig], pages: dict[str, int],
             catalog_hash: str, sample: bool = False, origin: str = "", build: str = "") -> dict:
    """site/manifest.json: what this build holds, for `hubkb changed`, the next build and people."""
    return {
        "generator": f"hubkb {__version__}",
        "built": datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        # Names the caches in site_src/.generated/ this site was made with (see `incremental_base`).
        "build": build,
        "catalog_hash": catalog_hash,
        "counts": {"resources": len(catalog.resources), "tools": len(catalog.tools),
                   "entities": len(catalog.entities)},
        "locales": [loc.code for loc in locales],
        "pages": pages,
        "sample": sample,
        # Where the catalog came from (changed.origin; empty for a --catalog file): the next fetch from there
        # reuses its unchanged records.
        "origin": origin,
        # Revisions of items, referenced items, tool resolution and settings: see generator/changed.py.
        **fingerprint(catalog, config).manifest_fields(),
    }


def incremental_base(config: Config, out: Path, locales: list[LocaleConfig]) -> bool:
    """True when `out` holds exactly what the last build of these sources made: the token in its manifest is the
    one the caches were left with, and it has the same locales."""
    try:
        token = (generated_dir(config) / STATE).read_text(encoding="utf-8").strip()
        previous = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return bool(token) and isinstance(previous, dict) and previous.get("build") == token \
        and previous.get("locales") == [loc.code for loc in locales]


def swap_in(staging: Path, out: Path, discard: Callable[[Path], Any] = shutil.rmtree) -> None:
    """Replace `out` with the finished `staging` folder: one atomic exchange where the system has it (Linux),
    else two renames in the same parent folder (then `out` is missing for the instant between them); the
    previous content goes to `discard`."""
    if out.is_dir() and not out.is_symlink() and exchange(staging, out):
        discard(staging)  # now the previous site
        return
    old = out.with_name(f".{out.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if out.exists():
        os.replace(out, old)
    os.replace(staging, out)
    if old.exists():
        discard(old)


def interface_strings(config: Config) -> PoCatalog:
    """The interface strings of this code, for the status page: Babel's extraction costs half a second, so its
    result is kept per code version in site_src/.generated/messages.<code hash>.pot."""
    path = generated_dir(config) / f"messages.{code_digest()[:16]}.pot"
    if path.is_file():
        with path.open("rb") as fh:
            return read_po(fh)
    for old in generated_dir(config).glob("messages.*.pot"):
        old.unlink()
    pot = extract()
    buffer = io.BytesIO()
    write_po(buffer, pot)
    write_atomic(path, buffer.getvalue())
    return pot


def render_all(catalog: Catalog, config: Config, locales: list[LocaleConfig], translations: dict[str, Any],
               result: BuildResult, indexer: Indexer, reindex_all: bool) -> list[LocaleBuild]:
    """Render every page whose cache key changed, write the sources, and plan each locale's search indexing
    (indexing.plan_search), starting it at once when every shard must be indexed."""
    generated = generated_dir(config)
    cache_templates(generated / "templates")
    status = translation_status(config, catalog, interface_strings(config))
    gaps = find_gaps(catalog, [loc.code for loc in locales])
    digests = Digests(catalog)
    settings = settings_hash(config)
    builds = []
    for loc in locales:
        po = po_path(config, loc.code)
        environment = environment_key(loc.code, settings, hashlib.sha256(po.read_bytes()).hexdigest()
                                      if po.is_file() else "")
        root = config.root / "site_src" / loc.code
        cache = PageCache(generated / f"keys.{loc.code}.json", root, environment, digests)
        # The last complete run's keys name every generated source it left (no walk of thousands of folders).
        sources = Writer(root, known=set(cache.previous) or None)
        cache.forget()
        # With a cache, unchanged pages come back without a body.
        renderer = LocaleRenderer(catalog, config, loc, translations[loc.code], cache)
        pages = renderer.pages() + contributor_pages(renderer, status, gaps)
        write_sources(sources, pages)
        cache.save()
        # Pages the theme links to from every page (the menu, the header's search box) get shells of their own.
        nav = navigation(config, loc, translations[loc.code])
        layouts = Layouts([*(next(iter(entry.values())) for entry in nav), SEARCH_PAGE])
        build = LocaleBuild(loc, pages, sources, nav, layouts={page.path: layouts.of(page) for page in pages})
        build.search = write_search_sources(config, generated, build)
        build.stale = plan_search(config, generated, build, result.out / BUNDLE / index_language(loc), reindex_all)
        if build.stale is None:  # every shard: start now, while the other locales render
            indexer.start(build)
        builds.append(build)
        result.pages[loc.code] = len(pages)
        result.rendered[loc.code] = sum(page.body is not None for page in pages)
        result.changed_sources[loc.code] = len(sources.changed)
        result.removed_sources[loc.code] = len(sources.removed)
    return builds


def build_site(catalog: Catalog, config: Config, out: Path, locales: list[LocaleConfig] | None = None,
               jobs: int | None = None, say: Say | None = None, provenance: Provenance | None = None,
               before_swap: Callable[[Path], None] | None = None, full: bool = False) -> BuildResult:
    """Build the site for `locales` (all configured by default) into `out`, incrementally when `out` holds the
    last build of these sources (never with `full` or `before_swap`); `before_swap` may inspect the finished
    staging folder and raise to keep the previous site; `provenance` (where the catalog came from: sample data
    or not, and its origin) is shown on the pages and recorded in the manifest."""
    say = say or (lambda message: None)
    locales = locales or list(config.locales)
    jobs = jobs or os.cpu_count() or 2
    out = Path(out).resolve()
    result = BuildResult(out=out)
    started = time.monotonic()
    generated = generated_dir(config)
    result.incremental = not full and before_swap is None and incremental_base(config, out, locales)
    # From here the caches run ahead of `out`; a new token is written only once `out` has caught up.
    (generated / STATE).unlink(missing_ok=True)

    translations = {loc.code: load_translations(config, loc) for loc in locales}
    # Forked before the indexer starts any thread.
    provenance = provenance or Provenance(sample=False, origin="")
    beside = Beside(provenance, uuid.uuid4().hex,
                    Forked(beside_files, catalog, config, locales, translations, parallel=jobs > 1))
    indexer = Indexer(generated, jobs)
    try:
        builds = render_all(catalog, config, locales, translations, result, indexer, not result.incremental)
        result.seconds["render"] = time.monotonic() - started
        say(f"rendered {sum(result.rendered.values())} of {sum(result.pages.values())} pages in {len(locales)} "
            f"locales, the others unchanged ({result.seconds['render']:.1f} s); sources: "
            + ", ".join(f"{c} {n} changed" for c, n in result.changed_sources.items()))

        step = time.monotonic()
        ran = mkdocs_builds(config, builds, translations, provenance.sample, jobs)
        result.seconds["mkdocs"] = time.monotonic() - step
        result.seconds.update({f"mkdocs {code}": s for code, s in ran.items()})
        say(f"built {len(ran)} locales with mkdocs, {len(builds) - len(ran)} unchanged "
            f"({result.seconds['mkdocs']:.1f} s)")
        if ran:
            result.incremental = False  # the theme around every page may have changed: a whole new site
        for build in builds:
            if ran and build.stale is not None:  # planned as an update: every shard after all, no recent edits
                build.stale = plan_search(config, generated, build, out / BUNDLE / index_language(build.loc), True)
            if build.stale is None or build.stale:
                indexer.start(build, build.stale)
            if build.recent_changed and build.recent.pages:
                indexer.start_recent(build, write_recent_sources(generated, build))
        if result.incremental:
            update_site(catalog, config, out, builds, result, indexer, say, beside)
        else:
            assemble_site(catalog, config, out, builds, result, indexer, say, beside, before_swap)
    finally:
        indexer.close()
        beside.files.close()
    write_atomic(generated / STATE, beside.token.encode("utf-8"))
    result.seconds["total"] = time.monotonic() - started
    return result


def page_urls(config: Config, build: LocaleBuild) -> set[str]:
    """Every page URL of a locale: its generated pages and the hand-written ones mkdocs rendered (shells aside),
    known without walking the site's thousands of folders."""
    rendered = site_pages(generated_dir(config) / "out", build.loc.code)
    return {url for url in rendered if SHELL not in url} | {page.url for page in build.pages}


def finish(target: Path, catalog: Catalog, config: Config, builds: list[LocaleBuild], result: BuildResult,
           beside: Beside) -> None:
    """The files beside the pages: language picker, catalog downloads, gaps, feeds, sitemaps, then the manifest."""
    locales = [build.loc for build in builds]
    catalog_hash = beside.write(target)
    write_sitemaps(target, config, locales, {build.loc.code: page_urls(config, build) for build in builds})
    write_atomic(target / MANIFEST_NAME,
                 dumps(manifest(catalog, config, locales, result.pages, catalog_hash, *beside.provenance,
                                build=beside.token)).encode("utf-8"))


def assemble_site(catalog: Catalog, config: Config, out: Path, builds: list[LocaleBuild], result: BuildResult,
                  indexer: Indexer, say: Say, beside: Beside, before_swap: Callable[[Path], None] | None) -> None:
    """A full build: the whole site in a sibling folder, swapped in when complete."""
    step = time.monotonic()
    staging = out.with_name(f".{out.name}.building")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    try:
        for build in builds:
            target = staging / build.loc.code
            shutil.copytree(generated_dir(config) / "out" / build.loc.code, target,
                            ignore=shutil.ignore_patterns(f"{SHELL}*"))
            for page in build.pages:
                path = target / page.url / "index.html"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(build.html(page))
            result.written += len(build.pages)
        result.seconds["pages"] = time.monotonic() - step
        say(f"wrote {result.written} pages through their shells ({result.seconds['pages']:.1f} s)")
        search = indexer.wait()
        (staging / BUNDLE).mkdir()
        for build in builds:
            os.replace(indexer.bundles / index_language(build.loc), staging / BUNDLE / index_language(build.loc))
            write_atomic(staging / BUNDLE / index_language(build.loc) / RECENT_FILE, recent_file(build))
        result.seconds["search"] = search.seconds
        say(f"indexed {sum(search.pages.values())} pages in {len(search.pages)} languages for search, "
            f"{search.shards} bundles ({search.bytes / 2**20:.1f} MiB, done {search.seconds:.1f} s into the build)")
        step = time.monotonic()
        finish(staging, catalog, config, builds, result, beside)
        result.seconds["finish"] = time.monotonic() - step
        if before_swap:
            before_swap(staging)
        swap_in(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def update_site(catalog: Catalog, config: Config, out: Path, builds: list[LocaleBuild], result: BuildResult,
                indexer: Indexer, say: Say, beside: Beside) -> None:
    """An incremental build: once the search bundles of changed locales are ready, only the changed pages,
    bundles and files go into `out`, the manifest last."""
    search = indexer.wait()
    result.seconds["search"] = search.seconds
    say(f"indexed {sum(search.pages.values())} pages in {len(search.pages)} changed languages for search, "
        f"{search.shards} bundles (done {search.seconds:.1f} s into the build)")
    step = time.monotonic()
    html = {}
    for build in builds:
        changed = set(build.sources.changed)
        html.update({(build.loc.code, page.url): build.html(page) for page in build.pages if page.path in changed})
    # Past this point nothing can fail on the data: the site is updated file by file, the manifest last.
    for (code, url), data in html.items():
        write_atomic(out / code / url / "index.html", data)
    for build in builds:
        for source in build.sources.removed:
            gone = out / build.loc.code / source.removesuffix("index.md") / "index.html"
            gone.unlink(missing_ok=True)
            if gone.parent.is_dir() and not any(gone.parent.iterdir()):
                gone.parent.rmdir()
    # Old bundles are thousands of small files: they are deleted while the remaining files are written (what
    # cannot be deleted stays in site_src/.generated/bundles/, which the next indexing of that locale clears).
    with ThreadPoolExecutor(max_workers=1) as cleaner:
        def discard(old: Path) -> None:
            cleaner.submit(shutil.rmtree, old, ignore_errors=True)

        for build in builds:
            bundle, fresh = out / BUNDLE / index_language(build.loc), indexer.bundles / index_language(build.loc)
            if build.loc.code in indexer.whole:
                write_atomic(fresh / RECENT_FILE, recent_file(build))
                swap_in(fresh, bundle, discard=discard)
                continue
            # The search page reads hubkb-recent.json first: it names a recent-edits bundle only once it is in
            # place, and stops naming one before it goes.
            for name in indexer.indexed(build.loc.code):
                swap_in(fresh / name, bundle / name, discard=discard)
            if build.recent_changed:
                write_atomic(bundle / RECENT_FILE, recent_file(build))
                if not build.recent.pages and (bundle / RECENT).exists():
                    shutil.rmtree(bundle / RECENT)
        result.written = len(html)
        finish(out, catalog, config, builds, result, beside)
    result.seconds["pages"] = time.monotonic() - step
    say(f"updated {result.written} changed pages in place ({result.seconds['pages']:.1f} s)")
