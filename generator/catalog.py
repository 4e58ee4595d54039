"""The catalog: typed records for resources, tools and the entities they reference, and its canonical JSON."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any

from .errors import SourceError
from .writer import write_atomic

FORMAT_VERSION = 1


@dataclass(frozen=True)
class Date:
    """A Wikibase time cut to its precision: `2021` (9, year), `2021-05` (10, month), `2021-05-14` (11, day)."""

    iso: str
    precision: int

    @property
    def year(self) -> int:
        return int(self.iso.lstrip("-").split("-")[0]) * (-1 if self.iso.startswith("-") else 1)


@dataclass(frozen=True)
class Link:
    """An http(s) link derived from a statement; `kind` says which statement it came from."""

    kind: str
    url: str


@dataclass
class Entity:
    """Any referenced item (type, language, subject, publisher, author, event, licence, technology…)."""

    qid: str
    labels: dict[str, str] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    wikidata: str | None = None
    # For language items: the Wikimedia language code (Wikidata P424 equivalent).
    language_code: str | None = None
    # False when the entity has no triples at all: a dangling reference.
    exists: bool = True
    # Its last edit, so `hubkb changed` can tell that a label shown on the site changed without a full fetch.
    modified: str | None = None
    revision: str | None = None


@dataclass
class Resource:
    """A capacity-building (learning) resource."""

    qid: str
    labels: dict[str, str] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    types: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)
    publishers: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    author_names: list[str] = field(default_factory=list)
    part_of: list[str] = field(default_factory=list)
    used_by: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    date: Date | None = None
    links: list[Link] = field(default_factory=list)
    wikidata: str | None = None
    modified: str | None = None
    revision: str | None = None


@dataclass
class Tool:
    """A software tool, with Toolhub's toolinfo fields."""

    qid: str
    labels: dict[str, str] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    types: list[str] = field(default_factory=list)
    website: list[str] = field(default_factory=list)
    repository: list[str] = field(default_factory=list)
    licenses: list[str] = field(default_factory=list)
    developers: list[str] = field(default_factory=list)
    technologies: list[str] = field(default_factory=list)
    ui_languages: list[str] = field(default_factory=list)
    user_docs: list[str] = field(default_factory=list)
    bugtracker: list[str] = field(default_factory=list)
    versions: list[str] = field(default_factory=list)
    wikidata: str | None = None
    modified: str | None = None
    revision: str | None = None


@dataclass
class Catalog:
    """Everything the site shows, plus what the fetch learned about gaps and problems in the data.

    Complete once fetched or read: its canonical JSON's hash and text are made when first asked for and
    kept (a build asks for them several times). Assigning a field forgets them; a record changed in place
    would not, so make a new Catalog rather than edit one whose hash or text was asked for (nothing in hubkb
    edits a finished catalog: the fetch fills its new Catalog before anyone reads it).
    """

    resources: dict[str, Resource] = field(default_factory=dict)
    tools: dict[str, Tool] = field(default_factory=dict)
    entities: dict[str, Entity] = field(default_factory=dict)
    # Tool field name → Metabase property ID, or None when nothing carries its Wikidata equivalent.
    tool_properties: dict[str, str | None] = field(default_factory=dict)
    tool_classes: list[str] = field(default_factory=list)
    # Problem kind → sorted subjects (e.g. "dangling reference" → ["Q12 → Q99"]); shown in the fetch summary.
    problems: dict[str, list[str]] = field(default_factory=dict)
    # "hash" and "text" of the canonical JSON, and the resources about each subject, once asked for.
    _canonical: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)
    _about: dict[str, list[Resource]] | None = field(default=None, init=False, repr=False, compare=False)

    def __setattr__(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, value)
        if name not in ("_canonical", "_about"):
            object.__setattr__(self, "_canonical", {})
            object.__setattr__(self, "_about", None)

    def label_of(self, qid: str) -> dict[str, str]:
        """Labels of any record in the catalog, empty when unknown."""
        for table in (self.resources, self.tools, self.entities):
            if qid in table:
                return table[qid].labels
        return {}

    def resources_about(self, qid: str) -> list[Resource]:
        """Learning resources whose main subject (P15) is this item, in catalog order (every tool page of every
        locale asks, so all subjects are indexed at the first call)."""
        if self._about is None:
            about: dict[str, list[Resource]] = {}
            for r in self.resources.values():
                for subject in dict.fromkeys(r.subjects):
                    about.setdefault(subject, []).append(r)
            self._about = about
        return list(self._about.get(qid, ()))

    def to_json(self) -> dict[str, Any]:
        """The canonical document: sorted records, no timestamps, so equal data gives equal bytes."""
        return dict(json.loads(self.dumps()))

    def _body(self) -> dict[str, Any]:
        """The canonical document without its hash, for `content_hash` and `dumps` only: its records are
        views that share the catalog's lists and dicts, and keep their Date and Link values."""
        return {
            "format": FORMAT_VERSION,
            "resources": {q: _record(r) for q, r in sorted(self.resources.items(), key=_qkey)},
            "tools": {q: _record(t) for q, t in sorted(self.tools.items(), key=_qkey)},
            "entities": {q: _record(e) for q, e in sorted(self.entities.items(), key=_qkey)},
            "tool_properties": dict(sorted(self.tool_properties.items())),
            "tool_classes": sorted(self.tool_classes, key=qid_sort_key),
            "problems": {k: sorted(v) for k, v in sorted(self.problems.items())},
        }

    @property
    def hash(self) -> str:
        if "hash" not in self._canonical:
            self._canonical["hash"] = content_hash(self._body())
        return self._canonical["hash"]

    def dumps(self) -> str:
        if "text" not in self._canonical:
            body = self._body()
            if "hash" not in self._canonical:
                self._canonical["hash"] = content_hash(body)
            self._canonical["text"] = dumps({"hash": self._canonical["hash"], **body})
        return self._canonical["text"]

    def write(self, path: Path) -> None:
        """Write atomically: a failed run never leaves a half-written or replaced catalog."""
        write_atomic(path, self.dumps().encode("utf-8"))

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Catalog:
        if data.get("format") != FORMAT_VERSION:
            raise SourceError(f"catalog format {data.get('format')!r} is not {FORMAT_VERSION}; fetch it again")
        resources = {}
        for q, r in data["resources"].items():
            r = dict(r)
            r["date"] = Date(**r["date"]) if r.get("date") else None
            r["links"] = [Link(**link) for link in r.get("links", [])]
            resources[q] = Resource(qid=q, **r)
        return cls(
            resources=resources,
            tools={q: Tool(qid=q, **t) for q, t in data["tools"].items()},
            entities={q: Entity(qid=q, **e) for q, e in data["entities"].items()},
            tool_properties=data.get("tool_properties", {}),
            tool_classes=data.get("tool_classes", []),
            problems=data.get("problems", {}),
        )

    @classmethod
    def read(cls, path: Path) -> Catalog:
        try:
            return cls.from_json(json.loads(path.read_text(encoding="utf-8")))
        except OSError as exc:
            raise SourceError(f"{path}: cannot read catalog: {exc.strerror}") from exc
        except (ValueError, KeyError, TypeError) as exc:
            raise SourceError(f"{path}: not a hubkb catalog: {exc}") from exc


def qid_sort_key(qid: str) -> tuple[str, int]:
    """Order Q2 before Q10: by letter, then number."""
    return (qid[:1], int(qid[1:]) if qid[1:].isdigit() else -1)


def _qkey(item: tuple[str, Any]) -> tuple[str, int]:
    return qid_sort_key(item[0])


# Field names of each record class, sorted, without `qid` (it is the map key).
_FIELDS: dict[type, tuple[str, ...]] = {}


def _record(record: Any) -> dict[str, Any]:
    """A record's fields but `qid` (it is the map key), its values as they are (not copied as asdict does)."""
    names = _FIELDS.get(type(record))
    if names is None:
        names = _FIELDS[type(record)] = tuple(sorted(f.name for f in fields(record) if f.name != "qid"))
    return {name: getattr(record, name) for name in names}


def _fields(value: Any) -> dict[str, Any]:
    """A dataclass value (Date, Link) as JSON writes it: what dataclasses.asdict gives, one level at a time."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in fields(value)}
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


class _Unusual(Exception):
    """A value `_indented` leaves to the json module."""


_encode = json.encoder.encode_basestring  # the C one where there is one
_SCALARS = {None: "null", True: "true", False: "false"}


def _strings(values: list[str] | tuple[str, ...], newline: str) -> str:
    """A list of strings at the indent of `newline`."""
    if not values:
        return "[]"
    inner = newline + " "
    return "[" + inner + ("," + inner).join(map(_encode, values)) + newline + "]"


def _indented(value: Any, newline: str, out: list[str]) -> None:
    """Append `value` as json.dumps(…, ensure_ascii=False, sort_keys=True, indent=1) writes it, at the
    indent of `newline`; the json module's own indenting encoder is pure Python and several times slower."""
    if isinstance(value, str):
        out.append(_encode(value))
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + " "
        start = "{" + inner
        for key in sorted(value):
            if not isinstance(key, str):
                raise _Unusual
            item = value[key]
            head = start + _encode(key) + ": "
            start = "," + inner
            # A record's usual values (a string, none, a list of strings) without a call each.
            if type(item) is str:
                out.append(head + _encode(item))
            elif item is None:
                out.append(head + "null")
            elif type(item) is list and all(type(v) is str for v in item):
                out.append(head + _strings(item, inner))
            else:
                out.append(head)
                _indented(item, inner, out)
        out.append(newline + "}")
    elif isinstance(value, (list, tuple)):
        inner = newline + " "
        if all(type(item) is str for item in value):
            out.append(_strings(value, newline))
            return
        start = "[" + inner
        for item in value:
            out.append(start)
            _indented(item, inner, out)
            start = "," + inner
        out.append(newline + "]")
    elif type(value) is int:
        out.append(int.__repr__(value))
    elif value is None or value is True or value is False:
        out.append(_SCALARS[value])
    elif is_dataclass(value) and not isinstance(value, type):
        _indented(_fields(value), newline, out)
    else:
        raise _Unusual


def dumps(data: Any) -> str:
    """Canonical JSON: sorted keys, UTF-8, one-space indent, trailing newline."""
    out: list[str] = []
    try:
        _indented(data, "\n", out)
    except _Unusual:
        return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1, default=_fields) + "\n"
    return "".join(out) + "\n"


def content_hash(data: Any) -> str:
    """sha256 of the compact canonical JSON of `data` (dataclass values in it as dataclasses.asdict gives them)."""
    raw = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_fields).encode("utf-8")
    return "sha256:" + hashlib.sha256(raw).hexdigest()
