"""Build speed at Metabase scale: hubkb's full build against stock mkdocs-material + mkdocs-static-i18n.

Run: .venv/bin/python benchmarks/build_speed.py [--resources 2000 --tools 200]
Prints pages, seconds, pages per second, peak memory (the whole process tree) and the ratio of the two builds,
then the no-change check and a one-item incremental rebuild, and the size of a resource page.
The stock build needs the benchmark extra: pip install -e '.[bench]'.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants, in bytes (Linux /proc)."""
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
        try:
            for line in (Path("/proc") / str(current) / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            pass
        todo.extend(children.get(current, []))
    return total


def timed(cmd: list[str], cwd: Path) -> tuple[float, int, subprocess.CompletedProcess[str]]:
    """Run a command; return seconds, peak memory of its process tree, and the result."""
    started = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss(proc.pid))
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
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix=prefix))
    copy_project(root)
    hubkb = [str(BIN / "hubkb"), "--config", str(root / "hubkb.toml")]
    snapshot = root / snapshot_name
    subprocess.run([*hubkb, "sample", "--resources", str(args.resources), "--tools", str(args.tools),
                    "--out", str(snapshot)], check=True, capture_output=True)
    return args, root, hubkb, snapshot


def main() -> None:
    args, root, hubkb, snapshot = setup(__doc__.splitlines()[0], "hubkb-bench-", "snapshot.ttl.gz")
    locales = ["en", "sv", "fr", "es", "pt-br", "ar"]

    seconds, peak, _ = timed([*hubkb, "build", "--quiet", "--snapshot", str(snapshot), "--out", str(root / "site")],
                             root)
    pages = html_pages(root / "site")
    print(f"hubkb build:  {pages} pages in {seconds:.1f} s = {pages / seconds:.0f} pages/s, "
          f"peak memory {peak / 2**20:.0f} MiB")
    stock_s, stock_peak, stock_pages = stock_build(root, locales)
    print(f"stock build:  {stock_pages} pages in {stock_s:.1f} s = {stock_pages / stock_s:.0f} pages/s, "
          f"peak memory {stock_peak / 2**20:.0f} MiB")
    print(f"ratio:        {(pages / seconds) / (stock_pages / stock_s):.2f}x stock pages per second (goal >= 3)")
    sizes = sorted(p.stat().st_size for p in (root / "site" / "en" / "resources").glob("*/index.html"))
    print(f"resource page HTML: median {sizes[len(sizes) // 2] / 1024:.1f} KB, max {sizes[-1] / 1024:.1f} KB "
          f"(goal < 40 KB)")
    if args.keep:
        print(f"kept {root}")
    else:
        shutil.rmtree(root)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
