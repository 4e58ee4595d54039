"""Build small Wikibase-shaped RDF documents in tests, one behaviour at a time."""

from __future__ import annotations

import gzip
import itertools
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import DefaultGraph, RdfFormat, Store

BASE = "https://metabase.wikibase.cloud/"
PREFIXES = f"""@prefix wd: <{BASE}entity/> .
@prefix wds: <{BASE}entity/statement/> .
@prefix wdv: <{BASE}value/> .
@prefix wdt: <{BASE}prop/direct/> .
@prefix p: <{BASE}prop/> .
@prefix ps: <{BASE}prop/statement/> .
@prefix psv: <{BASE}prop/statement/value/> .
@prefix pq: <{BASE}prop/qualifier/> .
@prefix data: <{BASE}wiki/Special:EntityData/> .
@prefix wikibase: <http://wikiba.se/ontology#> .
@prefix schema: <http://schema.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
# The resource properties of hubkb.toml, and the tool properties under IDs the sample does not use.
STANDARD_PROPERTIES = {
    "P1": ("String", None), "P5": ("WikibaseItem", "P31"), "P8": ("Monolingualtext", "P1476"),
    "P11": ("String", None), "P12": ("Url", None), "P15": ("WikibaseItem", "P921"),
    "P17": ("WikibaseItem", "P361"), "P18": ("Time", "P577"), "P19": ("WikibaseItem", "P50"),
    "P20": ("WikibaseItem", "P407"), "P21": ("WikibaseItem", "P123"), "P22": ("CommonsMedia", None),
    "P31": ("CommonsMedia", None), "P38": ("String", None), "P41": ("WikibaseItem", None),
    "P42": ("WikibaseItem", None), "P44": ("Url", None), "P45": ("String", None), "P59": ("ExternalId", None),
}


def esc(text: str) -> str:
    """A Turtle long-safe string literal body."""
    out = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return "".join(c if ord(c) >= 0x20 or c in "\t" else f"\\u{ord(c):04X}" for c in out)


def item(qid: str) -> str:
    return f"wd:{qid}"


def lit(text: str) -> str:
    return f'"{esc(text)}"'


def mono(text: str, lang: str) -> str:
    return f'"{esc(text)}"@{lang}'


def iri(url: str) -> str:
    return f"<{url}>"


def unknown() -> str:
    return "_:unknown" + str(next(_counter))


@dataclass
class Time:
    """A time value with its Wikibase precision (9 year, 10 month, 11 day)."""

    value: str
    precision: int


_counter = itertools.count(1)


@dataclass
class Doc:
    """Accumulates triples; `write()` gives a Turtle file in the Wikibase dump shape."""

    lines: list[str] = field(default_factory=list)
    declared: set[str] = field(default_factory=set)

    def prop(self, pid: str, kind: str = "WikibaseItem", wikidata: str | None = None, label: str = "") -> Doc:
        if pid in self.declared:
            return self
        self.declared.add(pid)
        self.lines.append(
            f"wd:{pid} a wikibase:Property ; wikibase:propertyType wikibase:{kind} ; wikibase:directClaim wdt:{pid} ;"
            f" wikibase:claim p:{pid} ; wikibase:statementProperty ps:{pid} ; wikibase:statementValue psv:{pid} ;"
            f" wikibase:qualifier pq:{pid} ; rdfs:label {mono(label or pid, 'en')} ."
        )
        if wikidata:
            self.claim(pid, "P1", lit(wikidata))
        return self

    def standard(self) -> Doc:
        for pid, (kind, wd) in STANDARD_PROPERTIES.items():
            self.prop(pid, kind, wd)
        return self

    def item(self, qid: str, labels: dict[str, str] | None = None, descriptions: dict[str, str] | None = None,
             modified: str = "2025-01-01T00:00:00Z", version: int = 1) -> Doc:
        self.lines.append(f"wd:{qid} a wikibase:Item .")
        self.lines.append(f'data:{qid} a schema:Dataset ; schema:about wd:{qid} ;'
                          f' schema:version "{version}"^^xsd:integer ;'
                          f' schema:dateModified "{modified}"^^xsd:dateTime .')
        for lang, text in (labels or {}).items():
            for pred in ("rdfs:label", "skos:prefLabel", "schema:name"):
                self.lines.append(f"wd:{qid} {pred} {mono(text, lang)} .")
        for lang, text in (descriptions or {}).items():
            self.lines.append(f"wd:{qid} schema:description {mono(text, lang)} .")
        return self

    def claim(self, subject: str, pid: str, value: str | Time, rank: str = "Normal",
              qualifiers: dict[str, str] | None = None, truthy: bool | None = None) -> Doc:
        node = f"wds:{subject}-{next(_counter)}"
        if isinstance(value, Time):
            obj = f'"{value.value}"^^xsd:dateTime'
            tv = f"wdv:t{next(_counter)}"
            self.lines.append(f"{tv} a wikibase:TimeValue ; wikibase:timeValue {obj} ;"
                              f' wikibase:timePrecision "{value.precision}"^^xsd:integer .')
            self.lines.append(f"{node} psv:{pid} {tv} .")
        else:
            obj = value
        best = ", wikibase:BestRank" if rank != "Deprecated" else ""
        self.lines.append(f"wd:{subject} p:{pid} {node} .")
        self.lines.append(f"{node} a wikibase:Statement{best} ; wikibase:rank wikibase:{rank}Rank ; ps:{pid} {obj} .")
        for qp, qv in (qualifiers or {}).items():
            self.lines.append(f"{node} pq:{qp} {qv} .")
        if truthy if truthy is not None else rank != "Deprecated":
            self.lines.append(f"wd:{subject} wdt:{pid} {obj} .")
        return self

    def resource(self, qid: str, type_qid: str = "Q21954", labels: dict[str, str] | None = None, **kw: str) -> Doc:
        """An item that is a learning resource of the given type (a Guide by default)."""
        self.item(qid, labels if labels is not None else {"en": f"Resource {qid}"}, **kw)  # type: ignore[arg-type]
        return self.claim(qid, "P5", item(type_qid))

    def text(self) -> str:
        return PREFIXES + "\n".join(self.lines) + "\n"

    def write(self, path: Path) -> Path:
        path.write_text(self.text(), encoding="utf-8")
        return path


# -- editing a whole snapshot, as Metabase's editors would ------------------------------------------------------

UPDATE_PREFIXES = f"""
PREFIX wd: <{BASE}entity/>
PREFIX wdt: <{BASE}prop/direct/>
PREFIX p: <{BASE}prop/>
PREFIX ps: <{BASE}prop/statement/>
PREFIX wds: <{BASE}entity/statement/>
PREFIX data: <{BASE}wiki/Special:EntityData/>
PREFIX wikibase: <http://wikiba.se/ontology#>
PREFIX schema: <http://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


def bump(qid: str, on: str = "data") -> str:
    """A SPARQL update giving an item its next revision, as every edit in Wikibase does; the revision is on its
    Special:EntityData document in a snapshot (`data`), on the item in the query service (`wd`)."""
    return f"""
DELETE {{ {on}:{qid} schema:version ?v }} INSERT {{ {on}:{qid} schema:version ?next }}
WHERE {{ {on}:{qid} schema:version ?v BIND(?v + 1 AS ?next) }}"""


def relabel(qid: str, lang: str, text: str, on: str = "data") -> str:
    """A SPARQL update replacing an item's label in one language, with the new revision that edit makes."""
    return f"""DELETE {{ wd:{qid} rdfs:label ?l }} INSERT {{ wd:{qid} rdfs:label "{text}"@{lang} }}
WHERE {{ wd:{qid} rdfs:label ?l FILTER(LANG(?l) = "{lang}") }};""" + bump(qid, on)


def edit_snapshot(path: Path, update: str, out: Path) -> Path:
    """A (gzipped) Turtle snapshot after a SPARQL update (its prefixes are given), written to `out` with the
    original's header comment (which says when it is sample data)."""
    raw = path.read_bytes()
    text = gzip.decompress(raw) if path.suffix == ".gz" else raw
    store = Store()
    store.load(text, format=RdfFormat.TURTLE)
    store.update(UPDATE_PREFIXES + update)
    header = b"".join(line + b"\n" for line in text.splitlines() if line.startswith(b"#"))
    body = header + (store.dump(format=RdfFormat.TURTLE, from_graph=DefaultGraph()) or b"")
    out.write_bytes(gzip.compress(body) if out.suffix == ".gz" else body)
    return out
