"""Render the catalog into Markdown pages (front matter + escaped HTML) for one locale; nothing is written here
but Jinja's cache of compiled templates."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import Any

import jinja2
from babel.support import NullTranslations
from markupsafe import Markup, escape

from .cache import PageCache
from .catalog import Catalog, Resource, Tool, qid_sort_key
from .config import Config, LocaleConfig
from .i18n import Localizer, Text, locale_name
from .search import search_page

# Newest additions on the home page, subjects shown there, resources listed on a tool page.
NEWEST = 10
HOME_SUBJECTS = 12
ABOUT_ON_TOOL_PAGE = 20
# Bidi embedding, override and isolate controls: harmless in isolated HTML, but not in <title> or a meta tag.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
# The search filters an item page carries, each with the record field listing its items. The keys are the URL
# parameters of the search page and must match generator/search.py FACETS.
RESOURCE_FACETS = (("type", "types"), ("language", "languages"), ("subject", "subjects"), ("publisher", "publishers"))
TOOL_FACETS = (("tooltype", "types"), ("licence", "licenses"), ("uilanguage", "ui_languages"))
# Longest description a search result shows.
RESULT_DESCRIPTION = 180


Front = dict[str, Any]


class Page:
    """One Markdown source page: where it goes under the locale's docs folder, its front matter and body.

    An item page's front matter (title, description, JSON-LD) may be given as a function: it follows from the
    records already in the page's key, so it is made only when the page's HTML is written, not on every build."""

    __slots__ = ("path", "body", "key", "hide", "_front")

    def __init__(self, path: str, front: Front | Callable[[], Front], body: str | None, key: str = "",
                 hide: Sequence[str] | None = None) -> None:
        self.path = path
        # None when the page's cache key is unchanged: its source file on disk holds the body (cache.read_body).
        self.body = body
        self.key = key
        self._front = front
        # The parts of the theme the page hides (which shell it goes into), known without the front matter.
        self.hide = tuple(sorted(hide if hide is not None else front.get("hide", ())))  # type: ignore[union-attr]

    @property
    def front(self) -> Front:
        if callable(self._front):
            self._front = self._front()
        return self._front

    def with_front(self, **changes: Any) -> Page:
        """The same page with front matter entries added or replaced."""
        return Page(self.path, {**self.front, **changes}, self.body, self.key, self.hide)

    @property
    def url(self) -> str:
        """The directory URL mkdocs gives the page (`resources/Q1/`, `` for the home page)."""
        return self.path.removesuffix("index.md")

    def markdown(self) -> str:
        if self.body is None:
            raise ValueError(f"{self.path}: unchanged page, its Markdown is on disk")
        front = "".join(f"{key}: {yaml_value(value)}\n" for key, value in sorted(self.front.items()))
        return f"---\n{front}---\n\n{self.body}"


# Characters YAML may not hold raw (C1 controls, surrogates, non-characters): written as \uXXXX escapes.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def yaml_value(value: Any) -> str:
    """Front matter values as JSON, which YAML reads as flow scalars: ten times faster than yaml.safe_dump."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


@dataclass(frozen=True)
class Group:
    """An entry of a grouping page: a type, subject or language with its listing URL and count."""

    qid: str
    label: Text
    url: str
    count: int


@dataclass(frozen=True)
class Pagination:
    number: int
    count: int
    previous: str | None
    next: str | None


def relative(from_url: str, to_url: str) -> str:
    """A relative link between two directory URLs of the same locale, so the site works under any prefix."""
    depth = from_url.count("/")
    return "../" * depth + to_url if (depth or to_url) else "./"


@cache
def sort_key(text: str) -> str:
    """A locale-neutral collation key: accents and case ignored (kept per text: the same titles and labels are
    sorted in every locale)."""
    if text.isascii():  # the common case, with nothing to decompose
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def initial(text: str) -> str:
    """The letter an entry is filed under in the A–Z list (`#` for digits and symbols)."""
    key = sort_key(text).lstrip()
    first = key[:1].upper()
    return first if first.isalpha() else "#"


def plain(text: str, limit: int | None = None) -> str:
    """Text for <title> and meta tags: no bidi controls, cut to `limit`, HTML-escaped (Material prints it raw)."""
    text = _BIDI_CONTROLS.sub("", text)
    if limit and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return str(escape(text))


def _meta(key: str, value: str | int) -> str:
    """A field Pagefind shows with a search result, from the hidden search data of an item page."""
    return f'<span data-pagefind-meta="{key}">{escape(value)}</span>'


def front_matter(title: str, description: str, hide: Sequence[str], jsonld: dict[str, Any] | None) -> Front:
    """A page's front matter: title, the theme parts it hides, and its description and JSON-LD when it has them."""
    front: Front = {"title": plain(title, 200), "hide": list(hide)}
    if description:
        front["description"] = plain(description, 300)
    if jsonld:
        front["jsonld"] = json_ld(jsonld)
    return front


def json_ld(data: dict[str, Any]) -> str:
    """JSON-LD safe inside <script>: `<`, `>` and `&` escaped so no string can close the element."""
    raw = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return raw.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        # Templates are package data: no file checks at every page.
        auto_reload=False,
    )
    env.policies["ext.i18n.trimmed"] = True
    return env


ENV = _environment()


def cache_templates(folder: Path) -> None:
    """Keep compiled templates in `folder` (Jinja's bytecode cache, keyed by each template's source): a rebuild
    that renders a few pages would spend more on compiling their templates than on rendering them."""
    folder.mkdir(parents=True, exist_ok=True)
    ENV.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))


class LocaleRenderer:
    """Renders every page of one locale from the catalog; pure: returns Page objects."""

    def __init__(self, catalog: Catalog, config: Config, loc: LocaleConfig, translations: NullTranslations,
                 cache: PageCache | None = None) -> None:
        self.catalog = catalog
        self.cache = cache
        self.config = config
        self.loc = loc
        self.l10n = Localizer(loc, catalog)
        self.translations = translations
        self._ = translations.gettext
        self.ngettext = translations.ngettext
        self.titles: dict[str, Text] = {}
        self.language = self.l10n.locale_name(loc, capitalize=False)
        # An item's description, label, label markup and place in title order are asked for again and again.
        self.descriptions: dict[str, Text | None] = {}
        self.labels: dict[str, Text] = {}
        self.label_markup: dict[str, Markup] = {}
        self.title_keys: dict[str, tuple[str, tuple[str, int]]] = {}
        # List entries by the path up to the locale's root and the record's QID: records appear in many lists.
        self.entry_markup: dict[tuple[str, str], Markup] = {}
        self.resources = sorted(catalog.resources.values(), key=lambda r: qid_sort_key(r.qid))
        self.tools = sorted(catalog.tools.values(), key=lambda t: qid_sort_key(t.qid))

    # -- helpers the templates call ------------------------------------------------------------------------

    def title(self, record: Resource | Tool) -> Text:
        if record.qid not in self.titles:
            picked = self.l10n.pick(record.labels)
            if picked is None and isinstance(record, Resource):
                picked = self.l10n.pick(record.titles)
            # Translators: stands for the title of an item that has no label in any language; %(qid)s is its ID.
            untitled = Text(self._("Untitled item %(qid)s") % {"qid": record.qid}, self.loc.code, fallback=False)
            self.titles[record.qid] = picked or untitled
        return self.titles[record.qid]

    def description(self, record: Resource | Tool) -> Text | None:
        if record.qid not in self.descriptions:
            self.descriptions[record.qid] = self.l10n.pick(record.descriptions)
        return self.descriptions[record.qid]

    def label(self, qid: str) -> Text:
        """The name of any item in the reader's language (see Localizer.label), picked once per item."""
        if qid not in self.labels:
            self.labels[qid] = self.l10n.label(qid)
        return self.labels[qid]

    # Markup builders: Python rather than template macros, whose call overhead dominated rendering. Every string
    # from Metabase is escaped here; tags, classes and section paths come from the templates and this module.

    def text(self, t: Text, tag: str = "span", cls: str = "") -> Markup:
        """A string from Metabase as an element: escaped, isolated with dir="auto" so bidi controls cannot reorder
        the page around it, and marked with its own lang when it is not in the reader's language."""
        lang = "" if t.lang == self.loc.code else f' lang="{escape(t.lang)}"'
        classes = " ".join(c for c in ("hubkb-fallback" if t.fallback else "", cls) if c)
        attribute = f' class="{classes}"' if classes else ""
        return Markup(f'<{tag} dir="auto"{lang}{attribute}>{escape(t.text)}</{tag}>')

    def label_text(self, qid: str) -> Markup:
        """An item's name as text(), made once per item: the same few hundred names fill every page."""
        if qid not in self.label_markup:
            self.label_markup[qid] = self.text(self.label(qid))
        return self.label_markup[qid]

    def entities(self, up: str, qids: Sequence[str], section: str = "") -> Markup:
        """Items by name, comma-separated, each linking to its listing under `section` when one is given; `up`
        leads from the page to the locale's root."""
        if not section:
            return Markup(", ".join(self.label_text(q) for q in qids))
        return Markup(", ".join(f'<a href="{up}{escape(f"{section}/{q}/")}">{self.label_text(q)}</a>' for q in qids))

    def entry(self, up: str, record: Resource | Tool) -> Markup:
        """A list entry linking to a resource or tool page: title, a resource's first types and year, and the
        description; `up` leads from the page to the locale's root."""
        key = (up, record.qid)
        if key not in self.entry_markup:
            section = "resources" if isinstance(record, Resource) else "tools"
            parts = [f'<li class="hubkb-entry"><a href="{up}{escape(f"{section}/{record.qid}/")}">'
                     f'{self.text(self.title(record))}</a>']
            if isinstance(record, Resource) and record.types:
                parts.append(f' <span class="hubkb-meta">· {self.entities(up, record.types[:2])}</span>')
            if isinstance(record, Resource) and record.date:
                parts.append(f' <span class="hubkb-meta">· <time datetime="{escape(record.date.iso)}">'
                             f'{record.date.year}</time></span>')
            d = self.description(record)
            if d:
                parts.append(f"<br>{self.text(d, cls='hubkb-snippet')}")
            self.entry_markup[key] = Markup("".join(parts) + "</li>")
        return self.entry_markup[key]

    def search_data(self, record: Resource | Tool) -> Markup:
        """What the search index (Pagefind, see generator/search.py) reads from an item page: facet values and the
        fields a result shows, in the reader's language; hidden from readers and kept out of the indexed text."""
        t, d = self.title(record), self.description(record)
        fields = _meta("title", t.text) + (_meta("title_lang", t.lang) if t.fallback else "")
        if record.types:
            fields += _meta("type", ", ".join(self.label(q).text for q in record.types))
        if d:
            text = d.text if len(d.text) <= RESULT_DESCRIPTION else d.text[:RESULT_DESCRIPTION - 1] + "…"
            fields += _meta("description", text) + (_meta("description_lang", d.lang) if d.fallback else "")
        resource = isinstance(record, Resource)
        facets = "".join(f'<span data-pagefind-filter="{key}">{escape(self.label(q).text)}</span>'
                         for key, field in (RESOURCE_FACETS if resource else TOOL_FACETS)
                         for q in getattr(record, field))
        if isinstance(record, Resource) and record.date:
            facets += f'<span data-pagefind-filter="year">{record.date.year}</span>{_meta("year", record.date.year)}'
        # A resource's block closes on its facets' line, a tool's on a line of its own.
        end = "" if resource else "\n"
        return Markup(f'<div class="hubkb-search-data" hidden data-pagefind-ignore>\n{fields}\n{facets}{end}</div>')

    def link_label(self, kind: str) -> str:
        _ = self._
        labels = {
            # Translators: a link on a resource page: the online course itself.
            "course_url": _("Course"),
            # Translators: a link on a resource page: a web page that describes the resource.
            "described_at_url": _("Described at"),
            # Translators: a link on a resource page: the resource's own page on a Wikimedia wiki.
            "wiki_page": _("Wiki page"),
            # Translators: a link on a resource page: a page on a Wikimedia wiki that describes the resource.
            "described_at_page": _("Described on a wiki page"),
            # Translators: a link on a resource page: the resource as a video file on Wikimedia Commons.
            "commons_video": _("Video on Wikimedia Commons"),
            # Translators: a link on a resource page: the resource as a document (PDF...) on Wikimedia Commons.
            "commons_document": _("Document on Wikimedia Commons"),
            # Translators: a link on a resource page: the resource as a video on YouTube.
            "youtube": _("Video on YouTube"),
        }
        return labels.get(kind, kind)

    def edit_url(self, qid: str) -> str:
        return self.config.source.item_url(qid)

    def render(self, template: str, url: str, **context: Any) -> str:
        tpl = ENV.get_template(template)
        up = "../" * url.count("/")
        body = tpl.render(
            lang=self.loc.code,
            href=lambda target: relative(url, target),
            text=self.text,
            entities=partial(self.entities, up),
            entry=partial(self.entry, up),
            search_data=self.search_data,
            title=self.title,
            description=self.description,
            pick=self.l10n.pick,
            date=self.l10n.date,
            number=self.l10n.number,
            link_label=self.link_label,
            language=self.language,
            site_name=self.config.site.name,
            gettext=self._,
            _=self._,
            ngettext=self.ngettext,
            **context,
        )
        # No blank lines: the page is one raw HTML block that Markdown must pass through untouched.
        return "\n".join(line for line in body.splitlines() if line.strip()) + "\n"

    def page(self, path: str, title: str, template: str, description: str = "", hide: Sequence[str] = ("toc",),
             jsonld: dict[str, Any] | None = None, **context: Any) -> Page:
        return self.keyed(path, template, front_matter(title, description, hide, jsonld), hide, context)

    def item_page(self, path: str, template: str, front: Callable[[], Front], **context: Any) -> Page:
        """An item page, whose front matter follows from the records in its context (and so in its key)."""
        return self.keyed(path, template, front, ("toc",), context)

    def keyed(self, path: str, template: str, front: Front | Callable[[], Front], hide: Sequence[str],
              context: dict[str, Any]) -> Page:
        """A page rendered from its template, or without a body when the cache has it unchanged on disk."""
        url = path.removesuffix("index.md")
        if self.cache is None:
            return Page(path, front, self.render(template, url, **context), hide=hide)
        key = self.cache.key(path, template, front if isinstance(front, dict) else {"hide": list(hide)}, context)
        body = None if self.cache.fresh(path, key) else self.render(template, url, **context)
        return Page(path, front, body, key, hide)

    # -- pages -----------------------------------------------------------------------------------------------

    def resource_page(self, r: Resource) -> Page:
        return self.item_page(f"resources/{r.qid}/index.md", "resource.md.j2", lambda: self.resource_front(r),
                              item=r, edit_url=self.edit_url(r.qid))

    def resource_front(self, r: Resource) -> Front:
        t, d = self.title(r), self.description(r)
        canonical = f"{self.config.site.url}{self.loc.code}/resources/{r.qid}/"
        ld: dict[str, Any] = {
            "@context": "https://schema.org", "@type": "LearningResource", "@id": canonical, "url": canonical,
            "name": t.text, "identifier": r.qid, "sameAs": [self.edit_url(r.qid)],
        }
        if d:
            ld["description"] = d.text
        if r.types:
            ld["learningResourceType"] = [self.label(q).text for q in r.types]
        codes = [e.language_code for q in r.languages if (e := self.catalog.entities.get(q)) and e.language_code]
        if codes:
            ld["inLanguage"] = codes
        if r.date:
            ld["datePublished"] = r.date.iso
        people = [self.label(q).text for q in r.authors] + list(r.author_names)
        if people:
            ld["author"] = [{"@type": "Person", "name": n} for n in people]
        if r.publishers:
            ld["publisher"] = [{"@type": "Organization", "name": self.label(q).text} for q in r.publishers]
        if r.subjects:
            ld["about"] = [self.label(q).text for q in r.subjects]
        if r.wikidata:
            ld["sameAs"].append(f"https://www.wikidata.org/wiki/{r.wikidata}")
        return front_matter(t.text, d.text if d else "", ("toc",), ld)

    def tool_page(self, tool: Tool) -> Page:
        about = self.sorted_by_title(self.catalog.resources_about(tool.qid))
        return self.item_page(f"tools/{tool.qid}/index.md", "tool.md.j2", lambda: self.tool_front(tool),
                              item=tool, edit_url=self.edit_url(tool.qid), about=about[:ABOUT_ON_TOOL_PAGE],
                              about_total=len(about))

    def tool_front(self, tool: Tool) -> Front:
        t, d = self.title(tool), self.description(tool)
        canonical = f"{self.config.site.url}{self.loc.code}/tools/{tool.qid}/"
        ld: dict[str, Any] = {
            "@context": "https://schema.org", "@type": "SoftwareApplication", "@id": canonical, "name": t.text,
            "identifier": tool.qid, "sameAs": [self.edit_url(tool.qid)],
        }
        if d:
            ld["description"] = d.text
        if tool.website:
            ld["url"] = tool.website[0]
        if tool.versions:
            ld["softwareVersion"] = tool.versions[0]
        if tool.licenses:
            ld["license"] = [self.label(q).text for q in tool.licenses]
        if tool.developers:
            ld["author"] = [{"@type": "Thing", "name": self.label(q).text} for q in tool.developers]
        return front_matter(t.text, d.text if d else "", ("toc",), ld)

    def sorted_by_title(self, records: Iterable[Resource | Tool]) -> list[Any]:
        return sorted(records, key=self.title_key)

    def title_key(self, record: Resource | Tool) -> tuple[str, tuple[str, int]]:
        """Where a record goes in title order: by title, accents and case ignored, then by QID."""
        if record.qid not in self.title_keys:
            self.title_keys[record.qid] = (sort_key(self.title(record).text), qid_sort_key(record.qid))
        return self.title_keys[record.qid]

    def groups(self, counter: Counter[str], section: str) -> list[Group]:
        """Groups sorted by count then name, each linking to its listing."""
        groups = [Group(q, self.label(q), f"browse/{section}/{q}/", n) for q, n in counter.items()]
        return sorted(groups, key=lambda g: (-g.count, sort_key(g.label.text), qid_sort_key(g.qid)))

    def paginate(self, base: str, entries: Sequence[Any]) -> Iterable[tuple[str, Sequence[Any], Pagination]]:
        """Split entries into pages at `base`, `base`2/, `base`3/…; an empty list still gets its first page."""
        size = self.config.site.page_size
        count = max(1, -(-len(entries) // size))

        def url(n: int) -> str:
            return base if n == 1 else f"{base}{n}/"

        for n in range(1, count + 1):
            yield url(n), entries[(n - 1) * size: n * size], Pagination(
                n, count, url(n - 1) if n > 1 else None, url(n + 1) if n < count else None)

    def listing_pages(self, base: str, heading: Text | str, entries: Sequence[Any],
                      parent: dict[str, str] | None = None,
                      letters: Callable[[int], list[tuple[str, str]]] | None = None) -> list[Page]:
        pages = []
        text = heading if isinstance(heading, Text) else None
        title = heading.text if isinstance(heading, Text) else heading
        for url, chunk, pagination in self.paginate(base, entries):
            page_title = title if pagination.number == 1 else f"{title} ({pagination.number})"
            pages.append(self.page(f"{url}index.md", page_title, "listing.md.j2", heading=title, heading_text=text,
                                   entries=chunk, total=len(entries), pagination=pagination, parent=parent,
                                   letters=letters(pagination.number) if letters else None))
        return pages

    def group_pages(self, section: str, heading: str, members: dict[str, list[Resource]]) -> list[Page]:
        groups = self.groups(Counter({q: len(rs) for q, rs in members.items()}), section)
        pages = []
        for url, chunk, pagination in self.paginate(f"browse/{section}/", groups):
            pages.append(self.page(f"{url}index.md", heading, "groups.md.j2", heading=heading, groups=chunk,
                                   pagination=pagination))
        parent = {"url": f"browse/{section}/", "title": heading}
        for g in groups:
            pages += self.listing_pages(g.url, g.label, self.sorted_by_title(members[g.qid]), parent)
        return pages

    def a_to_z(self) -> list[Page]:
        entries = self.sorted_by_title(self.resources)
        size = self.config.site.page_size
        first_page: dict[str, int] = {}
        for i, r in enumerate(entries):
            first_page.setdefault(initial(self.title(r).text), i // size + 1)
        jumps = [(letter, "browse/a-z/" if n == 1 else f"browse/a-z/{n}/") for letter, n in first_page.items()]
        # Translators: title of the alphabetical list of all learning resources.
        return self.listing_pages("browse/a-z/", self._("All resources A–Z"), entries, letters=lambda n: jumps)

    def newest(self, count: int) -> list[Resource]:
        """The resources most recently created in Metabase (highest QIDs), for the home page and the feed."""
        return sorted(self.resources, key=lambda r: qid_sort_key(r.qid), reverse=True)[:count]

    def home(self) -> Page:
        res = self.resources
        languages = Counter(q for r in res for q in r.languages)
        subjects = Counter(q for r in res for q in r.subjects)
        newest = self.newest(NEWEST)
        return self.page(
            "index.md", self.config.site.name, "home.md.j2", hide=("toc",),
            description=self._("Learning materials and software tools for Wikimedia volunteers and affiliates who "
                               "work with museums, archives, libraries and UN agencies, collected by the Content "
                               "Partnerships Hub."),
            counts={"resources": len(res), "tools": len(self.tools), "languages": len(languages)},
            newest=newest,
            types=self.groups(Counter(t for r in res for t in r.types), "types"),
            subjects=self.groups(subjects, "subjects")[:HOME_SUBJECTS],
            languages=self.groups(languages, "languages"),
        )

    def pages(self) -> list[Page]:
        """Every generated page of this locale."""
        res = self.resources
        members: dict[str, dict[str, list[Resource]]] = {"types": {}, "subjects": {}, "languages": {}}
        for r in res:
            for section in members:
                for q in getattr(r, section):
                    members[section].setdefault(q, []).append(r)
        _ = self._
        headings = {
            # Translators: title of the page listing resource types (Guide, Tutorial...), in the navigation too.
            "types": _("Resource types"),
            # Translators: title of the page listing the subjects (keywords) of resources, in the navigation too.
            "subjects": _("Subjects"),
            # Translators: title of the page listing the languages resources are written or spoken in.
            "languages": _("Languages of the work"),
        }
        pages = [self.home()]
        for section, groups in members.items():
            pages += self.group_pages(section, headings[section], groups)
        pages += self.a_to_z()
        # Translators: title of the list of all software tools.
        pages += self.listing_pages("browse/tools/", _("Tools"), self.sorted_by_title(self.tools))
        pages += [self.resource_page(r) for r in res]
        pages += [self.tool_page(t) for t in self.tools]
        pages.append(search_page(self))
        return pages


def navigation(config: Config, loc: LocaleConfig, translations: NullTranslations) -> list[dict[str, str]]:
    """The navigation: a handful of entry points that never grows with the catalog."""
    _ = translations.gettext
    return [
        # Translators: the home page in the navigation.
        {_("Home"): "index.md"},
        {_("Resource types"): "browse/types/index.md"},
        {_("Subjects"): "browse/subjects/index.md"},
        {_("Languages of the work"): "browse/languages/index.md"},
        {_("All resources A–Z"): "browse/a-z/index.md"},
        {_("Tools"): "browse/tools/index.md"},
        {_("About this knowledge base"): "about.md"},
        # Translators: the page on how to add resources and tools to Metabase, in the navigation and on the home page.
        {_("Add to Metabase"): "contribute.md"},
        {_("Improve Metabase"): "improve/index.md"},
        {_("Translation status"): "status/index.md"},
    ]


def render_picker(config: Config) -> str:
    """site/index.html: the language picker, redirecting to the browser's language when it is one of ours."""
    locales = [{"code": loc.code, "hreflang": loc.theme_language, "dir": loc.direction,
                "name": locale_name(loc)} for loc in config.locales]
    return ENV.get_template("picker.html.j2").render(
        site_name=config.site.name, site_url=config.site.url, locales=locales,
        codes_json=jinja2.utils.markupsafe.Markup(json.dumps(list(config.locale_codes))))
