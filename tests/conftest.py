"""Shared fixtures: real components on loopback only (an `oxigraph serve` process and a faulty proxy).

- `hubkb_config`: the repository's hubkb.toml, loaded once.
- `default_snapshot`: the bundled sample snapshot.
- `oxigraph_servers`: session factory, `oxigraph_servers.serve(path)` → a shared `OxigraphServer` for that
  snapshot (started once per session); `serve(path, private=True)` → a server of the test's own, for updates
  that must not leak into other tests.
- `oxigraph_server`: the shared server holding `default_snapshot`; `.url` is its /query endpoint, `.snapshot`
  the same file for an `EmbeddedSource` to compare with, `.update(sparql)` applies an update (shared: every
  later test sees it).
- `fault_proxy`: a `FaultProxy` in front of `oxigraph_server`, scripted per test.
- `served_sample`: base URL of `sample_site` served over HTTP on 127.0.0.1.
- `browser`: headless Debian Chromium under Playwright (skipped without it, failed in CI);
  `browser_page`: a fresh page that can reach only 127.0.0.1.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from browsing import CHROMIUM, CHROMIUM_ARGS, chromium_missing, in_ci, serve_directory, stays_local
from fakes import FaultProxy, OxigraphServer, OxigraphServers, find_oxigraph

from generator.catalog import Catalog
from generator.config import Config, load_config
from generator.source import sample_snapshot_path

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def hubkb_config() -> Config:
    """The project's own configuration (repo root hubkb.toml)."""
    return load_config(REPO_ROOT / "hubkb.toml")


@pytest.fixture(scope="session")
def default_snapshot() -> Path:
    """The bundled sample snapshot."""
    return sample_snapshot_path()


@pytest.fixture(scope="session")
def oxigraph_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServers]:
    """Starts `oxigraph serve` processes on demand; all are terminated at the end of the session."""
    servers = OxigraphServers(tmp_path_factory.mktemp("oxigraph"), find_oxigraph())
    yield servers
    servers.close()


@pytest.fixture(scope="session")
def oxigraph_server(oxigraph_servers: OxigraphServers, default_snapshot: Path) -> OxigraphServer:
    """The shared loopback SPARQL endpoint holding the default snapshot, entity data lifted onto items."""
    return oxigraph_servers.serve(default_snapshot)


@pytest.fixture
def fault_proxy(oxigraph_server: OxigraphServer) -> Iterator[FaultProxy]:
    """A proxy in front of `oxigraph_server` that passes everything through until the test scripts faults."""
    with FaultProxy(oxigraph_server.url) as proxy:
        yield proxy


class Project:
    """A copy of the project's own files (config, mkdocs.yml, hand-written pages, translations) in a temp
    folder, so builds in tests never touch the checkout; `run` calls the real `hubkb` console script."""

    def __init__(self, root: Path) -> None:
        self.root = root
        for name in ("hubkb.toml", "mkdocs.yml"):
            shutil.copy(REPO_ROOT / name, root / name)
        shutil.copytree(REPO_ROOT / "translations", root / "translations",
                        ignore=shutil.ignore_patterns("*.mo"))
        for page in (REPO_ROOT / "site_src").glob("*/*.md"):
            if page.name != "index.md":
                (root / "site_src" / page.parent.name).mkdir(parents=True, exist_ok=True)
                shutil.copy(page, root / "site_src" / page.parent.name / page.name)
        self.config = load_config(root / "hubkb.toml")

    def run(self, *args: str | Path, check: bool = False) -> subprocess.CompletedProcess[str]:
        hubkb = Path(sys.executable).with_name("hubkb")
        proc = subprocess.run([str(hubkb), "--config", str(self.root / "hubkb.toml"), *map(str, args)],
                              cwd=self.root, capture_output=True, text=True, timeout=900)
        if check and proc.returncode != 0:
            raise AssertionError(f"hubkb {' '.join(map(str, args))} failed ({proc.returncode}):\n{proc.stderr}")
        return proc


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """A fresh project copy for one test."""
    return Project(tmp_path)


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample built once, in all six locales, with the real CLI: `<tmp>/site`."""
    project = Project(tmp_path_factory.mktemp("sample-project"))
    project.run("build", "--quiet", "--out", project.root / "site", check=True)
    return project.root / "site"


@pytest.fixture(scope="session")
def served_sample(sample_site: Path) -> Iterator[str]:
    """The sample site over HTTP on 127.0.0.1 (search fetches its index, which file:// forbids): its base URL."""
    with serve_directory(sample_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Debian Chromium driven by Playwright; where it is missing the test skips, and fails in CI."""
    reason = chromium_missing()
    if reason:
        if in_ci():
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def browser_page(browser: Browser) -> Iterator[Page]:
    """A page in a fresh browser context (no cookies, no cache) whose requests off 127.0.0.1 are aborted."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route("**/*", lambda route: route.continue_() if stays_local(route.request.url) else route.abort())
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def catalog(sample_site: Path) -> Catalog:
    """The catalog the sample site was built from, as the site publishes it."""
    return Catalog.read(sample_site / "catalog.json")
