"""The one way output reaches disk: atomic, never the same path twice, unchanged bytes left alone."""

from __future__ import annotations

import ctypes
import errno
import os
import sys
import tempfile
from pathlib import Path

from .errors import BuildError

# renameat2(2) flag: swap two paths in one step (Linux 3.15+, on most local file systems).
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def write_atomic(path: Path, data: bytes) -> bool:
    """Write through a temp file and os.replace; return False (and keep the mtime) when the bytes are unchanged."""
    path = Path(path)
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths atomically, so no reader ever sees neither; False where the system cannot."""
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None) if sys.platform == "linux" else None
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


class Writer:
    """Writes files under `root`, refusing a second write to one path and pruning what a run did not write.

    `known` is the list of files a previous run recorded as written there (such as a locale's page keys): when
    given, it stands for the folder's content, since walking thousands of page folders costs more than the rest
    of a build with nothing to do. A file recorded but gone is written again by `write`, and `keep` of it fails
    loudly later (cache.read_body), never silently."""

    def __init__(self, root: Path, known: set[str] | None = None) -> None:
        self.root = Path(root)
        self.seen: set[str] = set()
        self.changed: list[str] = []
        self.removed: list[str] = []
        self._existing: set[str] | None = set(known) if known is not None else None

    def existing(self) -> set[str]:
        """The files under `root` before this run wrote any (recorded, or one walk of the folder)."""
        if self._existing is None:
            found: set[str] = set()
            root = str(self.root)
            for folder, _, names in os.walk(root):
                prefix = folder[len(root) + 1:].replace(os.sep, "/")
                found.update(f"{prefix}/{name}" if prefix else name for name in names)
            self._existing = found
        return self._existing

    def keep(self, relpath: str) -> None:
        """Count a file as this run's without touching it (a page whose source on disk is still right)."""
        if relpath in self.seen:
            raise BuildError(f"{self.root / relpath}: written twice in one build (two pages share a path)")
        self.existing()
        self.seen.add(relpath)

    def write(self, relpath: str, data: str | bytes) -> bool:
        self.keep(relpath)
        raw = data.encode("utf-8") if isinstance(data, str) else data
        if write_atomic(self.root / relpath, raw):
            self.changed.append(relpath)
            return True
        return False

    def prune(self, generated: tuple[str, ...]) -> list[str]:
        """Delete files under the generated paths (top-level names; "" for all) that this run did not write,
        such as pages of items gone from Metabase, then the folders that left empty."""
        for rel in sorted(self.existing() - self.seen):
            if "" in generated or rel.split("/", 1)[0] in generated:
                try:
                    (self.root / rel).unlink()
                except FileNotFoundError:  # recorded by a previous run, removed by hand since
                    continue
                self.removed.append(rel)
        for folder in sorted({str(Path(rel).parent) for rel in self.removed}, key=len, reverse=True):
            path = self.root / folder
            while path != self.root and path.is_dir() and not any(path.iterdir()):
                path.rmdir()
                path = path.parent
        return self.removed
