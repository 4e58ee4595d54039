"""The `hubkb` command line: thin click commands over the library; only this module prints and exits."""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

import click

from . import __version__
from .catalog import Catalog
from .config import Config, LocaleConfig, load_config
from .errors import HubkbError

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


def open_catalog(config: Config, snapshot: Path | None, endpoint: str | None,
                 quiet: bool = False) -> tuple[Catalog, bool]:
    """Fetch the catalog from the chosen source, with progress on stderr; also say whether it is sample data."""
    from .fetch import fetch_catalog
    from .source import open_source

    if snapshot is not None and endpoint is not None:
        raise click.UsageError("give either --snapshot or --endpoint, not both")
    source = open_source(config, snapshot, endpoint)
    if not quiet:
        click.echo(f"reading {source.describe()}", err=True)
    return fetch_catalog(source, config, ProgressLine(quiet)), source.sample


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


@cli.command()
@with_source
@click.option("--catalog", "catalog_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Build from a catalog.json written by `hubkb fetch` instead of fetching.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("site"), show_default=True,
              help="Output folder; replaced only when the whole build succeeds.")
@click.option("--locales", metavar="LIST", help="Comma-separated locale codes to build (default: all configured).")
@click.option("--jobs", type=click.IntRange(1), help="Locales built at once (default: one per CPU core).")
@click.option("--sample-notice", is_flag=True,
              help="With --catalog: show the sample-data banner (snapshots from `hubkb sample` get it by themselves).")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@click.pass_context
def build(ctx: click.Context, snapshot: Path | None, endpoint: str | None, catalog_path: Path | None, out: Path,
          locales: str | None, jobs: int | None, sample_notice: bool, quiet: bool) -> None:
    """Fetch (or read) the catalog and build the multilingual site into OUT.

    By default the bundled sample snapshot is used, so this works offline on a fresh machine.
    """
    from .build import build_site

    config = _config(ctx)
    chosen = _locales(config, locales)
    if catalog_path and (snapshot or endpoint is not None):
        raise click.UsageError("--catalog cannot be combined with --snapshot or --endpoint")
    if catalog_path:
        catalog, sample = Catalog.read(catalog_path), sample_notice
    else:
        catalog, sample = open_catalog(config, snapshot, endpoint, quiet)

    def say(message: str) -> None:
        if not quiet:
            click.echo(message, err=True)

    result = build_site(catalog, config, out, chosen, jobs, say, sample=sample)
    if not quiet:
        click.echo(f"built {sum(result.pages.values())} pages in {len(chosen)} locales into {result.out} "
                   f"in {result.seconds['total']:.1f} s; open {result.out / 'index.html'} or run `hubkb serve`")


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
        raise HubkbError(f"{directory}: {len(problems)} problems in {pages} pages")
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
    pot = extract_pot(config)
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
    pot = extract_pot(config)
    write_catalog(pot, pot_path(config))
    for code, fuzzy in update_all(config, pot).items():
        click.echo(f"{code}: updated, {fuzzy} fuzzy")


@i18n.command()
@click.argument("locale")
@click.pass_context
def init(ctx: click.Context, locale: str) -> None:
    """Create the .po file of a new LOCALE (then add it to [[locales]] in hubkb.toml)."""
    from .messages import extract as extract_pot
    from .messages import init as init_po

    config = _config(ctx)
    click.echo(f"created {init_po(config, locale, extract_pot(config))}")


def main() -> None:
    """Console entry point: domain errors become one line on stderr and a non-zero exit."""
    try:
        cli.main(standalone_mode=False, prog_name="hubkb")
    except HubkbError as exc:
        click.echo(f"Error: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
