"""What is still missing, for the two kinds of volunteers who keep the site multilingual.

Translators: how many interface strings each locale shows translated. Metabase editors: which labels and
descriptions exist in each language, and which items lack a label, description, type, language of the work,
date or link. One function computes each (`translation_status`, `find_gaps`); `hubkb i18n status` prints the
first, and the build turns both into every locale's status and "Improve Metabase" pages and site/gaps.json.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from babel.messages.catalog import Catalog as PoCatalog
from babel.numbers import format_percent

from .catalog import Catalog, Entity, Resource, Tool, dumps, qid_sort_key
from .config import Config, LocaleConfig
from .i18n import po_path
from .messages import extract
from .pocheck import InterfaceCounts, PoCheck, check_po, interface_counts
from .render import LocaleRenderer, Page
from .report import RESOURCE_GAPS, has_text, record_gaps

# The kinds of records whose labels readers see, in the order pages and the terminal show them.
KINDS = ("resources", "tools", "types", "subjects")
Gaps = dict[str, dict[str, list[str]]]


@dataclass(frozen=True)
class TextCoverage:
    """How many records of one kind have a label, and a description, in one language."""

    total: int
    labels: int
    descriptions: int


@dataclass(frozen=True)
class LocaleStatus:
    """One locale's figures: its interface strings, and Metabase's labels and descriptions in its language."""

    code: str
    interface: InterfaceCounts
    metabase: dict[str, TextCoverage]
    source: bool = False


@dataclass(frozen=True)
class Status:
    """The translation status of every configured locale."""

    locales: list[LocaleStatus]

    def lines(self) -> list[str]:
        """The terminal's view: three lines per locale."""
        lines = []
        for s in self.locales:
            note = "  (source language)" if s.source else ""
            lines.append(f"{s.code}: interface {s.interface.summary()}{note}")
            for what in ("labels", "descriptions"):
                body = ", ".join(f"{kind} {getattr(s.metabase[kind], what)}/{s.metabase[kind].total}"
                                 for kind in KINDS)
                lines.append(f"  {what} on Metabase: {body}")
        return lines


def described(catalog: Catalog) -> dict[str, list[Resource | Tool | Entity]]:
    """The records of each kind: resources, tools, the types of both, and the subjects of resources."""
    def entities(qids: set[str]) -> list[Resource | Tool | Entity]:
        # A subject may be a tool (resources about it) or even a resource; a dangling one has no labels.
        return [catalog.entities.get(q) or catalog.tools.get(q) or catalog.resources.get(q) or Entity(q, exists=False)
                for q in sorted(qids, key=qid_sort_key)]

    return {
        "resources": list(catalog.resources.values()),
        "tools": list(catalog.tools.values()),
        "types": entities({q for r in catalog.resources.values() for q in r.types}
                          | {q for t in catalog.tools.values() for q in t.types}),
        "subjects": entities({q for r in catalog.resources.values() for q in r.subjects}),
    }


def translation_status(config: Config, catalog: Catalog, pot: PoCatalog | None = None) -> Status:
    """Figures per configured locale, read from the code's strings (`pot`, extracted when not given), the .po
    files and the catalog."""
    pot = pot or extract()
    records = described(catalog)
    source = config.locales[0].code
    locales = []
    for loc in config.locales:
        if loc.code == source:
            total = sum(1 for m in pot if m.id)
            counts = InterfaceCounts(total, total, 0, 0, 0)
        else:
            path = po_path(config, loc.code)
            counts = interface_counts(check_po(path, loc.code) if path.exists() else PoCheck(path, loc.code), pot)
        metabase = {kind: TextCoverage(len(rs), sum(1 for r in rs if has_text(r.labels, loc.code)),
                                       sum(1 for r in rs if has_text(r.descriptions, loc.code)))
                    for kind, rs in records.items()}
        locales.append(LocaleStatus(loc.code, counts, metabase, source=loc.code == source))
    return Status(locales)


def find_gaps(catalog: Catalog, codes: Sequence[str]) -> Gaps:
    """Per locale: QID → what that resource or tool lacks, for every item lacking something, resources first."""
    records: list[Resource | Tool] = [*sorted(catalog.resources.values(), key=lambda r: qid_sort_key(r.qid)),
                                      *sorted(catalog.tools.values(), key=lambda t: qid_sort_key(t.qid))]
    return {code: {r.qid: found for r in records if (found := record_gaps(r, code))} for code in codes}


def gap_counts(found: dict[str, list[str]]) -> dict[str, int]:
    """Items lacking something, then items per gap, every gap named even at zero."""
    per_gap = Counter(name for names in found.values() for name in names)
    return {"items": len(found), **{name: per_gap[name] for name in RESOURCE_GAPS}}


def gaps_json(catalog: Catalog, config: Config, gaps: Gaps) -> bytes:
    """site/gaps.json: the gaps of the Improve Metabase pages, per item and per locale, with edit links."""
    items: dict[str, dict[str, Any]] = {}
    for code, found in gaps.items():
        for qid, names in found.items():
            item = items.setdefault(qid, {"kind": "resource" if qid in catalog.resources else "tool",
                                          "edit_url": config.source.item_url(qid), "missing": {}})
            item["missing"][code] = names
    doc = {
        "fields": list(RESOURCE_GAPS),
        "locales": list(gaps),
        "counts": {code: gap_counts(found) for code, found in gaps.items()},
        "items": items,
    }
    return dumps(doc).encode("utf-8")


def gap_names(r: LocaleRenderer) -> dict[str, str]:
    """What an item lacks, in the reader's language, as the Improve Metabase page names it."""
    def pgettext(context: str, message: str) -> str:
        # A context of their own keeps these apart from the "Type"/"Types" field names of item pages.
        return str(r.translations.pgettext(context, message))

    return {
        # Translators: "Improve Metabase" page: the item has no label (name) in the page's language.
        "label": pgettext("missing field", "Label"),
        # Translators: "Improve Metabase" page: the item has no description in the page's language.
        "description": pgettext("missing field", "Description"),
        # Translators: "Improve Metabase" page: the resource has no type (Guide, Tutorial...).
        "type": pgettext("missing field", "Type"),
        # Translators: "Improve Metabase" page: the resource does not say which language it is written or spoken in.
        "language of work": pgettext("missing field", "Language of the work"),
        # Translators: "Improve Metabase" page: the resource has no publication date.
        "publication date": pgettext("missing field", "Publication date"),
        # Translators: "Improve Metabase" page: the resource has no link (course, video, document, web page).
        "link": pgettext("missing field", "Link"),
    }


def status_page(r: LocaleRenderer, status: Status) -> Page:
    """The locale's translation status page: every locale's figures, in the reader's language."""
    names = {loc.code: r.l10n.locale_name(loc) for loc in r.config.locales}
    _ = r._
    kinds = {
        # Translators: column heading on the translation status page: learning resources.
        "resources": _("Resources"),
        # Translators: column heading on the translation status page: software tools.
        "tools": _("Tools"),
        # Translators: column heading on the translation status page: resource and tool types (Guide, Video...).
        "types": _("Types"),
        # Translators: column heading on the translation status page: subjects (keywords) of resources.
        "subjects": _("Subjects"),
    }
    # Translators: title of the page with each language's figures, in the navigation too.
    title = _("Translation status")
    return r.page("status/index.md", title, "status.md.j2", heading=title, status=status, names=names,
                  kinds=kinds, percent=lambda part, whole: _percent(r.loc, part, whole))


def improve_pages(r: LocaleRenderer, found: dict[str, list[str]]) -> list[Page]:
    """The locale's Improve Metabase pages: counts per gap, then every item lacking something, paginated."""
    records = r.sorted_by_title([r.catalog.resources.get(q) or r.catalog.tools[q] for q in found])
    names = gap_names(r)
    counts = gap_counts(found)
    entries = [(record, "resources/" if isinstance(record, Resource) else "tools/",
                [names[g] for g in found[record.qid]]) for record in records]
    # Translators: title of the page listing items that lack a label, description, type, date or link.
    title = r._("Improve Metabase")
    pages = []
    for url, chunk, pagination in r.paginate("improve/", entries):
        page_title = title if pagination.number == 1 else f"{title} ({pagination.number})"
        page = r.page(f"{url}index.md", page_title, "improve.md.j2", heading=title, entries=chunk,
                      counts=[(names[g], counts[g]) for g in RESOURCE_GAPS], total=counts["items"],
                      pagination=pagination, edit_url=r.edit_url)
        # Other locales lack other items and may have fewer pages: their switcher and hreflang go to page one.
        pages.append(page.with_front(alternate="improve/") if pagination.number > 1 else page)
    return pages


def contributor_pages(r: LocaleRenderer, status: Status, gaps: Gaps) -> list[Page]:
    """The status page and the Improve Metabase pages of one locale (`r` renders its other pages too, so the
    titles it already sorted by are not worked out again)."""
    return [status_page(r, status), *improve_pages(r, gaps[r.loc.code])]


def _percent(loc: LocaleConfig, part: int, whole: int) -> str:
    return format_percent(part / whole, locale=loc.babel) if whole else "–"
