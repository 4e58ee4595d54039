"""Translator workflow on the interface strings: extract the POT, update, create and check locale files (Babel)."""

from __future__ import annotations

import datetime
import logging
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog as PoCatalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import write_po

from . import __version__
from .config import LANG, Config
from .errors import ConfigError
from .i18n import DOMAIN, po_path
from .pocheck import InterfaceCounts, PoCheck, check_po, interface_counts, locale_of

log = logging.getLogger(__name__)

# Paths inside the package; the POT names them as generator/… so it reads the same from a checkout or an install.
METHOD_MAP = [("templates/**.j2", "jinja2"), ("**.py", "python")]
OPTIONS_MAP = {"templates/**.j2": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}}
PACKAGE = Path(__file__).resolve().parent
COMMENT_TAGS = ("Translators:",)
# A fixed header date keeps the POT's bytes stable when no string changed.
POT_DATE = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


def pot_path(config: Config) -> Path:
    return config.root / "translations" / "messages.pot"


def extract(package: Path = PACKAGE) -> PoCatalog:
    """Collect every interface string from the package's templates and Python code, with its translator comment."""
    pot = PoCatalog(project="hubkb", version=__version__, creation_date=POT_DATE, revision_date=POT_DATE,
                    msgid_bugs_address="", copyright_holder="hubkb contributors", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(package), METHOD_MAP, OPTIONS_MAP, keywords=DEFAULT_KEYWORDS, comment_tags=COMMENT_TAGS,
        strip_comment_tags=True,
    ):
        pot.add(message, None, [(f"generator/{filename}", lineno)], auto_comments=comments, context=context)
    return pot


def write_catalog(catalog: PoCatalog, path: Path, **options: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        write_po(fh, catalog, width=100, **options)


def update(config: Config, pot: PoCatalog) -> dict[str, int]:
    """Merge the POT into every locale's .po (configured or not yet); changed source strings become fuzzy.

    Returns the fuzzy count per locale. A file that does not read is refused before anything is written.
    """
    catalogs = {}
    for path in po_files(config):
        code = str(locale_of(path))
        checked = check_po(path, code) if path.exists() else PoCheck(path, code, new_catalog(code))
        if checked.catalog is None:
            raise ConfigError(f"{checked.problems[0]}; fix it, then run `hubkb i18n update` again")
        catalogs[path] = (code, checked.catalog)
    fuzzy: dict[str, int] = {}
    for path, (code, catalog) in catalogs.items():
        catalog.update(pot, update_header_comment=False)
        # `#| msgid` keeps the old source next to a fuzzy entry, so translators see what changed.
        write_catalog(catalog, path, ignore_obsolete=True, include_previous=True)
        fuzzy[code] = sum(1 for m in catalog if m.id and m.fuzzy)
    return fuzzy


def new_catalog(code: str) -> PoCatalog:
    return PoCatalog(locale=Locale.parse(code, sep="-"), project="hubkb", version=__version__,
                     creation_date=POT_DATE, revision_date=POT_DATE, fuzzy=False)


def init(config: Config, code: str, pot: PoCatalog) -> Path:
    """Create translations/<code>/LC_MESSAGES/messages.po from the POT; refuses to overwrite."""
    if not LANG.match(code):
        raise ConfigError(f"{code!r} is not a lower-case language code such as 'pt-br'")
    try:
        Locale.parse(code, sep="-")
    except (UnknownLocaleError, ValueError) as exc:
        raise ConfigError(f"Babel knows no locale {code!r}") from exc
    path = po_path(config, code)
    if path.exists():
        raise ConfigError(f"{path}: already exists; use `hubkb i18n update`")
    catalog = new_catalog(code)
    catalog.update(pot)
    write_catalog(catalog, path)
    return path


def po_files(config: Config) -> list[Path]:
    """The .po file of every configured locale but English, then of any locale not configured yet."""
    configured = [po_path(config, loc.code) for loc in config.locales[1:]]
    others = sorted(set((config.root / "translations").glob(f"*/LC_MESSAGES/{DOMAIN}.po")) - set(configured))
    return configured + others


def check_files(paths: list[Path], pot: PoCatalog) -> list[tuple[PoCheck, InterfaceCounts | None]]:
    """Check each .po file, and count the POT's strings by what its readers see (None when it does not read)."""
    results: list[tuple[PoCheck, InterfaceCounts | None]] = []
    for path in paths:
        checked = check_po(path)
        results.append((checked, interface_counts(checked, pot) if checked.catalog is not None else None))
    return results
