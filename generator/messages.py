"""Translator workflow on the interface strings: extract the POT, update and create locale files (Babel APIs)."""

from __future__ import annotations

import datetime
import logging
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog as PoCatalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po, write_po

from . import __version__
from .config import Config
from .errors import ConfigError
from .i18n import po_path

log = logging.getLogger(__name__)

METHOD_MAP = [("generator/templates/**.j2", "jinja2"), ("generator/**.py", "python")]
OPTIONS_MAP = {"generator/templates/**.j2": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}}
COMMENT_TAGS = ("Translators:",)
# A fixed header date keeps the POT's bytes stable when no string changed.
POT_DATE = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


def pot_path(config: Config) -> Path:
    return config.root / "translations" / "messages.pot"


def extract(config: Config) -> PoCatalog:
    """Collect every interface string from the templates and Python code, with its translator comment."""
    pot = PoCatalog(project="hubkb", version=__version__, creation_date=POT_DATE, revision_date=POT_DATE,
                    msgid_bugs_address="", copyright_holder="hubkb contributors", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(config.root), METHOD_MAP, OPTIONS_MAP, keywords=DEFAULT_KEYWORDS, comment_tags=COMMENT_TAGS,
        strip_comment_tags=True,
    ):
        pot.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return pot


def write_catalog(catalog: PoCatalog, path: Path, **options: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        write_po(fh, catalog, width=100, **options)


def read_catalog(path: Path, code: str | None = None) -> PoCatalog:
    with path.open("rb") as fh:
        return read_po(fh, locale=Locale.parse(code, sep="-") if code else None)


def update(config: Config, pot: PoCatalog) -> dict[str, int]:
    """Merge the POT into every locale's .po; strings whose source changed become fuzzy. Returns fuzzy counts."""
    fuzzy: dict[str, int] = {}
    for loc in config.locales[1:]:
        path = po_path(config, loc.code)
        catalog = read_catalog(path, loc.code) if path.exists() else new_catalog(loc.code)
        catalog.update(pot, update_header_comment=False)
        write_catalog(catalog, path, ignore_obsolete=True)
        fuzzy[loc.code] = sum(1 for m in catalog if m.id and m.fuzzy)
    return fuzzy


def new_catalog(code: str) -> PoCatalog:
    return PoCatalog(locale=Locale.parse(code, sep="-"), project="hubkb", version=__version__,
                     creation_date=POT_DATE, revision_date=POT_DATE, fuzzy=False)


def init(config: Config, code: str, pot: PoCatalog) -> Path:
    """Create translations/<code>/LC_MESSAGES/messages.po from the POT; refuses to overwrite."""
    path = po_path(config, code)
    if path.exists():
        raise ConfigError(f"{path}: already exists; use `hubkb i18n update`")
    catalog = new_catalog(code)
    catalog.update(pot)
    write_catalog(catalog, path)
    return path
