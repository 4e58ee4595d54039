"""The translator's loop: extract, update, fuzzy, `i18n check` and `i18n status`, and what readers then see."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import jinja2
import pytest
from babel.messages.pofile import read_po, write_po
from conftest import REPO_ROOT, Project
from wikibase import Doc

import generator
from generator import render
from generator.build import build_site
from generator.catalog import Catalog
from generator.fetch import fetch_catalog
from generator.messages import check_files, extract, update
from generator.source import open_source

HEADERS = {
    "sv": "nplurals=2; plural=(n != 1);",
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);",
}


def write_po_text(project: Project, code: str, body: str, plural_forms: str | None = None) -> Path:
    """Replace a locale's .po file with a header and `body`, the way a translator's editor saves it."""
    path = project.root / "translations" / code / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    header = (f'msgid ""\nmsgstr ""\n"Language: {code}\\n"\n"Plural-Forms: {plural_forms or HEADERS[code]}\\n"\n'
              '"Content-Type: text/plain; charset=utf-8\\n"\n\n')
    path.write_text(header + body, encoding="utf-8")
    return path


def line_of(path: Path, text: str) -> int:
    """The 1-based number of the first line of `path` that starts with `text`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.startswith(text))


def check(project: Project, path: Path) -> tuple[int, list[str], str]:
    proc = project.run("i18n", "check", path)
    return proc.returncode, proc.stdout.splitlines(), proc.stderr


def tiny_snapshot(path: Path) -> Path:
    doc = Doc().standard().item("Q21954", {"en": "Guide", "sv": "Guide"})
    doc.resource("Q100", labels={"en": "Uploading with Pattypan", "sv": "Ladda upp med Pattypan"})
    doc.resource("Q101", labels={"sv": "Guide till Commons"})
    return doc.write(path)


# -- i18n check ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("body,bad_line,message", [
    ('msgid "Newest additions"\nmsgstr "Senast tillagda\n', 'msgstr "Senast', "string not closed"),
    ('msgid "Newest additions"\nmsgstr "Senast tillagda"\nmsgstring "x"\n', "msgstring", "misformatted keyword"),
    ('msgid "Newest additions"\nmsgid "Browse by type"\nmsgstr "Bläddra efter typ"\n', 'msgid "Newest',
     "missing msgstr for msgid 'Newest additions'"),
])
def test_i18n_check_syntax_error_names_file_and_line(project: Project, body: str, bad_line: str,
                                                      message: str) -> None:
    po = write_po_text(project, "sv", body)
    code, out, err = check(project, po)
    assert code == 1
    expected = f"{po}:{line_of(po, bad_line)}: "
    assert any(line.startswith(expected) and message in line for line in out), out
    assert "sv: not readable" in "\n".join(out)
    assert err.strip() == "Error: 1 error in 1 of 1 files"


def test_i18n_check_invalid_utf8_names_the_line(project: Project) -> None:
    po = write_po_text(project, "sv", 'msgid "Newest additions"\nmsgstr "Senast tillagda"\n')
    line = line_of(po, 'msgstr "Senast')
    po.write_bytes(po.read_bytes().replace(b"tillagda", b"till\xe4gda"))  # saved as Latin-1
    code, out, _ = check(project, po)
    assert code == 1 and f"{po}:{line}: not valid UTF-8" in out[0]


@pytest.mark.parametrize("msgid,msgstr,complaint", [
    ("%(count)d files", "%(antal)d filer", "unknown named placeholder 'antal'"),
    ("%(count)d files", "%(count)s filer", "incompatible format for placeholder 'count'"),
    ("Untitled item %(qid)s", "Namnlöst objekt", "the translation drops %(qid)s"),
    ("Hello {name}", "Hej {namn}", "unknown placeholder {namn}"),
    ("{about} and {contribute}", "{about}", "the translation drops {contribute}"),
])
def test_i18n_check_placeholder_differs_from_source(project: Project, msgid: str, msgstr: str,
                                                    complaint: str) -> None:
    po = write_po_text(project, "sv", f'msgid "Newest additions"\nmsgstr "Senast tillagda"\n\n'
                                      f'#, python-format\nmsgid "{msgid}"\nmsgstr "{msgstr}"\n')
    code, out, _ = check(project, po)
    line = line_of(po, f'msgid "{msgid}"')
    assert code == 1
    assert out[0].startswith(f'{po}:{line}: "{msgid}": {complaint}'), out


def test_i18n_check_plural_forms_follow_the_locale_rule(project: Project) -> None:
    po = write_po_text(project, "ar", 'msgid "%(num)s tool"\nmsgid_plural "%(num)s tools"\n'
                                      'msgstr[0] "%(num)s أداة"\nmsgstr[1] "%(num)s أدوات"\n',
                       plural_forms="nplurals=2; plural=(n != 1);")
    code, out, _ = check(project, po)
    header, message = line_of(po, '"Plural-Forms'), line_of(po, 'msgid "%(num)s tool"')
    assert code == 1
    assert f"{po}:{header}: Plural-Forms says nplurals=2, but ar has 6 plural forms" in out
    assert f'{po}:{message}: "%(num)s tool": 2 plural forms, but ar has 6 (msgstr[0] to msgstr[5])' in out


def test_i18n_check_empty_plural_form_is_an_error(project: Project) -> None:
    forms = "".join(f'msgstr[{i}] "{"" if i == 3 else "%(num)s أدوات"}"\n' for i in range(6))
    po = write_po_text(project, "ar", f'msgid "%(num)s tool"\nmsgid_plural "%(num)s tools"\n{forms}')
    code, out, _ = check(project, po)
    line = line_of(po, 'msgid "%(num)s tool"')
    assert code == 1 and out[0] == f'{po}:{line}: "%(num)s tool": msgstr[3] is empty'


def test_i18n_check_counts_untranslated_and_fuzzy(project: Project) -> None:
    po = write_po_text(project, "sv", 'msgid "Newest additions"\nmsgstr "Senast tillagda"\n\n'
                                      '#, fuzzy\nmsgid "Browse by type"\nmsgstr "Bläddra bland typer"\n\n'
                                      'msgid "All subjects"\nmsgstr ""\n')
    code, out, _ = check(project, po)
    total = sum(1 for m in extract() if m.id)
    assert code == 0
    assert out == [f"sv: 1 translated, 1 fuzzy, {total - 2} untranslated, 0 with errors (of {total})  ({po})"]


def test_i18n_check_committed_translations_have_no_errors(project: Project) -> None:
    proc = project.run("i18n", "check")
    assert proc.returncode == 0, proc.stdout
    assert [line.split(":")[0] for line in proc.stdout.splitlines()] == ["sv", "fr", "es", "pt-br", "ar"]


# -- translator comments, extract, update and the fuzzy flow ----------------------------------------------------


def test_i18n_every_message_has_a_translator_comment_naming_its_placeholders() -> None:
    lacking = []
    for message in extract():
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        comment = " ".join(message.auto_comments)
        names = {f"%({n})" for n in re.findall(r"%\((\w+)\)", " ".join(ids))}
        if message.id and (not comment or any(n not in comment for n in names)):
            lacking.append(f"{message.locations[0][0]}:{message.locations[0][1]} {message.id!r}")
    assert lacking == []


def entries(path: Path) -> dict[tuple[object, object], tuple[object, ...]]:
    """What a translator works from in a .po or .pot file: every entry, its comment, flags and translation
    (source line numbers left out: they move with every edit of the code and change nothing for translators)."""
    with path.open("rb") as fh:
        return {(m.id, m.context): (tuple(m.auto_comments), tuple(sorted(m.flags)), m.string) for m in read_po(fh)}


def test_i18n_extract_and_update_leave_committed_files_unchanged(project: Project) -> None:
    assert project.run("i18n", "extract").returncode == 0
    assert project.run("i18n", "update").returncode == 0
    for path in sorted((project.root / "translations").rglob("*.po*")):
        committed = REPO_ROOT / path.relative_to(project.root)
        assert entries(path) == entries(committed), f"{committed} is stale: run `hubkb i18n update`"


def test_i18n_update_refuses_an_unreadable_file_and_writes_nothing(project: Project) -> None:
    broken = write_po_text(project, "ar", 'msgid "Newest additions"\nmsgstr "الأحدث\n')
    before = {path: path.read_bytes() for path in (project.root / "translations").rglob("*.po*")}
    proc = project.run("i18n", "update")
    assert proc.returncode == 1
    line = line_of(broken, 'msgstr "الأحدث')
    assert proc.stderr.startswith(f"Error: {broken}:{line}: string not closed")
    assert {path: path.read_bytes() for path in before} == before


def test_i18n_changed_source_string_becomes_fuzzy_and_readers_see_english(
        project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A developer edits a heading in a copy of the package's templates…
    package = tmp_path / "package" / "generator"
    shutil.copytree(Path(generator.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__"))
    home = package / "templates" / "home.md.j2"
    home.write_text(home.read_text(encoding="utf-8").replace('_("Newest additions")', '_("Newest additions here")'),
                    encoding="utf-8")
    monkeypatch.setattr(render.ENV, "loader", jinja2.FileSystemLoader(package / "templates"))
    # …and runs the update: the Swedish translation of the old string is kept but marked fuzzy.
    fuzzy_before = update(project.config, extract())["sv"]
    pot = extract(package)
    assert update(project.config, pot)["sv"] == fuzzy_before + 1
    po = project.root / "translations" / "sv" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as fh:
        message = read_po(fh).get("Newest additions here")
    assert message is not None and message.fuzzy and message.string == "Senast tillagda"
    assert '#, fuzzy\n#| msgid "Newest additions"\nmsgid "Newest additions here"\n' in po.read_text(encoding="utf-8")
    [(checked, counts)] = check_files([po], pot)
    assert checked.problems == [] and counts is not None and counts.fuzzy == fuzzy_before + 1

    catalog = fetch_catalog(open_source(project.config, tiny_snapshot(tmp_path / "s.ttl"), None), project.config)
    locales = [project.config.locale("en"), project.config.locale("sv")]

    def swedish_home() -> str:
        build_site(catalog, project.config, project.root / "site", locales, jobs=2)
        return (project.root / "site" / "sv" / "index.html").read_text(encoding="utf-8")

    # Readers of the Swedish site see the new English heading until a translator confirms the translation.
    page = swedish_home()
    assert "<h2>Newest additions here</h2>" in page and "<h2>Bläddra efter typ</h2>" in page
    with po.open("rb") as fh:
        catalog_po = read_po(fh, locale="sv")
    confirmed = catalog_po["Newest additions here"]
    confirmed.string, confirmed.flags = "Senast tillagda här", set(confirmed.flags) - {"fuzzy"}
    with po.open("wb") as fh:
        write_po(fh, catalog_po, width=100)
    assert "<h2>Senast tillagda här</h2>" in swedish_home()


def test_i18n_new_locale_from_init_to_built_site(project: Project) -> None:
    assert "is not a lower-case language code" in project.run("i18n", "init", "de_DE").stderr
    created = project.run("i18n", "init", "de", check=True).stdout
    po = project.root / "translations" / "de" / "LC_MESSAGES" / "messages.po"
    assert str(po) in created
    with po.open("rb") as fh:
        catalog = read_po(fh, locale="de")
    catalog["Newest additions"].string = "Neueste Einträge"
    with po.open("wb") as fh:
        write_po(fh, catalog, width=100)
    out = project.run("i18n", "check", check=True).stdout
    assert re.search(r"^de: 1 translated, 0 fuzzy, \d+ untranslated, 0 with errors", out, re.M), out
    (project.root / "site_src" / "de").mkdir()
    for page in ("about.md", "contribute.md"):
        shutil.copy(project.root / "site_src" / "en" / page, project.root / "site_src" / "de" / page)
    config = project.root / "hubkb.toml"
    config.write_text(config.read_text(encoding="utf-8") + '\n[[locales]]\ncode = "de"\nfallback = ["mul", "en"]\n',
                      encoding="utf-8")
    project.run("build", "--snapshot", tiny_snapshot(project.root / "s.ttl"), "--out", project.root / "site",
                "--locales", "en,de", check=True)
    page = (project.root / "site" / "de" / "index.html").read_text(encoding="utf-8")
    assert "<h2>Neueste Einträge</h2>" in page and "<h2>Browse by type</h2>" in page
    assert (project.root / "site" / "de" / "about" / "index.html").is_file()


# -- a bad translation at build time ----------------------------------------------------------------------------


def test_build_broken_placeholder_shows_english_for_that_string(project: Project) -> None:
    po = project.root / "translations" / "sv" / "LC_MESSAGES" / "messages.po"
    text = po.read_text(encoding="utf-8")
    assert 'msgstr[1] "%(num)s lärresurser"' in text
    po.write_text(text.replace('msgstr[1] "%(num)s lärresurser"', 'msgstr[1] "%(antal)s lärresurser"'),
                  encoding="utf-8")
    site = project.root / "site"
    proc = project.run("build", "--snapshot", tiny_snapshot(project.root / "s.ttl"), "--out", site,
                       "--locales", "en,sv")
    assert proc.returncode == 0, proc.stderr
    line = line_of(po, 'msgid "%(num)s learning resource"')
    assert (f'WARNING: sv: {po}:{line}: "%(num)s learning resource": unknown named placeholder \'antal\'' in
            proc.stderr)
    assert "readers see English for this string" in proc.stderr
    page = (site / "sv" / "index.html").read_text(encoding="utf-8")
    assert "2 learning resources" in page and "<h2>Senast tillagda</h2>" in page
    assert Catalog.read(site / "catalog.json").resources.keys() == {"Q100", "Q101"}
