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
    """Writes files under `root`, refusing a second write to one path and pruning what a run did not write."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.seen: set[str] = set()
        self.changed: list[str] = []
        self.removed: list[str] = []

    def write(self, relpath: str, data: str | bytes) -> bool:
        if relpath in self.seen:
            raise BuildError(f"{self.root / relpath}: written twice in one build (two pages share a path)")
        self.seen.add(relpath)
        raw = data.encode("utf-8") if isinstance(data, str) else data
        if write_atomic(self.root / relpath, raw):
            self.changed.append(relpath)
            return True
        return False

    def prune(self, generated: tuple[str, ...]) -> list[str]:
        """Delete files under the generated paths that this run did not write (items gone from Metabase)."""
        for top in generated:
            base = self.root / top
            candidates = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file())
            for path in candidates:
                rel = path.relative_to(self.root).as_posix()
                if rel not in self.seen:
                    path.unlink()
                    self.removed.append(rel)
        for top in generated:
            base = self.root / top
            if base.is_dir():
                for folder in sorted((p for p in base.rglob("*") if p.is_dir()), reverse=True):
                    if not any(folder.iterdir()):
                        folder.rmdir()
        return self.removed
