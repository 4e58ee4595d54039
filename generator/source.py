"""Sources of Metabase RDF behind one small interface: an embedded snapshot, or a SPARQL endpoint."""

from __future__ import annotations

import gzip
import hashlib
import logging
import re
from collections.abc import Callable
from importlib import resources as importlib_resources
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from .config import Config
from .errors import SourceError

log = logging.getLogger(__name__)

# One SPARQL JSON result binding: variable → {"type": "uri"|"literal"|"bnode", "value": …, "xml:lang"?: …}.
Row = dict[str, dict[str, str]]
Progress = Callable[[str], None]

SAMPLE_SNAPSHOT = "sample-snapshot.ttl.gz"
# Snapshots written by `hubkb sample` start with a comment holding this; a site built from one says so.
SAMPLE_MARKER = "SAMPLE DATA"
# The origin of real data (Source.origin): Metabase's revision IDs are unique across the wiki, whether read from
# its query service or from a dump of it.
WIKIBASE = "wikibase"
_PLACEHOLDER = re.compile(r"\$\{(\w+)\}")


class Source(Protocol):
    """Answers SPARQL 1.1 SELECT queries with rows in the SPARQL JSON results shape."""

    def select(self, query: str, name: str) -> list[Row]:
        """Run one SELECT; `name` (the .rq file) is only for messages."""
        ...

    def describe(self) -> str:
        """Say where the data comes from, for messages and the manifest."""
        ...

    @property
    def sample(self) -> bool:
        """True when the data is invented sample data, never Metabase's."""
        ...

    @property
    def origin(self) -> str:
        """The data whose revisions this source counts: a revision identifies one state of an item within one
        origin, so a later fetch from the same origin may reuse unchanged records (Fetcher.run)."""
        ...


def sample_snapshot_path() -> Path:
    """The bundled sample snapshot (sample data, not Metabase's)."""
    return Path(str(importlib_resources.files("generator") / "data" / SAMPLE_SNAPSHOT))


def prefixes(config: Config) -> str:
    """The PREFIX lines every query starts with, derived from the configured entity base."""
    base = config.source.host_base
    pairs = {
        "wd": f"{base}entity/", "wdt": f"{base}prop/direct/", "p": f"{base}prop/",
        "ps": f"{base}prop/statement/", "psv": f"{base}prop/statement/value/", "pq": f"{base}prop/qualifier/",
        "wikibase": "http://wikiba.se/ontology#", "schema": "http://schema.org/",
        "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "xsd": "http://www.w3.org/2001/XMLSchema#",
    }
    return "".join(f"PREFIX {k}: <{v}>\n" for k, v in pairs.items())


def load_query(name: str, config: Config, **values: str) -> str:
    """Read generator/queries/<name>.rq, fill its ${placeholders} and prepend the prefixes."""
    text = (importlib_resources.files("generator") / "queries" / f"{name}.rq").read_text(encoding="utf-8")

    def fill(match: re.Match[str]) -> str:
        key = match.group(1)
        if key in values:
            return values[key]
        if key in config.properties:
            return config.properties[key]
        raise SourceError(f"query {name}.rq: no value for placeholder ${{{key}}}")

    return prefixes(config) + _PLACEHOLDER.sub(fill, text)


def _term(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> dict[str, str]:
    """One pyoxigraph term in the SPARQL JSON results shape."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out


# Moves schema:dateModified/version from the Special:EntityData document onto the item, as the query service does.
LIFT_ENTITY_DATA = """
PREFIX schema: <http://schema.org/>
# One pass over the documents (a template triple whose variable is unbound is skipped), not one per property.
INSERT { ?item schema:dateModified ?modified . ?item schema:version ?version }
WHERE {
  ?doc schema:about ?item .
  OPTIONAL { ?doc schema:dateModified ?modified }
  OPTIONAL { ?doc schema:version ?version }
}
"""


class EmbeddedSource:
    """A Wikibase RDF snapshot (Turtle or N-Triples, optionally gzipped) queried in-process with pyoxigraph."""

    # Items per VALUES batch: a remote endpoint gets config `source.batch_size` per request, but in-process one
    # query per stage is cheapest (Oxigraph answers some OPTIONALs by scanning the store once per query).
    batch_size = 1 << 30

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.store = ox.Store()
        self.sample = False
        self.origin = WIKIBASE
        self._load()

    def _load(self) -> None:
        if not self.path.is_file():
            raise SourceError(f"{self.path}: no such snapshot file")
        name = self.path.name.removesuffix(".gz")
        fmt = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES}.get(Path(name).suffix)
        if fmt is None:
            raise SourceError(f"{self.path}: not a snapshot: expected .ttl or .nt, optionally .gz")
        try:
            raw = self.path.read_bytes()
        except OSError as exc:
            raise SourceError(f"{self.path}: cannot read snapshot: {exc.strerror or exc}") from exc
        if self.path.name.endswith(".gz"):
            try:
                raw = gzip.decompress(raw)
            except (OSError, EOFError) as exc:
                raise SourceError(f"{self.path}: not a readable gzip file: {exc}") from exc
        self.sample = SAMPLE_MARKER.encode() in raw[:4096]
        # Every sample counts revisions of its own; its header names its size and seed (an edit keeps it).
        header = b"".join(line + b"\n" for line in raw[:4096].splitlines() if line.startswith(b"#"))
        self.origin = f"sample {hashlib.sha256(header).hexdigest()[:16]}" if self.sample else WIKIBASE
        try:
            self.store.load(raw, format=fmt)
        except SyntaxError as exc:
            raise SourceError(f"{self.path}: not valid RDF: {exc}") from exc
        self.store.update(LIFT_ENTITY_DATA)
        if log.isEnabledFor(logging.INFO):  # counting the triples walks the store
            log.info("loaded %s (%d triples)", self.path, len(self.store))

    def select(self, query: str, name: str) -> list[Row]:
        try:
            solutions = self.store.query(query)
        except SyntaxError as exc:
            raise SourceError(f"query {name}.rq: {exc}") from exc
        assert isinstance(solutions, ox.QuerySolutions), f"query {name}.rq is not a SELECT"
        variables = [v.value for v in solutions.variables]
        # The same IRIs and literals come back in many rows (properties, ranks, classes): convert each once.
        # Rows share these dicts, so callers must not change a row's terms in place (none does).
        terms: dict[ox.NamedNode | ox.BlankNode | ox.Literal, dict[str, str]] = {}
        rows: list[Row] = []
        for solution in solutions:
            row = {}
            for var, value in zip(variables, solution, strict=True):
                if value is not None:
                    term = terms.get(value)  # type: ignore[call-overload]
                    if term is None:
                        term = terms[value] = _term(value)  # type: ignore[index, arg-type]
                    row[var] = term
            rows.append(row)
        return rows

    def describe(self) -> str:
        return f"snapshot {self.path}"


def open_source(config: Config, snapshot: Path | None = None, endpoint: str | None = None) -> Source:
    """The embedded snapshot (the bundled sample by default) or, given a URL, the remote endpoint."""
    if snapshot is not None and endpoint is not None:
        raise SourceError("give either a snapshot or an endpoint, not both")
    if endpoint is not None:
        from .remote import RemoteSource

        return RemoteSource(endpoint or config.source.endpoint, config.source)
    return EmbeddedSource(snapshot or sample_snapshot_path())
