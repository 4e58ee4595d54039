"""Render the catalog into Markdown pages (front matter + escaped HTML) for one locale; nothing is written here."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import jinja2
from babel.support import NullTranslations
from markupsafe import escape

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


@dataclass(frozen=True)
class Page:
    """One Markdown source page: where it goes under the locale's docs folder, its front matter and body."""

    path: str
    front: dict[str, Any]
    # None when the page's cache key is unchanged: its source file on disk holds the body (cache.read_body).
    body: str | None
    key: str = ""

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


def sort_key(text: str) -> str:
    """A locale-neutral collation key: accents and case ignored."""
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
    )
    env.policies["ext.i18n.trimmed"] = True
    return env


ENV = _environment()


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
        return self.l10n.pick(record.descriptions)

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
        body = tpl.render(
            lang=self.loc.code,
            href=lambda target: relative(url, target),
            label=self.l10n.label,
            title=self.title,
            description=self.description,
            pick=self.l10n.pick,
            date=self.l10n.date,
            number=self.l10n.number,
            link_label=self.link_label,
            language=self.l10n.locale_name(self.loc, capitalize=False),
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
        url = path.removesuffix("index.md")
        front: dict[str, Any] = {"title": plain(title, 200), "hide": list(hide)}
        if description:
            front["description"] = plain(description, 300)
        if jsonld:
            front["jsonld"] = json_ld(jsonld)
        if self.cache is None:
            return Page(path=path, front=front, body=self.render(template, url, **context))
        key = self.cache.key(path, template, front, context)
        body = None if self.cache.fresh(path, key) else self.render(template, url, **context)
        return Page(path=path, front=front, body=body, key=key)

    # -- pages -----------------------------------------------------------------------------------------------

    def resource_page(self, r: Resource) -> Page:
        t, d = self.title(r), self.description(r)
        canonical = f"{self.config.site.url}{self.loc.code}/resources/{r.qid}/"
        ld: dict[str, Any] = {
            "@context": "https://schema.org", "@type": "LearningResource", "@id": canonical, "url": canonical,
            "name": t.text, "identifier": r.qid, "sameAs": [self.edit_url(r.qid)],
        }
        if d:
            ld["description"] = d.text
        if r.types:
            ld["learningResourceType"] = [self.l10n.label(q).text for q in r.types]
        codes = [e.language_code for q in r.languages if (e := self.catalog.entities.get(q)) and e.language_code]
        if codes:
            ld["inLanguage"] = codes
        if r.date:
            ld["datePublished"] = r.date.iso
        people = [self.l10n.label(q).text for q in r.authors] + list(r.author_names)
        if people:
            ld["author"] = [{"@type": "Person", "name": n} for n in people]
        if r.publishers:
            ld["publisher"] = [{"@type": "Organization", "name": self.l10n.label(q).text} for q in r.publishers]
        if r.subjects:
            ld["about"] = [self.l10n.label(q).text for q in r.subjects]
        if r.wikidata:
            ld["sameAs"].append(f"https://www.wikidata.org/wiki/{r.wikidata}")
        return self.page(f"resources/{r.qid}/index.md", t.text, "resource.md.j2", d.text if d else "",
                         jsonld=ld, item=r, edit_url=self.edit_url(r.qid))

    def tool_page(self, tool: Tool) -> Page:
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
            ld["license"] = [self.l10n.label(q).text for q in tool.licenses]
        if tool.developers:
            ld["author"] = [{"@type": "Thing", "name": self.l10n.label(q).text} for q in tool.developers]
        about = self.sorted_by_title(self.catalog.resources_about(tool.qid))
        return self.page(f"tools/{tool.qid}/index.md", t.text, "tool.md.j2", d.text if d else "", jsonld=ld,
                         item=tool, edit_url=self.edit_url(tool.qid), about=about[:ABOUT_ON_TOOL_PAGE],
                         about_total=len(about))

    def sorted_by_title(self, records: Iterable[Resource | Tool]) -> list[Any]:
        return sorted(records, key=lambda r: (sort_key(self.title(r).text), qid_sort_key(r.qid)))

    def groups(self, counter: Counter[str], section: str) -> list[Group]:
        """Groups sorted by count then name, each linking to its listing."""
        groups = [Group(q, self.l10n.label(q), f"browse/{section}/{q}/", n) for q, n in counter.items()]
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


def render_locale(catalog: Catalog, config: Config, loc: LocaleConfig, translations: NullTranslations,
                  cache: PageCache | None = None) -> list[Page]:
    """All generated pages of one locale (with a cache, unchanged pages come back without a body)."""
    return LocaleRenderer(catalog, config, loc, translations, cache).pages()


def render_picker(config: Config) -> str:
    """site/index.html: the language picker, redirecting to the browser's language when it is one of ours."""
    locales = [{"code": loc.code, "hreflang": loc.theme_language, "dir": loc.direction,
                "name": locale_name(loc)} for loc in config.locales]
    return ENV.get_template("picker.html.j2").render(
        site_name=config.site.name, site_url=config.site.url, locales=locales,
        codes_json=jinja2.utils.markupsafe.Markup(json.dumps(list(config.locale_codes))))
