"""Checks of one locale's .po file: one function serves `hubkb i18n check`, `hubkb i18n status` and the build.

Syntax comes from Babel's reader, placeholders from Babel's `python_format` checker, plural forms from CLDR's
rule for the locale. A file that does not read is unusable (the build stops, naming the line); an entry with an
error is dropped by the build, so readers see English for that one string and the rest of the locale is used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages import checkers
from babel.messages.catalog import PYTHON_FORMAT, Message, TranslationError
from babel.messages.catalog import Catalog as PoCatalog
from babel.messages.plurals import get_plural
from babel.messages.pofile import PoFileError, read_po

# `{name}` fields of str.format strings (`%(name)s` ones are Babel's PYTHON_FORMAT).
BRACE_FORMAT = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
# Lines that carry a quoted string, and the complete form of one: Babel's reader silently takes
# `msgid "text` (no closing quote) as an empty string, so such lines are caught here, by line.
_STRING_LINE = re.compile(r'^(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\b|^"')
_COMPLETE_STRING_LINE = re.compile(r'^(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?"(?:[^"\\]|\\.)*"\s*$')


@dataclass(eq=False)
class Problem:
    """An error at a line of a .po file (None: the whole file); `message` is the entry it makes unusable."""

    path: Path
    line: int | None
    text: str
    message: Message | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text}" if self.line else f"{self.path}: {self.text}"


@dataclass
class PoCheck:
    """A read and checked .po file: its catalogue (None when it does not read) and every problem found."""

    path: Path
    code: str
    catalog: PoCatalog | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def broken(self) -> list[Message]:
        """Entries the build leaves out because of an error (English is shown instead)."""
        seen: dict[int, Message] = {}
        for problem in self.problems:
            if problem.message is not None:
                seen.setdefault(id(problem.message), problem.message)
        return list(seen.values())


@dataclass(frozen=True)
class InterfaceCounts:
    """How many of the site's interface strings a locale shows translated, and why the others are English."""

    total: int
    translated: int
    fuzzy: int
    untranslated: int
    errors: int

    def summary(self) -> str:
        return (f"{self.translated} translated, {self.fuzzy} fuzzy, {self.untranslated} untranslated, "
                f"{self.errors} with errors (of {self.total})")


def locale_of(path: Path) -> str | None:
    """The locale a .po file is for, from its place: translations/<locale>/LC_MESSAGES/messages.po."""
    return path.parent.parent.name if path.parent.name == "LC_MESSAGES" else None


def check_po(path: Path, code: str | None = None) -> PoCheck:
    """Read and check a .po file; never raises for what is in the file, every fault becomes a Problem."""
    code = code or locale_of(path) or ""
    result = PoCheck(path=path, code=code)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        result.problems.append(Problem(path, None, f"cannot read: {exc.strerror}"))
        return result
    lines = raw.split(b"\n")
    for number, line in enumerate(lines, 1):
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            result.problems.append(Problem(path, number, "not valid UTF-8 (save the file as UTF-8)"))
            return result
        stripped = text.strip()
        if _STRING_LINE.match(stripped) and not _COMPLETE_STRING_LINE.match(stripped):
            result.problems.append(Problem(path, number, f"string not closed or malformed: {stripped[:60]}"))
            return result
    try:
        locale = Locale.parse(code, sep="-") if code else None
    except (UnknownLocaleError, ValueError):
        result.problems.append(Problem(path, 1, f"Babel knows no locale {code!r} (the folder name)"))
        return result
    try:
        catalog = read_po(lines, locale=locale, abort_invalid=True)
    except PoFileError as exc:
        # Babel counts lines from 0 and appends its own count to the message.
        text = str(exc).removesuffix(f" on {exc.lineno}")
        result.problems.append(Problem(path, exc.lineno + 1, text))
        return result
    if locale is None:
        if catalog.locale is None:
            result.problems.append(Problem(path, 1, "cannot tell the locale: keep the file at "
                                                    "translations/<locale>/LC_MESSAGES/messages.po"))
            return result
        locale, result.code = catalog.locale, str(catalog.locale_identifier).replace("_", "-").lower()
    result.catalog = catalog
    plurals = get_plural(locale).num_plurals
    if catalog.num_plurals != plurals:
        at = next((n for n, b in enumerate(lines, 1) if b.lstrip().startswith(b'"Plural-Forms:')), 1)
        result.problems.append(Problem(path, at, f"Plural-Forms says nplurals={catalog.num_plurals}, but "
                                                   f"{result.code} has {plurals} plural forms"))
    for message in catalog:
        if message.id and not message.fuzzy and any(_strings(message)):
            for text in message_problems(message, result.code, plurals):
                result.problems.append(Problem(path, message.lineno, f"{_quote(message)}: {text}", message))
    return result


def message_problems(message: Message, code: str, plurals: int) -> list[str]:
    """What is wrong with one translated entry: plural forms against the locale's rule, and placeholders."""
    problems = []
    strings = _strings(message)
    if message.pluralizable:
        if len(strings) != plurals:
            problems.append(f"{len(strings)} plural forms, but {code} has {plurals} "
                            f"(msgstr[0] to msgstr[{plurals - 1}])")
        problems += [f"msgstr[{i}] is empty" for i, s in enumerate(strings) if not s]
    else:
        try:
            checkers.num_plurals(None, message)
        except TranslationError as exc:
            problems.append(str(exc))
            return problems
    sources = tuple(message.id) if isinstance(message.id, (list, tuple)) else (message.id,)
    for style in ("python", "brace"):
        wanted: dict[str, str] = {}
        for source in sources:
            wanted.update(_placeholders(source, style))
        if not wanted:
            continue
        if style == "python":
            # Babel's checker: unknown names, mixed kinds, incompatible conversions (%(count)s for %(count)d).
            try:
                checkers.python_format(None, Message(message.id, message.string, flags={"python-format"}))
            except TranslationError as exc:
                problems.append(f"{exc} (the source has {', '.join(sorted(wanted.values()))})")
        for string in strings:
            found = _placeholders(string, style)
            if style == "brace" and found.keys() - wanted.keys():
                unknown = ", ".join(found[n] for n in sorted(found.keys() - wanted.keys()))
                problems.append(f"unknown placeholder {unknown} (the source has {', '.join(sorted(wanted.values()))})")
            # A plural form may leave the number out ("one tool"); a plain message must keep every placeholder.
            if not message.pluralizable and wanted.keys() - found.keys():
                dropped = ", ".join(wanted[n] for n in sorted(wanted.keys() - found.keys()))
                problems.append(f"the translation drops {dropped}")
    return problems


def interface_counts(check: PoCheck, pot: PoCatalog) -> InterfaceCounts:
    """Count the POT's strings by what readers see: translated, or English (fuzzy, untranslated, error)."""
    broken = {id(m) for m in check.broken}
    translated = fuzzy = errors = untranslated = 0
    for source in pot:
        if not source.id:
            continue
        found = check.catalog.get(source.id, source.context) if check.catalog is not None else None
        if found is None or not any(_strings(found)):
            untranslated += 1
        elif found.fuzzy:
            fuzzy += 1
        elif id(found) in broken:
            errors += 1
        else:
            translated += 1
    return InterfaceCounts(translated + fuzzy + errors + untranslated, translated, fuzzy, untranslated, errors)


def _strings(message: Message) -> tuple[str, ...]:
    return tuple(message.string) if isinstance(message.string, (list, tuple)) else (message.string or "",)


def _placeholders(text: str, style: str) -> dict[str, str]:
    """Named placeholders of a string, name → as written (`%(count)d`, `{name}`)."""
    if style == "brace":
        return {m.group(1): m.group(0) for m in BRACE_FORMAT.finditer(text)}
    return {m.group(1): m.group(0) for m in PYTHON_FORMAT.finditer(text) if m.group(1)}


def _quote(message: Message) -> str:
    source = message.id[0] if isinstance(message.id, (list, tuple)) else message.id
    return '"' + (source if len(source) <= 50 else source[:49] + "…") + '"'
