"""Plain-text summaries of a catalog: what `hubkb fetch` prints and CI logs keep."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from .catalog import Catalog, Resource, Tool
from .config import Config


def has_text(values: dict[str, str], lang: str | None = None) -> bool:
    """Whether a label or description exists in `lang` (a `mul` one counts for every language), or in any."""
    return bool(values) if lang is None else bool(values.get(lang) or values.get("mul"))


# The one definition of a gap: what an item should have, counted in the fetch summary and listed for Metabase
# editors on the "Improve Metabase" pages and in gaps.json. Label and description are asked for in one language
# (in any language when it is None) and are all that tools are held to.
TEXT_GAPS: dict[str, Callable[[Resource | Tool, str | None], bool]] = {
    "label": lambda r, lang: not has_text(r.labels, lang),
    "description": lambda r, lang: not has_text(r.descriptions, lang),
}
RESOURCE_GAPS: dict[str, Callable[[Resource, str | None], bool]] = {
    **TEXT_GAPS,
    "type": lambda r, lang: not r.types,
    "language of work": lambda r, lang: not r.languages,
    "publication date": lambda r, lang: r.date is None,
    "link": lambda r, lang: not r.links,
}


def record_gaps(record: Resource | Tool, lang: str | None = None) -> list[str]:
    """Names of the fields this resource or tool lacks, in RESOURCE_GAPS order."""
    if isinstance(record, Resource):
        return [name for name, missing in RESOURCE_GAPS.items() if missing(record, lang)]
    return [name for name, lacks in TEXT_GAPS.items() if lacks(record, lang)]


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
    gaps = Counter(g for r in res for g in record_gaps(r))
    lines.append("resources missing: " + (", ".join(f"{k} {gaps[k]}" for k in RESOURCE_GAPS if gaps[k]) or "nothing"))
    for kind, subjects in sorted(catalog.problems.items()):
        shown = "; ".join(subjects[:examples]) + ("; …" if len(subjects) > examples else "")
        lines.append(f"{kind}: {len(subjects)} ({shown})")
    return lines
