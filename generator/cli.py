"""The `hubkb` command line: thin click commands over the library; only this module prints and exits."""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import __version__
from .catalog import Catalog
from .config import Config, LocaleConfig, load_config
from .errors import ChangedError, HubkbError

if TYPE_CHECKING:
    from .changed import Provenance

log = logging.getLogger("generator")


class ProgressLine:
    """A one-line progress display on stderr for long fetches (plain lines when stderr is not a terminal)."""

    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet
        self.tty = sys.stderr.isatty()
        self.last_stage = ""
        self.last_print = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.quiet:
            return
        now = time.monotonic()
        finished = done >= total
        if stage == self.last_stage and not finished and now - self.last_print < (0.2 if self.tty else 5):
            return
        self.last_stage, self.last_print = stage, now
        text = f"{stage}: {done}/{total}" if total else f"{stage}: {done}"
        if self.tty:
            click.echo(f"\r\033[K{text}", nl=False, err=True)
            if finished:
                click.echo("", err=True)
        else:
            click.echo(text, err=True)


def _config(ctx: click.Context) -> Config:
    return load_config(ctx.obj.get("config_path"))


source_options = [
    click.option("--snapshot", type=click.Path(dir_okay=False, path_type=Path),
                 help="Wikibase RDF snapshot (.ttl or .nt, optionally .gz). Default: the bundled sample data."),
    click.option("--endpoint", metavar="URL", is_flag=False, flag_value="", default=None,
                 help="Read from a SPARQL endpoint instead; without a URL, the endpoint in hubkb.toml."),
]


def with_source(func):  # type: ignore[no-untyped-def]
    for option in reversed(source_options):
        func = option(func)
    return func


def open_catalog(config: Config, snapshot: Path | None, endpoint: str | None, quiet: bool = False,
                 reuse: Path | None = None) -> tuple[Catalog, Provenance]:
    """Fetch the catalog from the chosen source, with progress on stderr, reusing the unchanged records of the
    site in `reuse` when it was built from the same origin; also say where it came from."""
    from .changed import Provenance, origin, reusable_catalog
    from .fetch import fetch_catalog
    from .source import open_source

    if snapshot is not None and endpoint is not None:
        raise click.UsageError("give either --snapshot or --endpoint, not both")
    source = open_source(config, snapshot, endpoint)
    if not quiet:
        click.echo(f"reading {source.describe()}", err=True)
    previous = reusable_catalog(reuse, source, config) if reuse is not None else None
    catalog = fetch_catalog(source, config, ProgressLine(quiet), previous)
    return catalog, Provenance(source.sample, origin(source))


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="hubkb")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Configuration file. Default: hubkb.toml in this folder or the nearest one above.")
@click.option("-v", "--verbose", is_flag=True, help="Log each query and retry.")
@click.pass_context
def cli(ctx: click.Context, config_path: Path | None, verbose: bool) -> None:
    """Build the Content Partnerships Hub knowledge base from Metabase.

    hubkb reads learning resources and tools from Metabase (a Wikibase) over SPARQL, or from an RDF
    snapshot, and renders them into a multilingual static site.
    """
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s: %(message)s")
    ctx.ensure_object(dict)
    ctx.obj["config_path"] = config_path


@cli.command()
@with_source
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=Path("catalog.json"),
              show_default=True, help="Where to write the catalog JSON (replaced only when the fetch succeeds).")
@click.option("-q", "--quiet", is_flag=True, help="Print no progress and no summary.")
@click.pass_context
def fetch(ctx: click.Context, snapshot: Path | None, endpoint: str | None, out: Path, quiet: bool) -> None:
    """Fetch resources and tools into a canonical catalog JSON file and print a summary."""
    from .report import summary

    config = _config(ctx)
    catalog, _ = open_catalog(config, snapshot, endpoint, quiet)
    catalog.write(out)
    if not quiet:
        for line in summary(catalog, config):
            click.echo(line)
        click.echo(f"wrote {out}")


@cli.command()
@click.option("--resources", type=click.IntRange(1), default=320, show_default=True, help="Resources to invent.")
@click.option("--tools", type=click.IntRange(0), default=64, show_default=True, help="Tools to invent.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed; the same seed gives the same bytes.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Snapshot file to write: .ttl, .nt, optionally .gz.")
def sample(resources: int, tools: int, seed: int, out: Path) -> None:
    """Write a synthetic Metabase-shaped snapshot (sample data, not Metabase's) for scale tests."""
    from .sample import write_sample

    started = time.monotonic()
    stats = write_sample(out, resources=resources, tools=tools, seed=seed)
    click.echo(f"wrote {out}: {stats.resources} resources, {stats.tools} tools, {stats.entities} entities, "
               f"{stats.triples} triples in {time.monotonic() - started:.1f} s")


def _locales(config: Config, value: str | None) -> list[LocaleConfig]:
    if not value:
        return list(config.locales)
    try:
        return [config.locale(code.strip()) for code in value.split(",") if code.strip()]
    except HubkbError as exc:
        raise click.BadParameter(exc.format_message(), param_hint="--locales") from exc


build_options = [
    click.option("--catalog", "catalog_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                 help="Build from a catalog.json written by `hubkb fetch` instead of fetching."),
    click.option("--locales", metavar="LIST", help="Comma-separated locale codes to build (default: all configured)."),
    click.option("--jobs", type=click.IntRange(1), help="Locales built at once (default: one per CPU core)."),
    click.option("--sample-notice", is_flag=True,
                 help="With --catalog: show the sample-data banner (snapshots from `hubkb sample` get it by "
                      "themselves)."),
    click.option("--manifest", "manifest_ref", metavar="FILE_OR_URL",
                 help="manifest.json of the site being replaced, for the shrink guard (default: the one in the "
                      "output folder)."),
    click.option("--allow-shrink", is_flag=True,
                 help="Publish even when the catalog lost more than publish.max_shrink of the previous site's "
                      "resources and tools."),
    click.option("-q", "--quiet", is_flag=True, help="Print only errors."),
]


def with_build_options(func):  # type: ignore[no-untyped-def]
    """The options `build` and `publish` share."""
    for option in reversed(build_options):
        func = option(func)
    return func


def _build_catalog(config: Config, snapshot: Path | None, endpoint: str | None, catalog_path: Path | None,
                   sample_notice: bool, quiet: bool, reuse: Path | None = None) -> tuple[Catalog, Provenance]:
    """The catalog a build or publish works from (fetched, or read with --catalog), and where it came from."""
    from .changed import Provenance

    if catalog_path and (snapshot or endpoint is not None):
        raise click.UsageError("--catalog cannot be combined with --snapshot or --endpoint")
    if catalog_path:
        return Catalog.read(catalog_path), Provenance(sample_notice, "")
    return open_catalog(config, snapshot, endpoint, quiet, reuse)


def _say(quiet: bool) -> Callable[[str], None]:
    """Progress of a build on stderr, silent with --quiet."""
    return (lambda message: None) if quiet else (lambda message: click.echo(message, err=True))


@cli.command()
@with_source
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("site"), show_default=True,
              help="Output folder; changed only when the whole build succeeds.")
@click.option("--full", is_flag=True,
              help="Read every record again, rebuild every page and swap in a whole new site, even when OUT "
                   "holds the last build.")
@with_build_options
@click.pass_context
def build(ctx: click.Context, snapshot: Path | None, endpoint: str | None, out: Path, full: bool,
          catalog_path: Path | None, locales: str | None, jobs: int | None, sample_notice: bool,
          manifest_ref: str | None, allow_shrink: bool, quiet: bool) -> None:
    """Fetch (or read) the catalog and build the multilingual site into OUT.

    By default the bundled sample snapshot is used, so this works offline on a fresh machine. When OUT holds
    the last build of this project, only what changed is rendered and written into it; when OUT holds a site
    built from the same data (the same wiki or sample), the fetch reads again only the items whose revision
    changed.
    """
    from .build import build_site
    from .publish import guard

    config = _config(ctx)
    chosen = _locales(config, locales)
    # The site in OUT lends the fetch its unchanged records (none with --full).
    catalog, provenance = _build_catalog(config, snapshot, endpoint, catalog_path, sample_notice, quiet,
                                         reuse=None if full else out)
    guard(catalog, config, out, manifest_ref, allow_shrink)
    result = build_site(catalog, config, out, chosen, jobs, _say(quiet), provenance, full=full)
    if not quiet:
        how = f"updated {result.written} changed of" if result.incremental else "built"
        click.echo(f"{how} {sum(result.pages.values())} pages in {len(chosen)} locales into {result.out} "
                   f"in {result.seconds['total']:.1f} s; open {result.out / 'index.html'} or run `hubkb serve`")


@cli.command()
@with_source
@click.option("--to", "to", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="The folder the web server serves; replaced in one step, only by a complete site whose links "
                   "check out.")
@click.option("--full", is_flag=True, help="Read every record again, even those TO's catalog holds unchanged.")
@with_build_options
@click.pass_context
def publish(ctx: click.Context, snapshot: Path | None, endpoint: str | None, to: Path, full: bool,
            catalog_path: Path | None, locales: str | None, jobs: int | None, sample_notice: bool,
            manifest_ref: str | None, allow_shrink: bool, quiet: bool) -> None:
    """Build the site beside TO, check its links, then swap it into TO atomically.

    A catalog that lost more than publish.max_shrink of the published resources and tools is refused, and a
    build that fails or is interrupted leaves the previous site in TO untouched. When TO holds a site built from
    the same data, the fetch reads again only the items whose revision changed (--full reads them all).
    """
    from .publish import publish_site

    config = _config(ctx)
    chosen = _locales(config, locales)
    catalog, provenance = _build_catalog(config, snapshot, endpoint, catalog_path, sample_notice, quiet,
                                         reuse=None if full else to)
    result = publish_site(catalog, config, to, chosen, jobs, _say(quiet), provenance, manifest_ref, allow_shrink)
    if not quiet:
        click.echo(f"published {sum(result.pages.values())} pages in {len(chosen)} locales to {result.out} "
                   f"in {result.seconds['total']:.1f} s")


@cli.command()
@click.option("--manifest", "manifest_ref", metavar="FILE_OR_URL", required=True,
              help="manifest.json of the published site: a file, or an http(s) URL such as "
                   "https://SITE/manifest.json.")
@with_source
@click.option("-q", "--quiet", is_flag=True, help="Print no progress on stderr.")
@click.pass_context
def changed(ctx: click.Context, manifest_ref: str, snapshot: Path | None, endpoint: str | None, quiet: bool) -> None:
    """Say whether Metabase changed since the site of MANIFEST was built: exit 0 and what changed, exit 1
    and `unchanged`, exit 2 on any error.

    Revisions of resources, tools and every referenced item the site shows are compared with the manifest;
    the whole catalog is fetched only when the manifest cannot prove that nothing changed.
    """
    from .changed import read_manifest, what_changed
    from .source import open_source

    try:
        config = _config(ctx)
        if snapshot is not None and endpoint is not None:
            raise click.UsageError("give either --snapshot or --endpoint, not both")
        manifest = read_manifest(manifest_ref, config.source.timeout)
        source = open_source(config, snapshot, endpoint)
        if not quiet:
            click.echo(f"reading {source.describe()}", err=True)
        started = time.monotonic()
        changes = what_changed(config, source, manifest, ProgressLine(quiet))
    except HubkbError as exc:
        raise ChangedError(exc.format_message()) from exc
    except click.ClickException:
        raise
    except Exception as exc:  # exit 1 means "unchanged": a crash must never read as that
        log.exception("hubkb changed failed")
        raise ChangedError(f"{type(exc).__name__}: {exc}") from exc
    for line in changes.lines():
        click.echo(line)
    if not quiet:
        how = "fetched the whole catalog" if changes.full_fetch else "compared revisions only"
        click.echo(f"{how} in {time.monotonic() - started:.1f} s", err=True)
    ctx.exit(0 if changes.changed else 1)


@cli.command()
@click.option("--dir", "directory", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=Path("site"), show_default=True, help="Built site to serve.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port on 127.0.0.1.")
def serve(directory: Path, port: int) -> None:
    """Serve a built site on http://127.0.0.1:PORT/ for reading it locally (Ctrl-C stops)."""
    import functools
    import http.server

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(directory))
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        click.echo(f"serving {directory} on http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C stops)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass


@cli.command("check-site")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True, help="Problems printed at most.")
def check_site_command(directory: Path, limit: int) -> None:
    """Check a built site: internal links and anchors, lang, title, canonical, hreflang, no remote assets."""
    from .check import check_site

    pages, problems = check_site(directory)
    for problem in problems[:limit]:
        click.echo(str(problem))
    if len(problems) > limit:
        click.echo(f"… and {len(problems) - limit} more")
    if problems:
        raise HubkbError(f"{directory}: {len(problems)} problem{'' if len(problems) == 1 else 's'} in {pages} pages")
    click.echo(f"{directory}: {pages} pages, no problems")


@cli.group()
def i18n() -> None:
    """Work on the interface translations in translations/<locale>/LC_MESSAGES/messages.po."""


@i18n.command()
@click.pass_context
def extract(ctx: click.Context) -> None:
    """Write translations/messages.pot from the templates and the Python code."""
    from .messages import extract as extract_pot
    from .messages import pot_path, write_catalog

    config = _config(ctx)
    pot = extract_pot()
    write_catalog(pot, pot_path(config))
    click.echo(f"wrote {pot_path(config)}: {len(pot)} messages")


@i18n.command()
@click.pass_context
def update(ctx: click.Context) -> None:
    """Extract the POT and merge it into every locale; changed source strings become fuzzy."""
    from .messages import extract as extract_pot
    from .messages import pot_path, write_catalog
    from .messages import update as update_all

    config = _config(ctx)
    pot = extract_pot()
    updated = update_all(config, pot)
    write_catalog(pot, pot_path(config))
    for code, fuzzy in updated.items():
        click.echo(f"{code}: updated, {fuzzy} fuzzy")


@i18n.command()
@click.argument("locale")
@click.pass_context
def init(ctx: click.Context, locale: str) -> None:
    """Create the .po file of a new LOCALE (then add it to [[locales]] in hubkb.toml)."""
    from .messages import extract as extract_pot
    from .messages import init as init_po

    config = _config(ctx)
    click.echo(f"created {init_po(config, locale, extract_pot())}")


@i18n.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
def check(ctx: click.Context, files: tuple[Path, ...]) -> None:
    """Check .po FILES (default: every locale's): syntax, placeholders, plural forms; count what is left to do."""
    from .messages import check_files, po_files
    from .messages import extract as extract_pot

    config = _config(ctx)
    results = check_files(list(files) or po_files(config), extract_pot())
    for checked, counts in results:
        for problem in checked.problems:
            click.echo(f"{problem}")
        click.echo(f"{checked.code or '?'}: {counts.summary() if counts else 'not readable'}  ({checked.path})")
    errors = sum(len(checked.problems) for checked, _ in results)
    if errors:
        raise HubkbError(f"{errors} error{'s' if errors > 1 else ''} in {sum(1 for c, _ in results if c.problems)} "
                         f"of {len(results)} files")


@i18n.command()
@with_source
@click.option("--catalog", "catalog_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Count labels in a catalog.json written by `hubkb fetch` instead of fetching.")
@click.pass_context
def status(ctx: click.Context, snapshot: Path | None, endpoint: str | None, catalog_path: Path | None) -> None:
    """Per locale: interface strings translated, fuzzy and untranslated; Metabase labels and descriptions."""
    from .coverage import translation_status

    config = _config(ctx)
    if catalog_path and (snapshot or endpoint is not None):
        raise click.UsageError("--catalog cannot be combined with --snapshot or --endpoint")
    catalog = Catalog.read(catalog_path) if catalog_path else open_catalog(config, snapshot, endpoint, quiet=True)[0]
    for line in translation_status(config, catalog).lines():
        click.echo(line)


def _status() -> int:
    """Run the command line; domain errors become one line on stderr and the exit status."""
    try:
        # Without standalone mode click returns, rather than raises, the status of `ctx.exit(n)`.
        status = cli.main(standalone_mode=False, prog_name="hubkb")
        return status if isinstance(status, int) else 0
    except HubkbError as exc:
        click.echo(f"Error: {exc.format_message()}", err=True)
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.Abort:
        click.echo("Aborted.", err=True)
        return 130
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        return 130


def main() -> None:
    """Console entry point. Once the command has finished (its files written and closed, its processes and
    threads joined), the process ends at once: a build holds millions of objects, and freeing them one by one
    at exit cost a tenth of a second. Unexpected errors still end the usual way, with their traceback."""
    status = _status()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
