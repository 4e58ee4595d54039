"""Has Metabase changed since the published site was built? Proved with revisions alone when it has not.

A build's manifest.json records the revision (schema:version, else schema:dateModified) of every resource and
tool, and of every referenced item the pages show (types, languages, subjects, publishers, authors, events,
licences…), how tool classes and fields resolved, and a hash of the settings that shape the pages. The check
lists resources and tools with their revisions (one paged query), asks for the revisions of the recorded
referenced items (batched) and resolves the tool mirrors again: an edit anywhere in what the site shows bumps
one of those revisions. Only a manifest that cannot prove it (written before these fields, or holding items
without a revision) costs a full fetch, whose catalog hash is then compared.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from .cache import code_digest
from .catalog import Catalog, Entity, content_hash, qid_sort_key
from .config import Config
from .errors import HubkbError, SourceError
from .fetch import Fetcher, Progress, fetch_catalog
from .source import Source

log = logging.getLogger(__name__)

MANIFEST_NAME = "manifest.json"
# A referenced item that does not exist (a dangling reference) is recorded as this, never as a revision.
MISSING = "missing"
# QIDs printed per line at most; the counts are always complete.
SHOWN = 50


def stamp(revision: str | None, modified: str | None) -> str:
    """What identifies one state of an item: its revision, else its last edit time ("" when it has neither)."""
    return revision or modified or ""


def settings_hash(config: Config) -> str:
    """A hash of the settings that shape the pages (not timeouts or the endpoint), so a changed hubkb.toml counts."""
    data = dataclasses.asdict(config)
    for volatile in ("root", "publish"):
        data.pop(volatile)
    data["source"] = {k: data["source"][k] for k in ("entity_base", "wiki_base")}
    return content_hash(data)


@dataclass(frozen=True)
class Fingerprint:
    """What a site was built from, as its manifest records it."""

    items: dict[str, str]
    entities: dict[str, str]
    tools: dict[str, Any]
    settings: str

    def manifest_fields(self) -> dict[str, Any]:
        """The manifest keys that hold this fingerprint."""
        return {"items": dict(sorted(self.items.items(), key=_qkey)),
                "entities": dict(sorted(self.entities.items(), key=_qkey)),
                "tools": self.tools, "settings": self.settings}

    @property
    def provable(self) -> bool:
        """True when every recorded item has a revision, so unchanged revisions prove unchanged pages."""
        return all(self.items.values()) and all(self.entities.values())

    @classmethod
    def from_manifest(cls, manifest: dict[str, Any]) -> Fingerprint | None:
        """The fingerprint a manifest records; None when it was written before hubkb recorded one."""
        if not all(isinstance(manifest.get(k), dict) for k in ("items", "entities", "tools")):
            return None
        return cls(items=manifest["items"], entities=manifest["entities"], tools=manifest["tools"],
                   settings=str(manifest.get("settings", "")))


def _qkey(item: tuple[str, Any]) -> tuple[str, int]:
    return qid_sort_key(item[0])


def _entity_stamp(entity: Entity) -> str:
    return stamp(entity.revision, entity.modified) if entity.exists else MISSING


def _tools(properties: dict[str, str | None], classes: list[str]) -> dict[str, Any]:
    return {"classes": sorted(classes, key=qid_sort_key), "properties": dict(sorted(properties.items()))}


def fingerprint(catalog: Catalog, config: Config) -> Fingerprint:
    """The fingerprint of a fetched catalog, for the manifest of the site built from it."""
    items = {q: stamp(r.revision, r.modified) for q, r in catalog.resources.items()}
    items.update({q: stamp(t.revision, t.modified) for q, t in catalog.tools.items()})
    return Fingerprint(items=items, entities={q: _entity_stamp(e) for q, e in catalog.entities.items()},
                       tools=_tools(catalog.tool_properties, catalog.tool_classes), settings=settings_hash(config))


def current_fingerprint(source: Source, config: Config, entities: list[str],
                        progress: Progress | None = None) -> Fingerprint:
    """Today's revisions of the resources, the tools and the given referenced items, without a full fetch."""
    fetcher = Fetcher(source, config, progress)
    properties, tool_classes = fetcher.resolve_mirrors()
    found = fetcher.revisions_of(list(config.resource_classes), "resources")
    found.update(fetcher.revisions_of(tool_classes, "tools"))
    stub = Catalog(entities={q: Entity(qid=q) for q in entities})
    fetcher.meta(stub)
    return Fingerprint(items={q: stamp(*pair) for q, pair in found.items()},
                       entities={q: _entity_stamp(e) for q, e in stub.entities.items()},
                       tools=_tools(properties, tool_classes), settings=settings_hash(config))


@dataclass
class Changes:
    """What differs between the published site's data and Metabase's now."""

    added: list[str] = field(default_factory=list)
    modified: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    referenced: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    full_fetch: bool = False

    @property
    def changed(self) -> bool:
        return any((self.added, self.modified, self.removed, self.referenced, self.reasons))

    def lines(self) -> list[str]:
        """What `hubkb changed` prints: `unchanged`, or the counts and then the QIDs of each kind of change."""
        if not self.changed:
            return ["unchanged"]
        n = len(self.referenced)
        lines = [f"changed: {len(self.added)} added, {len(self.modified)} modified, {len(self.removed)} removed, "
                 f"{n} referenced item{'' if n == 1 else 's'} changed"]
        for name, qids in (("added", self.added), ("modified", self.modified), ("removed", self.removed),
                           ("referenced", self.referenced)):
            if qids:
                more = f" … and {len(qids) - SHOWN} more" if len(qids) > SHOWN else ""
                lines.append(f"{name}: {' '.join(qids[:SHOWN])}{more}")
        return lines + self.reasons


def _sorted(qids: set[str]) -> list[str]:
    return sorted(qids, key=qid_sort_key)


def compare(old: Fingerprint, new: Fingerprint) -> Changes:
    """The differences between two fingerprints; referenced items are compared where both know them."""
    changes = Changes(
        added=_sorted(set(new.items) - set(old.items)),
        removed=_sorted(set(old.items) - set(new.items)),
        modified=_sorted({q for q in set(old.items) & set(new.items) if old.items[q] != new.items[q]}),
        referenced=_sorted({q for q in set(old.entities) & set(new.entities) if old.entities[q] != new.entities[q]}),
    )
    if old.tools != new.tools:
        changes.reasons.append("tool classes or tool fields now resolve to other Metabase IDs")
    if old.settings != new.settings:
        changes.reasons.append("settings in hubkb.toml that shape the pages changed since the site was built")
    return changes


def what_changed(config: Config, source: Source, manifest: dict[str, Any],
                 progress: Progress | None = None) -> Changes:
    """Compare Metabase now with the manifest of the published site, fetching everything only when unprovable."""
    previous = Fingerprint.from_manifest(manifest)
    if previous is not None and previous.provable:
        changes = compare(previous, current_fingerprint(source, config, list(previous.entities), progress))
    else:
        catalog = fetch_catalog(source, config, progress)
        now = fingerprint(catalog, config)
        items = {q: str(r) for q, r in manifest["items"].items()}
        changes = compare(dataclasses.replace(now, items=items), now)
        changes.full_fetch = True
        if catalog.hash != manifest.get("catalog_hash") and not changes.changed:
            changes.reasons.append("the catalog differs from the one the site was built from")
    built = manifest.get("locales")
    if built != list(config.locale_codes):
        changes.reasons.append(f"the site has locales {built}, hubkb.toml configures {list(config.locale_codes)}")
    return changes


class Provenance(NamedTuple):
    """Where a build's catalog came from, as its manifest records it."""

    sample: bool
    origin: str


def origin(source: Source) -> str:
    """What a manifest records of the data a site was built from, so that the next build may reuse the
    unchanged records of its catalog: the source's origin and this code (its normalisation may differ)."""
    return f"{source.origin}, hubkb code {code_digest()[:16]}"


def reusable_catalog(site: Path, source: Source, config: Config) -> Catalog | None:
    """The catalog of the site in `site` when a fetch from `source` may reuse its unchanged records: made by
    this code from the same origin with the same settings; None otherwise (then everything is read)."""
    try:
        built = json.loads((site / MANIFEST_NAME).read_text(encoding="utf-8"))
        if not isinstance(built, dict) or built.get("origin") != origin(source) \
                or built.get("settings") != settings_hash(config):
            return None
        return Catalog.read(site / "catalog.json")
    except (OSError, ValueError, HubkbError):
        return None


def read_manifest(ref: str | Path, timeout: float = 60.0) -> dict[str, Any]:
    """A site's manifest.json from a file or an http(s) URL; anything unreadable is one SourceError naming it."""
    text = str(ref)
    try:
        if text.startswith(("http://", "https://")):
            from .remote import USER_AGENT

            request = urllib.request.Request(text, headers={"User-Agent": USER_AGENT, "Accept": "application/json"})
            with urllib.request.urlopen(request, timeout=timeout) as response:
                raw = response.read()
        elif "://" in text:
            raise SourceError(f"{text}: a manifest is a file or an http(s) URL")
        else:
            raw = Path(text).read_bytes()
        data = json.loads(raw)
    except urllib.error.HTTPError as exc:
        raise SourceError(f"{text}: HTTP {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        raise SourceError(f"{text}: cannot fetch the manifest: {exc.reason}") from exc
    except (TimeoutError, ConnectionError) as exc:
        raise SourceError(f"{text}: cannot fetch the manifest: {exc}") from exc
    except OSError as exc:
        raise SourceError(f"{text}: cannot read the manifest: {exc.strerror or exc}") from exc
    except ValueError as exc:
        raise SourceError(f"{text}: not a hubkb manifest: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("items"), dict):
        raise SourceError(f"{text}: not a hubkb manifest: no \"items\" object")
    return data
