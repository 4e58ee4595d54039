"""Normalisation of Wikibase RDF into the catalog, one behaviour per small document."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from wikibase import Doc, Time, bump, edit_snapshot, iri, item, lit, mono, relabel, unknown

from generator.catalog import Catalog
from generator.config import Config
from generator.errors import SourceError
from generator.fetch import fetch_catalog
from generator.source import EmbeddedSource


def fetch(doc: Doc, tmp_path: Path, hubkb_config: Config) -> Catalog:
    return fetch_catalog(EmbeddedSource(doc.write(tmp_path / "snap.ttl")), hubkb_config)


@pytest.fixture
def doc() -> Doc:
    d = Doc().standard()
    d.item("Q21954", {"en": "Guide", "sv": "Guide", "ar": "دليل"})
    return d


def test_resource_labels_kept_per_language(doc: Doc, tmp_path: Path, hubkb_config: Config) -> None:
    doc.resource("Q100", labels={"en": "Uploading", "sv": "Ladda upp", "pt-br": "Carregar"})
    r = fetch(doc, tmp_path, hubkb_config).resources["Q100"]
    assert r.labels == {"en": "Uploading", "sv": "Ladda upp", "pt-br": "Carregar"}
    assert r.types == ["Q21954"]


def test_year_precision_date_is_a_year(doc: Doc, tmp_path: Path, hubkb_config: Config) -> None:
    doc.resource("Q100").claim("Q100", "P18", Time("2021-01-01T00:00:00Z", 9))
    date = fetch(doc, tmp_path, hubkb_config).resources["Q100"].date
    assert date is not None and (date.iso, date.precision) == ("2021", 9)


def test_month_precision_date_is_a_month(doc: Doc, tmp_path: Path, hubkb_config: Config) -> None:
    doc.resource("Q100").claim("Q100", "P18", Time("2019-05-01T00:00:00Z", 10))
    date = fetch(doc, tmp_path, hubkb_config).resources["Q100"].date
    assert date is not None and date.iso == "2019-05"


def test_deprecated_statement_ignored(doc: Doc, tmp_path: Path, hubkb_config: Config) -> None:
    doc.resource("Q100").claim("Q100", "P18", Time("1999-03-04T00:00:00Z", 11), rank="Deprecated")
    doc.claim("Q100", "P18", Time("2020-03-04T00:00:00Z", 11))
    assert fetch(doc, tmp_path, hubkb_config).resources["Q100"].date.iso == "2020-03-04"  # type: ignore[union-attr]


def test_preferred_rank_wins_over_normal(doc: Doc, tmp_path: Path, hubkb_config: Config) -> None:
    doc.resource("Q100").claim("Q100", "P20", item("Q7"), rank="Preferred").claim("Q100", "P20", item("Q8"))
    doc.item("Q7", {"en": "Swedish"}).item("Q8", {"en": "English"})
    assert fetch(doc, tmp_path, hubkb_config).resources["Q100"].languages == ["Q7"]


def test_unknown_value_is_not_a_value(doc: Doc, tmp_path: Path, hubkb_config: Config) -> None:
    doc.resource("Q100").claim("Q100", "P19", unknown())
    cat = fetch(doc, tmp_path, hubkb_config)
    assert cat.resources["Q100"].authors == []
    assert cat.problems["unknown value"] == ["Q100 P19"]


def test_genid_iri_is_unknown_value(doc: Doc, tmp_path: Path, hubkb_config: Config) -> None:
    doc.resource("Q100").claim("Q100", "P21", iri("https://metabase.wikibase.cloud/.well-known/genid/abc123"))
    assert fetch(doc, tmp_path, hubkb_config).resources["Q100"].publishers == []


def test_author_name_strings_need_the_author_qualifier(doc: Doc, tmp_path: Path, hubkb_config: Config) -> None:
    doc.resource("Q100").claim("Q100", "P38", lit("Ann Author"), qualifiers={"P41": item("P19")})
    doc.claim("Q100", "P38", lit("not an author"), qualifiers={"P41": item("P21")})
    assert fetch(doc, tmp_path, hubkb_config).resources["Q100"].author_names == ["Ann Author"]


def test_only_http_links_kept(doc: Doc, tmp_path: Path, hubkb_config: Config) -> None:
    doc.resource("Q100")
    for url in ("https://example.org/guide", "javascript:alert(1)", "ftp://example.org/x", "data:text/html,hi"):
        doc.claim("Q100", "P12", iri(url))
    cat = fetch(doc, tmp_path, hubkb_config)
    assert [link.url for link in cat.resources["Q100"].links] == ["https://example.org/guide"]
    assert len(cat.problems["rejected link"]) == 3


def test_links_derived_from_interwiki_youtube_and_commons(doc: Doc, tmp_path: Path, hubkb_config: Config) -> None:
    doc.resource("Q100").claim("Q100", "P45", lit(":wmse:Projekt:GLAM 2021/Guide"))
    doc.claim("Q100", "P59", lit("dQw4w9WgXcQ")).claim("Q100", "P59", lit("<script>"))
    doc.claim("Q100", "P31", iri("http://commons.wikimedia.org/wiki/Special:FilePath/GLAM%20workshop.webm"))
    urls = {link.kind: link.url for link in fetch(doc, tmp_path, hubkb_config).resources["Q100"].links}
    assert urls == {
        "wiki_page": "https://meta.wikimedia.org/wiki/:wmse:Projekt:GLAM_2021/Guide",
        "youtube": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "commons_video": "https://commons.wikimedia.org/wiki/File:GLAM_workshop.webm",
    }


def test_event_found_through_used_by_and_part_of(doc: Doc, tmp_path: Path, hubkb_config: Config) -> None:
    doc.resource("Q100").claim("Q100", "P42", item("Q300"))
    doc.item("Q300").claim("Q300", "P17", item("Q301")).item("Q301").claim("Q301", "P17", item("Q302"))
    doc.item("Q302", {"en": "GLAM Wiki 2023"}).claim("Q302", "P5", item("Q42"))
    cat = fetch(doc, tmp_path, hubkb_config)
    assert cat.resources["Q100"].events == ["Q302"]
    assert cat.entities["Q302"].labels["en"] == "GLAM Wiki 2023"


def test_part_of_cycle_counted_not_fatal(doc: Doc, tmp_path: Path, hubkb_config: Config) -> None:
    doc.resource("Q100").claim("Q100", "P42", item("Q300"))
    doc.item("Q300").claim("Q300", "P17", item("Q301")).item("Q301").claim("Q301", "P17", item("Q300"))
    cat = fetch(doc, tmp_path, hubkb_config)
    assert cat.resources["Q100"].events == []
    assert cat.problems["part-of cycle"]


def test_dangling_reference_counted(doc: Doc, tmp_path: Path, hubkb_config: Config) -> None:
    doc.resource("Q100").claim("Q100", "P21", item("Q999"))
    cat = fetch(doc, tmp_path, hubkb_config)
    assert cat.problems["dangling reference"] == ["Q100 publishers → Q999"]
    assert cat.entities["Q999"].exists is False


def test_duplicate_statement_kept_once(doc: Doc, tmp_path: Path, hubkb_config: Config) -> None:
    doc.resource("Q100").claim("Q100", "P19", item("Q5")).claim("Q100", "P19", item("Q5")).item("Q5", {"en": "A"})
    cat = fetch(doc, tmp_path, hubkb_config)
    assert cat.resources["Q100"].authors == ["Q5"]
    assert cat.problems["duplicate statement"]


def test_wikiproject_folded_into_project(doc: Doc, tmp_path: Path, hubkb_config: Config) -> None:
    doc.resource("Q100", type_qid="Q22926").item("Q2", {"en": "Project"})
    assert fetch(doc, tmp_path, hubkb_config).resources["Q100"].types == ["Q2"]


def test_control_characters_removed_from_labels(doc: Doc, tmp_path: Path, hubkb_config: Config) -> None:
    doc.resource("Q100", labels={"en": "Bad\u0000label\u0007\nhere"})
    assert fetch(doc, tmp_path, hubkb_config).resources["Q100"].labels["en"] == "Bad label here"


def test_label_in_other_language_fetched_when_none_configured(doc: Doc, tmp_path: Path, hubkb_config: Config) -> None:
    doc.resource("Q100", labels={"de": "Hochladen"})
    assert fetch(doc, tmp_path, hubkb_config).resources["Q100"].labels == {"de": "Hochladen"}


def test_monolingual_title_per_language(doc: Doc, tmp_path: Path, hubkb_config: Config) -> None:
    doc.resource("Q100").claim("Q100", "P8", mono("Guide för GLAM", "sv"))
    assert fetch(doc, tmp_path, hubkb_config).resources["Q100"].titles == {"sv": "Guide för GLAM"}


def test_modified_moved_from_entity_data(doc: Doc, tmp_path: Path, hubkb_config: Config) -> None:
    doc.resource("Q100", modified="2024-06-07T08:09:10Z")
    r = fetch(doc, tmp_path, hubkb_config).resources["Q100"]
    assert (r.modified, r.revision) == ("2024-06-07T08:09:10Z", "1")


def test_tool_fields_resolved_through_wikidata_equivalents(doc: Doc, tmp_path: Path, hubkb_config: Config) -> None:
    # Property and class IDs unlike the sample's: only their P1 says what they are.
    doc.prop("P901", "Url", "P856").prop("P902", "WikibaseItem", "P275").prop("P903", "String", "P348")
    doc.item("Q5000", {"en": "web application"}).claim("Q5000", "P1", lit("Q189210"))
    doc.item("Q5001", {"en": "GPL-3.0"})
    doc.item("Q600", {"en": "Pattypan"}).claim("Q600", "P5", item("Q5000"))
    doc.claim("Q600", "P901", iri("https://pattypan.toolforge.org/")).claim("Q600", "P902", item("Q5001"))
    doc.claim("Q600", "P903", lit("22.03"))
    doc.resource("Q100").claim("Q100", "P15", item("Q600"))
    cat = fetch(doc, tmp_path, hubkb_config)
    tool = cat.tools["Q600"]
    assert (tool.website, tool.licenses, tool.versions, tool.types) == (
        ["https://pattypan.toolforge.org/"], ["Q5001"], ["22.03"], ["Q5000"])
    assert cat.tool_properties["website"] == "P901"
    assert [r.qid for r in cat.resources_about("Q600")] == ["Q100"]
    assert "repository (P1324)" in cat.problems["unresolved tool property"]


def test_language_item_code_read_through_p424_mirror(doc: Doc, tmp_path: Path, hubkb_config: Config) -> None:
    doc.prop("P70", "String", "P424")
    doc.item("Q7", {"en": "Swedish"}).claim("Q7", "P70", lit("sv")).claim("Q7", "P1", lit("Q9027"))
    doc.resource("Q100").claim("Q100", "P20", item("Q7"))
    entity = fetch(doc, tmp_path, hubkb_config).entities["Q7"]
    assert (entity.language_code, entity.wikidata) == ("sv", "Q9027")


def test_snapshot_without_resources_is_an_error(tmp_path: Path, hubkb_config: Config) -> None:
    doc = Doc().standard().item("Q1", {"en": "Lonely"})
    with pytest.raises(SourceError, match="no resources"):
        fetch(doc, tmp_path, hubkb_config)


def test_same_data_gives_identical_bytes(doc: Doc, tmp_path: Path, hubkb_config: Config) -> None:
    doc.resource("Q100").resource("Q101").claim("Q101", "P20", item("Q7")).item("Q7", {"en": "Swedish"})
    first = fetch(doc, tmp_path, hubkb_config).dumps()
    assert first == fetch(doc, tmp_path, hubkb_config).dumps()
    assert Catalog.from_json(__import__("json").loads(first)).dumps() == first


# -- reusing the unchanged records of an earlier fetch ------------------------------------------------------------

def edits(catalog: Catalog) -> dict[str, str]:
    """Metabase edits of every kind a reused record could hide, each as a SPARQL update of the sample snapshot;
    each bumps the revision of what it edits, as Wikibase does, except where nothing records one."""
    resources = sorted(catalog.resources.values(), key=lambda r: r.qid)
    first = next(r for r in resources if r.subjects)
    subject = first.subjects[0]
    chained = next(r for r in resources if r.events)
    tool = next(t for t in sorted(catalog.tools.values(), key=lambda t: t.qid) if t.licenses)
    other_licence = next(e for e in sorted(catalog.entities) if e not in tool.licenses)
    gone = resources[-1].qid
    return {
        "a resource's label": relabel(first.qid, "en", "Renamed"),
        "a subject's label": relabel(subject, "sv", "New name"),
        "a new subject item": f"""INSERT DATA {{ wd:{first.qid} p:P15 wds:new-1 . wds:new-1 ps:P15 wd:Q999001 ;
            wikibase:rank wikibase:NormalRank . wd:{first.qid} wdt:P15 wd:Q999001 .
            wd:Q999001 rdfs:label "Brand new"@en . data:Q999001 schema:about wd:Q999001 ; schema:version 1 }};"""
        + bump(first.qid),
        "a tool's licence": f"""DELETE {{ ?st ?ps wd:{tool.licenses[0]} }} INSERT {{ ?st ?ps wd:{other_licence} }}
            WHERE {{ wd:{tool.qid} ?p ?st . ?st ?ps wd:{tool.licenses[0]} }};""" + bump(tool.qid),
        "a deleted resource": f"DELETE WHERE {{ wd:{gone} ?p ?o }}; DELETE WHERE {{ data:{gone} ?p ?o }}",
        "a deleted subject (dangling)":
            f"DELETE WHERE {{ wd:{subject} ?p ?o }}; DELETE WHERE {{ data:{subject} ?p ?o }}",
        # Nothing records the revisions of the items between a resource and its event: they are read every time.
        "an event chain without revisions": f"""DELETE {{ ?st ?ps ?o }} WHERE {{ wd:{chained.used_by[0]} p:P17 ?st .
            ?st ?ps ?o }}; DELETE WHERE {{ wd:{chained.used_by[0]} wdt:P17 ?o }}""",
    }


def test_a_fetch_reusing_unchanged_records_equals_a_full_fetch(tmp_path: Path, hubkb_config: Config,
                                                                default_snapshot: Path) -> None:
    before = fetch_catalog(EmbeddedSource(default_snapshot), hubkb_config)
    changes = edits(before)
    stages: list[tuple[str, int, int]] = []
    for name, update in [*changes.items(), ("all of them", ";\n".join(changes.values()))]:
        source = EmbeddedSource(edit_snapshot(default_snapshot, update, tmp_path / "edited.ttl"))
        full = fetch_catalog(source, hubkb_config)
        stages.clear()
        again = fetch_catalog(source, hubkb_config, lambda *stage: stages.append(stage),
                              previous=Catalog.from_json(json.loads(before.dumps())))
        assert again.dumps() == full.dumps(), name
        assert full.dumps() != before.dumps(), f"{name}: the edit changed nothing"
        reused = [done for stage, done, _ in stages if "reused" in stage]
        assert reused and reused[0] > len(before.resources), f"{name}: nothing reused"
