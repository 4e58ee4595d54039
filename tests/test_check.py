"""`hubkb check-site` as a maintainer runs it: silent success on a good build, and on a broken one a line per
problem naming the page and the link, then a non-zero exit."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from generator import check
from generator.check import check_site

HEAD = ('<html lang="en"><head><title>{title}</title><link rel="canonical" href="https://kb.example/{path}">'
        '<link rel="alternate" hreflang="en" href="https://kb.example/{path}">'
        '<link rel="alternate" hreflang="x-default" href="https://kb.example/"></head><body>{body}</body></html>')


def check_site_cli(directory: Path) -> subprocess.CompletedProcess[str]:
    hubkb = Path(sys.executable).with_name("hubkb")
    return subprocess.run([str(hubkb), "check-site", str(directory)], capture_output=True, text=True, timeout=300)


def page(root: Path, path: str, body: str, title: str = "Page", head: str = HEAD) -> None:
    target = root / path / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(head.format(title=title, path=path, body=body), encoding="utf-8")


def test_check_site_cli_passes_on_the_sample_build(sample_site: Path) -> None:
    proc = check_site_cli(sample_site)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "no problems" in proc.stdout


def test_check_site_cli_reports_each_broken_link_anchor_and_head(tmp_path: Path) -> None:
    page(tmp_path, "en", '<h2 id="top">Top</h2><a href="a/">a</a> <a href="a/#here">anchor</a>'
                         ' <a href="#top">self</a> <a href="https://other.example/">away</a>')
    page(tmp_path, "en/a", '<p id="there">A</p><a href="../gone/">gone</a> <a href="../#nowhere">nowhere</a>')
    page(tmp_path, "ar", "<p>no head</p>", head="<html><head></head><body>{body}</body></html>")
    proc = check_site_cli(tmp_path)
    assert proc.returncode != 0
    lines = proc.stdout.splitlines()
    for expected in ("en/index.html: missing anchor a/#here", "en/a/index.html: broken link ../gone/",
                     "en/a/index.html: missing anchor ../#nowhere", "ar/index.html: no lang", "ar/index.html: no title",
                     "ar/index.html: no canonical link", "ar/index.html: no hreflang alternates"):
        assert expected in lines, proc.stdout
    assert len(lines) == 7 and "7 problems in 3 pages" in proc.stderr


def test_a_check_with_a_memo_parses_only_changed_pages_and_still_resolves_every_link(tmp_path: Path) -> None:
    """What publish relies on: facts of unchanged pages come from the memo, but their links are resolved
    against the site as it is now, so a page that vanished breaks the unchanged pages linking to it."""
    site, memo = tmp_path / "site", tmp_path / "checked.json"
    page(site, "en", '<a href="a/">a</a> <a href="b/#part">b</a>')
    page(site, "en/a", '<a href="../b/">b</a>')
    page(site, "en/b", '<h2 id="part">Part</h2><a href="../">home</a>')
    assert check_site(site, memo=memo) == (3, [])
    parsed: list[str] = []
    real = check.read_page

    def counting(path: Path) -> check.PageFacts:
        parsed.append(path.relative_to(site).as_posix())
        return real(path)

    check.read_page = counting  # type: ignore[assignment]
    try:
        page(site, "en/a", '<a href="../b/">b</a> <a href="../c/">c</a>')
        shutil.rmtree(site / "en" / "b")
        count, problems = check_site(site, memo=memo)
    finally:
        check.read_page = real  # type: ignore[assignment]
    assert parsed == ["en/a/index.html"]
    assert count == 2 and sorted(map(str, problems)) == [
        "en/a/index.html: broken link ../b/", "en/a/index.html: broken link ../c/",
        "en/index.html: broken link b/#part"]
