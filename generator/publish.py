"""Publishing: never replace a good site with a broken one.

Two guards stand between a fetch and the public folder: the shrink guard (a catalog that lost more than
`publish.max_shrink` of the published resources and tools is refused: a half-answered query looks like a
mass deletion) and, for `hubkb publish`, the link checker run on the finished staging folder. The site is built
in a sibling folder and swapped in by `build.swap_in`, so a build that fails or is killed leaves the previous
site as it was.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from .build import BuildResult, build_site, generated_dir
from .catalog import Catalog
from .changed import MANIFEST_NAME, Provenance, read_manifest
from .check import check_site
from .config import Config, LocaleConfig
from .errors import PublishError

Say = Callable[[str], None]
# Link-check problems named in the error at most.
PROBLEMS_SHOWN = 3
# In site_src/.generated/: what the last link check read of each page, by a hash of its bytes.
CHECKED = "checked.json"


def previous_manifest(config: Config, out: Path, ref: str | None) -> tuple[dict[str, Any] | None, str]:
    """The manifest of the site a build replaces: `ref` (a file or URL) when given, else OUT/manifest.json."""
    if ref:
        return read_manifest(ref, config.source.timeout), ref
    path = Path(out) / MANIFEST_NAME
    return (read_manifest(path), str(path)) if path.is_file() else (None, str(path))


def check_shrink(catalog: Catalog, manifest: dict[str, Any] | None, where: str, max_shrink: float) -> None:
    """Refuse a catalog that lost more than `max_shrink` of the resources and tools the manifest lists (a site
    of sample data protects nothing: replacing it with Metabase's is never a loss)."""
    before = set(manifest["items"]) if manifest and not manifest.get("sample") else set()
    lost = before - set(catalog.resources) - set(catalog.tools)
    if before and len(lost) / len(before) > max_shrink:
        raise PublishError(
            f"refusing to publish: the new catalog lacks {len(lost)} of the {len(before)} resources and tools in "
            f"{where} ({len(lost) / len(before):.0%}, more than publish.max_shrink = {max_shrink:.0%}); check the "
            f"source, or pass --allow-shrink if they really were removed from Metabase")


def guard(catalog: Catalog, config: Config, out: Path, manifest_ref: str | None, allow_shrink: bool) -> None:
    """The shrink guard as `hubkb build` and `hubkb publish` apply it (skipped with --allow-shrink)."""
    if not allow_shrink:
        manifest, where = previous_manifest(config, out, manifest_ref)
        check_shrink(catalog, manifest, where, config.publish.max_shrink)


def verify(staging: Path, memo: Path | None = None, say: Say | None = None) -> None:
    """Refuse a finished site whose internal links, anchors or page heads are broken; `memo` keeps what was read
    of each page, so the next publish parses only the pages that changed (check.read_known)."""
    started = time.monotonic()
    pages, problems = check_site(staging, memo=memo)
    if problems:
        shown = "; ".join(str(p) for p in problems[:PROBLEMS_SHOWN])
        many = "" if len(problems) == 1 else "s"
        raise PublishError(f"refusing to publish: {len(problems)} problem{many} in {pages} pages of the new site "
                           f"({shown}); the previous site is unchanged")
    if say:
        say(f"checked the links, anchors and heads of {pages} pages ({time.monotonic() - started:.1f} s)")


def publish_site(catalog: Catalog, config: Config, to: Path, locales: list[LocaleConfig] | None = None,
                 jobs: int | None = None, say: Say | None = None, provenance: Provenance | None = None,
                 manifest_ref: str | None = None, allow_shrink: bool = False) -> BuildResult:
    """Guard, build beside `to`, check the links of the result, then swap it in; on any failure `to` stays."""
    guard(catalog, config, to, manifest_ref, allow_shrink)
    check = partial(verify, memo=generated_dir(config) / CHECKED, say=say)
    return build_site(catalog, config, to, locales, jobs, say, provenance, before_swap=check)
