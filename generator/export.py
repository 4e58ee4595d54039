"""Downloads for people who want the data: catalog.csv (one row per resource) beside catalog.json."""

from __future__ import annotations

import csv
import io

from .catalog import Catalog, qid_sort_key
from .config import Config
from .report import english_label

COLUMNS = ("qid", "label", "label_language", "description", "types", "languages", "subjects", "publishers",
           "authors", "date", "date_precision", "events", "links", "wikidata", "metabase")
JOIN = " | "


def catalog_csv(catalog: Catalog, config: Config) -> bytes:
    """UTF-8 with a BOM (so spreadsheet programs read it right), multi-valued fields joined with ` | `."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    # The same few hundred types, languages, subjects… recur on every row: look each one up once.
    labels: dict[str, str] = {}

    def name(qid: str) -> str:
        if qid not in labels:
            labels[qid] = english_label(catalog, qid)
        return labels[qid]

    def names(qids: list[str]) -> str:
        return JOIN.join(map(name, qids))

    for qid in sorted(catalog.resources, key=qid_sort_key):
        r = catalog.resources[qid]
        lang = next((c for c in ("en", "mul", *sorted(r.labels)) if c in r.labels), "")
        writer.writerow([
            qid, r.labels.get(lang, ""), lang, r.descriptions.get(lang, "") if lang else "", names(r.types),
            names(r.languages), names(r.subjects), names(r.publishers),
            JOIN.join([*map(name, r.authors), *r.author_names]),
            r.date.iso if r.date else "", r.date.precision if r.date else "", names(r.events),
            JOIN.join(link.url for link in r.links), r.wikidata or "", f"{config.source.wiki_base}Item:{qid}",
        ])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
