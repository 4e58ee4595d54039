"""Run the .rq queries through a Source and normalise the rows into a complete Catalog."""

from __future__ import annotations

import gc
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from .catalog import Catalog, Date, Entity, Link, Resource, Tool, qid_sort_key
from .config import Config
from .errors import SourceError
from .source import Source, load_query
from .values import (
    clean_text,
    commons_file_url,
    entity_id,
    http_url,
    is_unknown,
    language_code,
    wiki_page_url,
    wikibase_date,
    wikidata_id,
    youtube_url,
)

log = logging.getLogger(__name__)

# (stage, done, total): called as batches complete, so the CLI can show progress on long remote fetches.
Progress = Callable[[str, int, int], None]

RANKS = {
    "http://wikiba.se/ontology#PreferredRank": 2,
    "http://wikiba.se/ontology#NormalRank": 1,
    "http://wikiba.se/ontology#DeprecatedRank": 0,
}
# Which statements become which links, in the order a page lists them.
LINK_KINDS = (
    ("course_url", "url"), ("described_at_url", "url"), ("wiki_page", "interwiki"),
    ("described_at_page", "interwiki"), ("commons_video", "commons"), ("commons_document", "commons"),
    ("youtube", "youtube"),
)
# Tool fields and their catalog attribute, by value kind.
TOOL_ITEM_FIELDS = {"license": "licenses", "developer": "developers", "technology": "technologies",
                    "ui_language": "ui_languages"}
TOOL_URL_FIELDS = {"website": "website", "repository": "repository", "user_docs": "user_docs",
                   "bugtracker": "bugtracker"}


@dataclass(frozen=True)
class Statement:
    """One best-rank statement value, with what the queries found beside it."""

    node: str
    value: dict[str, str]
    time: str | None = None
    precision: int | None = None
    role: dict[str, str] | None = None


def _values(ids: Iterable[str], prefix: str) -> str:
    return " ".join(f"{prefix}:{i}" for i in ids)


def _literals(values: Iterable[str]) -> str:
    return " ".join('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values)


def _batches(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _sorted_ids(ids: Iterable[str]) -> list[str]:
    return sorted(set(ids), key=qid_sort_key)


class Fetcher:
    """One fetch: asks the source, collects problems, returns a catalog. Nothing is written here."""

    def __init__(self, source: Source, config: Config, progress: Progress | None = None) -> None:
        self.source = source
        self.config = config
        self.progress = progress or (lambda stage, done, total: None)
        self.base = config.source.entity_base
        self.problems: dict[str, set[str]] = defaultdict(set)
        self._qids: dict[str, str | None] = {}  # entity IRI → QID (or None), as `entity_id` says
        # Items per VALUES batch: the source may ask for its own (an embedded store answers everything at once).
        self.batch_size: int = getattr(source, "batch_size", None) or config.source.batch_size

    # -- querying -------------------------------------------------------------------------------------------

    def _select(self, name: str, **values: str) -> list[dict[str, dict[str, str]]]:
        return self.source.select(load_query(name, self.config, **values), name)

    def _qid(self, term: dict[str, str] | None) -> str | None:
        if not term:
            return None
        if term.get("type") != "uri":
            return entity_id(term, self.base)
        value = term["value"]
        try:
            return self._qids[value]
        except KeyError:
            found = self._qids[value] = entity_id(term, self.base)
            return found

    def _paged(self, name: str, classes: list[str], stage: str) -> list[dict[str, dict[str, str]]]:
        """Every row of a query over the instances of `classes`, asked page by page (LIMIT/OFFSET)."""
        found: list[dict[str, dict[str, str]]] = []
        size = self.config.source.page_size
        offset = 0
        while classes:
            rows = self._select(name, classes=_values(classes, "wd"), limit=str(size), offset=str(offset))
            found.extend(rows)
            self.progress(stage, len(found), len(found))
            if len(rows) < size:
                break
            offset += size
        return found

    def items_of(self, classes: list[str], stage: str) -> list[str]:
        """All items that are instances of any of `classes`, fetched page by page."""
        return _sorted_ids(q for row in self._paged("items", classes, stage) if (q := self._qid(row.get("item"))))

    def revisions_of(self, classes: list[str], stage: str) -> dict[str, tuple[str | None, str | None]]:
        """Instances of `classes` with their (revision, last edit), without reading any statement."""
        found: dict[str, tuple[str | None, str | None]] = {}
        for row in self._paged("revisions", classes, stage):
            qid = self._qid(row.get("item"))
            if qid:
                found[qid] = (row.get("version", {}).get("value"), row.get("modified", {}).get("value"))
        return found

    def statements(self, items: list[str], props: list[str], stage: str) -> dict[str, dict[str, list[Statement]]]:
        """Best-rank statements per item and property; duplicates and unknown values are counted, not kept."""
        props = sorted(set(props), key=qid_sort_key)
        # (item, prop) → (statement node, value) → (rank, statement, value key); the first row of each pair wins.
        ranked: dict[tuple[str, str], dict[tuple[str, str], tuple[int, Statement, str]]] = defaultdict(dict)
        qid = self._qid
        done = 0
        for batch in _batches(items, self.batch_size):
            rows = self._select("statements", items=_values(batch, "wd"), props=", ".join(f"wd:{p}" for p in props))
            # Rows may share term dicts (EmbeddedSource does): key each distinct value once. By id, so only while
            # `rows` keeps every one of them alive.
            value_keys: dict[int, str] = {}
            for row in rows:
                value = row.get("value")
                if value is None:
                    continue
                item, prop = qid(row.get("item")), qid(row.get("prop"))
                if not item or not prop:
                    continue
                key = value_keys.get(id(value))
                if key is None:
                    key = value_keys[id(value)] = repr(sorted(value.items()))
                by_node = ranked[(item, prop)]
                node = row["statement"]["value"]
                if (node, key) in by_node:
                    continue
                precision = row["precision"]["value"] if "precision" in row else None
                time = row.get("time")
                st = Statement(
                    node=node,
                    value=value,
                    time=time["value"] if time is not None else None,
                    precision=int(precision) if precision and precision.lstrip("-").isdigit() else None,
                    role=row.get("role"),
                )
                rank = RANKS.get(row["rank"]["value"], 1) if "rank" in row else 1
                by_node[(node, key)] = (rank, st, key)
            done += len(batch)
            self.progress(stage, done, len(items))
        out: dict[str, dict[str, list[Statement]]] = defaultdict(dict)
        for (item, prop), by_node in ranked.items():
            best = max(rank for rank, _, _ in by_node.values())
            if best == 0:
                continue
            kept: list[Statement] = []
            seen: set[str] = set()
            for rank, st, key in sorted(by_node.values(), key=lambda entry: entry[1].node):
                if rank != best:
                    continue
                if is_unknown(st.value):
                    self.problems["unknown value"].add(f"{item} {prop}")
                    continue
                if key in seen:
                    self.problems["duplicate statement"].add(f"{item} {prop} {st.value.get('value')}")
                    continue
                seen.add(key)
                kept.append(st)
            out[item][prop] = kept
        return out

    # -- value readers ---------------------------------------------------------------------------------------

    def items(self, st: dict[str, list[Statement]], prop: str | None) -> list[str]:
        return _sorted_ids(q for s in st.get(prop or "", []) if (q := self._qid(s.value)))

    @staticmethod
    def strings(st: dict[str, list[Statement]], prop: str | None) -> list[str]:
        return sorted({t for s in st.get(prop or "", []) if s.value.get("type") == "literal"
                       and (t := clean_text(s.value["value"]))})

    def urls(self, st: dict[str, list[Statement]], prop: str | None, subject: str) -> list[str]:
        out = set()
        for s in st.get(prop or "", []):
            url = http_url(s.value.get("value", ""))
            if url:
                out.add(url)
            else:
                self.problems["rejected link"].add(f"{subject} {prop} {s.value.get('value', '')[:80]}")
        return sorted(out)

    def links(self, st: dict[str, list[Statement]], qid: str) -> list[Link]:
        links: list[Link] = []
        for name, kind in LINK_KINDS:
            prop = self.config.properties[name]
            raw = [s.value.get("value", "") for s in st.get(prop, [])]
            for value in sorted(set(raw)):
                url = {"url": http_url, "interwiki": wiki_page_url, "commons": commons_file_url,
                       "youtube": youtube_url}[kind](value)
                if url and http_url(url):
                    links.append(Link(kind=name, url=url))
                else:
                    self.problems["rejected link"].add(f"{qid} {prop} {value[:80]}")
        return links

    def date(self, st: dict[str, list[Statement]], qid: str) -> Date | None:
        dates = []
        for s in st.get(self.config.properties["date"], []):
            value = s.time or s.value.get("value", "")
            date = wikibase_date(value, s.precision if s.precision is not None else 11)
            if date:
                dates.append(date)
            else:
                self.problems["bad value"].add(f"{qid} {self.config.properties['date']} {value[:40]}")
        return min(dates, key=lambda d: d.iso) if dates else None

    def wikidata(self, st: dict[str, list[Statement]], qid: str) -> str | None:
        for value in self.strings(st, self.config.properties["wikidata"]):
            if wikidata_id(value):
                return value
            self.problems["bad value"].add(f"{qid} {self.config.properties['wikidata']} {value[:40]}")
        return None

    # -- the stages ------------------------------------------------------------------------------------------

    def resolve_mirrors(self) -> tuple[dict[str, str | None], list[str]]:
        """Tool field → Metabase property, and the tool classes, through P1 unless the config pins them."""
        fields = self.config.tool_fields
        wanted = {f.wikidata for f in fields.values() if not f.metabase} | set(self.config.tool_classes_wikidata)
        rows = self._select("mirrors", wikidata_ids=_literals(sorted(wanted))) if wanted else []
        mirrors: dict[str, list[str]] = defaultdict(list)
        for row in rows:
            entity = self._qid(row.get("entity"))
            if entity:
                mirrors[row["wikidata"]["value"]].append(entity)
        props: dict[str, str | None] = {}
        for name, spec in sorted(fields.items()):
            candidates = _sorted_ids(c for c in mirrors.get(spec.wikidata, []) if c.startswith("P"))
            if len(candidates) > 1:
                self.problems["ambiguous mirror"].add(f"{spec.wikidata} ← {', '.join(candidates)}")
            props[name] = spec.metabase or (candidates[0] if candidates else None)
            if props[name] is None:
                self.problems["unresolved tool property"].add(f"{name} ({spec.wikidata})")
        classes = set(self.config.tool_classes)
        for wd in self.config.tool_classes_wikidata:
            found = [c for c in mirrors.get(wd, []) if c.startswith("Q")]
            if not found:
                self.problems["unresolved tool class"].add(wd)
            classes.update(found)
        return props, _sorted_ids(classes)

    def events(self, used_by: set[str]) -> dict[str, list[str]]:
        """For each used-by item, the events (event class instances) reached through part_of*, cycle-safe."""
        part_of, instance_of = self.config.properties["part_of"], self.config.properties["instance_of"]
        parents: dict[str, list[str]] = {}
        is_event: set[str] = set()
        frontier = sorted(used_by, key=qid_sort_key)
        while frontier:
            st = self.statements(frontier, [part_of, instance_of], "events")
            nxt: set[str] = set()
            for node in frontier:
                node_st = st.get(node, {})
                if self.config.event_class in self.items(node_st, instance_of):
                    is_event.add(node)
                    parents[node] = []
                    continue
                parents[node] = self.items(node_st, part_of)
                nxt.update(p for p in parents[node] if p not in parents)
            frontier = _sorted_ids(nxt)

        def reach(node: str, path: tuple[str, ...]) -> set[str]:
            if node in is_event:
                return {node}
            found: set[str] = set()
            for parent in parents.get(node, []):
                if parent in path:
                    cycle = path[path.index(parent):] + (parent,)
                    self.problems["part-of cycle"].add(" → ".join(cycle))
                    continue
                found |= reach(parent, path + (parent,))
            return found

        return {node: _sorted_ids(reach(node, (node,))) for node in used_by}

    def labels(self, catalog: Catalog) -> None:
        """Fill labels and descriptions of every record, in all configured languages at once."""
        records: dict[str, Resource | Tool | Entity] = {**catalog.entities, **catalog.tools, **catalog.resources}
        ids = _sorted_ids(records)
        languages = ", ".join(_literals([lang]) for lang in self.config.label_languages)
        done = 0
        for batch in _batches(ids, self.batch_size):
            for row in self._select("labels", entities=_values(batch, "wd"), languages=languages):
                self._add_text(records, row, row["kind"]["value"])
            done += len(batch)
            self.progress("labels", done, len(ids))
        unlabelled = [q for q in ids if not records[q].labels]
        for batch in _batches(unlabelled, self.batch_size):
            for row in self._select("labels_any", entities=_values(batch, "wd")):
                self._add_text(records, row, "label")
        for q in unlabelled:
            if not records[q].labels:
                self.problems["no label"].add(q)

    def _add_text(self, records: dict[str, Resource | Tool | Entity], row: dict[str, dict[str, str]],
                  kind: str) -> None:
        qid = self._qid(row.get("entity"))
        text = row.get("text", {})
        lang = language_code(text.get("xml:lang", ""))
        value = clean_text(text.get("value", ""))
        if not qid or qid not in records or not lang or not value:
            return
        target = records[qid].labels if kind == "label" else records[qid].descriptions
        # Several values for one language (should not happen): keep the smallest, for stable output.
        if lang not in target or value < target[lang]:
            target[lang] = value

    def meta(self, catalog: Catalog) -> None:
        """Modification time and revision of every record; which referenced entities do not exist."""
        records: dict[str, Resource | Tool | Entity] = {**catalog.entities, **catalog.tools, **catalog.resources}
        ids = _sorted_ids(records)
        done = 0
        for batch in _batches(ids, self.batch_size):
            for row in self._select("meta", entities=_values(batch, "wd")):
                qid = self._qid(row.get("entity"))
                if not qid or qid not in records:
                    continue
                record = records[qid]
                if isinstance(record, Entity):
                    record.exists = row.get("exists", {}).get("value") in ("true", "1")
                record.modified = row.get("modified", {}).get("value") or record.modified
                record.revision = row.get("version", {}).get("value") or record.revision
            done += len(batch)
            self.progress("metadata", done, len(ids))

    def resource(self, qid: str, st: dict[str, list[Statement]]) -> Resource:
        """A resource from its best-rank statements (labels, events and revision come later)."""
        props = self.config.properties
        author_names = sorted({clean_text(s.value["value"]) for s in st.get(props["temporary_value"], [])
                               if s.role and self._qid(s.role) == props["author"]
                               and s.value.get("type") == "literal" and clean_text(s.value["value"])})
        titles: dict[str, str] = {}
        for s in st.get(props["title"], []):
            lang, text = language_code(s.value.get("xml:lang", "")), clean_text(s.value.get("value", ""))
            if lang and text and (lang not in titles or text < titles[lang]):
                titles[lang] = text
        classes = self.config.resource_classes
        return Resource(
            qid=qid,
            titles=titles,
            types=_sorted_ids(self.config.type_aliases.get(t, t)
                              for t in self.items(st, props["instance_of"]) if t in classes),
            languages=self.items(st, props["language"]),
            subjects=self.items(st, props["subject"]),
            publishers=self.items(st, props["publisher"]),
            authors=self.items(st, props["author"]),
            author_names=author_names,
            part_of=self.items(st, props["part_of"]),
            used_by=self.items(st, props["used_by"]),
            date=self.date(st, qid),
            links=self.links(st, qid),
            wikidata=self.wikidata(st, qid),
        )

    def tool(self, qid: str, st: dict[str, list[Statement]], tool_props: dict[str, str | None],
             tool_classes: list[str]) -> Tool:
        """A tool from its best-rank statements, through the resolved tool fields."""
        props = self.config.properties
        tool = Tool(qid=qid, types=[t for t in self.items(st, props["instance_of"]) if t in tool_classes],
                    versions=self.strings(st, tool_props.get("version")), wikidata=self.wikidata(st, qid))
        for name, attr in TOOL_ITEM_FIELDS.items():
            setattr(tool, attr, self.items(st, tool_props.get(name)))
        for name, attr in TOOL_URL_FIELDS.items():
            setattr(tool, attr, self.urls(st, tool_props.get(name), qid))
        return tool

    def run(self, previous: Catalog | None = None) -> Catalog:
        """The catalog. Given `previous`, a catalog fetched earlier from the same wiki with the same settings and
        code (changed.reusable_catalog), a resource, tool or entity whose revision is the one it had there is
        taken from it instead of being read again, with its problems: the result is the full fetch's, because
        every edit of an item gives it a new revision (what `hubkb changed` relies on too). Records without a
        revision, and everything derived across records (events, referenced entities, dangling references),
        are always read."""
        props = self.config.properties
        tool_props, tool_classes = self.resolve_mirrors()
        if previous is not None and (previous.tool_properties, previous.tool_classes) != (tool_props, tool_classes):
            previous = None
        reuse = Reuse(previous)
        if previous is None:
            resource_ids = self.items_of(list(self.config.resource_classes), "resources")
            tool_ids = self.items_of(tool_classes, "tools")
        else:
            found = self.revisions_of(list(self.config.resource_classes), "resources")
            found_tools = self.revisions_of(tool_classes, "tools")
            resource_ids, tool_ids = _sorted_ids(found), _sorted_ids(found_tools)
            both = found.keys() & found_tools.keys()  # one record each, labelled as the resource: read again
            reuse.resources = {q: r for q, r in previous.resources.items()
                               if q not in both and _unchanged(r, found.get(q))}
            reuse.tools = {q: t for q, t in previous.tools.items()
                           if q not in both and _unchanged(t, found_tools.get(q))}
        if not resource_ids:
            raise SourceError(f"{self.source.describe()}: no resources: no item is an instance "
                              f"({props['instance_of']}) of the configured resource classes")
        catalog = Catalog(tool_properties=tool_props, tool_classes=tool_classes)

        resource_props = [p for name, p in props.items() if name != "temporary_value_role"]
        st_all = self.statements([q for q in resource_ids if q not in reuse.resources], resource_props,
                                 "resource statements")
        for qid in resource_ids:
            catalog.resources[qid] = reuse.resources.get(qid) or self.resource(qid, st_all.get(qid, {}))

        tool_field_props = [p for name, p in tool_props.items() if p and name != "language_code"]
        tool_stage = [props["instance_of"], props["wikidata"], *tool_field_props]
        st_tools = self.statements([q for q in tool_ids if q not in reuse.tools], tool_stage, "tools")
        for qid in tool_ids:
            catalog.tools[qid] = reuse.tools.get(qid) or self.tool(qid, st_tools.get(qid, {}), tool_props,
                                                                    tool_classes)

        used_by = {q for r in catalog.resources.values() for q in r.used_by}
        events = self.events(used_by)
        for resource in catalog.resources.values():
            resource.events = _sorted_ids(e for u in resource.used_by for e in events.get(u, []))

        referenced: dict[str, set[str]] = defaultdict(set)
        for r in catalog.resources.values():
            for attr in ("types", "languages", "subjects", "publishers", "authors", "part_of", "events"):
                for q in getattr(r, attr):
                    referenced[q].add(f"{r.qid} {attr}")
        for t in catalog.tools.values():
            for attr in ("types", *TOOL_ITEM_FIELDS.values()):
                for q in getattr(t, attr):
                    referenced[q].add(f"{t.qid} {attr}")
        entity_ids = [q for q in _sorted_ids(referenced) if q not in catalog.resources and q not in catalog.tools]
        entities = {q: Entity(qid=q) for q in entity_ids}
        if previous is not None:
            self.meta(Catalog(entities=entities))  # their revisions now
            reuse.entities = {q: e for q, e in previous.entities.items()
                              if q in entities and _unchanged(e, (entities[q].revision, entities[q].modified))
                              and e.exists == entities[q].exists}
        code_prop = tool_props.get("language_code")
        entity_stage = [props["wikidata"], *([code_prop] if code_prop else [])]
        fresh_entities = [q for q in entity_ids if q not in reuse.entities]
        st_entities = self.statements(fresh_entities, entity_stage, "entities")
        for qid in fresh_entities:
            st = st_entities.get(qid, {})
            entity = entities[qid]
            entity.wikidata = self.wikidata(st, qid)
            codes = [c for v in self.strings(st, code_prop) if (c := language_code(v))]
            entity.language_code = codes[0] if codes else None
        catalog.entities = {q: reuse.entities.get(q) or entities[q] for q in entity_ids}

        fresh = Catalog(resources={q: r for q, r in catalog.resources.items() if q not in reuse.resources},
                        tools={q: t for q, t in catalog.tools.items() if q not in reuse.tools},
                        entities={q: entities[q] for q in fresh_entities})
        self.labels(fresh)
        self.meta(fresh)
        if reuse.count():
            self.progress("records unchanged since the last build, reused", reuse.count(), 0)
            reuse.problems(self.problems, {"resources": set(resource_props), "tools": set(tool_stage),
                                           "entities": set(entity_stage)})
        for qid, entity in catalog.entities.items():
            if not entity.exists:
                for where in referenced[qid]:
                    self.problems["dangling reference"].add(f"{where} → {qid}")
        catalog.problems = {k: sorted(v) for k, v in self.problems.items()}
        return catalog


def _unchanged(record: Resource | Tool | Entity, now: tuple[str | None, str | None] | None) -> bool:
    """True when a record of an earlier fetch has a revision (or last edit) and it is the one the item has now."""
    return now is not None and bool(now[0] or now[1]) and (record.revision, record.modified) == now


# Problems the fetch notes about one record's own statements and labels, as "<QID> <property> …" or "<QID>".
_RECORD_PROBLEMS = ("unknown value", "duplicate statement", "rejected link", "bad value")


@dataclass
class Reuse:
    """The records of an earlier fetch that are unchanged, by kind."""

    previous: Catalog | None
    resources: dict[str, Resource] = field(default_factory=dict)
    tools: dict[str, Tool] = field(default_factory=dict)
    entities: dict[str, Entity] = field(default_factory=dict)

    def count(self) -> int:
        return len(self.resources) + len(self.tools) + len(self.entities)

    def problems(self, into: dict[str, set[str]], stages: dict[str, set[str]]) -> None:
        """Carry over the problems of the reused records: those about a statement of the properties their own
        stage reads (`stages`: kind → properties; the events stage is always read again), and missing labels."""
        assert self.previous is not None
        props = {q: stages[kind] for kind in stages for q in getattr(self, kind)}
        for kind, subjects in self.previous.problems.items():
            for text in subjects:
                qid, _, rest = text.partition(" ")
                if qid not in props:
                    continue
                if kind == "no label" or (kind in _RECORD_PROBLEMS and rest.partition(" ")[0] in props[qid]):
                    into[kind].add(text)


def fetch_catalog(source: Source, config: Config, progress: Progress | None = None,
                  previous: Catalog | None = None) -> Catalog:
    """Read every resource and tool the configuration describes from `source` into a Catalog, reusing the
    unchanged records of `previous` (see Fetcher.run)."""
    # The fetch allocates hundreds of thousands of rows and records that form no reference cycles: the cyclic
    # collector would walk them all again and again (a quarter of a 10,000-resource fetch). Refcounting frees them.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return Fetcher(source, config, progress).run(previous)
    finally:
        if enabled:
            gc.enable()
