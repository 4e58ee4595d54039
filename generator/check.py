"""Check a built site the way a reader and a crawler meet it: links, anchors, and the head of every page."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

# Files of the theme itself that mkdocs-material ships; only our pages are held to the page rules.
SKIP_PAGES = ("404.html",)
# Below this many pages, starting worker processes costs more than it saves.
PARALLEL_FROM = 2000


@dataclass
class PageFacts:
    """What the checker reads from one HTML page."""

    lang: str | None = None
    dir: str | None = None
    title: str | None = None
    canonical: str | None = None
    hreflang: dict[str, str] = field(default_factory=dict)
    links: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    remote_assets: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.facts = PageFacts()
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        f = self.facts
        if tag == "html":
            f.lang, f.dir = a.get("lang"), a.get("dir")
        elif tag == "title":
            self._in_title, f.title = True, ""
        elif tag == "link":
            rel = a.get("rel", "").split()
            if "canonical" in rel:
                f.canonical = a.get("href")
            elif "alternate" in rel and "hreflang" in a:
                f.hreflang[a["hreflang"]] = a.get("href", "")
            elif {"stylesheet", "icon", "preload", "modulepreload"} & set(rel) and _remote(a.get("href", "")):
                f.remote_assets.append(a["href"])
        if "id" in a:
            f.ids.add(a["id"])
        if tag == "a" and "name" in a:
            f.ids.add(a["name"])
        if tag == "a" and "href" in a:
            f.links.append(a["href"])
        for attr in ("src", "srcset", "poster", "data"):
            if attr in a and _remote(a[attr]):
                f.remote_assets.append(a[attr])

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title and self.facts.title is not None:
            self.facts.title += data


def _remote(url: str) -> bool:
    return url.strip().lower().startswith(("http:", "https:", "//"))


def read_page(path: Path) -> PageFacts:
    reader = _Reader()
    reader.feed(path.read_text(encoding="utf-8", errors="replace"))
    return reader.facts


@dataclass(frozen=True)
class Problem:
    page: str
    message: str

    def __str__(self) -> str:
        return f"{self.page}: {self.message}"


def _pages(root: Path) -> Iterator[Path]:
    """HTML pages under root, skipping dot-folders; os.walk tolerates folders that vanish during the walk."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found += [Path(folder) / f for f in files if f.endswith(".html") and f not in SKIP_PAGES]
    yield from sorted(found)


def _target(root: Path, page: Path, href: str) -> tuple[Path, str] | None:
    """The file an internal link leads to, and its fragment; None for external or non-page links."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("mailto:", "tel:")):
        return None
    base = "/" + page.relative_to(root).as_posix()
    resolved = urlsplit(urljoin(base, parts.path)) if parts.path else urlsplit(base)
    path = root / unquote(resolved.path).lstrip("/")
    if resolved.path.endswith("/") or path.is_dir():
        path = path / "index.html"
    return path, unquote(parts.fragment)


def read_pages(pages: list[Path], jobs: int | None = None) -> dict[Path, PageFacts]:
    """Parse pages in worker processes when there are many (HTML parsing is most of a check's time); the
    workers start from a fork server, never by forking a build that may have threads running."""
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1 or len(pages) < PARALLEL_FROM:
        return {page: read_page(page) for page in pages}
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("forkserver")) as pool:
        return dict(zip(pages, pool.map(read_page, pages, chunksize=256), strict=True))


def check_site(root: Path, jobs: int | None = None) -> tuple[int, list[Problem]]:
    """Every internal link and anchor resolves; every page has lang, title, canonical and hreflang; nothing
    is loaded from another origin. Returns the number of pages checked and the problems found."""
    root = Path(root).resolve()
    problems: list[Problem] = []
    pages = list(_pages(root))
    cache = read_pages(pages, jobs)

    def facts(path: Path) -> PageFacts:
        if path not in cache:
            cache[path] = read_page(path)
        return cache[path]

    count = 0
    for page in pages:
        count += 1
        rel = page.relative_to(root).as_posix()
        f = facts(page)
        is_picker = rel == "index.html"
        for name, value in (("lang", f.lang), ("title", f.title), ("canonical link", f.canonical)):
            if not (value or "").strip():
                problems.append(Problem(rel, f"no {name}"))
        if not f.hreflang:
            problems.append(Problem(rel, "no hreflang alternates"))
        elif not is_picker and "x-default" not in f.hreflang:
            problems.append(Problem(rel, "no x-default hreflang"))
        for url in f.remote_assets:
            problems.append(Problem(rel, f"loads {url} from another origin"))
        for href in f.links:
            target = _target(root, page, href)
            if target is None:
                continue
            path, fragment = target
            if not path.is_file():
                problems.append(Problem(rel, f"broken link {href}"))
            elif fragment and path.suffix == ".html" and fragment not in facts(path).ids:
                problems.append(Problem(rel, f"missing anchor {href}"))
    if count == 0:
        problems.append(Problem(".", "no HTML pages: not a built site"))
    return count, problems
