"""The `hubkb` command line as a user meets it: exit codes, one-line errors, nothing lost on failure."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import Project
from wikibase import Doc

from generator.cli import cli


def tiny_snapshot(path: Path) -> Path:
    doc = Doc().standard().item("Q21954", {"en": "Guide"})
    doc.resource("Q100", labels={"en": "Uploading with Pattypan"}).resource("Q101", labels={"sv": "Guide"})
    return doc.write(path)


def test_fetch_writes_catalog_and_prints_summary(project: Project) -> None:
    proc = project.run("fetch", "--snapshot", tiny_snapshot(project.root / "s.ttl"), "--out", "catalog.json")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("2 resources, 0 tools")
    assert "by type: Guide 2" in proc.stdout
    assert "unresolved tool property" in proc.stdout
    assert (project.root / "catalog.json").read_text().startswith("{")


@pytest.mark.parametrize("content,message", [
    (None, "no such snapshot file"),
    ("this is not turtle", "not valid RDF"),
    ("@prefix ex: <http://example.org/> . ex:a ex:b ex:c .", "no resources"),
])
def test_fetch_bad_snapshot_fails_and_keeps_earlier_catalog(project: Project, content: str | None,
                                                            message: str) -> None:
    earlier = project.root / "catalog.json"
    earlier.write_text("earlier", encoding="utf-8")
    snapshot = project.root / "bad.ttl"
    if content is not None:
        snapshot.write_text(content, encoding="utf-8")
    proc = project.run("fetch", "--snapshot", snapshot, "--out", earlier)
    assert proc.returncode == 1
    error = proc.stderr.strip().splitlines()[-1]
    assert error.startswith("Error: ") and str(snapshot) in error and message in error
    assert earlier.read_text(encoding="utf-8") == "earlier"


def test_fetch_unreachable_endpoint_names_the_url(project: Project) -> None:
    earlier = project.root / "catalog.json"
    earlier.write_text("earlier", encoding="utf-8")
    proc = project.run("fetch", "--endpoint", "http://127.0.0.1:9/sparql", "--out", earlier)
    assert proc.returncode == 1
    assert "http://127.0.0.1:9/sparql" in proc.stderr and "refused" in proc.stderr
    assert earlier.read_text(encoding="utf-8") == "earlier"


def test_build_bad_po_fails_with_file_and_line_and_keeps_site(project: Project) -> None:
    snapshot = tiny_snapshot(project.root / "s.ttl")
    site = project.root / "site"
    project.run("build", "--snapshot", snapshot, "--out", site, "--locales", "en,sv", check=True)
    before = (site / "sv" / "index.html").read_bytes()
    po = project.root / "translations" / "sv" / "LC_MESSAGES" / "messages.po"
    lines = po.read_text(encoding="utf-8").splitlines()
    lines.insert(30, 'msgid "broken')
    po.write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = project.run("build", "--snapshot", snapshot, "--out", site, "--locales", "en,sv")
    assert proc.returncode == 1
    assert f"{po}:" in proc.stderr
    assert (site / "sv" / "index.html").read_bytes() == before


def test_build_unknown_locale_is_a_usage_error(project: Project) -> None:
    proc = project.run("build", "--locales", "en,xx")
    assert proc.returncode == 2 and "unknown locale 'xx'" in proc.stderr


def test_invalid_config_reports_every_problem(project: Project) -> None:
    config = project.root / "hubkb.toml"
    text = config.read_text(encoding="utf-8").replace('instance_of = "P5"', 'instance_of = "5"')
    text = text.replace("recent_pages = 200", "recent_pages = -1")
    config.write_text(text.replace('code = "sv"', 'code = "Swedish"') + "\nbogus = 1\n", encoding="utf-8")
    proc = project.run("fetch")
    assert proc.returncode == 1
    assert "properties.instance_of" in proc.stderr and "Swedish" in proc.stderr and "bogus" in proc.stderr
    assert "search.recent_pages: expected a whole number of pages, 0 or more, got -1" in proc.stderr


def test_every_command_and_option_has_help() -> None:
    runner = CliRunner()
    commands = [[]] + [[name] for name in cli.commands] + [["i18n", n] for n in cli.commands["i18n"].commands]  # type: ignore[attr-defined]
    for path in commands:
        result = runner.invoke(cli, [*path, "--help"])
        assert result.exit_code == 0, path
        command = cli
        for name in path:
            command = command.commands[name]  # type: ignore[attr-defined]
        assert command.help, path
        for param in command.params:
            assert param.param_type_name == "argument" or getattr(param, "help", None), (path, param.name)


def test_output_cut_short_by_its_reader_ends_quietly() -> None:
    """`hubkb … | head -1`: the reader leaves early; hubkb ends without a traceback about the closed pipe."""
    hubkb = Path(sys.executable).with_name("hubkb")
    proc = subprocess.Popen([str(hubkb), "build", "--help"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    errors = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert errors == ""
