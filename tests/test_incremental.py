"""Incremental builds: after an edit, a rebuild writes only what changed, and the site equals a full build."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from conftest import Project
from fakes import OxigraphServers
from wikibase import UPDATE_PREFIXES, edit_snapshot, relabel

from generator.catalog import Catalog
from generator.source import sample_snapshot_path

# Fields of manifest.json that name the build rather than describe the site.
PER_BUILD = ("built", "build")


def searchable(bundle: Path) -> dict[str, bytes]:
    """What a reader can find in a locale's search bundles, by page URL: the pages of its shards less those its
    hubkb-recent.json hides, plus those of its recent-edits bundle (ids and chunk layout aside)."""
    recent = json.loads((bundle / "hubkb-recent.json").read_text(encoding="utf-8"))
    found = {}
    for fragment in sorted(bundle.glob("*/fragment/*.pf_fragment")):
        page_id = fragment.name.removesuffix(".pf_fragment")
        if page_id in recent["superseded"]:
            continue
        record = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
        record["meta"].pop("recent", None)
        assert record["url"] not in found, f"{record['url']} twice in {bundle}"
        found[record["url"]] = json.dumps(record, sort_keys=True).encode()
    return found


def files(site: Path) -> dict[str, bytes]:
    """Every file of a site by path; search bundles as what a reader can find in them (`searchable`): Pagefind's
    chunks differ from run to run over the same pages, and an incremental build adds a recent-edits bundle."""
    found = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    for name in [n for n in found if n.startswith("pagefind/")]:
        del found[name]
    for bundle in (site / "pagefind").iterdir():
        found.update({f"pagefind/{bundle.name}{url}": data for url, data in searchable(bundle).items()})
    manifest = json.loads(found.pop("manifest.json"))
    for key in PER_BUILD:
        manifest.pop(key)
    found["manifest.json"] = json.dumps(manifest, sort_keys=True).encode()
    return found


def edited(catalog: Catalog) -> tuple[Catalog, str, str]:
    """The catalog with one resource's English label changed, one resource gone and one subject added."""
    resources = sorted(catalog.resources)
    relabelled = next(q for q in resources if "en" in catalog.resources[q].labels)
    catalog.resources[relabelled].labels["en"] = "Relabelled <b>resource</b> & co"
    removed = resources[-1] if resources[-1] != relabelled else resources[-2]
    del catalog.resources[removed]
    other = next(q for q in resources if q not in (relabelled, removed) and catalog.resources[q].subjects)
    catalog.resources[other].subjects = catalog.resources[other].subjects[:1]
    return catalog, relabelled, removed


def test_one_edit_rewrites_only_its_pages_and_equals_a_full_build(project: Project, tmp_path: Path) -> None:
    project.run("fetch", "--quiet", "--out", project.root / "catalog.json", check=True)
    project.run("build", "--quiet", "--catalog", project.root / "catalog.json", "--sample-notice", check=True)
    site = project.root / "site"
    before = files(site)
    page_mtimes = {p: p.stat().st_mtime_ns for p in site.glob("*/resources/*/index.html")}

    again = project.run("build", "--catalog", project.root / "catalog.json", "--sample-notice", check=True)
    assert again.stdout.startswith("updated 0 changed of") and "rendered 0 of" in again.stderr
    assert files(site) == before

    catalog, relabelled, removed = edited(Catalog.read(project.root / "catalog.json"))
    catalog.write(project.root / "edited.json")
    shard_mtimes = {p: p.stat().st_mtime_ns for p in site.glob("pagefind/*/0/**/*") if p.is_file()}
    # A record of the shards' pages in the shape an older hubkb wrote is read again from the bundles, not trusted.
    (project.root / "site_src" / ".generated" / "search" / "en.base.json").write_text(
        json.dumps({f"resources/{relabelled}/": ["en_0000000", {}]}), encoding="utf-8")
    proc = project.run("build", "--catalog", project.root / "edited.json", "--sample-notice", check=True)
    assert proc.stdout.startswith("updated ") and "built 0 locales with mkdocs" in proc.stderr
    # No shard is indexed again: the edited pages went to each locale's recent-edits bundle, which hides the
    # shard's copies of them and of the removed resource.
    assert all(p.stat().st_mtime_ns == mtime for p, mtime in shard_mtimes.items())
    recent = json.loads((site / "pagefind" / "en" / "hubkb-recent.json").read_text(encoding="utf-8"))
    in_recent = {json.loads(gzip.decompress(p.read_bytes()).removeprefix(b"pagefind_dcd"))["url"]
                 for p in (site / "pagefind" / "en" / "recent" / "fragment").iterdir()}
    assert recent["bundle"] == "recent" and f"/en/resources/{relabelled}/" in in_recent
    assert len(recent["superseded"]) == len(in_recent) + 1
    page = (site / "en" / "resources" / relabelled / "index.html").read_text(encoding="utf-8")
    assert "Relabelled &lt;b&gt;resource&lt;/b&gt; &amp; co" in page
    assert not (site / "en" / "resources" / removed).exists()
    untouched = [p for p, mtime in page_mtimes.items() if p.exists() and p.stat().st_mtime_ns == mtime]
    assert len(untouched) > len(page_mtimes) * 0.8, "an edit of three resources rewrote most item pages"

    incremental = files(site)
    project.run("build", "--quiet", "--full", "--catalog", project.root / "edited.json", "--sample-notice",
                "--out", tmp_path / "full", check=True)
    full = files(tmp_path / "full")
    assert sorted(incremental) == sorted(full)
    assert [name for name in full if incremental[name] != full[name]] == []


def test_a_failed_incremental_build_leaves_the_site_and_the_next_build_is_whole(
        project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    project.run("fetch", "--quiet", "--out", project.root / "catalog.json", check=True)
    project.run("build", "--quiet", "--catalog", project.root / "catalog.json", check=True)
    site = project.root / "site"
    before = files(site)
    catalog, _, _ = edited(Catalog.read(project.root / "catalog.json"))
    catalog.write(project.root / "edited.json")
    broken = project.root / "pagefind-broken"
    broken.write_text("#!/bin/sh\necho 'index exploded' >&2\nexit 3\n", encoding="utf-8")
    broken.chmod(0o755)
    with monkeypatch.context() as patch:
        patch.setenv("PAGEFIND_BINARY_PATH", str(broken))
        failed = project.run("build", "--catalog", project.root / "edited.json")
    assert failed.returncode == 1
    assert failed.stderr.strip().splitlines()[-1].endswith("pagefind failed: index exploded")
    assert files(site) == before

    # The caches ran ahead of the site, so the next build is a whole new site, and a right one.
    proc = project.run("build", "--catalog", project.root / "edited.json", check=True)
    assert proc.stdout.startswith("built ")
    assert "Relabelled &lt;b&gt;resource&lt;/b&gt;" in "".join(
        p.read_text(encoding="utf-8") for p in site.glob("en/resources/*/index.html"))


def test_a_build_from_an_edited_snapshot_reads_again_only_what_changed(project: Project, tmp_path: Path) -> None:
    """The fetch reuses the records of the site's catalog whose revision is unchanged; the site still equals a
    full build, and data of another origin (another sample) reuses nothing."""
    project.run("build", "--quiet", check=True)
    site = project.root / "site"
    catalog = Catalog.read(site / "catalog.json")
    qid = sorted(catalog.resources)[0]
    edited = edit_snapshot(sample_snapshot_path(), relabel(qid, "en", "Relabelled in Metabase"),
                           tmp_path / "edited.ttl.gz")

    proc = project.run("build", "--snapshot", edited, check=True)
    records = [*catalog.resources.values(), *catalog.tools.values(), *catalog.entities.values()]
    reused = sum(1 for r in records if r.revision or r.modified) - 1  # those without a revision are read again
    assert f"records unchanged since the last build, reused: {reused}\n" in proc.stderr
    assert proc.stdout.startswith("updated ")
    assert "Relabelled in Metabase" in (site / "en" / "resources" / qid / "index.html").read_text(encoding="utf-8")
    project.run("build", "--quiet", "--full", "--snapshot", edited, "--out", tmp_path / "full", check=True)
    incremental, full = files(site), files(tmp_path / "full")
    assert [name for name in full if incremental.get(name) != full[name]] == []

    # Another sample numbers its revisions from scratch: nothing of the site's catalog can stand for it.
    other = tmp_path / "other.ttl.gz"
    project.run("sample", "--resources", "40", "--tools", "5", "--seed", "7", "--out", other, check=True)
    proc = project.run("build", "--snapshot", other, check=True)
    assert "reused" not in proc.stderr
    project.run("fetch", "--quiet", "--snapshot", other, "--out", tmp_path / "other.json", check=True)
    assert (site / "catalog.json").read_bytes() == (tmp_path / "other.json").read_bytes()


def test_a_build_from_an_endpoint_reads_again_only_the_edited_item(project: Project, tmp_path: Path,
                                                                   oxigraph_servers: OxigraphServers,
                                                                   default_snapshot: Path) -> None:
    """The same over HTTP, against a real query service: the second build asks for one item's statements."""
    server = oxigraph_servers.serve(default_snapshot, private=True)
    project.run("build", "--quiet", "--endpoint", server.url, check=True)
    site = project.root / "site"
    qid = sorted(Catalog.read(site / "catalog.json").resources)[1]
    server.update(UPDATE_PREFIXES + relabel(qid, "en", "Relabelled on the query service", on="wd"))
    proc = project.run("build", "--endpoint", server.url, check=True)
    assert "records unchanged since the last build, reused: " in proc.stderr
    assert "resource statements: 1/1" in proc.stderr
    page = (site / "en" / "resources" / qid / "index.html").read_text(encoding="utf-8")
    assert "Relabelled on the query service" in page
    project.run("fetch", "--quiet", "--endpoint", server.url, "--out", tmp_path / "full.json", check=True)
    assert (site / "catalog.json").read_bytes() == (tmp_path / "full.json").read_bytes()
