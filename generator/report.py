"""Plain-text summaries of a catalog: what `hubkb fetch` prints and CI logs keep."""

from __future__ import annotations

from collections import Counter

from .catalog import Catalog, Resource
from .config import Config

# Fields a resource should have; each gap is counted in the summary and later shown to Metabase editors.
RESOURCE_GAPS = {
    "label": lambda r: not r.labels,
    "description": lambda r: not r.descriptions,
    "type": lambda r: not r.types,
    "language of work": lambda r: not r.languages,
    "publication date": lambda r: r.date is None,
    "link": lambda r: not r.links,
}


def resource_gaps(resource: Resource) -> list[str]:
    """Names of the fields this resource lacks."""
    return [name for name, missing in RESOURCE_GAPS.items() if missing(resource)]


def english_label(catalog: Catalog, qid: str) -> str:
    labels = catalog.label_of(qid)
    return labels.get("en") or labels.get("mul") or next(iter(sorted(labels.values())), qid)


def summary(catalog: Catalog, config: Config, examples: int = 3) -> list[str]:
    """Counts per type and language, gaps, and data problems, one line each."""
    res = catalog.resources.values()
    lines = [f"{len(catalog.resources)} resources, {len(catalog.tools)} tools, "
             f"{len(catalog.entities)} referenced entities  ({catalog.hash[:19]})"]

    def counted(title: str, counter: Counter[str]) -> None:
        body = ", ".join(f"{english_label(catalog, q)} {n}" for q, n in counter.most_common())
        lines.append(f"{title}: {body or 'none'}")

    counted("by type", Counter(t for r in res for t in r.types))
    counted("by language of work", Counter(q for r in res for q in r.languages))
    labelled = Counter(lang for r in res for lang in r.labels)
    labelled.update(lang for t in catalog.tools.values() for lang in t.labels)
    lines.append("labels per language: " + ", ".join(f"{lang} {labelled[lang]}" for lang in config.label_languages))
    gaps = Counter(g for r in res for g in resource_gaps(r))
    lines.append("resources missing: " + (", ".join(f"{k} {gaps[k]}" for k in RESOURCE_GAPS if gaps[k]) or "nothing"))
    for kind, subjects in sorted(catalog.problems.items()):
        shown = "; ".join(subjects[:examples]) + ("; …" if len(subjects) > examples else "")
        lines.append(f"{kind}: {len(subjects)} ({shown})")
    return lines
