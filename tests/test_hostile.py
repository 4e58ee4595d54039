"""Strings from an open wiki built into pages where none of them is live."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import pytest
from browsing import serve_directory
from conftest import Project
from hostile_corpus import CORPUS, HOSTILE_TAGS
from test_site import elements
from wikibase import Doc, Time, iri, item, lit, mono

if TYPE_CHECKING:
    from playwright.sync_api import Page

XSS = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">'
HOSTILE = {
    "en": f"Guide {XSS} {{{{ 7*7 }}}} {{% raw %}}",
    "sv": "[click](javascript:window.__pwned=1) ![img](https://evil.example/x.png) **bold**",
    "ar": "\u202eدليل\u202c <a href=javascript:alert(1)>x</a>",
    "fr": '" onmouseover="window.__pwned=1" x="',
}


def hostile_doc() -> Doc:
    doc = Doc().standard()
    doc.item("Q21954", {"en": "Guide <b onclick=alert(1)>"})
    doc.item("Q7", HOSTILE, {"en": "{% for x in range(9) %}loop{% endfor %}"})
    doc.resource("Q100", labels=HOSTILE, descriptions=HOSTILE)
    doc.claim("Q100", "P20", item("Q7")).claim("Q100", "P15", item("Q7"))
    doc.claim("Q100", "P8", mono(XSS, "en"))
    doc.claim("Q100", "P18", Time("2020-01-01T00:00:00Z", 9))
    doc.claim("Q100", "P38", lit(XSS), qualifiers={"P41": item("P19")})
    doc.claim("Q100", "P12", iri("javascript:window.__pwned=1"))
    doc.claim("Q100", "P12", iri("https://example.org/x'onmouseover='window.__pwned=1'"))
    doc.claim("Q100", "P45", lit(':wmse:"><script>x</script>'))
    doc.claim("Q100", "P59", lit('"><svg onload=alert(1)>'))
    doc.claim("Q100", "P1", lit("Q1<script>"))
    return doc


def test_hostile_strings_are_inert_in_every_page(project: Project) -> None:
    snapshot = hostile_doc().write(project.root / "hostile.ttl")
    project.run("build", "--snapshot", snapshot, "--out", project.root / "site", "--locales", "en,sv,fr,ar",
                check=True)
    pages = sorted((project.root / "site").rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for tag, attrs, _ in elements(page):
            handlers = [k for k in attrs if k.startswith("on")]
            assert not handlers, f"{page}: <{tag}> carries {handlers}"
            for key in ("href", "src", "action", "formaction"):
                assert not attrs.get(key, "").strip().lower().startswith("javascript:"), f"{page}: {tag} {key}"
            if tag == "script":
                assert not re.match(r"^\s*(https?:)?//", attrs.get("src", "")), f"{page}: remote script"
            assert not (tag == "img" and "evil.example" in attrs.get("src", "")), page
        inline = re.findall(r"<script(?![^>]*ld\+json)[^>]*>(.*?)</script>", text, re.S)
        assert not any("__pwned" in body for body in inline), page
    resource = (project.root / "site" / "en" / "resources" / "Q100" / "index.html").read_text(encoding="utf-8")
    assert "{{ 7*7 }}" in resource and ">49<" not in resource
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in resource
    assert "loop" not in (project.root / "site" / "en" / "browse" / "languages" / "index.html").read_text()


def test_bidi_override_is_isolated(project: Project) -> None:
    snapshot = hostile_doc().write(project.root / "hostile.ttl")
    project.run("build", "--snapshot", snapshot, "--out", project.root / "site", "--locales", "ar", check=True)
    page = project.root / "site" / "ar" / "resources" / "Q100" / "index.html"
    h1 = [(a, t) for tag, a, t in elements(page) if tag == "h1"]
    assert h1[0][0]["dir"] == "auto" and "\u202e" in h1[0][1]
    title = re.search(r"<title>(.*?)</title>", page.read_text(encoding="utf-8"), re.S).group(1)  # type: ignore[union-attr]
    assert "\u202e" not in title


def corpus_doc() -> Doc:
    """One resource per corpus string, the string in its labels, description, title, author name, URL and
    identifiers, with odd language tags on top; an item per string as its subject too."""
    doc = Doc().standard()
    doc.item("Q21954", {"en": "Guide", "ar": "دليل"})
    for n, text in enumerate(CORPUS):
        qid, subject = f"Q{1000 + n}", f"Q{5000 + n}"
        doc.item(subject, {"en": text, HOSTILE_TAGS[n % len(HOSTILE_TAGS)]: text})
        doc.resource(qid, labels={"en": text, "ar": text}, descriptions={"en": text, "ar": text})
        doc.claim(qid, "P15", item(subject))
        doc.claim(qid, "P8", mono(text, HOSTILE_TAGS[n % len(HOSTILE_TAGS)]))
        doc.claim(qid, "P38", lit(text), qualifiers={"P41": item("P19")})
        doc.claim(qid, "P45", lit(text)).claim(qid, "P59", lit(text)).claim(qid, "P1", lit(text))
        doc.claim(qid, "P12", iri("https://example.org/" + quote(text[:200], safe="")))
        doc.claim(qid, "P18", Time(f"{2000 + n % 25}-01-01T00:00:00Z", 9))
    for n, url in enumerate(["javascript:window.__pwned=1", "JaVaScRiPt:window.__pwned=1",
                             "data:text/html,%3Cscript%3Ewindow.__pwned=1%3C/script%3E", "vbscript:msgbox(1)"]):
        doc.claim(f"Q{1000 + n}", "P12", iri(url))
    return doc


@pytest.fixture(scope="session")
def corpus_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile corpus built in English and Arabic, once per session."""
    project = Project(tmp_path_factory.mktemp("hostile-project"))
    snapshot = corpus_doc().write(project.root / "corpus.ttl")
    project.run("build", "--quiet", "--snapshot", snapshot, "--out", project.root / "site", "--locales", "en,ar",
                check=True)
    return project.root / "site"


def test_hostile_corpus_has_every_kind_of_string() -> None:
    assert len(CORPUS) >= 50 and any(len(s) >= 10_000 for s in CORPUS) and any("\u0000" in s for s in CORPUS)


def test_hostile_corpus_runs_no_script_in_the_browser(corpus_site: Path, browser_page: Page) -> None:
    page = browser_page
    page.add_init_script("window.__pwned = 0")
    page.on("dialog", lambda dialog: dialog.dismiss())
    pages = sorted(p.relative_to(corpus_site).parent.as_posix() for p in corpus_site.rglob("index.html"))
    assert len(pages) > 2 * len(CORPUS)
    # The search page draws hostile facet values and results with JavaScript: open it with words too.
    pages += ["en/search/?q=script", "ar/search/?q=img"]
    with serve_directory(corpus_site) as base:
        for path in pages:
            page.goto(f"{base}{path}" if "?" in path else f"{base}{path}/" if path != "." else base)
            if "/search" in f"/{path}":
                page.wait_for_function("document.querySelector('#hubkb-search')?.dataset.state === 'ready'")
            live = page.evaluate("""() => [window.__pwned, document.title,
                [...document.querySelectorAll('*')].flatMap(e => [...e.attributes]
                    .filter(a => /^on/i.test(a.name) || /^\\s*(javascript|vbscript|data):/i.test(a.value)
                                 && ['href', 'src', 'action', 'formaction', 'data'].includes(a.name))
                    .map(a => e.tagName + ' ' + a.name + '=' + a.value.slice(0, 40)))]""")
            assert live[0] == 0 and live[1] != "PWNED" and live[2] == [], f"{path}: {live}"
        # Bidi controls stay inside their own element: the facts' labels keep to the reading side of the values.
        override = 1000 + next(n for n, text in enumerate(CORPUS) if "\u202e" in text)
        for loc in ("en", "ar"):
            page.goto(f"{base}{loc}/resources/Q{override}/")
            isolated = page.eval_on_selector_all(
                "main [dir=auto]", "els => els.map(e => getComputedStyle(e).unicodeBidi)")
            assert isolated and all(value in ("isolate", "plaintext", "isolate-override") for value in isolated)
            order = page.eval_on_selector_all(".hubkb-facts dt", """dts => dts.map(dt =>
                [dt.getBoundingClientRect().x, dt.nextElementSibling.getBoundingClientRect().x])""")
            assert order and all((dt < dd) == (loc == "en") for dt, dd in order), order
