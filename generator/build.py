"""The orchestrator: catalog → pages → one mkdocs build per locale in parallel → language picker → manifest.

Everything is rendered before anything is written, and the site is built in a sibling folder that replaces
the output folder only when every step succeeded: a failed run never damages the previous site.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources as importlib_resources
from pathlib import Path

import yaml
from markupsafe import escape

from . import __version__
from .catalog import Catalog, dumps
from .changed import fingerprint
from .config import Config, LocaleConfig
from .coverage import contributor_pages, find_gaps, gaps_json, translation_status
from .errors import BuildError
from .export import catalog_csv
from .feeds import write_machine_files
from .i18n import load_translations, locale_name
from .render import Page, navigation, render_locale, render_picker
from .search import index_site
from .shell import EXCLUDE, shell_page, write_item_pages
from .writer import Writer, exchange, write_atomic

log = logging.getLogger(__name__)

# What the generator owns inside each site_src/<locale>/; everything else there is hand-written.
GENERATED = ("index.md", "resources", "tools", "browse", "search", "status", "improve")
Say = Callable[[str], None]


@dataclass
class BuildResult:
    """What a build did, for the CLI's summary and the benchmarks."""

    out: Path
    pages: dict[str, int] = field(default_factory=dict)
    changed_sources: dict[str, int] = field(default_factory=dict)
    removed_sources: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def theme_dir() -> Path:
    return Path(str(importlib_resources.files("generator") / "theme"))


def generated_config_dir(config: Config) -> Path:
    return config.root / "site_src" / ".generated"


def mkdocs_config(config: Config, loc: LocaleConfig, site_dir: Path, nav: list[dict[str, str]],
                  notice: str = "") -> dict:
    """The per-locale mkdocs config: inherits mkdocs.yml and adds only what differs between locales."""
    names = {other.code: locale_name(other) for other in config.locales}
    return {
        "INHERIT": str(config.root / "mkdocs.yml"),
        "docs_dir": str(config.root / "site_src" / loc.code),
        "site_dir": str(site_dir),
        "site_url": f"{config.site.url}{loc.code}/",
        "site_name": config.site.name,
        "theme": {"name": "material", "language": loc.theme_language, "custom_dir": str(theme_dir())},
        "hooks": [str(Path(__file__).with_name("mkdocs_hooks.py"))],
        "nav": nav,
        "exclude_docs": EXCLUDE,
        "extra": {
            "alternate": [{"name": names[o.code], "code": o.code, "lang": o.theme_language} for o in config.locales],
            "hubkb": {"site_url": config.site.url, "lang": loc.theme_language, "dir": loc.direction,
                      "version": __version__, "notice": notice},
        },
    }


def write_sources(config: Config, loc: LocaleConfig, pages: list[Page]) -> Writer:
    """Write a locale's generated pages; unchanged files keep their bytes and mtime, stale ones are removed."""
    writer = Writer(config.root / "site_src" / loc.code)
    for page in [*pages, shell_page()]:
        writer.write(page.path, page.markdown())
    writer.prune(GENERATED)
    return writer


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


def manifest(catalog: Catalog, config: Config, locales: list[LocaleConfig], pages: dict[str, int],
             sample: bool = False) -> dict:
    """site/manifest.json: what this build holds, for `hubkb changed` and for people."""
    return {
        "generator": f"hubkb {__version__}",
        "built": datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "catalog_hash": catalog.hash,
        "counts": {"resources": len(catalog.resources), "tools": len(catalog.tools),
                   "entities": len(catalog.entities)},
        "locales": [loc.code for loc in locales],
        "pages": pages,
        "sample": sample,
        # Revisions of items, referenced items, tool resolution and settings: see generator/changed.py.
        **fingerprint(catalog, config).manifest_fields(),
    }


def swap_in(staging: Path, out: Path) -> None:
    """Replace `out` with the finished `staging` folder: one atomic exchange where the system has it (Linux),
    else two renames in the same parent folder (then `out` is missing for the instant between them)."""
    if out.is_dir() and not out.is_symlink() and exchange(staging, out):
        shutil.rmtree(staging)  # now the previous site
        return
    old = out.with_name(f".{out.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if out.exists():
        os.replace(out, old)
    os.replace(staging, out)
    if old.exists():
        shutil.rmtree(old)


def build_site(catalog: Catalog, config: Config, out: Path, locales: list[LocaleConfig] | None = None,
               jobs: int | None = None, say: Say | None = None, sample: bool = False,
               before_swap: Callable[[Path], None] | None = None) -> BuildResult:
    """Render and build the site for `locales` (all configured by default) into `out`; `before_swap` may
    inspect the finished staging folder and raise to keep the previous site."""
    say = say or (lambda message: None)
    locales = locales or list(config.locales)
    out = Path(out).resolve()
    result = BuildResult(out=out)
    started = time.monotonic()

    translations = {loc.code: load_translations(config, loc) for loc in locales}
    rendered: dict[str, list[Page]] = {}
    status, gaps = translation_status(config, catalog), find_gaps(catalog, [loc.code for loc in locales])
    for loc in locales:
        rendered[loc.code] = render_locale(catalog, config, loc, translations[loc.code]) + contributor_pages(
            catalog, config, loc, translations[loc.code], status, gaps)
        result.pages[loc.code] = len(rendered[loc.code])
    result.seconds["render"] = time.monotonic() - started
    say(f"rendered {sum(result.pages.values())} pages in {len(locales)} locales "
        f"({result.seconds['render']:.1f} s)")

    staging = out.with_name(f".{out.name}.building")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    config_files: dict[str, Path] = {}
    for loc in locales:
        writer = write_sources(config, loc, rendered[loc.code])
        result.changed_sources[loc.code] = len(writer.changed)
        result.removed_sources[loc.code] = len(writer.removed)
        nav = navigation(config, loc, translations[loc.code])
        # Translators: banner on every page of a site built from the bundled or generated sample data.
        notice = str(escape(translations[loc.code].gettext(
            "Sample data: this site was built from invented sample data, not from Metabase."))) if sample else ""
        data = yaml.safe_dump(mkdocs_config(config, loc, staging / loc.code, nav, notice), allow_unicode=True,
                              sort_keys=False)
        config_files[loc.code] = generated_config_dir(config) / f"mkdocs.{loc.code}.yml"
        write_atomic(config_files[loc.code], data.encode("utf-8"))
    say("sources: " + ", ".join(f"{c} {n} changed" for c, n in result.changed_sources.items()))

    step = time.monotonic()
    try:
        with ThreadPoolExecutor(max_workers=jobs or os.cpu_count() or 2) as pool:
            futures = {code: pool.submit(run_mkdocs, path, code) for code, path in config_files.items()}
            for code, future in futures.items():
                result.seconds[f"mkdocs {code}"] = future.result()
        result.seconds["mkdocs"] = time.monotonic() - step
        say(f"built {len(locales)} locales with mkdocs ({result.seconds['mkdocs']:.1f} s)")
        step = time.monotonic()
        items = sum(write_item_pages(staging / loc.code, rendered[loc.code]) for loc in locales)
        result.seconds["items"] = time.monotonic() - step
        say(f"wrote {items} item pages through the shell ({result.seconds['items']:.1f} s)")
        search = index_site(staging, locales)
        result.seconds["search"] = search.seconds
        say(f"indexed {sum(search.pages.values())} pages in {len(search.pages)} languages for search "
            f"({search.bytes / 2**20:.1f} MiB, {search.seconds:.1f} s)")
        write_atomic(staging / "index.html", render_picker(config).encode("utf-8"))
        write_atomic(staging / "catalog.json", catalog.dumps().encode("utf-8"))
        write_atomic(staging / "catalog.csv", catalog_csv(catalog, config))
        write_atomic(staging / "gaps.json", gaps_json(catalog, config, gaps))
        write_machine_files(staging, catalog, config, locales, translations)
        write_atomic(staging / "manifest.json",
                     dumps(manifest(catalog, config, locales, result.pages, sample)).encode("utf-8"))
        if before_swap:
            before_swap(staging)
        swap_in(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    result.seconds["total"] = time.monotonic() - started
    return result
