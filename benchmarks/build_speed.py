"""Build speed at Metabase scale: hubkb's full build against stock mkdocs-material + mkdocs-static-i18n.

Run: .venv/bin/python benchmarks/build_speed.py [--resources 2000 --tools 200] [--shard-pages N] [--keep]
Prints pages, seconds, pages per second, peak memory (the whole process tree, by proportional set size) and the
ratio of the two builds, the size of a resource page, then the no-change check (`hubkb changed` against
`oxigraph serve` holding the snapshot), a rebuild with nothing changed, and one edit (a resource's English label,
on the server and in the snapshot) followed by the incremental rebuild, each with its time; then that edit undone
and made again twice, each an incremental rebuild too, with the median of the five.
The stock build needs the benchmark extra: pip install -e '.[bench]'.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml
from pyoxigraph import DefaultGraph, RdfFormat, Store

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
from fakes import start_oxigraph  # noqa: E402

BIN = Path(sys.executable).parent


def tree_memory(pid: int) -> int:
    """Memory of a process and all its descendants, in bytes (Linux /proc): each one's proportional set size,
    so pages a forked child shares with its parent count once, not twice as resident sizes would; resident size
    where the kernel gives no smaps_rollup."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += _memory(Path("/proc") / str(current))
        todo.extend(children.get(current, []))
    return total


def _memory(proc: Path) -> int:
    for name, field in (("smaps_rollup", "Pss:"), ("status", "VmRSS:")):
        try:
            for line in (proc / name).read_text().splitlines():
                if line.startswith(field):
                    return int(line.split()[1]) * 1024
        except OSError:
            continue
    return 0


def timed(cmd: list[str], cwd: Path) -> tuple[float, int, subprocess.CompletedProcess[str]]:
    """Run a command; return seconds, peak memory of its process tree, and the result."""
    started = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_memory(proc.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    done.set()
    sampler.join()
    seconds = time.monotonic() - started
    result = subprocess.CompletedProcess(cmd, proc.returncode, out, err)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{err[-3000:]}")
    return seconds, peak, result


def copy_project(root: Path) -> None:
    for name in ("hubkb.toml", "mkdocs.yml"):
        shutil.copy(REPO / name, root / name)
    shutil.copytree(REPO / "translations", root / "translations", ignore=shutil.ignore_patterns("*.mo"))
    for page in (REPO / "site_src").glob("*/*.md"):
        if page.name != "index.md":
            (root / "site_src" / page.parent.name).mkdir(parents=True, exist_ok=True)
            shutil.copy(page, root / "site_src" / page.parent.name / page.name)


def set_shard_pages(root: Path, shard_pages: int) -> None:
    """Make the project copy in `root` split search indexes into shards of `shard_pages` pages."""
    config = root / "hubkb.toml"
    text = config.read_text(encoding="utf-8")
    if re.search(r"^shard_pages\s*=", text, re.M):
        text = re.sub(r"^shard_pages\s*=.*$", f"shard_pages = {shard_pages}", text, flags=re.M)
    else:
        text += f"\n[search]\nshard_pages = {shard_pages}\n"
    config.write_text(text, encoding="utf-8")


def html_pages(site: Path) -> int:
    return sum(1 for _ in site.rglob("*.html"))


def stock_build(root: Path, locales: list[str]) -> tuple[float, int, int]:
    """Stock mkdocs-material + mkdocs-static-i18n over the same Markdown, item pages out of the navigation."""
    docs = root / "stock_docs"
    # mkdocs-static-i18n names folders by BCP 47 locale (pt-BR), hubkb by Wikibase code (pt-br).
    tags = {loc: loc.split("-")[0] + ("-" + loc.split("-")[1].upper() if "-" in loc else "") for loc in locales}
    for loc in locales:
        shutil.copytree(root / "site_src" / loc, docs / tags[loc])
    config = {
        "site_name": "stock", "docs_dir": str(docs), "site_dir": str(root / "stock_site"),
        "theme": {"name": "material", "font": False},
        "nav": ["index.md", "about.md", "contribute.md", "browse/types/index.md", "browse/a-z/index.md"],
        "plugins": ["search", {"i18n": {"docs_structure": "folder", "languages": [
            {"locale": tags[loc], "name": loc, "build": True, **({"default": True} if loc == "en" else {})}
            for loc in locales]}}],
    }
    path = root / "stock.yml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    seconds, peak, _ = timed([str(BIN / "mkdocs"), "build", "-q", "-f", str(path)], root)
    return seconds, peak, html_pages(root / "stock_site")


def setup(description: str, prefix: str, snapshot_name: str) -> tuple[argparse.Namespace, Path, list[str], Path]:
    """Parse the shared options, copy the project to a temp folder and write the synthetic snapshot there."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--resources", type=int, default=2000)
    parser.add_argument("--tools", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="Keep the temporary folder and print it.")
    parser.add_argument("--shard-pages", type=int, help="Override search.shard_pages of hubkb.toml.")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix=prefix))
    copy_project(root)
    if args.shard_pages:
        set_shard_pages(root, args.shard_pages)
    hubkb = [str(BIN / "hubkb"), "--config", str(root / "hubkb.toml")]
    snapshot = root / snapshot_name
    subprocess.run([*hubkb, "sample", "--resources", str(args.resources), "--tools", str(args.tools),
                    "--out", str(snapshot)], check=True, capture_output=True)
    return args, root, hubkb, snapshot


def edit_label(qid: str, label: str) -> tuple[str, str]:
    """One Metabase edit, a resource's English label, as SPARQL updates for the query service (revisions on
    the item, as the updater lifts them) and for a snapshot (revisions on Special:EntityData)."""
    def update(holder: str) -> str:
        return f"""
PREFIX wd: <https://metabase.wikibase.cloud/entity/>
PREFIX data: <https://metabase.wikibase.cloud/wiki/Special:EntityData/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <http://schema.org/>
DELETE {{ wd:{qid} rdfs:label ?old . {holder} schema:version ?v }}
INSERT {{ wd:{qid} rdfs:label "{label}"@en . {holder} schema:version ?next }}
WHERE {{ wd:{qid} rdfs:label ?old . {holder} schema:version ?v . FILTER(LANG(?old) = "en") BIND(?v + 1 AS ?next) }}"""
    return update(f"wd:{qid}"), update(f"data:{qid}")


def edited_snapshot(snapshot: Path, update: str, out: Path) -> None:
    """The snapshot after one edit, keeping its header (it says the data is a sample)."""
    store = Store()
    store.load(gzip.decompress(snapshot.read_bytes()), format=RdfFormat.TURTLE)
    store.update(update)
    header = b"".join(line for line in gzip.open(snapshot).readlines() if line.startswith(b"#"))
    body = store.dump(format=RdfFormat.TURTLE, from_graph=DefaultGraph()) or b""
    out.write_bytes(gzip.compress(header + body))


def run_checked(cmd: list[str], cwd: Path, expect: int) -> tuple[float, subprocess.CompletedProcess[str]]:
    """Run a command that must exit with `expect`; return its seconds and result."""
    started = time.monotonic()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if proc.returncode != expect:
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}, not {expect}:\n{proc.stderr[-3000:]}")
    return time.monotonic() - started, proc


def main() -> None:
    args, root, hubkb, snapshot = setup(__doc__.splitlines()[0], "hubkb-bench-", "snapshot.ttl.gz")
    locales = ["en", "sv", "fr", "es", "pt-br", "ar"]
    site = root / "site"

    full_s, peak, _ = timed([*hubkb, "build", "--quiet", "--snapshot", str(snapshot), "--out", str(site)], root)
    pages = html_pages(site)
    print(f"hubkb build:  {pages} pages in {full_s:.1f} s = {pages / full_s:.0f} pages/s, "
          f"peak memory {peak / 2**20:.0f} MiB (goal < 1536 MiB)")
    stock_s, stock_peak, stock_pages = stock_build(root, locales)
    print(f"stock build:  {stock_pages} pages in {stock_s:.1f} s = {stock_pages / stock_s:.0f} pages/s, "
          f"peak memory {stock_peak / 2**20:.0f} MiB")
    print(f"ratio:        {(pages / full_s) / (stock_pages / stock_s):.2f}x stock pages per second (goal >= 3)")
    sizes = sorted(p.stat().st_size for p in (site / "en" / "resources").glob("*/index.html"))
    print(f"resource page HTML: median {sizes[len(sizes) // 2] / 1024:.1f} KB, max {sizes[-1] / 1024:.1f} KB "
          f"(goal < 40 KB)")

    server = start_oxigraph(snapshot, root / "oxigraph")
    try:
        changed = [*hubkb, "changed", "--quiet", "--manifest", str(site / "manifest.json"), "--endpoint", server.url]
        seconds, proc = run_checked(changed, root, expect=1)
        print(f"no-change check: {seconds:.1f} s -> {proc.stdout.strip()!r} (goal < 5 s)")
        catalog = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
        qid, label = next((q, r["labels"]["en"]) for q, r in sorted(catalog["resources"].items())
                          if "en" in r["labels"])
        on_server, in_snapshot = edit_label(qid, label.swapcase())
        server.update(on_server)
        edited = root / "edited.ttl.gz"
        edited_snapshot(snapshot, in_snapshot, edited)
        seconds, proc = run_checked(changed, root, expect=0)
        print(f"change check after one edit ({qid}'s English label): {seconds:.1f} s -> "
              f"{proc.stdout.splitlines()[0]!r}")
    finally:
        server.stop()
    seconds, _, _ = timed([*hubkb, "build", "--quiet", "--snapshot", str(snapshot), "--out", str(site)], root)
    print(f"rebuild with nothing changed: {seconds:.1f} s = {100 * seconds / full_s:.1f}% of the full build")
    seconds, peak, proc = timed([*hubkb, "build", "--snapshot", str(edited), "--out", str(site)], root)
    summary = proc.stderr.strip().splitlines()
    print(f"incremental build after that edit: {seconds:.1f} s = {100 * seconds / full_s:.1f}% of the full build "
          f"(goal < 15%), peak memory {peak / 2**20:.0f} MiB")
    for line in summary:
        if line.startswith(("records unchanged", "rendered", "built", "indexed", "updated")):
            print(f"  {line}")
    # The VM's timings wander: undo the edit and make it again, twice, each a one-item incremental build too.
    runs = [seconds]
    for version in (snapshot, edited, snapshot, edited):
        runs.append(timed([*hubkb, "build", "--quiet", "--snapshot", str(version), "--out", str(site)], root)[0])
    median = sorted(runs)[len(runs) // 2]
    print(f"one-item incremental builds, that edit undone and made again twice: "
          f"{', '.join(f'{s:.1f}' for s in runs)} s; median {median:.1f} s = {100 * median / full_s:.1f}%")
    if args.keep:
        print(f"kept {root}")
    else:
        shutil.rmtree(root)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
