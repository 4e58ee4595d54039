"""Item pages written through the shell are the pages mkdocs itself would write."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.render import Page


def squeeze(html: str) -> str:
    return re.sub(r"\s+", " ", html).strip()


def test_shell_pages_equal_mkdocs_pages(sample_site: Path, tmp_path: Path) -> None:
    """Every kind of generated page, filled into its shell, is what mkdocs writes from the page's own source."""
    generated = sample_site.parent / "site_src" / ".generated"
    config = yaml.safe_load((generated / "mkdocs.ar.yml").read_text(encoding="utf-8"))
    config["docs_dir"] = str(sample_site.parent / "site_src" / "ar")
    config["site_dir"] = str(tmp_path / "ar")
    full = generated / "mkdocs.ar-full.yml"
    full.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(full)], check=True, capture_output=True)
    site = sample_site / "ar"
    pages = sorted(site.glob("resources/*/index.html"))[:40] + sorted(site.glob("tools/*/index.html"))[:10]
    pages += [site / "index.html", site / "browse/types/index.html", site / "browse/a-z/2/index.html",
              site / "improve/index.html", site / "improve/2/index.html", site / "status/index.html",
              site / "search/index.html", site / "about/index.html"]
    pages += sorted(site.glob("browse/subjects/Q*/index.html"))[:5]
    for page in pages:
        relative = page.relative_to(site)
        assert squeeze(page.read_text(encoding="utf-8")) == squeeze((tmp_path / "ar" / relative).read_text("utf-8")), \
            relative
    assert not list(sample_site.rglob("*hubkbshell*"))
    assert "hubkbshell" not in (site / "sitemap.xml").read_text(encoding="utf-8")


@pytest.mark.parametrize("text", ['a"b\\c', "x\u0085y\u009fz", "\U0001f600", "null", "yes", "- x", "{a: 1}",
                                  "&a *b", "#c", "\u202eevil", "\u2028", "", "key: value", "\x7f", "\ufffe"])
def test_front_matter_reads_back_as_written(text: str) -> None:
    page = Page("x/index.md", {"title": text, "hide": ["toc"], "jsonld": '{"a":"\\u003c"}'}, "<p>body</p>\n")
    front = page.markdown().split("---\n")[1]
    assert yaml.safe_load(front) == page.front
