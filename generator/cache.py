"""Rendered pages cached by what they are made of: a page whose inputs did not change is not rendered again.

A page's key hashes everything its Markdown is made of: the locale's environment (hubkb's code and templates,
the locale's translations, the settings), the page's path, template, front matter and template context, where
each resource, tool or entity stands for a digest of its record and of every record it references. The keys of
the last build live beside the generated sources (site_src/.generated/keys.<locale>.json); a page whose key is
unchanged and whose source file is there keeps that file, which is read back when its HTML must be written again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections.abc import Callable
from functools import cache
from importlib import resources as importlib_resources
from pathlib import Path
from typing import Any

from .catalog import Catalog, Entity, Resource, Tool
from .writer import write_atomic

# Fields of a record that say when it was edited, not what it shows.
_VOLATILE = ("modified", "revision")


@cache
def code_digest() -> str:
    """A hash of hubkb's own code and templates: a new generator renders every page again."""
    digest = hashlib.sha256()
    package = Path(str(importlib_resources.files("generator")))
    for path in sorted([*package.glob("*.py"), *package.glob("templates/*")]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _fields(value: Any) -> list[Any]:
    """A dataclass (Date, Link, Text, Group…) as its type name and field values, for json.dumps."""
    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        raise TypeError(f"page cache: cannot key a {type(value).__name__}")
    return [type(value).__name__, *(getattr(value, f.name) for f in dataclasses.fields(value))]


def _hash(data: Any, default: Callable[[Any], Any]) -> str:
    raw = json.dumps(data, default=default, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class Digests:
    """Per-record digests of a catalog, computed once: a record with everything it references."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.known: dict[str, str] = {}
        # An entity's own fields, hashed once however many records reference it.
        self.entities: dict[str, str] = {}

    def _shown(self, record: Resource | Tool | Entity) -> dict[str, Any]:
        return {f.name: getattr(record, f.name) for f in dataclasses.fields(record) if f.name not in _VOLATILE}

    def _entity(self, entity: Entity) -> str:
        found = self.entities.get(entity.qid)
        if found is None:
            found = self.entities[entity.qid] = _hash(self._shown(entity), _fields)
        return found

    def __call__(self, record: Resource | Tool | Entity) -> str:
        found = self.known.get(record.qid)
        if found is None:
            own = self._shown(record)
            referenced: dict[str, Any] = {}
            for value in own.values():
                for qid in value if isinstance(value, list) else [value]:
                    if isinstance(qid, str) and qid != record.qid:
                        # What a page can show of another record: an entity whole, a resource's or tool's name
                        # (Catalog.label_of looks in resources and tools first).
                        entity = self.catalog.entities.get(qid)
                        other = self.catalog.resources.get(qid) or self.catalog.tools.get(qid)
                        if entity is not None or other is not None:
                            referenced[qid] = [entity and self._entity(entity), other and other.labels]
            found = self.known[record.qid] = _hash([type(record).__name__, own, referenced], _fields)
        return found


class PageCache:
    """The page keys of one locale: which pages must be rendered, and the keys to keep for the next build."""

    def __init__(self, keys_file: Path, sources: Path, environment: str, digests: Digests) -> None:
        self.keys_file = keys_file
        self.sources = sources
        self.environment = environment
        self.digests = digests
        try:
            self.previous: dict[str, str] = json.loads(keys_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.previous = {}
        self.keys: dict[str, str] = {}

    def _encode(self, value: Any) -> Any:
        if isinstance(value, (Resource, Tool, Entity)):
            return self.digests(value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return _fields(value)
        if isinstance(value, (set, frozenset)):
            return sorted(value)
        if callable(value):  # helpers are the same for every page of a locale: the environment covers them
            return getattr(value, "__qualname__", type(value).__name__)
        raise TypeError(f"page cache: cannot key a {type(value).__name__}")

    def _records(self, value: Any) -> Any:
        """A record, or a list of them (a listing's entries), as digests before JSON sees them: one call per page
        instead of one encoder callback per record."""
        if isinstance(value, (Resource, Tool, Entity)):
            return self.digests(value)
        if isinstance(value, list) and value and isinstance(value[0], (Resource, Tool)):
            known, digest = self.digests.known, self.digests
            return [known.get(v.qid) or digest(v) for v in value]
        return value

    def key(self, path: str, template: str, front: dict[str, Any], context: dict[str, Any]) -> str:
        plain = {name: self._records(value) for name, value in context.items()}
        key = self.keys[path] = _hash([self.environment, path, template, front, plain], self._encode)
        return key

    def fresh(self, path: str, key: str) -> bool:
        """True when the source file on disk was rendered from exactly these inputs."""
        return self.previous.get(path) == key and os.path.isfile(f"{self.sources}/{path}")

    def forget(self) -> None:
        """Drop the stored keys before sources change, so a build that stops halfway renders them all next time."""
        self.keys_file.unlink(missing_ok=True)

    def save(self) -> None:
        write_atomic(self.keys_file, json.dumps(self.keys, sort_keys=True, indent=0).encode("utf-8"))


def environment_key(*parts: str) -> str:
    """The part of every page key that is shared by a locale: code, translations, settings."""
    return hashlib.sha256("\0".join([code_digest(), *parts]).encode("utf-8")).hexdigest()


def read_body(source: Path) -> str:
    """The body of a generated Markdown page (what follows its front matter), as `Page.markdown` wrote it."""
    text = source.read_text(encoding="utf-8")
    end = text.find("\n---\n", 3)
    if not text.startswith("---\n") or end < 0:
        raise ValueError(f"{source}: not a generated page (no front matter)")
    return text[end + 6:]

