"""The one configuration place: `hubkb.toml`, parsed into a typed, validated object."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError

from .errors import ConfigError

QID = re.compile(r"^Q[1-9][0-9]*$")
PID = re.compile(r"^P[1-9][0-9]*$")
LANG = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")
CONFIG_NAME = "hubkb.toml"

# Resource properties the catalog reads; each must be present in [properties].
RESOURCE_PROPERTIES = (
    "instance_of", "wikidata", "title", "subject", "part_of", "date", "author", "language", "publisher",
    "temporary_value", "temporary_value_role", "used_by", "course_url", "commons_video", "commons_document",
    "youtube", "wiki_page", "described_at_page", "described_at_url",
)
# Tool fields resolved through Wikidata equivalents; each must be present in [tools.fields].
TOOL_FIELDS = (
    "website", "repository", "license", "developer", "technology", "ui_language", "user_docs", "bugtracker",
    "version", "language_code",
)


@dataclass(frozen=True)
class SourceConfig:
    """Where Metabase is and how hard to try when it misbehaves."""

    endpoint: str
    entity_base: str
    wiki_base: str
    timeout: float = 60.0
    retries: int = 5
    page_size: int = 5000
    batch_size: int = 200

    @property
    def host_base(self) -> str:
        """The IRI prefix shared by entity/, prop/… (the entity base without `entity/`)."""
        return self.entity_base.removesuffix("entity/")

    def item_url(self, qid: str) -> str:
        """The item's page on the wiki, where anyone with an account can edit it."""
        return f"{self.wiki_base}Item:{qid}"


@dataclass(frozen=True)
class ToolField:
    """A tool field named by its Wikidata equivalent, optionally pinned to a Metabase property."""

    wikidata: str
    metabase: str | None = None


@dataclass(frozen=True)
class LocaleConfig:
    """An interface locale: its code in URLs and label languages, and where labels fall back to."""

    code: str
    fallback: tuple[str, ...]

    @property
    def babel(self) -> Locale:
        """The Babel locale for dates, numbers and language names (`pt-br` → `pt_BR`)."""
        return Locale.parse(self.code, sep="-")

    @property
    def chain(self) -> tuple[str, ...]:
        """Label languages to try in order: the locale itself, then its fallbacks."""
        return (self.code, *[c for c in self.fallback if c != self.code])

    @property
    def direction(self) -> str:
        """`rtl` or `ltr`, from CLDR's character order for the locale."""
        return "rtl" if self.babel.character_order == "right-to-left" else "ltr"

    @property
    def theme_language(self) -> str:
        """The code mkdocs-material names its own translations by (`pt-BR`)."""
        lang, _, region = self.code.partition("-")
        return f"{lang}-{region.upper()}" if region else lang


@dataclass(frozen=True)
class SiteConfig:
    """What the published site is called and where it lives."""

    url: str
    name: str
    page_size: int = 50


@dataclass(frozen=True)
class PublishConfig:
    """How much a new catalog may lose against the published one before publishing is refused."""

    max_shrink: float = 0.10


@dataclass(frozen=True)
class SearchConfig:
    """How the search index is split: each locale's item pages go into shards of about `shard_pages` pages,
    indexed separately; a rebuild indexes the pages changed since their shard was indexed on their own (the
    recent-edits bundle) until there are more than `recent_pages` of them, then indexes their shards again."""

    shard_pages: int = 6000
    recent_pages: int = 200


@dataclass(frozen=True)
class Config:
    """The whole validated configuration; `root` is the folder holding hubkb.toml."""

    root: Path
    source: SourceConfig
    resource_classes: tuple[str, ...]
    type_aliases: dict[str, str]
    event_class: str
    properties: dict[str, str]
    tool_classes_wikidata: tuple[str, ...]
    tool_classes: tuple[str, ...]
    tool_fields: dict[str, ToolField]
    site: SiteConfig
    locales: tuple[LocaleConfig, ...] = field(default_factory=tuple)
    publish: PublishConfig = field(default_factory=PublishConfig)
    search: SearchConfig = field(default_factory=SearchConfig)

    @property
    def label_languages(self) -> tuple[str, ...]:
        """Every label language the site can show: locales, their fallbacks, and `mul`."""
        seen: dict[str, None] = {}
        for loc in self.locales:
            for code in loc.chain:
                seen[code] = None
        seen["mul"] = None
        return tuple(seen)

    def locale(self, code: str) -> LocaleConfig:
        """The configured locale with this code."""
        for loc in self.locales:
            if loc.code == code:
                return loc
        raise ConfigError(f"unknown locale {code!r}; configured: {', '.join(self.locale_codes)}")

    @property
    def locale_codes(self) -> tuple[str, ...]:
        return tuple(loc.code for loc in self.locales)


class _Collector:
    """Collects every problem in a config file so the user sees them all at once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.errors: list[str] = []

    def need(self, table: dict[str, Any], key: str, where: str, kind: type | tuple[type, ...]) -> Any:
        if key not in table:
            self.errors.append(f"{where}.{key}: missing")
            return None
        value = table[key]
        if not isinstance(value, kind):
            self.errors.append(f"{where}.{key}: expected {getattr(kind, '__name__', kind)}, got {value!r}")
            return None
        return value

    def ids(self, values: Any, pattern: re.Pattern[str], where: str) -> tuple[str, ...]:
        if not isinstance(values, list):
            self.errors.append(f"{where}: expected a list of IDs")
            return ()
        bad = [v for v in values if not isinstance(v, str) or not pattern.match(v)]
        if bad:
            self.errors.append(f"{where}: not a valid ID: {', '.join(map(repr, bad))}")
        return tuple(v for v in values if isinstance(v, str) and pattern.match(v))

    def unknown(self, table: dict[str, Any], known: set[str], where: str) -> None:
        for key in sorted(set(table) - known):
            self.errors.append(f"{where}.{key}: unknown key")


def find_config(start: Path | None = None) -> Path:
    """The hubkb.toml in `start` (the current folder by default) or the nearest folder above it."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    raise ConfigError(f"no {CONFIG_NAME} in {here} or above; run hubkb in the project folder or pass --config")


def load_config(path: Path | None = None) -> Config:
    """Read and validate hubkb.toml; every problem is reported in one ConfigError."""
    path = path or find_config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    c = _Collector(path)
    c.unknown(data, {"source", "resources", "properties", "tools", "site", "locales", "publish", "search"}, "")

    src = data.get("source", {})
    c.unknown(src, {f for f in SourceConfig.__dataclass_fields__}, "source")
    source = SourceConfig(
        endpoint=c.need(src, "endpoint", "source", str) or "",
        entity_base=c.need(src, "entity_base", "source", str) or "",
        wiki_base=c.need(src, "wiki_base", "source", str) or "",
        timeout=float(src.get("timeout", 60)),
        retries=int(src.get("retries", 5)),
        page_size=int(src.get("page_size", 5000)),
        batch_size=int(src.get("batch_size", 200)),
    )
    for key in ("endpoint", "entity_base", "wiki_base"):
        value = getattr(source, key)
        if value and not re.match(r"^https?://", value):
            c.errors.append(f"source.{key}: must be an http(s) URL, got {value!r}")
    if source.entity_base and not source.entity_base.endswith("/entity/"):
        c.errors.append(f"source.entity_base: must end with /entity/, got {source.entity_base!r}")

    res = data.get("resources", {})
    c.unknown(res, {"classes", "type_aliases", "event_class"}, "resources")
    classes = c.ids(res.get("classes", []), QID, "resources.classes")
    if not classes:
        c.errors.append("resources.classes: at least one class is needed")
    aliases = res.get("type_aliases", {})
    c.ids(list(aliases) + list(aliases.values()), QID, "resources.type_aliases")
    event_class = c.need(res, "event_class", "resources", str) or ""
    c.ids([event_class], QID, "resources.event_class")

    props = data.get("properties", {})
    c.unknown(props, set(RESOURCE_PROPERTIES), "properties")
    for name in RESOURCE_PROPERTIES:
        value = c.need(props, name, "properties", str)
        if value is not None:
            c.ids([value], PID, f"properties.{name}")

    tools = data.get("tools", {})
    c.unknown(tools, {"classes_wikidata", "classes", "fields"}, "tools")
    tool_classes_wd = c.ids(tools.get("classes_wikidata", []), QID, "tools.classes_wikidata")
    tool_classes = c.ids(tools.get("classes", []), QID, "tools.classes")
    raw_fields = tools.get("fields", {})
    c.unknown(raw_fields, set(TOOL_FIELDS), "tools.fields")
    fields: dict[str, ToolField] = {}
    for name in TOOL_FIELDS:
        spec = c.need(raw_fields, name, "tools.fields", dict)
        if spec is None:
            continue
        c.unknown(spec, {"wikidata", "metabase"}, f"tools.fields.{name}")
        wd = spec.get("wikidata", "")
        c.ids([wd], PID, f"tools.fields.{name}.wikidata")
        mb = spec.get("metabase")
        if mb is not None:
            c.ids([mb], PID, f"tools.fields.{name}.metabase")
        fields[name] = ToolField(wikidata=wd, metabase=mb)

    site_t = data.get("site", {})
    c.unknown(site_t, {"url", "name", "page_size"}, "site")
    site = SiteConfig(
        url=(c.need(site_t, "url", "site", str) or "/").rstrip("/") + "/",
        name=c.need(site_t, "name", "site", str) or "",
        page_size=int(site_t.get("page_size", 50)),
    )

    publish_t = data.get("publish", {})
    c.unknown(publish_t, {"max_shrink"}, "publish")
    max_shrink = publish_t.get("max_shrink", PublishConfig.max_shrink)
    if isinstance(max_shrink, bool) or not isinstance(max_shrink, int | float) or not 0 <= max_shrink <= 1:
        c.errors.append(f"publish.max_shrink: expected a fraction between 0 and 1 (0.10 = 10%), got {max_shrink!r}")
        max_shrink = PublishConfig.max_shrink

    search_t = data.get("search", {})
    c.unknown(search_t, {"shard_pages", "recent_pages"}, "search")
    shard_pages = search_t.get("shard_pages", SearchConfig.shard_pages)
    if isinstance(shard_pages, bool) or not isinstance(shard_pages, int) or shard_pages < 1:
        c.errors.append(f"search.shard_pages: expected a whole number of pages, 1 or more, got {shard_pages!r}")
        shard_pages = SearchConfig.shard_pages
    recent_pages = search_t.get("recent_pages", SearchConfig.recent_pages)
    if isinstance(recent_pages, bool) or not isinstance(recent_pages, int) or recent_pages < 0:
        c.errors.append(f"search.recent_pages: expected a whole number of pages, 0 or more, got {recent_pages!r}")
        recent_pages = SearchConfig.recent_pages

    locales: list[LocaleConfig] = []
    for i, loc in enumerate(data.get("locales", [])):
        where = f"locales[{i}]"
        c.unknown(loc, {"code", "fallback"}, where)
        code = c.need(loc, "code", where, str)
        if code is None:
            continue
        if not LANG.match(code):
            c.errors.append(f"{where}.code: {code!r} is not a lower-case language code such as 'pt-br'")
            continue
        try:
            Locale.parse(code, sep="-")
        except (UnknownLocaleError, ValueError):
            c.errors.append(f"{where}.code: Babel knows no locale {code!r}")
            continue
        fallback = loc.get("fallback", ["mul", "en"])
        bad = [f for f in fallback if not isinstance(f, str) or not LANG.match(f)]
        if bad:
            c.errors.append(f"{where}.fallback: not language codes: {bad!r}")
        locales.append(LocaleConfig(code=code, fallback=tuple(f for f in fallback if f not in bad)))
    if not locales:
        c.errors.append("locales: at least one locale is needed")
    elif locales[0].code != "en":
        c.errors.append("locales: the first locale must be 'en', the source language of the interface")
    codes = [loc.code for loc in locales]
    if len(set(codes)) != len(codes):
        c.errors.append(f"locales: duplicate codes in {codes}")

    if c.errors:
        raise ConfigError(f"{path}: " + "; ".join(c.errors))
    return Config(
        root=path.parent.resolve(),
        source=source,
        resource_classes=classes,
        type_aliases=dict(aliases),
        event_class=event_class,
        properties=dict(props),
        tool_classes_wikidata=tool_classes_wd,
        tool_classes=tool_classes,
        tool_fields=fields,
        site=site,
        locales=tuple(locales),
        publish=PublishConfig(max_shrink=float(max_shrink)),
        search=SearchConfig(shard_pages=shard_pages, recent_pages=recent_pages),
    )
