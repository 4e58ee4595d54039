"""The catalog: typed records for resources, tools and the entities they reference, and its canonical JSON."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
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
    """Everything the site shows, plus what the fetch learned about gaps and problems in the data."""

    resources: dict[str, Resource] = field(default_factory=dict)
    tools: dict[str, Tool] = field(default_factory=dict)
    entities: dict[str, Entity] = field(default_factory=dict)
    # Tool field name → Metabase property ID, or None when nothing carries its Wikidata equivalent.
    tool_properties: dict[str, str | None] = field(default_factory=dict)
    tool_classes: list[str] = field(default_factory=list)
    # Problem kind → sorted subjects (e.g. "dangling reference" → ["Q12 → Q99"]); shown in the fetch summary.
    problems: dict[str, list[str]] = field(default_factory=dict)

    def label_of(self, qid: str) -> dict[str, str]:
        """Labels of any record in the catalog, empty when unknown."""
        for table in (self.resources, self.tools, self.entities):
            if qid in table:
                return table[qid].labels
        return {}

    def resources_about(self, qid: str) -> list[Resource]:
        """Learning resources whose main subject (P15) is this item, in QID order."""
        return [r for r in self.resources.values() if qid in r.subjects]

    def to_json(self) -> dict[str, Any]:
        """The canonical document: sorted records, no timestamps, so equal data gives equal bytes."""
        body = {
            "format": FORMAT_VERSION,
            "resources": {q: _clean(asdict(r)) for q, r in sorted(self.resources.items(), key=_qkey)},
            "tools": {q: _clean(asdict(t)) for q, t in sorted(self.tools.items(), key=_qkey)},
            "entities": {q: _clean(asdict(e)) for q, e in sorted(self.entities.items(), key=_qkey)},
            "tool_properties": dict(sorted(self.tool_properties.items())),
            "tool_classes": sorted(self.tool_classes, key=qid_sort_key),
            "problems": {k: sorted(v) for k, v in sorted(self.problems.items())},
        }
        return {"hash": content_hash(body), **body}

    @property
    def hash(self) -> str:
        return str(self.to_json()["hash"])

    def dumps(self) -> str:
        return dumps(self.to_json())

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


def _clean(record: dict[str, Any]) -> dict[str, Any]:
    """Drop the `qid` key (it is the map key) and keep keys sorted."""
    return {k: v for k, v in sorted(record.items()) if k != "qid"}


def dumps(data: Any) -> str:
    """Canonical JSON: sorted keys, UTF-8, two-space indent, trailing newline."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def content_hash(data: Any) -> str:
    """sha256 of the compact canonical JSON of `data`."""
    raw = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return "sha256:" + hashlib.sha256(raw).hexdigest()
