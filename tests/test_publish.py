"""Publishing on each Metabase change, against a real `oxigraph serve`: `hubkb changed`, incremental sources,
the shrink guard, and a publish that fails or is killed leaving the previous site whole."""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path

import pytest
from browsing import serve_directory
from conftest import Project
from fakes import FaultProxy, OxigraphServer, OxigraphServers
from test_cli import tiny_snapshot

from generator.build import swap_in
from generator.catalog import Catalog
from generator.check import check_site
from generator.config import Config, load_config
from generator.sample import write_sample
from generator.source import prefixes

NEW_QID = "Q999999"


def two_locales(project: Project) -> Project:
    """The project with only en and sv configured: builds twice as fast, and its language switcher stays whole."""
    path = project.root / "hubkb.toml"
    head, *blocks = path.read_text(encoding="utf-8").split("[[locales]]")
    kept = [b for b in blocks if re.search(r'^code = "(en|sv)"$', b, re.M)]
    path.write_text(head + "".join("[[locales]]" + b for b in kept), encoding="utf-8")
    project.config = load_config(path)
    return project


@pytest.fixture(scope="module")
def small_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small synthetic Metabase (60 resources, 8 tools): every test here serves its own copy."""
    path = tmp_path_factory.mktemp("small") / "small.ttl"
    write_sample(path, resources=60, tools=8, seed=1)
    return path


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory, small_snapshot: Path) -> Project:
    """A project whose site/ was published from the small snapshot; tests read its manifest, never change it."""
    project = two_locales(Project(tmp_path_factory.mktemp("published")))
    project.run("publish", "--quiet", "--to", project.root / "site", "--snapshot", small_snapshot, check=True)
    return project


@pytest.fixture
def server(oxigraph_servers: OxigraphServers, small_snapshot: Path) -> OxigraphServer:
    """A private endpoint holding the small snapshot, for updates no other test sees."""
    return oxigraph_servers.serve(small_snapshot, private=True)


@pytest.fixture
def fresh(project: Project) -> Project:
    return two_locales(project)


class Edits:
    """SPARQL updates that edit Metabase the ways editors do, choosing their targets from a built catalog."""

    def __init__(self, catalog: Catalog, config: Config) -> None:
        self.catalog = catalog
        self.config = config
        self.prefixes = prefixes(config)
        referenced = {q for r in catalog.resources.values()
                      for attr in ("types", "languages", "subjects", "publishers", "authors", "part_of", "used_by")
                      for q in getattr(r, attr)}
        simple = [q for q, r in catalog.resources.items()
                  if re.fullmatch(r"[A-Za-z][A-Za-z ]{11,}", r.labels.get("en", "")) and q not in referenced
                  and not any(r.labels["en"] in o.labels.get("en", "") for p, o in catalog.resources.items() if p != q)]
        self.resource = simple[0]  # a resource with a unique plain English label that nothing else points to
        self.doomed = next(q for q in catalog.resources if q not in referenced and q != self.resource)
        self.type = catalog.resources[self.resource].types[0]

    def relabel(self, qid: str, text: str) -> str:
        return self.prefixes + f"""
DELETE {{ wd:{qid} rdfs:label ?old . wd:{qid} schema:version ?version }}
INSERT {{ wd:{qid} rdfs:label "{text}"@en . wd:{qid} schema:version ?next }}
WHERE {{ wd:{qid} rdfs:label ?old ; schema:version ?version . FILTER(LANG(?old) = "en") BIND(?version + 1 AS ?next) }}
"""

    def add(self) -> str:
        node = f"<{self.config.source.entity_base}statement/{NEW_QID}-1>"
        p5 = self.config.properties["instance_of"]
        return self.prefixes + f"""
INSERT DATA {{
  wd:{NEW_QID} wdt:{p5} wd:{self.type} ; rdfs:label "A guide added today"@en ;
    schema:version "1"^^xsd:integer ; schema:dateModified "2026-01-05T10:00:00Z"^^xsd:dateTime ;
    p:{p5} {node} .
  {node} wikibase:rank wikibase:NormalRank ; ps:{p5} wd:{self.type} .
}}"""

    def delete(self, qid: str) -> str:
        return self.prefixes + f"DELETE WHERE {{ wd:{qid} ?p ?o }}"

    def unclass(self, qids: list[str]) -> str:
        """Take items out of every class: what a fetch that lost them would see."""
        p5 = self.config.properties["instance_of"]
        values = " ".join(f"wd:{q}" for q in qids)
        return self.prefixes + f"DELETE {{ ?i wdt:{p5} ?c }} WHERE {{ VALUES ?i {{ {values} }} ?i wdt:{p5} ?c }}"


@pytest.fixture(scope="module")
def edits(published: Project) -> Edits:
    return Edits(Catalog.read(published.root / "site" / "catalog.json"), published.config)


def tree(root: Path) -> dict[str, str]:
    """Every file under `root` with the sha256 of its bytes."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


# --- hubkb changed -------------------------------------------------------------------------------------------


def test_changed_unchanged_when_metabase_did_not_change(published: Project, server: OxigraphServer) -> None:
    proc = published.run("changed", "--manifest", published.root / "site" / "manifest.json", "--endpoint", server.url)
    assert (proc.returncode, proc.stdout) == (1, "unchanged\n"), proc.stderr
    assert "compared revisions only" in proc.stderr


@pytest.mark.parametrize("edit,expected", [
    ("label", "changed: 0 added, 1 modified, 0 removed, 0 referenced items changed\nmodified: {resource}\n"),
    ("add", f"changed: 1 added, 0 modified, 0 removed, 0 referenced items changed\nadded: {NEW_QID}\n"),
    ("delete", "changed: 0 added, 0 modified, 1 removed, 0 referenced items changed\nremoved: {doomed}\n"),
    ("type label", "changed: 0 added, 0 modified, 0 removed, 1 referenced item changed\nreferenced: {type}\n"),
])
def test_changed_reports_each_edit_with_its_count(published: Project, server: OxigraphServer, edits: Edits,
                                                  edit: str, expected: str) -> None:
    server.update({"label": edits.relabel(edits.resource, "Renamed by an editor"), "add": edits.add(),
                   "delete": edits.delete(edits.doomed),
                   "type label": edits.relabel(edits.type, "Renamed type")}[edit])
    proc = published.run("changed", "--manifest", published.root / "site" / "manifest.json", "--endpoint", server.url)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == expected.format(resource=edits.resource, doomed=edits.doomed, type=edits.type)


def test_changed_reports_every_edit_at_once(published: Project, server: OxigraphServer, edits: Edits) -> None:
    for update in (edits.relabel(edits.resource, "Renamed by an editor"), edits.add(), edits.delete(edits.doomed),
                   edits.relabel(edits.type, "Renamed type")):
        server.update(update)
    proc = published.run("changed", "-q", "--manifest", published.root / "site" / "manifest.json",
                         "--endpoint", server.url)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        "changed: 1 added, 1 modified, 1 removed, 1 referenced item changed", f"added: {NEW_QID}",
        f"modified: {edits.resource}", f"removed: {edits.doomed}", f"referenced: {edits.type}"]


def test_changed_unchanged_asks_only_for_revisions(project: Project, sample_site: Path, fault_proxy: FaultProxy,
                                                   hubkb_config: Config) -> None:
    manifest = json.loads((sample_site / "manifest.json").read_text(encoding="utf-8"))
    proc = project.run("changed", "--manifest", sample_site / "manifest.json", "--endpoint", fault_proxy.url)
    assert (proc.returncode, proc.stdout) == (1, "unchanged\n"), proc.stderr
    queries = [urllib.parse.parse_qs(r.body.decode())["query"][0] for r in fault_proxy.requests]
    batch = hubkb_config.source.batch_size
    # tool mirrors, resources and tools with revisions, then the referenced items' revisions in batches
    assert len(queries) == 3 + -(-len(manifest["entities"]) // batch)
    assert not any("statementProperty" in q or "schema:description" in q for q in queries)


def test_changed_old_manifest_falls_back_to_a_full_fetch(published: Project, server: OxigraphServer,
                                                         edits: Edits) -> None:
    manifest = json.loads((published.root / "site" / "manifest.json").read_text(encoding="utf-8"))
    old = {k: v for k, v in manifest.items() if k not in ("entities", "tools", "settings")}
    path = published.root / "old-manifest.json"
    path.write_text(json.dumps(old), encoding="utf-8")
    proc = published.run("changed", "--manifest", path, "--endpoint", server.url)
    assert (proc.returncode, proc.stdout) == (1, "unchanged\n"), proc.stderr
    assert "fetched the whole catalog" in proc.stderr
    server.update(edits.relabel(edits.resource, "Renamed by an editor"))
    proc = published.run("changed", "--manifest", path, "--endpoint", server.url)
    assert proc.returncode == 0 and f"modified: {edits.resource}\n" in proc.stdout


def test_changed_reads_the_manifest_of_a_served_site(published: Project, server: OxigraphServer) -> None:
    with serve_directory(published.root / "site") as url:
        proc = published.run("changed", "--manifest", f"{url}manifest.json", "--endpoint", server.url)
        missing = published.run("changed", "--manifest", f"{url}nothing/manifest.json", "--endpoint", server.url)
    assert (proc.returncode, proc.stdout) == (1, "unchanged\n"), proc.stderr
    assert missing.returncode == 2
    assert missing.stderr.strip().splitlines()[-1] == f"Error: {url}nothing/manifest.json: HTTP 404 File not found"


@pytest.mark.parametrize("manifest,endpoint,message", [
    ("missing.json", None, "missing.json: cannot read the manifest: No such file or directory"),
    ("site/catalog.csv", None, "site/catalog.csv: not a hubkb manifest"),
    ("ftp://127.0.0.1/manifest.json", None, "ftp://127.0.0.1/manifest.json: a manifest is a file or an http(s) URL"),
    ("site/manifest.json", "http://127.0.0.1:9/sparql", "http://127.0.0.1:9/sparql"),
])
def test_changed_errors_exit_2_naming_the_culprit(published: Project, manifest: str, endpoint: str | None,
                                                   message: str) -> None:
    source = ["--endpoint", endpoint] if endpoint else []
    proc = published.run("changed", "--manifest", manifest, *source)
    assert proc.returncode == 2 and proc.stdout == ""
    error = proc.stderr.strip().splitlines()[-1]
    assert error.startswith("Error: ") and message in error


# --- incremental sources -------------------------------------------------------------------------------------


def sources(project: Project) -> dict[str, tuple[bytes, int]]:
    """Every generated Markdown page under site_src/ with its bytes and modification time."""
    root = project.root / "site_src"
    return {p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(root.glob("*/**/*.md")) if not p.name.startswith(".")}


def test_incremental_rebuild_rewrites_exactly_the_pages_showing_an_edit(fresh: Project, server: OxigraphServer,
                                                                       edits: Edits) -> None:
    def build() -> subprocess.CompletedProcess[str]:
        return fresh.run("build", "--out", fresh.root / "site", "--endpoint", server.url, check=True)

    build()
    first = sources(fresh)
    time.sleep(0.05)  # a rewrite would get a later mtime
    assert "sources: en 0 changed, sv 0 changed" in build().stderr
    assert sources(fresh) == first

    old = edits.catalog.resources[edits.resource].labels["en"]
    new = old.swapcase()  # sorts exactly where the old title did: no listing page shifts its entries
    showing = {rel for rel, (data, _) in first.items() if old.encode() in data}
    server.update(edits.relabel(edits.resource, new))
    build()
    after = sources(fresh)
    rewritten = {rel for rel in after if after[rel] != first.get(rel)}
    assert rewritten == showing
    assert {f"en/resources/{edits.resource}/index.md", "en/browse/a-z/index.md"} <= rewritten
    assert all(new.encode() in after[rel][0] and old.encode() not in after[rel][0] for rel in rewritten)


def test_publish_after_an_edit_reads_and_parses_only_what_changed(fresh: Project, server: OxigraphServer,
                                                                  edits: Edits, tmp_path: Path) -> None:
    """A second publish reuses the published catalog's unchanged records and the link checker's memo, and the
    site it swaps in equals what a publish reading everything makes."""
    site = fresh.root / "site"
    fresh.run("publish", "-q", "--to", site, "--endpoint", server.url, check=True)
    new = "Relabelled before the second publish"
    server.update(edits.relabel(edits.resource, new))
    proc = fresh.run("publish", "--to", site, "--endpoint", server.url, check=True)
    assert "records unchanged since the last build, reused: " in proc.stderr
    assert "resource statements: 1/1" in proc.stderr and "checked the links, anchors and heads of " in proc.stderr
    assert new in (site / "en" / "resources" / edits.resource / "index.html").read_text(encoding="utf-8")
    fresh.run("publish", "-q", "--full", "--to", tmp_path / "full", "--endpoint", server.url, check=True)
    assert (site / "catalog.json").read_bytes() == (tmp_path / "full" / "catalog.json").read_bytes()


# --- the shrink guard ----------------------------------------------------------------------------------------


def test_shrink_guard_stops_a_fetch_that_lost_30_percent(fresh: Project, server: OxigraphServer,
                                                         edits: Edits) -> None:
    site = fresh.root / "site"
    fresh.run("publish", "-q", "--to", site, "--endpoint", server.url, check=True)
    before = tree(site)
    items = sorted([*edits.catalog.resources, *edits.catalog.tools])
    lost = items[: -(-len(items) * 3 // 10)]
    server.update(edits.unclass(lost))
    for command in (["publish", "--to", site], ["build", "--out", site]):
        proc = fresh.run(*command, "--endpoint", server.url)
        assert proc.returncode == 1
        assert proc.stderr.strip().splitlines()[-1] == (
            f"Error: refusing to publish: the new catalog lacks {len(lost)} of the {len(items)} resources and tools "
            f"in {site / 'manifest.json'} ({len(lost) / len(items):.0%}, more than publish.max_shrink = 10%); "
            f"check the source, or pass --allow-shrink if they really were removed from Metabase")
    assert tree(site) == before
    fresh.run("publish", "-q", "--to", site, "--endpoint", server.url, "--allow-shrink", check=True)
    counts = json.loads((site / "manifest.json").read_text(encoding="utf-8"))["counts"]
    assert counts["resources"] + counts["tools"] == len(items) - len(lost)


def test_shrink_guard_lets_real_data_replace_a_site_of_sample_data(fresh: Project, small_snapshot: Path) -> None:
    site = fresh.root / "site"
    fresh.run("build", "-q", "--out", site, "--snapshot", small_snapshot, check=True)
    proc = fresh.run("build", "-q", "--out", site, "--snapshot", tiny_snapshot(fresh.root / "tiny.ttl"))
    assert proc.returncode == 0, proc.stderr
    assert json.loads((site / "manifest.json").read_text(encoding="utf-8"))["counts"]["resources"] == 2


def test_shrink_guard_threshold_is_configurable(fresh: Project, server: OxigraphServer, edits: Edits) -> None:
    site = fresh.root / "site"
    fresh.run("publish", "-q", "--to", site, "--endpoint", server.url, check=True)
    server.update(edits.unclass(sorted(edits.catalog.resources)[:20]))
    config = fresh.root / "hubkb.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("max_shrink = 0.10", "max_shrink = 0.5"), "utf-8")
    fresh.run("publish", "-q", "--to", site, "--endpoint", server.url, check=True)
    config.write_text(config.read_text(encoding="utf-8").replace("max_shrink = 0.5", "max_shrink = 5"), "utf-8")
    proc = fresh.run("publish", "-q", "--to", site, "--endpoint", server.url)
    assert proc.returncode == 1 and "publish.max_shrink: expected a fraction between 0 and 1" in proc.stderr


# --- publish: the previous site survives every failure -------------------------------------------------------


def test_publish_swaps_in_a_complete_site(fresh: Project, small_snapshot: Path) -> None:
    site = fresh.root / "site"
    proc = fresh.run("publish", "--to", site, "--snapshot", small_snapshot, check=True)
    assert proc.stdout.startswith("published ") and f"to {site}" in proc.stdout
    pages, problems = check_site(site)
    assert pages > 100 and problems == []
    assert sorted(p.name for p in fresh.root.iterdir() if p.name.startswith(".site")) == []


def test_publish_refuses_a_site_with_a_broken_link_and_keeps_the_old_one(fresh: Project,
                                                                         small_snapshot: Path) -> None:
    site = fresh.root / "site"
    fresh.run("publish", "-q", "--to", site, "--snapshot", small_snapshot, check=True)
    before = tree(site)
    about = fresh.root / "site_src" / "sv" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n[Läs mer](../nowhere/)\n", encoding="utf-8")
    proc = fresh.run("publish", "-q", "--to", site, "--snapshot", small_snapshot)
    assert proc.returncode == 1
    error = proc.stderr.strip().splitlines()[-1]
    assert error.startswith("Error: refusing to publish: 1 problem in ")
    assert error.endswith("(sv/about/index.html: broken link ../nowhere/); the previous site is unchanged")
    assert tree(site) == before


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.02)


def test_killed_publish_leaves_the_old_site_whole(fresh: Project, small_snapshot: Path,
                                                  default_snapshot: Path) -> None:
    site = fresh.root / "site"
    fresh.run("publish", "-q", "--to", site, "--snapshot", small_snapshot, check=True)
    before = tree(site)
    staging = fresh.root / ".site.building"
    hubkb = Path(sys.executable).with_name("hubkb")
    # Its own process group, so the kill takes the mkdocs processes with it, as a runner being stopped would.
    proc = subprocess.Popen([str(hubkb), "--config", str(fresh.root / "hubkb.toml"), "publish", "-q", "--to",
                             str(site), "--snapshot", str(default_snapshot), "--allow-shrink"],
                            cwd=fresh.root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        wait_for(lambda: staging.is_dir() and any(staging.glob("*/resources/*/index.html")), 300,
                 "mkdocs to write pages into the staging folder")
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert tree(site) == before
    assert check_site(site)[1] == []
    fresh.run("publish", "-q", "--to", site, "--snapshot", default_snapshot, "--allow-shrink", check=True)
    assert not staging.exists()
    assert json.loads((site / "manifest.json").read_text(encoding="utf-8"))["counts"]["resources"] == 320


def test_swap_never_leaves_the_site_missing(tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("0", encoding="utf-8")
    missing = 0
    stop = threading.Event()

    def read_like_a_web_server() -> None:
        nonlocal missing
        while not stop.is_set():
            missing += not (out / "index.html").exists()

    reader = threading.Thread(target=read_like_a_web_server)
    reader.start()
    try:
        for n in range(1, 300):
            staging = tmp_path / ".site.building"
            staging.mkdir()
            (staging / "index.html").write_text(str(n), encoding="utf-8")
            swap_in(staging, out)
    finally:
        stop.set()
        reader.join()
    assert missing == 0
    assert (out / "index.html").read_text(encoding="utf-8") == "299" and sorted(tmp_path.iterdir()) == [out]
