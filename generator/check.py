"""Check a built site the way a reader and a crawler meet it: links, anchors, and the head of every page."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import posixpath
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .writer import write_atomic

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


@dataclass
class Tree:
    """A site's files as one walk found them, by path relative to its root (`/`-separated)."""

    pages: list[str]  # HTML pages, dot-folders and the theme's own pages skipped, sorted
    files: set[str]
    folders: set[str]  # "" for the root


def walk(root: Path) -> Tree:
    """One walk of the site: the checker then asks sets, not the file system, whether a link's target exists."""
    tree = Tree([], set(), {""})
    for folder, dirs, names in os.walk(root):
        rel = Path(folder).relative_to(root).as_posix()
        prefix = "" if rel == "." else f"{rel}/"
        tree.folders.update(f"{prefix}{d}" for d in dirs)
        tree.files.update(f"{prefix}{n}" for n in names)
        if not any(part.startswith(".") for part in prefix.split("/")):
            tree.pages += [f"{prefix}{n}" for n in names if n.endswith(".html") and n not in SKIP_PAGES]
    tree.pages.sort()
    return tree


class Targets:
    """Where an internal link leads: the file (relative to the root) and the fragment; None for external or
    non-page links. Kept per folder and link: the same menu and listing links appear on thousands of pages."""

    def __init__(self, tree: Tree) -> None:
        self.folders = tree.folders
        self.known: dict[tuple[str, str], str] = {}

    def __call__(self, page: str, href: str) -> tuple[str, str] | None:
        if ":" in href or href.startswith("//"):  # a scheme (https:, mailto:, tel:…) or another host
            parts = urlsplit(href)
            if parts.scheme or parts.netloc:
                return None
            path, fragment = parts.path, parts.fragment
        else:
            path, _, fragment = href.partition("#")
            path = path.partition("?")[0]
        if not path:
            return page, unquote(fragment)
        folder = posixpath.dirname(page)
        target = self.known.get((folder, path))
        if target is None:
            # RFC 3986 resolution against the page's folder; empty segments dropped as a file system does.
            segments = [] if path.startswith("/") or not folder else folder.split("/")
            for segment in path.split("/"):
                if segment == "..":
                    if segments:
                        segments.pop()
                elif segment not in ("", "."):
                    segments.append(segment)
            target = unquote("/".join(segments))
            if path.endswith(("/", "/.", "/..")) or path in (".", "..") or target in self.folders:
                target = f"{target}/index.html" if target else "index.html"
            self.known[folder, path] = target
        return target, unquote(fragment)


def read_pages(root: Path, pages: list[str], jobs: int | None = None) -> dict[str, PageFacts]:
    """Parse pages in worker processes when there are many (HTML parsing is most of a check's time); the
    workers start from a fork server, never by forking a build that may have threads running."""
    jobs = jobs or os.cpu_count() or 1
    paths = [root / page for page in pages]
    if jobs == 1 or len(pages) < PARALLEL_FROM:
        return {page: read_page(path) for page, path in zip(pages, paths, strict=True)}
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("forkserver")) as pool:
        return dict(zip(pages, pool.map(read_page, paths, chunksize=256), strict=True))


def _digest(path: Path) -> str:
    return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()


def read_known(root: Path, pages: list[str], memo: Path | None, jobs: int | None) -> dict[str, PageFacts]:
    """The facts of every page: parsed, or, with a `memo` file, taken from it for pages whose bytes were
    checked before (keyed by a hash of the bytes, so any change is parsed again); the memo then holds this
    site's pages."""
    if memo is None:
        return read_pages(root, pages, jobs)
    try:
        known = {k: PageFacts(lang=v[0], dir=v[1], title=v[2], canonical=v[3], hreflang=v[4], links=v[5],
                              ids=set(v[6]), remote_assets=v[7]) for k, v in json.loads(memo.read_bytes()).items()}
    except (OSError, ValueError, TypeError, LookupError, AttributeError):  # none yet, or not one of ours
        known = {}
    digests = {page: _digest(root / page) for page in pages}
    facts = {page: known[d] for page, d in digests.items() if d in known}
    facts.update(read_pages(root, [page for page in pages if page not in facts], jobs))
    kept = {digests[page]: [f.lang, f.dir, f.title, f.canonical, f.hreflang, f.links, sorted(f.ids), f.remote_assets]
            for page, f in facts.items()}
    write_atomic(memo, json.dumps(kept, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    return facts


def check_site(root: Path, jobs: int | None = None, memo: Path | None = None) -> tuple[int, list[Problem]]:
    """Every internal link and anchor resolves; every page has lang, title, canonical and hreflang; nothing
    is loaded from another origin. Returns the number of pages checked and the problems found. `memo` (a file)
    keeps what was read of each page, so a site checked again is parsed only where its pages changed."""
    root = Path(root).resolve()
    problems: list[Problem] = []
    tree = walk(root)
    cache = read_known(root, tree.pages, memo, jobs)
    target_of = Targets(tree)

    def facts(page: str) -> PageFacts:
        if page not in cache:
            cache[page] = read_page(root / page)
        return cache[page]

    for rel in tree.pages:
        f = facts(rel)
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
            target = target_of(rel, href)
            if target is None:
                continue
            path, fragment = target
            if path not in tree.files:
                problems.append(Problem(rel, f"broken link {href}"))
            elif fragment and path.endswith(".html") and fragment not in facts(path).ids:
                problems.append(Problem(rel, f"missing anchor {href}"))
    if not tree.pages:
        problems.append(Problem(".", "no HTML pages: not a built site"))
    return len(tree.pages), problems
