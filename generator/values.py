"""Conversions from SPARQL result terms to catalog values; each returns None for what it cannot accept."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote, unquote, urlsplit

from .catalog import Date

# Wikibase "unknown value" is a blank node, or a skolem IRI under /.well-known/genid/.
GENID = "/.well-known/genid/"
WIKIDATA_ID = re.compile(r"^[QPL][1-9][0-9]*$")
YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
COMMONS_FILEPATH = re.compile(r"^https?://commons\.wikimedia\.org/wiki/Special:FilePath/(.+)$")
META_WIKI = "https://meta.wikimedia.org/wiki/"
# C0 and C1 control characters (tab, newline and the rest): never meaningful in a label.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")
# Those or any whitespace (`\s` is exactly what str.isspace accepts): never inside a URL.
_CONTROL_OR_SPACE = re.compile(r"[\x00-\x1f\x7f-\x9f\s]")


def is_unknown(term: dict[str, str]) -> bool:
    """True for Wikibase's "unknown value" (and "no value") placeholders."""
    return term.get("type") == "bnode" or GENID in term.get("value", "")


def clean_text(text: str) -> str:
    """Collapse control characters to spaces and trim; the text otherwise stays as the wiki has it."""
    return _CONTROL.sub(" ", text).strip()


def entity_id(term: dict[str, str], entity_base: str) -> str | None:
    """`Q12` for an entity IRI of this Wikibase, else None."""
    value = term.get("value", "")
    if term.get("type") != "uri" or not value.startswith(entity_base):
        return None
    local = value[len(entity_base):]
    return local if WIKIDATA_ID.match(local) else None


def http_url(value: str) -> str | None:
    """The URL if it is an absolute http(s) URL with a host, else None (javascript:, ftp:, data: are dropped)."""
    value = value.strip()
    if _CONTROL_OR_SPACE.search(value):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return value


def commons_file_url(value: str) -> str | None:
    """The Commons file page for a commonsMedia value (a Special:FilePath IRI or a bare file name)."""
    match = COMMONS_FILEPATH.match(value)
    name = unquote(match.group(1)) if match else value
    name = clean_text(name).replace(" ", "_")
    if not name or "/" in name or name.startswith("."):
        return None
    return "https://commons.wikimedia.org/wiki/File:" + quote(name, safe="()_,.-'!")


def youtube_url(video_id: str) -> str | None:
    """The watch URL for a YouTube video ID, if the ID has YouTube's shape."""
    video_id = video_id.strip()
    return f"https://www.youtube.com/watch?v={video_id}" if YOUTUBE_ID.match(video_id) else None


def wiki_page_url(interwiki: str) -> str | None:
    """Resolve an interwiki page such as `:wmse:Projekt:GLAM 2021/Guide` through Meta-Wiki's interwiki map."""
    page = clean_text(interwiki).replace(" ", "_")
    if not page or page.startswith(("//", "/")) or "://" in page:
        return None
    return META_WIKI + quote(page, safe=":/()_,.-'!~")


def wikidata_id(value: str) -> str | None:
    """A Wikidata ID (`Q1860`) or None."""
    value = value.strip()
    return value if WIKIDATA_ID.match(value) else None


def wikibase_date(time: str, precision: int) -> Date | None:
    """A Wikibase time cut to its precision: a year-precision date is a year, never 1 January."""
    match = re.match(r"^([+-]?)(\d{1,16})-(\d\d)-(\d\d)", time.strip())
    if not match:
        return None
    sign, year, month, day = match.groups()
    year_text = ("-" if sign == "-" else "") + year.lstrip("0").rjust(4, "0")
    if precision <= 9:
        return Date(iso=year_text, precision=precision)
    if precision == 10:
        return Date(iso=f"{year_text}-{month}", precision=10)
    return Date(iso=f"{year_text}-{month}-{day}", precision=11)


def language_code(value: str) -> str | None:
    """A lower-case Wikimedia language code (`pt-br`), or None for anything else."""
    value = unicodedata.normalize("NFKC", value).strip().lower()
    return value if re.match(r"^[a-z]{2,3}(-[a-z0-9]{1,8})*$", value) else None
