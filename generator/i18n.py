"""Everything about languages in one place: interface translations, label fallback, and Babel formatting."""

from __future__ import annotations

import datetime
import io
import logging
from dataclasses import dataclass
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from babel.messages.mofile import write_mo
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

from .catalog import Catalog, Date, Entity
from .config import Config, LocaleConfig
from .errors import BuildError
from .pocheck import check_po

log = logging.getLogger(__name__)

DOMAIN = "messages"


def po_path(config: Config, code: str) -> Path:
    """Where a locale's interface strings live: translations/<code>/LC_MESSAGES/messages.po."""
    return config.root / "translations" / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def load_translations(config: Config, loc: LocaleConfig) -> NullTranslations:
    """Compile a locale's .po in memory (no .mo is committed); English, the source language, needs none.

    A file that does not read stops the build; an entry with an error is left out with a warning, so one bad
    translation shows that string in English and never breaks a page.
    """
    path = po_path(config, loc.code)
    if not path.exists():
        if loc.code != "en":
            log.warning("%s: no translations for locale %s; its interface falls back to English", path, loc.code)
        return NullTranslations()
    checked = check_po(path, loc.code)
    if checked.catalog is None:
        raise BuildError(f"{checked.problems[0]} (check it with `hubkb i18n check`)")
    for problem in checked.problems:
        log.warning("%s: %s; %s", loc.code, problem,
                    "readers see English for this string" if problem.message else "fix the file's header")
    for message in checked.broken:
        checked.catalog.delete(message.id, message.context)
    buf = io.BytesIO()
    write_mo(buf, checked.catalog, use_fuzzy=False)
    buf.seek(0)
    return Translations(buf, domain=DOMAIN)


@dataclass(frozen=True)
class Text:
    """A string from Metabase and the language it is in; `fallback` when that is not the reader's language."""

    text: str
    lang: str
    fallback: bool


def _any_language(values: dict[str, str]) -> tuple[str, str] | None:
    return next(iter(sorted(values.items())), None)


class Localizer:
    """Picks labels through the locale's fallback chain and formats dates, numbers and language names."""

    def __init__(self, loc: LocaleConfig, catalog: Catalog) -> None:
        self.loc = loc
        self.catalog = catalog
        self.babel = loc.babel

    def pick(self, values: dict[str, str]) -> Text | None:
        """The value in the reader's language, else the first of the fallback chain, else any language."""
        for code in self.loc.chain:
            if code in values:
                return Text(values[code], code, fallback=code not in (self.loc.code, "mul"))
        found = _any_language(values)
        return Text(found[1], found[0], fallback=True) if found else None

    def label(self, qid: str) -> Text:
        """The name of any item in the catalog; language items fall back to Babel's name for their code."""
        labels = self.catalog.label_of(qid)
        own = labels.get(self.loc.code) or labels.get("mul")
        if own:
            return Text(own, self.loc.code, fallback=False)
        entity = self.catalog.entities.get(qid)
        named = self.language_name(entity) if entity else None
        if named:
            return Text(named, self.loc.code, fallback=False)
        return self.pick(labels) or Text(qid, "zxx", fallback=True)

    def language_name(self, entity: Entity) -> str | None:
        """CLDR's name of a language item's code in the reader's locale (`svenska`, `suédois`)."""
        if not entity.language_code:
            return None
        try:
            name = Locale.parse(entity.language_code, sep="-").get_display_name(self.babel)
        except (UnknownLocaleError, ValueError):
            return None
        return name or None

    def date(self, date: Date) -> str:
        """A date at its precision in the reader's locale: a year stays a year."""
        year = date.year
        parts = date.iso.lstrip("-").split("-")
        if date.precision <= 9 or year < 1 or len(parts) < 2:
            return str(year) if year > 0 else date.iso
        try:
            day = datetime.date(year, int(parts[1]), int(parts[2]) if len(parts) > 2 else 1)
        except ValueError:
            return date.iso
        if date.precision == 10:
            return format_skeleton("yMMMM", day, locale=self.babel)
        return format_date(day, format="long", locale=self.babel)

    def number(self, value: int) -> str:
        return format_decimal(value, locale=self.babel)

    def locale_name(self, loc: LocaleConfig, capitalize: bool = True) -> str:
        """A locale's name in the reader's locale, for menus or (not capitalised) inside sentences."""
        return locale_name(loc, self.babel, capitalize)


def locale_name(loc: LocaleConfig, in_locale: Locale | None = None, capitalize: bool = True) -> str:
    """A locale's name in `in_locale`, by default its own (`svenska`), capitalised for menus (`Svenska`)."""
    name = loc.babel.get_display_name(in_locale or loc.babel) or loc.code
    return name[:1].upper() + name[1:] if capitalize else name
