"""Publishing at Metabase scale over a real `oxigraph serve`: what `hubkb changed` costs when nothing changed,
against a full fetch, and what a rebuild rewrites after one label edit.

Run: .venv/bin/python benchmarks/publish_speed.py [--resources 2000 --tools 200]
Prints seconds and SPARQL queries of a full fetch and of `hubkb changed` (unchanged, then after an edit), then the
full build, and the incremental rebuild's rewritten source pages and seconds.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from build_speed import setup

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from fakes import FaultProxy, start_oxigraph  # noqa: E402

from generator.catalog import Catalog  # noqa: E402
from generator.config import load_config  # noqa: E402
from generator.source import prefixes  # noqa: E402


def run(cmd: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.monotonic()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return time.monotonic() - started, proc


def main() -> None:
    args, root, hubkb, snapshot = setup(__doc__.splitlines()[0], "hubkb-publish-", "snapshot.ttl")
    server = start_oxigraph(snapshot, root / "oxigraph")
    try:
        with FaultProxy(server.url) as proxy:
            def measured(*command: str) -> tuple[float, int, subprocess.CompletedProcess[str]]:
                before = len(proxy.requests)
                seconds, proc = run([*hubkb, *command, "--endpoint", proxy.url], root)
                return seconds, len(proxy.requests) - before, proc

            seconds, queries, _ = measured("fetch", "-q", "--out", str(root / "catalog.json"))
            print(f"full fetch:           {seconds:6.1f} s, {queries:4d} queries "
                  f"({args.resources} resources, {args.tools} tools)")
            seconds, _, proc = measured("publish", "-q", "--to", str(root / "site"))
            print(f"full publish:         {seconds:6.1f} s (fetch, 6 locales, search index, link check)")
            manifest = str(root / "site" / "manifest.json")
            seconds, queries, proc = measured("changed", "-q", "--manifest", manifest)
            print(f"changed, unchanged:   {seconds:6.1f} s, {queries:4d} queries -> {proc.stdout.strip()!r} "
                  f"(exit {proc.returncode})")

            catalog = Catalog.read(root / "catalog.json")
            qid, label = next((q, r.labels["en"]) for q, r in catalog.resources.items() if "en" in r.labels)
            server.update(prefixes(load_config(root / "hubkb.toml")) + f"""
DELETE {{ wd:{qid} rdfs:label ?old . wd:{qid} schema:version ?v }}
INSERT {{ wd:{qid} rdfs:label "{label.swapcase()}"@en . wd:{qid} schema:version ?next }}
WHERE {{ wd:{qid} rdfs:label ?old ; schema:version ?v . FILTER(LANG(?old) = "en") BIND(?v + 1 AS ?next) }}""")
            seconds, queries, proc = measured("changed", "-q", "--manifest", manifest)
            print(f"changed, one edit:    {seconds:6.1f} s, {queries:4d} queries -> "
                  f"{proc.stdout.splitlines()[0]!r} (exit {proc.returncode})")
            seconds, _, proc = measured("publish", "--to", str(root / "site"))
            rewritten = sum(int(n) for n in re.findall(r"(\d+) changed", proc.stderr))
            total = sum(1 for _ in (root / "site_src").glob("*/**/*.md"))
            print(f"incremental publish:  {seconds:6.1f} s, {rewritten} of {total} source pages rewritten")
    finally:
        server.stop()
    if args.keep:
        print(f"kept {root}")
    else:
        shutil.rmtree(root)


if __name__ == "__main__":
    main()
