"""Deterministic sample snapshots in the shape of Metabase's Wikibase RDF: sample data, never Metabase's.

`write_sample` composes resources and tools from small multilingual vocabularies (actions x tools x
institutions x topics), adds the entities they reference and the property entities, and writes the Wikibase
RDF dump shape directly as text (Turtle or N-Triples, optionally gzipped). The same arguments always give the
same bytes: one `random.Random(seed)`, no clock, gzip with mtime 0.
"""

from __future__ import annotations

import gzip
import hashlib
import itertools
import logging
import random
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote

from .errors import HubkbError
from .writer import write_atomic

log = logging.getLogger(__name__)

__all__ = ["BUNDLED_COMMAND", "SampleStats", "bundled_path", "literal", "regenerate_bundled", "render", "write_sample"]

BASE = "https://metabase.wikibase.cloud/"
PREFIXES: dict[str, str] = {
    "wd": BASE + "entity/",
    "wds": BASE + "entity/statement/",
    "wdv": BASE + "value/",
    "wdt": BASE + "prop/direct/",
    "p": BASE + "prop/",
    "ps": BASE + "prop/statement/",
    "psv": BASE + "prop/statement/value/",
    "pq": BASE + "prop/qualifier/",
    "data": BASE + "wiki/Special:EntityData/",
    "wikibase": "http://wikiba.se/ontology#",
    "schema": "http://schema.org/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
GREGORIAN = "<http://www.wikidata.org/entity/Q1985727>"
COMMONS_FILE = "http://commons.wikimedia.org/wiki/Special:FilePath/"
BUNDLED_NAME = "sample-snapshot.ttl.gz"
BUNDLED_COMMAND = (
    'python -c "from generator.sample import regenerate_bundled; regenerate_bundled()"'
    " (same as: hubkb sample --resources 320 --tools 64 --seed 0 --out generator/data/sample-snapshot.ttl.gz)"
)
# The label languages titles are composed in (the site's locales); `mul` titles use names only.
LANGS = ("en", "sv", "fr", "es", "pt-br", "ar")

# ---------------------------------------------------------------------------------------------------------
# Terms


@dataclass(frozen=True)
class SampleStats:
    """What one `write_sample` call wrote."""

    resources: int
    tools: int
    entities: int
    triples: int


_ESCAPES = {ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t",
            ord("\b"): "\\b", ord("\f"): "\\f"}
_ESCAPES.update({c: f"\\u{c:04X}" for c in [*range(0x20), 0x7F] if c not in _ESCAPES})
# Characters an IRIREF may not hold (Turtle and N-Triples): percent-encode them.
_IRI_BAD = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def literal(text: str, lang: str | None = None, datatype: str | None = None) -> str:
    """A Turtle/N-Triples string literal, escaped, with an optional language tag or `prefix:local` datatype."""
    out = '"' + text.translate(_ESCAPES) + '"'
    if lang:
        return out + "@" + lang
    if datatype:
        return out + "^^" + datatype
    return out


def iri(value: str) -> str:
    """An IRI term; characters an IRIREF cannot hold are percent-encoded (UTF-8)."""
    return "<" + _IRI_BAD.sub(lambda m: quote(m.group(0), safe=""), value) + ">"


def _int(value: int) -> str:
    return f'"{value}"^^xsd:integer'


def _datetime(value: str) -> str:
    return f'"{value}"^^xsd:dateTime'


def _commons(name: str) -> str:
    """The IRI Wikibase writes for a commonsMedia value (spaces and reserved characters percent-encoded)."""
    return iri(COMMONS_FILE + quote(name, safe="()',!-_.~"))


def _expand(term: str) -> str:
    """A Turtle term as N-Triples: prefixed names and datatypes expanded, `a` as rdf:type."""
    first = term[0]
    if first == '"':
        if term[-1] == '"' or "^^" not in term[term.rfind('"'):]:
            return term
        head, _, dtype = term.rpartition("^^")
        return head + "^^" + _expand(dtype)
    if first == "<" or first == "_":
        return term
    if term == "a":
        return RDF_TYPE
    prefix, _, local = term.partition(":")
    return "<" + PREFIXES[prefix] + local + ">"


# ---------------------------------------------------------------------------------------------------------
# Entities and statements


@dataclass(slots=True)
class Statement:
    """One statement: value as a Turtle term, rank, qualifiers and an optional full-value node."""

    prop: str
    value: str
    rank: str = "normal"
    qualifiers: list[tuple[str, str]] = field(default_factory=list)
    value_node: tuple[str, list[tuple[str, str]]] | None = None


@dataclass(slots=True)
class Entity:
    """An item or a property as the dump describes it."""

    id: str
    labels: dict[str, str] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    aliases: list[tuple[str, str]] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    ptype: str | None = None
    version: int = 1
    modified: str = "2024-01-01T00:00:00Z"

    def add(self, prop: str, value: str, rank: str = "normal", qualifiers: list[tuple[str, str]] | None = None,
            value_node: tuple[str, list[tuple[str, str]]] | None = None) -> None:
        """Append a statement."""
        self.statements.append(Statement(prop, value, rank, qualifiers or [], value_node))


def time_value(year: int, month: int, day: int, precision: int) -> tuple[str, tuple[str, list[tuple[str, str]]]]:
    """A Wikibase time as the dump writes it: the truthy literal and its wdv: value node (01 for missing parts)."""
    if precision <= 9:
        month = day = 1
    elif precision == 10:
        day = 1
    stamp = f"{year:04d}-{month:02d}-{day:02d}T00:00:00Z"
    node = "wdv:" + hashlib.md5(f"{stamp}|{precision}".encode()).hexdigest()
    pairs = [("a", "wikibase:TimeValue"), ("wikibase:timeValue", _datetime(stamp)),
             ("wikibase:timePrecision", _int(precision)), ("wikibase:timeTimezone", _int(0)),
             ("wikibase:timeCalendarModel", GREGORIAN)]
    return _datetime(stamp), (node, pairs)


Block = tuple[str, list[tuple[str, str]]]


def _blocks(e: Entity, rng: random.Random, seen_values: set[str]) -> Iterator[Block]:
    """The subject blocks of one entity, in dump order: EntityData, entity, statements, new value nodes."""
    subject = "wd:" + e.id
    identifiers = sum(1 for s in e.statements if s.prop in _EXTERNAL_IDS)
    yield ("data:" + e.id, [
        ("a", "schema:Dataset"), ("schema:about", subject), ("schema:version", _int(e.version)),
        ("schema:dateModified", _datetime(e.modified)), ("wikibase:statements", _int(len(e.statements))),
        ("wikibase:sitelinks", _int(0)), ("wikibase:identifiers", _int(identifiers)),
    ])
    pairs: list[tuple[str, str]] = []
    if e.ptype:
        pid = e.id
        pairs += [("a", "wikibase:Property"), ("wikibase:propertyType", "wikibase:" + e.ptype),
                  ("wikibase:directClaim", "wdt:" + pid), ("wikibase:claim", "p:" + pid),
                  ("wikibase:statementProperty", "ps:" + pid), ("wikibase:statementValue", "psv:" + pid),
                  ("wikibase:qualifier", "pq:" + pid)]
    else:
        pairs.append(("a", "wikibase:Item"))
    labels = [literal(text, lang) for lang, text in e.labels.items()]
    for predicate in ("rdfs:label", "skos:prefLabel", "schema:name"):
        pairs += [(predicate, lit) for lit in labels]
    pairs += [("schema:description", literal(text, lang)) for lang, text in e.descriptions.items()]
    pairs += [("skos:altLabel", literal(text, lang)) for lang, text in e.aliases]
    preferred = {s.prop for s in e.statements if s.rank == "preferred"}
    truthy: dict[tuple[str, str], None] = {}
    best: list[bool] = []
    for s in e.statements:
        is_best = s.rank == "preferred" or (s.rank == "normal" and s.prop not in preferred)
        best.append(is_best)
        if is_best:
            truthy["wdt:" + s.prop, s.value] = None
    pairs += list(truthy)
    ids = [f"{e.id}-{rng.getrandbits(128):032X}" for _ in e.statements]
    ids = [f"wds:{i[:-24]}-{i[-24:-20]}-{i[-20:-16]}-{i[-16:-12]}-{i[-12:]}" for i in ids]
    pairs += [("p:" + s.prop, sid) for s, sid in zip(e.statements, ids, strict=True)]
    yield (subject, pairs)
    for s, sid, is_best in zip(e.statements, ids, best, strict=True):
        st = [("a", "wikibase:Statement")]
        if is_best:
            st.append(("a", "wikibase:BestRank"))
        st.append(("wikibase:rank", _RANKS[s.rank]))
        st.append(("ps:" + s.prop, s.value))
        if s.value_node:
            st.append(("psv:" + s.prop, s.value_node[0]))
        st += [("pq:" + prop, value) for prop, value in s.qualifiers]
        yield (sid, st)
    for s in e.statements:
        if s.value_node and s.value_node[0] not in seen_values:
            seen_values.add(s.value_node[0])
            yield s.value_node


_RANKS = {"normal": "wikibase:NormalRank", "preferred": "wikibase:PreferredRank",
          "deprecated": "wikibase:DeprecatedRank"}
_EXTERNAL_IDS: set[str] = set()  # filled from PROPERTIES below


def _turtle(block: Block) -> str:
    subject, pairs = block
    parts: list[str] = []
    previous = ""
    for predicate, obj in pairs:
        if predicate == previous:
            parts[-1] += ", " + obj
        else:
            parts.append(predicate + " " + obj)
            previous = predicate
    return subject + " " + " ;\n\t".join(parts) + " .\n"


_PREDICATES: dict[str, str] = {}


def _ntriples(block: Block) -> str:
    subject = _expand(block[0])
    lines = []
    for p, o in block[1]:
        predicate = _PREDICATES.get(p)
        if predicate is None:
            predicate = _PREDICATES[p] = _expand(p)
        lines.append(f"{subject} {predicate} {_expand(o)} .\n")
    return "".join(lines)


# ---------------------------------------------------------------------------------------------------------
# Vocabulary: properties and classes

# (Metabase ID, property type, Wikidata equivalent or None, labels en/sv/fr/es/pt-br/ar)
PROPERTIES: list[tuple[str, str, str | None, tuple[str, ...]]] = [
    ("P1", "String", None, ("Wikidata equivalent", "motsvarighet på Wikidata", "équivalent sur Wikidata",
                            "equivalente en Wikidata", "equivalente no Wikidata", "المكافئ في ويكي بيانات")),
    ("P5", "WikibaseItem", "P31", ("instance of", "är en", "nature de l'élément", "instancia de",
                                   "instância de", "نموذج من")),
    ("P8", "Monolingualtext", "P1476", ("title", "titel", "titre", "título", "título", "العنوان")),
    ("P11", "String", None, ("described at page", "beskrivs på sidan", "décrit à la page",
                             "descrito en la página", "descrito na página", "موصوف في الصفحة")),
    ("P12", "Url", "P973", ("described at URL", "beskrivs på URL", "décrit à l'URL", "descrito en la URL",
                            "descrito na URL", "موصوف في المسار")),
    ("P15", "WikibaseItem", "P921", ("main subject", "huvudämne", "sujet principal", "tema principal",
                                     "tema principal", "الموضوع الرئيسي")),
    ("P17", "WikibaseItem", "P361", ("part of", "del av", "partie de", "parte de", "parte de", "جزء من")),
    ("P18", "Time", "P577", ("publication date", "publiceringsdatum", "date de publication",
                             "fecha de publicación", "data de publicação", "تاريخ النشر")),
    ("P19", "WikibaseItem", "P50", ("author", "författare", "auteur", "autor", "autor", "المؤلف")),
    ("P20", "WikibaseItem", "P407", ("language of work or name", "verkets eller namnets språk",
                                     "langue de l'œuvre, du nom ou du terme", "idioma de la obra o del nombre",
                                     "idioma da obra ou do nome", "لغة العمل أو الاسم")),
    ("P21", "WikibaseItem", "P123", ("publisher", "utgivare", "éditeur", "editorial", "editora", "الناشر")),
    ("P22", "CommonsMedia", "P996", ("Commons document file", "dokumentfil på Commons",
                                     "fichier de document sur Commons", "archivo de documento en Commons",
                                     "arquivo de documento no Commons", "ملف مستند في كومنز")),
    ("P31", "CommonsMedia", "P10", ("Commons video file", "videofil på Commons", "fichier vidéo sur Commons",
                                    "archivo de vídeo en Commons", "arquivo de vídeo no Commons",
                                    "ملف فيديو في كومنز")),
    ("P38", "String", None, ("temporary value", "tillfälligt värde", "valeur temporaire", "valor temporal",
                             "valor temporário", "قيمة مؤقتة")),
    ("P41", "WikibaseProperty", None, ("temporary value role", "roll för tillfälligt värde",
                                       "rôle de la valeur temporaire", "función del valor temporal",
                                       "papel do valor temporário", "دور القيمة المؤقتة")),
    ("P42", "WikibaseItem", "P1535", ("used by", "används av", "utilisé par", "usado por", "usado por",
                                      "يستخدمه")),
    ("P44", "Url", None, ("course URL", "kurs-URL", "URL du cours", "URL del curso", "URL do curso",
                          "رابط الدورة")),
    ("P45", "String", None, ("wiki page", "wikisida", "page wiki", "página wiki", "página wiki", "صفحة ويكي")),
    ("P59", "ExternalId", "P1651", ("YouTube video ID", "Youtube-video-ID", "identifiant YouTube d'une vidéo",
                                    "identificador de vídeo de YouTube", "identificador de vídeo no YouTube",
                                    "معرف فيديو يوتيوب")),
    ("P60", "Url", "P856", ("official website", "officiell webbplats", "site officiel", "sitio web oficial",
                            "site oficial", "الموقع الرسمي")),
    ("P61", "Url", "P1324", ("source code repository", "källkodsförråd", "dépôt du code source",
                             "repositorio de código fuente", "repositório de código-fonte",
                             "مستودع الشيفرة المصدرية")),
    ("P62", "WikibaseItem", "P275", ("license", "licens", "licence", "licencia", "licença", "الرخصة")),
    ("P63", "WikibaseItem", "P178", ("developer", "utvecklare", "développeur", "desarrollador",
                                     "desenvolvedor", "المطور")),
    ("P64", "WikibaseItem", "P277", ("programmed in", "programmeringsspråk", "langage de programmation",
                                     "lenguaje de programación", "linguagem de programação", "لغة البرمجة")),
    ("P65", "Url", "P2078", ("user manual URL", "URL till användarhandbok", "URL du manuel d'utilisation",
                             "URL del manual de usuario", "URL do manual do usuário", "رابط دليل المستخدم")),
    ("P66", "Url", "P1401", ("bug tracking system", "felrapporteringssystem", "système de suivi des bugs",
                             "sistema de seguimiento de errores", "sistema de rastreamento de bugs",
                             "نظام تتبع العلل")),
    ("P67", "String", "P348", ("software version identifier", "programversion", "version du logiciel",
                               "versión del software", "versão do software", "إصدار البرمجية")),
    ("P68", "String", "P424", ("Wikimedia language code", "Wikimedia-språkkod", "code de langue Wikimedia",
                               "código de idioma de Wikimedia", "código de idioma da Wikimedia",
                               "رمز لغة ويكيميديا")),
]
_EXTERNAL_IDS.update(pid for pid, ptype, _, _ in PROPERTIES if ptype == "ExternalId")
# Tool fields and the language code, by the Metabase property chosen for them in the sample.
WEBSITE, REPOSITORY, LICENSE, DEVELOPER, TECHNOLOGY, USER_DOCS, BUGTRACKER, VERSION, LANGUAGE_CODE = (
    "P60", "P61", "P62", "P63", "P64", "P65", "P66", "P67", "P68")

# Resource types: (QID, weight, title group, labels en/sv/fr/es/pt-br/ar).
TYPES: list[tuple[str, float, str, tuple[str, ...]]] = [
    ("Q21954", 12, "learn", ("Guide", "Guide", "Guide", "Guía", "Guia", "دليل")),
    ("Q23276", 12, "learn", ("Tutorial", "Handledning", "Tutoriel", "Tutorial", "Tutorial", "درس تعليمي")),
    ("Q21950", 9, "media", ("Video", "Video", "Vidéo", "Vídeo", "Vídeo", "فيديو")),
    ("Q45522", 9, "learn", ("Video tutorial", "Videohandledning", "Tutoriel vidéo", "Videotutorial",
                            "Tutorial em vídeo", "درس فيديو")),
    ("Q62", 8, "media", ("Slide deck", "Bildspel", "Diaporama", "Presentación de diapositivas",
                         "Apresentação de slides", "عرض شرائح")),
    ("Q45501", 4, "learn", ("Online course", "Onlinekurs", "Cours en ligne", "Curso en línea", "Curso online",
                            "دورة عبر الإنترنت")),
    ("Q29", 7, "report", ("Report", "Rapport", "Rapport", "Informe", "Relatório", "تقرير")),
    ("Q76", 4, "report", ("Final report", "Slutrapport", "Rapport final", "Informe final", "Relatório final",
                          "تقرير نهائي")),
    ("Q23351", 7, "learn", ("How-to", "Instruktion", "Fiche pratique", "Guía práctica", "Passo a passo",
                            "إرشادات عملية")),
    ("Q22136", 6, "report", ("Case study", "Fallstudie", "Étude de cas", "Estudio de caso", "Estudo de caso",
                             "دراسة حالة")),
    ("Q23237", 7, "report", ("Blog post", "Blogginlägg", "Billet de blog", "Entrada de blog",
                             "Postagem de blog", "تدوينة")),
    ("Q23235", 3, "media", ("Podcast episode", "Poddavsnitt", "Épisode de podcast", "Episodio de pódcast",
                            "Episódio de podcast", "حلقة بودكاست")),
    ("Q23360", 3, "learn", ("Guideline", "Riktlinje", "Ligne directrice", "Directriz", "Diretriz",
                            "مبدأ توجيهي")),
    ("Q31862", 3, "learn", ("Handbook", "Handbok", "Manuel", "Manual", "Manual", "كتيب")),
    ("Q24134", 2, "learn", ("Manual", "Manual", "Mode d'emploi", "Manual de usuario", "Manual do usuário",
                            "دليل المستخدم")),
    ("Q44583", 2, "report", ("Article", "Artikel", "Article", "Artículo", "Artigo", "مقالة")),
    ("Q25288", 1, "report", ("Conference paper", "Konferensbidrag", "Communication de conférence",
                             "Ponencia", "Artigo de conferência", "ورقة مؤتمر")),
    ("Q21993", 1, "report", ("Story", "Berättelse", "Récit", "Historia", "História", "قصة")),
    ("Q53", 1, "report", ("Annual report", "Årsrapport", "Rapport annuel", "Informe anual", "Relatório anual",
                          "تقرير سنوي")),
    ("Q23258", 1, "learn", ("Wikibooks book", "Wikibooks-bok", "Livre Wikilivres", "Libro de Wikilibros",
                            "Livro do Wikilivros", "كتاب ويكي كتب")),
    ("Q23260", 1, "learn", ("Wikiversity course", "Wikiversitetskurs", "Cours Wikiversité",
                            "Curso de Wikiversidad", "Curso da Wikiversidade", "مقرر ويكي الجامعة")),
    ("Q44", 1, "media", ("Poster", "Affisch", "Affiche", "Póster", "Pôster", "ملصق")),
    ("Q23367", 1, "media", ("Brochure", "Broschyr", "Brochure", "Folleto", "Folheto", "كتيب تعريفي")),
    ("Q2", 1, "project", ("Project", "Projekt", "Projet", "Proyecto", "Projeto", "مشروع")),
    ("Q22926", 0.8, "wikiproject", ("WikiProject", "Wikiprojekt", "Projet Wiki", "Wikiproyecto", "WikiProjeto",
                                    "مشروع ويكي")),
]
CONFERENCE = ("Q42", ("Conference", "Konferens", "Conférence", "Conferencia", "Conferência", "مؤتمر"))
DANGLING_PUBLISHER = "Q59999"
# Other classes: (QID, Wikidata equivalent, labels en/sv/fr/es/pt-br/ar).
SOFTWARE, WEB_APP, LANGUAGE, TOPIC, ORGANISATION, PERSON, LICENCE_CLASS, PROG_LANG, PROGRAMME, SESSION = (
    "Q60101", "Q60102", "Q60103", "Q60104", "Q60105", "Q60106", "Q60107", "Q60108", "Q60109", "Q60110")
CLASSES: list[tuple[str, str | None, tuple[str, ...]]] = [
    (SOFTWARE, "Q7397", ("software", "programvara", "logiciel", "software", "software", "برمجيات")),
    (WEB_APP, "Q189210", ("web application", "webbapplikation", "application web", "aplicación web",
                          "aplicação web", "تطبيق ويب")),
    (LANGUAGE, "Q34770", ("language", "språk", "langue", "idioma", "idioma", "لغة")),
    (TOPIC, None, ("topic", "ämne", "sujet", "tema", "tópico", "موضوع")),
    (ORGANISATION, "Q43229", ("organisation", "organisation", "organisation", "organización", "organização",
                              "منظمة")),
    (PERSON, "Q5", ("person", "person", "personne", "persona", "pessoa", "شخص")),
    (LICENCE_CLASS, "Q3943414", ("free software licence", "fri programvarulicens", "licence libre",
                                 "licencia de software libre", "licença de software livre", "رخصة برمجيات حرة")),
    (PROG_LANG, "Q9143", ("programming language", "programspråk", "langage de programmation",
                          "lenguaje de programación", "linguagem de programação", "لغة برمجة")),
    (PROGRAMME, None, ("conference programme", "konferensprogram", "programme de conférence",
                       "programa de conferencia", "programação de conferência", "برنامج المؤتمر")),
    (SESSION, None, ("conference session", "konferenspass", "session de conférence", "sesión de conferencia",
                     "sessão de conferência", "جلسة مؤتمر")),
]

# Languages: (Wikimedia code, Wikidata QID, weight as language of work, labels by language).
LANGUAGES: list[tuple[str, str, float, dict[str, str]]] = [
    ("en", "Q1860", 40, {"en": "English", "sv": "engelska", "fr": "anglais", "es": "inglés", "pt-br": "inglês",
                         "ar": "الإنجليزية"}),
    ("sv", "Q9027", 26, {"en": "Swedish", "sv": "svenska", "fr": "suédois", "es": "sueco", "pt-br": "sueco",
                         "ar": "السويدية"}),
    ("fr", "Q150", 8, {"en": "French", "sv": "franska", "fr": "français", "es": "francés", "pt-br": "francês",
                       "ar": "الفرنسية"}),
    ("es", "Q1321", 8, {"en": "Spanish", "sv": "spanska", "fr": "espagnol", "es": "español",
                        "pt-br": "espanhol", "ar": "الإسبانية"}),
    ("pt-br", "Q750553", 5, {"en": "Brazilian Portuguese", "sv": "brasiliansk portugisiska",
                             "fr": "portugais brésilien", "es": "portugués brasileño",
                             "pt-br": "português brasileiro", "ar": "البرتغالية البرازيلية"}),
    ("ar", "Q13955", 4, {"en": "Arabic", "sv": "arabiska", "fr": "arabe", "es": "árabe", "pt-br": "árabe",
                         "ar": "العربية"}),
    ("de", "Q188", 3, {"en": "German", "sv": "tyska", "fr": "allemand", "es": "alemán", "pt-br": "alemão",
                       "ar": "الألمانية", "de": "Deutsch"}),
    ("nb", "Q25167", 2, {"en": "Norwegian Bokmål", "sv": "norskt bokmål", "nb": "norsk bokmål",
                         "fr": "norvégien bokmål"}),
    ("fi", "Q1412", 2, {"en": "Finnish", "sv": "finska", "fr": "finnois", "es": "finés", "fi": "suomi"}),
    ("pt", "Q5146", 1, {"en": "Portuguese", "sv": "portugisiska", "fr": "portugais", "es": "portugués",
                        "pt-br": "português", "ar": "البرتغالية"}),
    ("uk", "Q8798", 1, {"en": "Ukrainian", "sv": "ukrainska", "uk": "українська"}),
    ("hi", "Q1568", 0.5, {"en": "Hindi", "hi": "हिन्दी"}),
    ("sw", "Q7838", 0.5, {"en": "Swahili", "fr": "swahili", "sw": "Kiswahili"}),
    ("ja", "Q5287", 0.5, {"en": "Japanese", "es": "japonés", "ja": "日本語"}),
    ("it", "Q652", 0.5, {"en": "Italian", "sv": "italienska", "fr": "italien", "es": "italiano",
                         "pt-br": "italiano", "ar": "الإيطالية"}),
    ("nl", "Q7411", 0.5, {"en": "Dutch", "sv": "nederländska", "fr": "néerlandais", "es": "neerlandés",
                          "nl": "Nederlands"}),
    ("bn", "Q9610", 0, {"en": "Bengali", "bn": "বাংলা"}),
    ("ca", "Q7026", 0, {"en": "Catalan", "sv": "katalanska", "fr": "catalan", "es": "catalán",
                        "ca": "català"}),
    ("tr", "Q256", 0, {"en": "Turkish", "sv": "turkiska", "fr": "turc", "es": "turco", "tr": "Türkçe"}),
]

# Subjects: (Wikidata QID or None, labels en/sv/fr/es/pt-br/ar).
TOPICS: list[tuple[str | None, tuple[str, ...]]] = [
    ("Q2013", ("Wikidata", "Wikidata", "Wikidata", "Wikidata", "Wikidata", "ويكي بيانات")),
    ("Q565", ("Wikimedia Commons", "Wikimedia Commons", "Wikimedia Commons", "Wikimedia Commons",
              "Wikimedia Commons", "ويكيميديا كومنز")),
    (None, ("Structured data on Commons", "strukturerad data på Commons", "données structurées sur Commons",
            "datos estructurados en Commons", "dados estruturados no Commons", "البيانات المهيكلة في كومنز")),
    ("Q263", ("Wikisource", "Wikisource", "Wikisource", "Wikisource", "Wikisource", "ويكي مصدر")),
    ("Q52", ("Wikipedia", "Wikipedia", "Wikipédia", "Wikipedia", "Wikipédia", "ويكيبيديا")),
    ("Q12978", ("copyright", "upphovsrätt", "droit d'auteur", "derechos de autor", "direitos autorais",
                "حقوق النشر")),
    (None, ("Open GLAM", "öppen GLAM", "GLAM ouvert", "GLAM abierto", "GLAM aberto",
            "المؤسسات الثقافية المفتوحة")),
    (None, ("open licences", "fria licenser", "licences libres", "licencias libres", "licenças livres",
            "الرخص الحرة")),
    ("Q515701", ("linked open data", "länkad öppen data", "données ouvertes liées", "datos abiertos enlazados",
                 "dados abertos conectados", "البيانات المفتوحة المترابطة")),
    (None, ("metadata quality", "metadatakvalitet", "qualité des métadonnées", "calidad de los metadatos",
            "qualidade dos metadados", "جودة البيانات الوصفية")),
    (None, ("digitisation", "digitalisering", "numérisation", "digitalización", "digitalização", "الرقمنة")),
    (None, ("volunteer engagement", "volontärengagemang", "engagement des bénévoles",
            "participación del voluntariado", "engajamento de voluntários", "إشراك المتطوعين")),
    (None, ("edit-a-thons", "skrivstugor", "marathons d'édition", "editatones", "editatonas",
            "ماراثونات التحرير")),
    (None, ("gender gap", "könsklyftan", "écart entre les genres", "brecha de género", "lacuna de gênero",
            "الفجوة بين الجنسين")),
    ("Q8434", ("education", "utbildning", "éducation", "educación", "educação", "التعليم")),
    ("Q19652", ("public domain", "allmän egendom", "domaine public", "dominio público", "domínio público",
                "الملكية العامة")),
    (None, ("lexicographical data", "lexikografiska data", "données lexicographiques", "datos lexicográficos",
            "dados lexicográficos", "البيانات المعجمية")),
    (None, ("citations and references", "källhänvisningar", "sources et références", "citas y referencias",
            "citações e referências", "الاستشهادات والمراجع")),
    (None, ("partnerships with UN agencies", "samarbeten med FN-organ", "partenariats avec les agences de l'ONU",
            "alianzas con agencias de la ONU", "parcerias com agências da ONU",
            "الشراكات مع وكالات الأمم المتحدة")),
    ("Q11633", ("photography", "fotografi", "photographie", "fotografía", "fotografia", "التصوير الفوتوغرافي")),
    (None, ("geographic data", "geodata", "données géographiques", "datos geográficos", "dados geográficos",
            "البيانات الجغرافية")),
    (None, ("community health", "en trygg gemenskap", "santé de la communauté", "salud de la comunidad",
            "saúde da comunidade", "صحة المجتمع")),
]

# Publishers: (labels by language, is a Wikimedia affiliate).
PUBLISHERS: list[tuple[dict[str, str], bool]] = [
    ({"en": "Wikimedia Sverige", "mul": "Wikimedia Sverige", "ar": "ويكيميديا السويد"}, True),
    ({"en": "Wikimedia Deutschland", "mul": "Wikimedia Deutschland", "ar": "ويكيميديا ألمانيا"}, True),
    ({"en": "Wikimedia France", "mul": "Wikimedia France", "ar": "ويكيميديا فرنسا"}, True),
    ({"en": "Wikimedia UK", "mul": "Wikimedia UK", "ar": "ويكيميديا المملكة المتحدة"}, True),
    ({"en": "Wikimedia Foundation", "sv": "Wikimedia Foundation", "fr": "Fondation Wikimédia",
      "es": "Fundación Wikimedia", "pt-br": "Fundação Wikimedia", "ar": "مؤسسة ويكيميديا"}, True),
    ({"en": "Europeana Foundation", "mul": "Europeana"}, False),
    ({"en": "UNESCO", "sv": "Unesco", "fr": "UNESCO", "es": "UNESCO", "pt-br": "UNESCO", "ar": "اليونسكو"},
     False),
    ({"en": "Wikimedia España", "mul": "Wikimedia España", "es": "Wikimedia España"}, True),
    ({"en": "Wikimedia Argentina", "mul": "Wikimedia Argentina"}, True),
    ({"en": "Wiki Movement Brazil User Group", "pt-br": "Grupo de Usuários Wiki Movimento Brasil"}, True),
    ({"en": "Wikimedia Norge", "mul": "Wikimedia Norge"}, True),
    ({"en": "Wikimedia Finland", "fi": "Wikimedia Suomi", "sv": "Wikimedia Finland"}, True),
    ({"en": "Wikimedia Ukraine", "uk": "Вікімедіа Україна", "sv": "Wikimedia Ukraina"}, True),
    ({"en": "Wikimedia Chile", "mul": "Wikimedia Chile"}, True),
    ({"en": "Wikimedia Mexico", "es": "Wikimedia México"}, True),
    ({"en": "Wikimedians of the Levant User Group", "ar": "مجموعة مستخدمي ويكيميديا بلاد الشام"}, True),
    ({"en": "Swedish National Heritage Board", "sv": "Riksantikvarieämbetet"}, False),
    ({"en": "National Library of Sweden", "sv": "Kungliga biblioteket", "mul": "Kungliga biblioteket"}, False),
]
# Publisher indexes preferred for each language of work.
PUBLISHER_BY_LANGUAGE = {"sv": [0, 0, 0, 16, 17], "de": [1], "fr": [2], "es": [7, 8, 13, 14], "pt-br": [9],
                         "pt": [9], "nb": [10], "fi": [11], "uk": [12], "ar": [15, 6],
                         "en": [3, 4, 4, 5, 6, 0, 1]}
AFFILIATE_DESCRIPTION = ("Wikimedia movement affiliate", "ansluten organisation inom Wikimediarörelsen",
                         "affilié du mouvement Wikimedia", "afiliado del movimiento Wikimedia",
                         "afiliado do movimento Wikimedia", "منظمة تابعة لحركة ويكيميديا")

# Licences: (Wikidata QID, labels by language).
LICENCES: list[tuple[str, dict[str, str]]] = [
    ("Q10513445", {"en": "GNU General Public License, version 3.0", "sv": "GNU General Public License, version 3",
                   "fr": "Licence publique générale GNU, version 3", "es": "Licencia Pública General de GNU, versión 3",
                   "pt-br": "Licença Pública Geral GNU, versão 3", "ar": "رخصة جنو العمومية، الإصدار 3",
                   "mul": "GPL-3.0-or-later"}),
    ("Q10513450", {"en": "GNU General Public License, version 2.0", "fr": "Licence publique générale GNU, version 2",
                   "es": "Licencia Pública General de GNU, versión 2", "mul": "GPL-2.0-or-later"}),
    ("Q27017232", {"en": "GNU Affero General Public License, version 3.0",
                   "fr": "Licence publique générale GNU Affero, version 3", "mul": "AGPL-3.0-or-later"}),
    ("Q334661", {"en": "MIT License", "sv": "MIT-licensen", "fr": "licence MIT", "es": "Licencia MIT",
                 "pt-br": "Licença MIT", "ar": "رخصة إم آي تي", "mul": "MIT"}),
    ("Q13785927", {"en": "Apache License 2.0", "sv": "Apache-licensen 2.0", "fr": "Licence Apache 2.0",
                   "es": "Licencia Apache 2.0", "pt-br": "Licença Apache 2.0", "ar": "رخصة أباتشي 2.0",
                   "mul": "Apache-2.0"}),
    ("Q18491847", {"en": "BSD 3-Clause License", "fr": "licence BSD à 3 clauses",
                   "es": "Licencia BSD de 3 cláusulas", "mul": "BSD-3-Clause"}),
    ("Q25428413", {"en": "Mozilla Public License 2.0", "fr": "Licence publique Mozilla 2.0", "mul": "MPL-2.0"}),
]
LICENCE_INDEX = {"GPL-3.0": 0, "GPL-2.0": 1, "AGPL-3.0": 2, "MIT": 3, "Apache-2.0": 4, "BSD-3": 5, "MPL-2.0": 6}

# Technologies: (Wikidata QID, labels by language).
TECHNOLOGIES: list[tuple[str, dict[str, str]]] = [
    ("Q28865", {"en": "Python", "mul": "Python", "ar": "بايثون"}),
    ("Q251", {"en": "Java", "mul": "Java", "ar": "جافا"}),
    ("Q2005", {"en": "JavaScript", "mul": "JavaScript", "ar": "جافا سكريبت"}),
    ("Q59", {"en": "PHP", "mul": "PHP", "ar": "بي إتش بي"}),
    ("Q575650", {"en": "Rust", "mul": "Rust"}),
    ("Q978185", {"en": "TypeScript", "mul": "TypeScript"}),
    ("Q3816639", {"en": "Kotlin", "mul": "Kotlin"}),
    ("Q161053", {"en": "Ruby", "mul": "Ruby", "ar": "روبي"}),
    ("Q207316", {"en": "Lua", "mul": "Lua"}),
    ("Q37227", {"en": "Go", "mul": "Go"}),
    ("Q2407", {"en": "C++", "mul": "C++", "ar": "سي++"}),
    ("Q24589705", {"en": "Vue.js", "mul": "Vue.js"}),
]
TECH_INDEX = {label["en"]: i for i, (_, label) in enumerate(TECHNOLOGIES)}

# Tool categories: description en/sv/fr/es/pt-br/ar.
TOOL_CATEGORIES: dict[str, tuple[str, ...]] = {
    "upload": ("tool for uploading media files to Wikimedia Commons",
               "verktyg för att ladda upp mediefiler till Wikimedia Commons",
               "outil pour téléverser des fichiers multimédias sur Wikimedia Commons",
               "herramienta para subir archivos multimedia a Wikimedia Commons",
               "ferramenta para carregar arquivos de mídia no Wikimedia Commons",
               "أداة لرفع ملفات الوسائط إلى ويكيميديا كومنز"),
    "data": ("tool for editing and importing data in Wikidata",
             "verktyg för att redigera och importera data på Wikidata",
             "outil pour modifier et importer des données dans Wikidata",
             "herramienta para editar e importar datos en Wikidata",
             "ferramenta para editar e importar dados no Wikidata",
             "أداة لتحرير البيانات واستيرادها في ويكي بيانات"),
    "query": ("tool for querying and listing Wikidata content",
              "verktyg för att söka i och lista innehåll på Wikidata",
              "outil pour interroger et lister le contenu de Wikidata",
              "herramienta para consultar y listar contenido de Wikidata",
              "ferramenta para consultar e listar conteúdo do Wikidata",
              "أداة للاستعلام عن محتوى ويكي بيانات وسرده"),
    "visual": ("tool for visualising Wikidata and Commons content",
               "verktyg för att visualisera innehåll från Wikidata och Commons",
               "outil de visualisation des contenus de Wikidata et de Commons",
               "herramienta para visualizar contenido de Wikidata y Commons",
               "ferramenta para visualizar conteúdo do Wikidata e do Commons",
               "أداة لعرض محتوى ويكي بيانات وكومنز بصريًا"),
    "metrics": ("tool for measuring the reach of GLAM uploads",
                "verktyg för att mäta spridningen av uppladdningar från kulturarvsinstitutioner",
                "outil de mesure de l'audience des contenus GLAM",
                "herramienta para medir el alcance de las contribuciones GLAM",
                "ferramenta para medir o alcance de conteúdos GLAM",
                "أداة لقياس مدى انتشار محتوى مؤسسات التراث"),
    "outreach": ("tool for organising and tracking outreach events",
                 "verktyg för att organisera och följa upp evenemang",
                 "outil pour organiser et suivre des événements de sensibilisation",
                 "herramienta para organizar y seguir eventos de divulgación",
                 "ferramenta para organizar e acompanhar eventos de divulgação",
                 "أداة لتنظيم فعاليات التوعية ومتابعتها"),
    "reading": ("tool for finding sources and improving citations",
                "verktyg för att hitta källor och förbättra källhänvisningar",
                "outil pour trouver des sources et améliorer les références",
                "herramienta para encontrar fuentes y mejorar las referencias",
                "ferramenta para encontrar fontes e melhorar referências",
                "أداة للعثور على المصادر وتحسين الاستشهادات"),
    "sdc": ("tool for adding structured data to Commons files",
            "verktyg för att lägga till strukturerad data på Commons-filer",
            "outil pour ajouter des données structurées aux fichiers de Commons",
            "herramienta para añadir datos estructurados a archivos de Commons",
            "ferramenta para adicionar dados estruturados a arquivos do Commons",
            "أداة لإضافة بيانات مهيكلة إلى ملفات كومنز"),
    "lexeme": ("tool for lexicographical data on Wikidata", "verktyg för lexikografiska data på Wikidata",
               "outil pour les données lexicographiques de Wikidata",
               "herramienta para datos lexicográficos en Wikidata",
               "ferramenta para dados lexicográficos no Wikidata", "أداة للبيانات المعجمية في ويكي بيانات"),
    "library": ("software library for working with Wikibase and MediaWiki",
                "programbibliotek för att arbeta med Wikibase och MediaWiki",
                "bibliothèque logicielle pour Wikibase et MediaWiki",
                "biblioteca de software para trabajar con Wikibase y MediaWiki",
                "biblioteca de software para trabalhar com Wikibase e MediaWiki",
                "مكتبة برمجية للعمل مع ويكي بيس وميدياويكي"),
    "wikisource": ("tool for transcribing and exporting Wikisource texts",
                   "verktyg för att transkribera och exportera texter på Wikisource",
                   "outil pour transcrire et exporter les textes de Wikisource",
                   "herramienta para transcribir y exportar textos de Wikisource",
                   "ferramenta para transcrever e exportar textos do Wikisource",
                   "أداة لنسخ نصوص ويكي مصدر وتصديرها"),
    "commons": ("gadget for maintaining files and categories on Wikimedia Commons",
                "tillägg för att underhålla filer och kategorier på Wikimedia Commons",
                "gadget pour gérer les fichiers et catégories de Wikimedia Commons",
                "accesorio para mantener archivos y categorías en Wikimedia Commons",
                "gadget para manter arquivos e categorias no Wikimedia Commons",
                "أداة إضافية لصيانة الملفات والتصنيفات في ويكيميديا كومنز"),
    "offline": ("software for reading Wikimedia content offline",
                "programvara för att läsa Wikimediainnehåll offline",
                "logiciel pour consulter les contenus Wikimedia hors ligne",
                "software para leer contenido de Wikimedia sin conexión",
                "software para ler conteúdo da Wikimedia offline",
                "برمجية لقراءة محتوى ويكيميديا دون اتصال"),
}


@dataclass(frozen=True)
class ToolSpec:
    """A curated tool: name, class, category, technologies, licence, website, repository, other labels."""

    name: str
    web: bool
    category: str
    tech: tuple[str, ...]
    licence: str | None = None
    website: str | None = None
    repository: str | None = None
    labels: dict[str, str] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()


def _t(name: str, web: bool, category: str, tech: str, licence: str | None = None, website: str | None = None,
       repository: str | None = None, labels: dict[str, str] | None = None, aliases: tuple[str, ...] = ()
       ) -> ToolSpec:
    return ToolSpec(name, web, category, tuple(tech.split(",")), licence, website, repository, labels or {},
                    aliases)


GH = "https://github.com/"
TF = ".toolforge.org/"
TOOLS: list[ToolSpec] = [
    _t("OpenRefine", False, "data", "Java", "BSD-3", "https://openrefine.org/", GH + "OpenRefine/OpenRefine"),
    _t("Pattypan", False, "upload", "Java", "MIT", "https://commons.wikimedia.org/wiki/Commons:Pattypan",
       GH + "yarl/pattypan"),
    _t("QuickStatements", True, "data", "PHP,JavaScript", "GPL-3.0", "https://quickstatements" + TF,
       aliases=("QS",)),
    _t("PetScan", True, "query", "Rust", "GPL-3.0", "https://petscan.wmcloud.org/"),
    _t("Mix'n'match", True, "data", "PHP,JavaScript", "GPL-3.0", "https://mix-n-match" + TF),
    _t("Cradle", True, "data", "JavaScript", "GPL-3.0", "https://cradle" + TF),
    _t("Tabernacle", True, "data", "JavaScript", "GPL-3.0", "https://tabernacle" + TF),
    _t("Listeria", True, "query", "Rust", "GPL-3.0", "https://listeria" + TF),
    _t("Reasonator", True, "query", "JavaScript", "GPL-3.0", "https://reasonator" + TF),
    _t("Scholia", True, "query", "Python", "GPL-3.0", "https://scholia" + TF, GH + "WDscholia/scholia"),
    _t("Histropedia", True, "visual", "JavaScript", None, "https://histropedia.com/"),
    _t("Wikidata Query Service", True, "query", "Java", "Apache-2.0", "https://query.wikidata.org/",
       "https://gerrit.wikimedia.org/r/admin/repos/wikidata/query/rdf",
       {"sv": "Wikidatas frågetjänst", "fr": "Service de requête Wikidata",
        "es": "Servicio de consultas de Wikidata", "pt-br": "Serviço de Consulta do Wikidata",
        "ar": "خدمة استعلام ويكي بيانات"}, ("WDQS",)),
    _t("Upload Wizard", False, "upload", "PHP,JavaScript", "GPL-2.0",
       "https://commons.wikimedia.org/wiki/Special:UploadWizard",
       "https://gerrit.wikimedia.org/r/admin/repos/mediawiki/extensions/UploadWizard",
       {"sv": "Uppladdningsguiden", "fr": "Assistant de téléversement", "es": "Asistente de carga",
        "pt-br": "Assistente de carregamento", "ar": "معالج الرفع"}),
    _t("VideoCutTool", True, "upload", "JavaScript", "MIT", "https://videocuttool.wmcloud.org/"),
    _t("Commons Android app", False, "upload", "Java,Kotlin", "Apache-2.0", "https://commons-app.github.io/",
       GH + "commons-app/apps-android-commons",
       {"sv": "Commons-appen för Android", "fr": "Application Commons pour Android",
        "es": "Aplicación de Commons para Android", "pt-br": "Aplicativo Commons para Android",
        "ar": "تطبيق كومنز لأندرويد"}),
    _t("Flickr2Commons", True, "upload", "JavaScript,PHP", "GPL-3.0", "https://flickr2commons" + TF),
    _t("Wikimedia Commons Query Service", True, "query", "Java", "Apache-2.0",
       "https://commons-query.wikimedia.org/", aliases=("WCQS",)),
    _t("ISA Tool", True, "sdc", "Python,JavaScript", "MIT", "https://isa" + TF),
    _t("Citation Hunt", True, "reading", "Python", "MIT", "https://citationhunt" + TF, GH + "eggpi/citationhunt"),
    _t("The Wikipedia Library", True, "reading", "Python", "MIT", "https://wikipedialibrary.wmflabs.org/",
       GH + "WikipediaLibrary/TWLight",
       {"sv": "Wikipediabiblioteket", "fr": "La Bibliothèque Wikipédia", "es": "La Biblioteca de Wikipedia",
        "pt-br": "A Biblioteca da Wikipédia", "ar": "مكتبة ويكيبيديا"}),
    _t("Programs & Events Dashboard", True, "outreach", "Ruby,JavaScript", "MIT",
       "https://outreachdashboard.wmflabs.org/", GH + "WikiEducationFoundation/WikiEduDashboard",
       {"fr": "Tableau de bord des programmes et événements", "es": "Panel de Programas y Eventos",
        "pt-br": "Painel de Programas e Eventos"}, ("Outreach Dashboard",)),
    _t("Wikimedia Hashtag tool", True, "outreach", "Python", "MIT", "https://hashtags.wmcloud.org/"),
    _t("Depictor", True, "sdc", "JavaScript", "MIT", "https://depictor" + TF),
    _t("Integraality", True, "query", "Python", "MIT", "https://integraality" + TF),
    _t("Wikidata Lexeme Forms", True, "lexeme", "Python", "AGPL-3.0", "https://lexeme-forms" + TF),
    _t("OpenRefine Wikibase extension", False, "data", "Java", "MIT"),
    _t("Ordia", True, "lexeme", "Python", "Apache-2.0", "https://ordia" + TF),
    _t("Wikidata Query Builder", True, "query", "TypeScript,Vue.js", "GPL-2.0",
       "https://query.wikidata.org/querybuilder/", None,
       {"sv": "Wikidatas frågebyggare", "fr": "Générateur de requêtes Wikidata",
        "es": "Constructor de consultas de Wikidata", "pt-br": "Construtor de consultas do Wikidata",
        "ar": "منشئ استعلامات ويكي بيانات"}),
    _t("Monumental", True, "visual", "JavaScript", "MIT", "https://monumental" + TF),
    _t("Crotos", True, "visual", "PHP,JavaScript", "GPL-3.0"),
    _t("GLAMorous", True, "metrics", "PHP", "GPL-3.0", "https://glamtools" + TF + "glamorous.php"),
    _t("BaGLAMa 2", True, "metrics", "PHP", "GPL-3.0", "https://glamtools" + TF + "baglama2/"),
    _t("Cat-a-lot", False, "commons", "JavaScript", "GPL-3.0"),
    _t("HotCat", False, "commons", "JavaScript", "GPL-2.0"),
    _t("VisualFileChange", False, "commons", "JavaScript", "GPL-3.0"),
    _t("The Distributed Game", True, "data", "JavaScript", "GPL-3.0", "https://wikidata-game" + TF + "distributed/"),
    _t("Wikidata Toolkit", False, "library", "Java", "Apache-2.0", None, GH + "Wikidata/Wikidata-Toolkit"),
    _t("Pywikibot", False, "library", "Python", "MIT", "https://www.mediawiki.org/wiki/Manual:Pywikibot",
       "https://gerrit.wikimedia.org/r/admin/repos/pywikibot/core"),
    _t("WikibaseIntegrator", False, "library", "Python", "MIT", None, GH + "LeMyst/WikibaseIntegrator"),
    _t("SQID", True, "query", "JavaScript", "Apache-2.0", "https://sqid" + TF),
    _t("Mismatch Finder", True, "data", "PHP", "BSD-3", "https://mismatch-finder" + TF),
    _t("Kiwix", False, "offline", "C++", "GPL-3.0", "https://kiwix.org/", GH + "kiwix/kiwix-desktop"),
    _t("IA Upload", True, "wikisource", "PHP", "GPL-3.0", "https://ia-upload" + TF),
    _t("Wikimedia OCR", True, "wikisource", "PHP", "GPL-3.0", "https://ocr.wmcloud.org/"),
    _t("WS Export", True, "wikisource", "PHP", "GPL-2.0", "https://ws-export.wmcloud.org/", None,
       {"fr": "Export Wikisource", "es": "Exportación de Wikisource"}),
    _t("LrMediaWiki", False, "upload", "Lua", "MIT", None, GH + "robinkrahl/LrMediaWiki"),
    _t("GLAMpipe", True, "data", "JavaScript", "MIT", None, GH + "artturimatias/GLAMpipe"),
    _t("Wikidocumentaries", True, "visual", "JavaScript,Python", "MIT", "https://wikidocumentaries-demo.wmcloud.org/"),
    _t("Wiki Education Dashboard", True, "outreach", "Ruby", "MIT", "https://dashboard.wikiedu.org/"),
    _t("AC/DC", False, "sdc", "JavaScript", "GPL-3.0"),
    _t("Lingua Libre", True, "lexeme", "PHP,JavaScript", "MIT", "https://lingualibre.org/"),
    _t("video2commons", True, "upload", "Python", "GPL-3.0", "https://video2commons" + TF),
    _t("Commonist", False, "upload", "Java", "GPL-2.0"),
    _t("Terminator", True, "data", "PHP", "GPL-3.0", "https://terminator" + TF),
    _t("WikiShootMe", True, "visual", "JavaScript", "GPL-3.0", "https://wikishootme" + TF),
    _t("Wikidata Graph Builder", True, "visual", "JavaScript", "MIT", "https://angryloki.github.io/wikidata-graph-builder/"),
    _t("Entity Explosion", False, "query", "JavaScript", "MIT"),
    _t("Recoin", False, "data", "JavaScript", "GPL-3.0"),
    _t("Computer-aided tagging", False, "sdc", "PHP,JavaScript", "GPL-2.0"),
    _t("Heritage Harvester", True, "data", "Python", "MIT"),
    _t("Caption Helper", True, "sdc", "JavaScript", "MIT"),
    _t("Monument Mapper", True, "visual", "JavaScript,Python", "Apache-2.0"),
    _t("Archive Bridge", False, "data", "Python", "GPL-3.0"),
    _t("Lexeme Linker", True, "lexeme", "Python", "MIT"),
    _t("Collection Reconciler", True, "data", "Python", "MPL-2.0"),
]
# Beyond the curated list: prefix x suffix (suffix decides the category), then numbered.
TOOL_PREFIXES = ("Heritage", "Metadata", "Commons", "Wikidata", "Caption", "Lexeme", "Museum", "Archive",
                 "Citation", "Map", "Catalogue", "Collection", "Folklore", "Monument", "Photo", "Library")
TOOL_SUFFIXES = {"Harvester": "data", "Bridge": "data", "Linker": "data", "Helper": "sdc", "Mapper": "visual",
                 "Checker": "data", "Uploader": "upload", "Explorer": "query", "Reconciler": "data",
                 "Dashboard": "metrics", "Lister": "query", "Viewer": "visual"}

# Title building blocks: each a tuple en/sv/fr/es/pt-br/ar.
OBJECTS: list[tuple[str, ...]] = [
    ("museum photographs", "museifotografier", "photographies de musée", "fotografías de museo",
     "fotografias de museu", "صور المتاحف"),
    ("historical maps", "historiska kartor", "cartes historiques", "mapas históricos", "mapas históricos",
     "الخرائط التاريخية"),
    ("botanical illustrations", "botaniska illustrationer", "illustrations botaniques",
     "ilustraciones botánicas", "ilustrações botânicas", "الرسوم النباتية"),
    ("archival film clips", "arkivfilmklipp", "extraits de films d'archives", "fragmentos de películas de archivo",
     "trechos de filmes de arquivo", "مقاطع الأفلام الأرشيفية"),
    ("oral history recordings", "inspelade intervjuer", "enregistrements d'histoire orale",
     "grabaciones de historia oral", "gravações de história oral", "تسجيلات التاريخ الشفوي"),
    ("digitised manuscripts", "digitaliserade handskrifter", "manuscrits numérisés", "manuscritos digitalizados",
     "manuscritos digitalizados", "المخطوطات المرقمنة"),
    ("exhibition posters", "utställningsaffischer", "affiches d'exposition", "carteles de exposiciones",
     "cartazes de exposições", "ملصقات المعارض"),
    ("photos of heritage buildings", "bilder på kulturhistoriska byggnader", "photos de bâtiments patrimoniaux",
     "fotos de edificios patrimoniales", "fotos de edifícios históricos", "صور المباني التراثية"),
    ("scanned newspapers", "inskannade tidningar", "journaux numérisés", "periódicos escaneados",
     "jornais digitalizados", "الصحف الممسوحة ضوئيًا"),
    ("historical postcards", "gamla vykort", "cartes postales anciennes", "postales antiguas",
     "cartões-postais antigos", "البطاقات البريدية القديمة"),
    ("portrait photographs", "porträttfotografier", "portraits photographiques", "retratos fotográficos",
     "retratos fotográficos", "الصور الشخصية"),
    ("herbarium specimens", "herbarieark", "spécimens d'herbier", "especímenes de herbario",
     "espécimes de herbário", "عينات المعشبة"),
]
DATA_OBJECTS: list[tuple[str, ...]] = [
    ("archival metadata", "arkivmetadata", "métadonnées d'archives", "metadatos de archivo",
     "metadados de arquivo", "البيانات الوصفية الأرشيفية"),
    ("museum collection records", "museisamlingsdata", "notices de collections muséales",
     "registros de colecciones de museos", "registros de acervos de museus", "سجلات مجموعات المتاحف"),
    ("bibliographic records", "bibliografiska poster", "notices bibliographiques", "registros bibliográficos",
     "registros bibliográficos", "السجلات الببليوغرافية"),
    ("authority files", "auktoritetsposter", "notices d'autorité", "registros de autoridad",
     "registros de autoridade", "ملفات الاستناد"),
    ("artist biographies", "konstnärsbiografier", "biographies d'artistes", "biografías de artistas",
     "biografias de artistas", "سير الفنانين"),
    ("place names", "ortnamn", "noms de lieux", "topónimos", "topônimos", "أسماء الأماكن"),
    ("lists of heritage sites", "förteckningar över kulturarvsplatser", "listes de sites patrimoniaux",
     "listas de sitios patrimoniales", "listas de sítios do patrimônio", "قوائم مواقع التراث"),
    ("scholarly articles", "vetenskapliga artiklar", "articles scientifiques", "artículos científicos",
     "artigos científicos", "المقالات العلمية"),
    ("exhibition catalogues", "utställningskataloger", "catalogues d'exposition", "catálogos de exposiciones",
     "catálogos de exposições", "كتالوجات المعارض"),
    ("public artworks", "offentlig konst", "œuvres d'art public", "obras de arte público",
     "obras de arte pública", "الأعمال الفنية العامة"),
    ("biographies of women scientists", "biografier över kvinnliga forskare", "biographies de femmes scientifiques",
     "biografías de científicas", "biografias de cientistas mulheres", "سير العالمات"),
    ("archaeological finds", "arkeologiska fynd", "objets archéologiques", "hallazgos arqueológicos",
     "achados arqueológicos", "اللقى الأثرية"),
]
# Institutions: native name, then overrides by language (articles included where the language needs them).
INSTITUTIONS: list[tuple[str, dict[str, str]]] = [
    ("Riksantikvarieämbetet", {"en": "the Swedish National Heritage Board"}),
    ("Nationalmuseum", {}),
    ("Kungliga biblioteket", {"en": "the National Library of Sweden"}),
    ("Riksarkivet", {"en": "the Swedish National Archives"}),
    ("Rijksmuseum", {"en": "the Rijksmuseum", "fr": "le Rijksmuseum", "es": "el Rijksmuseum",
                     "pt-br": "o Rijksmuseum"}),
    ("Bibliothèque nationale de France", {"en": "the National Library of France",
                                          "fr": "la Bibliothèque nationale de France",
                                          "es": "la Biblioteca Nacional de Francia",
                                          "pt-br": "a Biblioteca Nacional da França",
                                          "ar": "المكتبة الوطنية الفرنسية"}),
    ("Biblioteca Nacional de España", {"en": "the National Library of Spain",
                                       "fr": "la Bibliothèque nationale d'Espagne",
                                       "es": "la Biblioteca Nacional de España",
                                       "pt-br": "a Biblioteca Nacional da Espanha",
                                       "ar": "المكتبة الوطنية الإسبانية"}),
    ("Museu Paulista", {"en": "the Museu Paulista", "fr": "le Musée Paulista", "es": "el Museo Paulista",
                        "pt-br": "o Museu Paulista"}),
    ("Europeana", {"ar": "يوروبيانا"}),
    ("Museovirasto", {"en": "the Finnish Heritage Agency", "sv": "Museiverket"}),
    ("Nasjonalbiblioteket", {"en": "the National Library of Norway", "sv": "Norges nationalbibliotek"}),
    ("Deutsche Digitale Bibliothek", {"en": "the German Digital Library"}),
    ("Smithsonian Institution", {"en": "the Smithsonian Institution", "fr": "la Smithsonian Institution",
                                 "es": "la Institución Smithsoniana", "pt-br": "o Instituto Smithsoniano",
                                 "ar": "مؤسسة سميثسونيان"}),
    ("Wellcome Collection", {}),
    ("Biblioteca Nacional de Chile", {"en": "the National Library of Chile",
                                      "es": "la Biblioteca Nacional de Chile"}),
    ("Bibliotheca Alexandrina", {"ar": "مكتبة الإسكندرية"}),
    ("Världskulturmuseerna", {"en": "the National Museums of World Culture"}),
    ("Museo Nacional de Antropología", {"en": "the National Museum of Anthropology",
                                        "es": "el Museo Nacional de Antropología"}),
    ("Musée de Bretagne", {"en": "the Musée de Bretagne", "fr": "le Musée de Bretagne"}),
    ("Arkivverket", {"en": "the National Archives of Norway"}),
]
UN_AGENCIES: list[tuple[str, dict[str, str]]] = [
    ("UNESCO", {"sv": "Unesco", "ar": "اليونسكو"}),
    ("FAO", {"ar": "منظمة الأغذية والزراعة"}),
    ("UN Women", {"fr": "ONU Femmes", "es": "ONU Mujeres", "pt-br": "ONU Mulheres",
                  "ar": "هيئة الأمم المتحدة للمرأة"}),
    ("UNHCR", {"fr": "le HCR", "es": "ACNUR", "pt-br": "o ACNUR",
               "ar": "المفوضية السامية للأمم المتحدة لشؤون اللاجئين"}),
    ("WHO", {"en": "the WHO", "fr": "l'OMS", "es": "la OMS", "pt-br": "a OMS", "ar": "منظمة الصحة العالمية"}),
    ("UNDP", {"fr": "le PNUD", "es": "el PNUD", "pt-br": "o PNUD", "ar": "برنامج الأمم المتحدة الإنمائي"}),
]
PROJECTS = ("Wiki Loves Monuments", "Wiki Loves Earth", "Wiki Loves Folklore", "WikiGap", "#1Lib1Ref",
            "Art+Feminism", "Women in Red", "Wiki Science Competition")
# Conference events: (name, year, labels in other languages).
EVENTS: list[tuple[str, int, dict[str, str]]] = [
    ("Wikimania 2019", 2019, {"ar": "ويكيمانيا 2019", "sv": "Wikimania 2019 i Stockholm"}),
    ("GLAM 2021", 2021, {"sv": "GLAM-konferensen 2021"}),
    ("WikidataCon 2021", 2021, {}),
    ("Wikimania 2022", 2022, {"ar": "ويكيمانيا 2022"}),
    ("Wikimedia Summit 2022", 2022, {"fr": "Sommet Wikimedia 2022", "es": "Cumbre Wikimedia 2022",
                                     "pt-br": "Cúpula Wikimedia 2022"}),
    ("CEE Meeting 2022", 2022, {}),
    ("GLAM Wiki 2023", 2023, {"es": "GLAM Wiki 2023 Montevideo"}),
    ("WikiArabia 2023", 2023, {"ar": "ويكي عربية 2023"}),
    ("Wikimania 2023", 2023, {"ar": "ويكيمانيا 2023"}),
    ("Celtic Knot 2021", 2021, {}),
    ("Wikimedia Hackathon 2024", 2024, {}),
    ("Wikimania 2024", 2024, {"ar": "ويكيمانيا 2024"}),
]
CONFERENCE_DESCRIPTION = ("conference of the Wikimedia movement", "konferens inom Wikimediarörelsen",
                          "conférence du mouvement Wikimedia", "conferencia del movimiento Wikimedia",
                          "conferência do movimento Wikimedia", "مؤتمر لحركة ويكيميديا")
PROGRAMME_LABEL = ("{event} programme", "Program för {event}", "Programme de {event}", "Programa de {event}",
                   "Programação de {event}", "برنامج {event}")
SESSION_LABEL = ("{event} – session {n}: {topic}", "{event} – pass {n}: {topic}",
                 "{event} – séance {n} : {topic}", "{event} – sesión {n}: {topic}",
                 "{event} – sessão {n}: {topic}", "{event} – الجلسة {n}: {topic}")
PERSON_DESCRIPTION = ("Wikimedian", "wikimedian", "wikimédien", "wikimedista", "wikimedista", "ويكيميدي")
FIRST_NAMES = ("Astrid", "Johan", "Camille", "Lucía", "Mariana", "Youssef", "Amara", "Priya", "Kenji", "Olena",
               "Ingrid", "Aino", "Lukas", "Sofia", "Mateo", "Fatima", "Leila", "Tomás", "Beatriz", "Nils", "Elin",
               "Karin", "Oskar", "Hana", "Jonas", "Chiara", "Dmytro", "Zanele", "Rafael", "Maja", "Samir",
               "Ebba", "Aurélie", "Joaquín", "Thandiwe", "Linnea")
LAST_NAMES = ("Lindqvist", "Bergström", "Moreau", "Fernández", "Souza", "El Amrani", "Okafor", "Raman",
              "Watanabe", "Kovalenko", "Halvorsen", "Virtanen", "Becker", "Rossi", "Haddad", "Nyström", "Dubois",
              "Oliveira", "Santos", "Mansour", "Ekström", "Sandberg", "Mwangi", "Castillo", "Lefèvre",
              "Hoffmann", "Andersson", "Pereira", "Benali", "Nakamura", "Holm", "Åberg")


@dataclass(frozen=True)
class Template:
    """A title pattern in en/sv/fr/es/pt-br/ar; `kind` says which slots it needs, `groups` which types use it."""

    kind: str  # tool, tool:<category>, topic, un, event, project
    groups: frozenset[str]
    forms: tuple[str, ...]


def _tpl(kind: str, groups: str, *forms: str) -> Template:
    return Template(kind, frozenset(groups.split(",")), forms)


TEMPLATES: list[Template] = [
    _tpl("tool:upload", "learn,media",
         "Batch uploading {obj} to Wikimedia Commons with {tool}",
         "Massuppladdning av {obj} till Wikimedia Commons med {tool}",
         "{obj} : téléversement par lots sur Wikimedia Commons avec {tool}",
         "Carga masiva de {obj} a Wikimedia Commons con {tool}",
         "Carregamento em lote de {obj} no Wikimedia Commons com {tool}",
         "رفع {obj} دفعة واحدة إلى ويكيميديا كومنز باستخدام {tool}"),
    _tpl("tool:upload", "learn,media",
         "Getting started with {tool}: uploading your first files",
         "Kom igång med {tool}: ladda upp dina första filer",
         "Premiers pas avec {tool} : téléverser vos premiers fichiers",
         "Primeros pasos con {tool}: sube tus primeros archivos",
         "Primeiros passos com {tool}: envie seus primeiros arquivos",
         "البدء مع {tool}: رفع ملفاتك الأولى"),
    _tpl("tool:upload", "learn,report",
         "Preparing {obj} from {inst} for upload with {tool}",
         "Förbereda {obj} från {inst} för uppladdning med {tool}",
         "Préparer les {obj} {de_inst} pour le téléversement avec {tool}",
         "Preparar {obj} {de_inst} para la carga con {tool}",
         "Preparando {obj} {de_inst} para envio com {tool}",
         "تجهيز {obj} من {inst} للرفع باستخدام {tool}"),
    _tpl("tool:data", "learn,media",
         "Reconciling {dobj} with Wikidata in {tool}",
         "Matcha {dobj} mot Wikidata i {tool}",
         "{dobj} : réconciliation avec Wikidata dans {tool}",
         "Conciliar {dobj} con Wikidata en {tool}",
         "Reconciliando {dobj} com o Wikidata no {tool}",
         "مطابقة {dobj} مع ويكي بيانات في {tool}"),
    _tpl("tool:data", "learn,media,report",
         "Importing {dobj} from {inst} into Wikidata with {tool}",
         "Importera {dobj} från {inst} till Wikidata med {tool}",
         "Importer les {dobj} {de_inst} dans Wikidata avec {tool}",
         "Importar {dobj} {de_inst} a Wikidata con {tool}",
         "Importando {dobj} {de_inst} para o Wikidata com {tool}",
         "استيراد {dobj} من {inst} إلى ويكي بيانات باستخدام {tool}"),
    _tpl("tool:data", "learn,media",
         "{tool} for beginners: editing Wikidata in bulk",
         "{tool} för nybörjare: massredigering på Wikidata",
         "{tool} pour les débutants : modifier Wikidata en masse",
         "{tool} para principiantes: edición masiva en Wikidata",
         "{tool} para iniciantes: edição em massa no Wikidata",
         "{tool} للمبتدئين: تحرير ويكي بيانات على نطاق واسع"),
    _tpl("tool:query", "learn,media",
         "Exploring {dobj} with {tool}",
         "Utforska {dobj} med {tool}",
         "Explorer les {dobj} avec {tool}",
         "Explorar {dobj} con {tool}",
         "Explorando {dobj} com {tool}",
         "استكشاف {dobj} باستخدام {tool}"),
    _tpl("tool:query", "learn,media,report",
         "Building lists of {dobj} from {inst} with {tool}",
         "Skapa listor över {dobj} från {inst} med {tool}",
         "Créer des listes {de_dobj} {de_inst} avec {tool}",
         "Crear listas de {dobj} {de_inst} con {tool}",
         "Criando listas de {dobj} {de_inst} com {tool}",
         "إنشاء قوائم {dobj} من {inst} باستخدام {tool}"),
    _tpl("tool", "learn",
         "{tool}: a step-by-step guide",
         "{tool}: steg för steg",
         "{tool} : guide pas à pas",
         "{tool}: guía paso a paso",
         "{tool}: guia passo a passo",
         "{tool}: دليل خطوة بخطوة"),
    _tpl("tool", "learn,media",
         "Introduction to {tool}",
         "Introduktion till {tool}",
         "Introduction à {tool}",
         "Introducción a {tool}",
         "Introdução a {tool}",
         "مقدمة إلى {tool}"),
    _tpl("tool", "learn,media,report",
         "Tips and tricks for {tool}",
         "Tips och tricks för {tool}",
         "Trucs et astuces pour {tool}",
         "Trucos y consejos para {tool}",
         "Dicas e truques para {tool}",
         "نصائح وحيل لاستخدام {tool}"),
    _tpl("tool", "report,media",
         "How {inst} uses {tool}",
         "Så använder {inst} {tool}",
         "Comment {inst} utilise {tool}",
         "Cómo usa {inst} {tool}",
         "Como {inst} usa {tool}",
         "كيف تستخدم {inst} {tool}"),
    _tpl("tool", "report,media",
         "What's new in {tool}",
         "Nyheter i {tool}",
         "Les nouveautés de {tool}",
         "Novedades de {tool}",
         "Novidades do {tool}",
         "ما الجديد في {tool}"),
    _tpl("topic", "learn,media",
         "Introduction to {topic}",
         "Introduktion till {topic}",
         "{topic} : une introduction",
         "{topic}: una introducción",
         "{topic}: uma introdução",
         "مقدمة إلى {topic}"),
    _tpl("topic", "learn,media,report",
         "{topic} for GLAM institutions",
         "{topic} för kulturarvsinstitutioner",
         "{topic} pour les institutions GLAM",
         "{topic} para instituciones GLAM",
         "{topic} para instituições GLAM",
         "{topic} لمؤسسات التراث الثقافي"),
    _tpl("topic", "report,media",
         "{topic} in practice: lessons from {inst}",
         "{topic} i praktiken: lärdomar från {inst}",
         "{topic} en pratique : retour d'expérience {de_inst}",
         "{topic} en la práctica: lecciones {de_inst}",
         "{topic} na prática: lições {de_inst}",
         "{topic} عمليًا: دروس من {inst}"),
    _tpl("topic", "learn",
         "Working with {topic}: a handbook for volunteers",
         "Att arbeta med {topic}: en handbok för volontärer",
         "{topic} : manuel pour les bénévoles",
         "{topic}: manual para voluntarios",
         "{topic}: manual para voluntários",
         "العمل على {topic}: دليل للمتطوعين"),
    _tpl("topic", "report",
         "{topic} and {obj}: a case study from {inst}",
         "{topic} och {obj}: en fallstudie från {inst}",
         "{topic} et {obj} : étude de cas {de_inst}",
         "{topic} y {obj}: un estudio de caso {de_inst}",
         "{topic} e {obj}: um estudo de caso {de_inst}",
         "{topic} و{obj}: دراسة حالة من {inst}"),
    _tpl("topic", "learn",
         "Frequently asked questions about {topic}",
         "Vanliga frågor om {topic}",
         "{topic} : foire aux questions",
         "{topic}: preguntas frecuentes",
         "{topic}: perguntas frequentes",
         "الأسئلة الشائعة حول {topic}"),
    _tpl("un", "report,media",
         "Partnership with {inst}: {topic}",
         "Samarbete med {inst}: {topic}",
         "Partenariat avec {inst} : {topic}",
         "Alianza con {inst}: {topic}",
         "Parceria com {inst}: {topic}",
         "شراكة مع {inst}: {topic}"),
    _tpl("event", "report,media",
         "{event} conference: lessons from {inst}",
         "{event}: lärdomar från {inst}",
         "{event} : retour d'expérience {de_inst}",
         "{event}: lecciones {de_inst}",
         "{event}: lições {de_inst}",
         "{event}: دروس من {inst}"),
    _tpl("event", "report,media",
         "{event}: session notes on {topic}",
         "{event}: anteckningar från passet om {topic}",
         "{event} : compte rendu de la séance — {topic}",
         "{event}: notas de la sesión — {topic}",
         "{event}: notas da sessão — {topic}",
         "{event}: ملاحظات جلسة {topic}"),
    _tpl("project", "learn",
         "{project} {year}: a guide for organisers",
         "{project} {year}: en guide för arrangörer",
         "{project} {year} : guide pour les organisateurs",
         "{project} {year}: guía para organizadores",
         "{project} {year}: guia para organizadores",
         "{project} {year}: دليل للمنظمين"),
    _tpl("project", "report,media",
         "{project} {year}: results and lessons learned",
         "{project} {year}: resultat och lärdomar",
         "{project} {year} : résultats et enseignements",
         "{project} {year}: resultados y lecciones aprendidas",
         "{project} {year}: resultados e lições aprendidas",
         "{project} {year}: النتائج والدروس المستفادة"),
    _tpl("wikiproject", "wikiproject",
         "WikiProject {topic}", "Wikiprojekt {topic}", "Projet Wiki {topic}", "Wikiproyecto {topic}",
         "WikiProjeto {topic}", "مشروع ويكي {topic}"),
    _tpl("projectname", "project",
         "{project} {year}", "{project} {year}", "{project} {year}", "{project} {year}", "{project} {year}",
         "{project} {year}"),
]
PART_SUFFIX = (", part {n}", ", del {n}", ", partie {n}", ", parte {n}", ", parte {n}", "، الجزء {n}")
# Resource descriptions: (with publisher and year, publisher only, year only, subject only).
DESCRIPTIONS: tuple[tuple[str, str, str, str], ...] = (
    ("{type} from {pub}, {year}", "{type} from {pub}", "{type} published in {year}", "{type} about {subject}"),
    ("{type} från {pub}, {year}", "{type} från {pub}", "{type} från {year}", "{type} om {subject}"),
    ("{type} {de_pub}, {year}", "{type} {de_pub}", "{type} ({year})", "{type} sur {subject}"),
    ("{type} {de_pub}, {year}", "{type} {de_pub}", "{type} ({year})", "{type} sobre {subject}"),
    ("{type} {de_pub}, {year}", "{type} {de_pub}", "{type} ({year})", "{type} sobre {subject}"),
    ("{type} من {pub}، {year}", "{type} من {pub}", "{type} ({year})", "{type} حول {subject}"),
)
AUTHOR_ROLE = "P19"


# ---------------------------------------------------------------------------------------------------------
# Small language helpers

_VOWELS = set("aeiouyhàâäéèêëîïôöùûüœæAEIOUYHÀÂÉÈÊÎÏÔŒÆ")


def _de(lang: str, phrase: str) -> str:
    """`of/from <phrase>` in French, Spanish and Portuguese, with elision and contraction (du, del, do…)."""
    if lang == "fr":
        if phrase.startswith("le "):
            return "du " + phrase[3:]
        if phrase.startswith("les "):
            return "des " + phrase[4:]
        if phrase.startswith(("la ", "l'")):
            return "de " + phrase
        return ("d'" if phrase[:1] in _VOWELS else "de ") + phrase
    if lang == "es":
        return "del " + phrase[3:] if phrase.startswith("el ") else "de " + phrase
    if lang == "pt-br":
        for article, contracted in (("o ", "do "), ("a ", "da "), ("os ", "dos "), ("as ", "das ")):
            if phrase.startswith(article):
                return contracted + phrase[len(article):]
        return "de " + phrase
    return phrase


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lower_type(text: str) -> str:
    """A type label as it reads inside a description (`video tutorial`, but `Wikibooks book`)."""
    return text if text.startswith("Wiki") or text[1:2].isupper() else text[:1].lower() + text[1:]


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60] or "page"


def _filename(text: str) -> str:
    """A Commons file name stem: no characters MediaWiki forbids in titles."""
    return re.sub(r"[#<>\[\]|{}:/?\"]+", " -", text).replace("  ", " ").strip()


def _templates(group: str, kind: str) -> list[Template]:
    """Templates of one kind usable for one type group (memoised)."""
    key = (group, kind)
    if key not in _TEMPLATE_CACHE:
        _TEMPLATE_CACHE[key] = [t for t in TEMPLATES if group in t.groups and t.kind == kind]
    return _TEMPLATE_CACHE[key]


_TEMPLATE_CACHE: dict[tuple[str, str], list[Template]] = {}


# ---------------------------------------------------------------------------------------------------------
# Building the entities


@dataclass(frozen=True, slots=True)
class _Choice:
    """The building blocks picked for one resource title."""

    template: Template
    tool: tuple[str, ToolSpec] | None
    event: tuple[str, str, int, dict[str, str]] | None
    year: int
    obj: tuple[str, ...]
    dobj: tuple[str, ...]
    inst: tuple[str, dict[str, str]]
    topic_qid: str
    topic: tuple[str, ...]
    project: str

    def title(self, i: int) -> str:
        """The title in LANGS[i]."""
        lang = LANGS[i]
        inst = self.inst[1].get(lang, self.inst[0])
        values = {"obj": self.obj[i], "dobj": self.dobj[i], "inst": inst, "topic": self.topic[i],
                  "project": self.project, "year": self.year, "de_inst": _de(lang, inst),
                  "de_dobj": _de(lang, self.dobj[i])}
        if self.tool:
            values["tool"] = self.tool[1].labels.get(lang, self.tool[1].name)
        if self.event:
            values["event"] = self.event[3].get(lang, self.event[1])
        return _cap(self.template.forms[i].format(**values))

    def mul_title(self) -> str:
        """A language-neutral title made of names only, or "" when the title needs words."""
        kind = self.template.kind
        if kind.startswith("tool") and self.tool:
            return f"{self.tool[1].name} – {self.inst[0]}"
        if kind == "event" and self.event:
            return f"{self.event[1]} – {self.inst[0]}"
        if kind in ("project", "projectname"):
            return f"{self.project} {self.year}"
        return ""


class _Builder:
    """Composes every entity of one snapshot from one random generator."""

    def __init__(self, resources: int, tools: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.n_resources = resources
        self.n_tools = tools
        self.next_qid = 60201
        self.items: list[Entity] = []
        self.props: list[Entity] = []
        self.titles_seen: set[str] = set()
        self.title_parts: dict[str, int] = {}

    # -- helpers

    def new(self, qid: str | None = None) -> Entity:
        """A new item, with a revision and a modification time (the sample's clock, not the machine's)."""
        if qid is None:
            qid = f"Q{self.next_qid}"
            self.next_qid += 1
        rng = self.rng
        stamp = datetime(2023, 1, 1) + timedelta(seconds=rng.randrange(3 * 365 * 86400))
        entity = Entity(qid, version=rng.randrange(1000, 99000), modified=stamp.strftime("%Y-%m-%dT%H:%M:%SZ"))
        self.items.append(entity)
        return entity

    @staticmethod
    def labelled(entity: Entity, forms: Sequence[str], langs: Sequence[str] = LANGS) -> None:
        for lang, text in zip(langs, forms, strict=False):
            if text:
                entity.labels[lang] = text

    def date(self, entity: Entity, prop: str, year: int, precision: int, rank: str = "normal",
             month: int | None = None, day: int | None = None) -> None:
        rng = self.rng
        value, node = time_value(year, month or rng.randint(1, 12), day or rng.randint(1, 28), precision)
        entity.add(prop, value, rank, value_node=node)

    # -- the parts, in dependency order

    def build(self) -> tuple[list[Entity], list[Entity], list[Entity]]:
        """Properties, then referenced items, tools and resources; returns (properties, items, resources)."""
        self.properties()
        self.classes()
        self.languages()
        self.topics()
        self.publishers()
        self.licences()
        self.technologies()
        self.people()
        self.events()
        self.tools()
        resources = self.resources()
        self.quirks(resources)
        return self.props, self.items, resources

    def properties(self) -> None:
        for pid, ptype, wikidata, labels in PROPERTIES:
            prop = Entity(pid, ptype=ptype, version=self.rng.randrange(100, 9000), modified="2023-03-14T09:26:53Z")
            self.labelled(prop, labels)
            if wikidata:
                prop.add("P1", literal(wikidata))
            self.props.append(prop)

    def classes(self) -> None:
        self.type_weights = [w for _, w, _, _ in TYPES]
        for qid, _, _, labels in TYPES:
            self.labelled(self.new(qid), labels)
        self.labelled(self.new(CONFERENCE[0]), CONFERENCE[1])
        for qid, wikidata, labels in CLASSES:
            item = self.new(qid)
            self.labelled(item, labels)
            if wikidata:
                item.add("P1", literal(wikidata))

    def languages(self) -> None:
        self.lang_items: dict[str, str] = {}
        self.lang_weights: list[float] = []
        for code, wikidata, weight, labels in LANGUAGES:
            item = self.new()
            item.labels.update(labels)
            item.add("P5", "wd:" + LANGUAGE)
            item.add("P1", literal(wikidata))
            item.add(LANGUAGE_CODE, literal(code))
            self.lang_items[code] = item.id
            self.lang_weights.append(weight)
        self.lang_codes = [code for code, _, _, _ in LANGUAGES]
        self.lang_cum = list(itertools.accumulate(self.lang_weights))

    def topics(self) -> None:
        self.topic_items: list[tuple[str, tuple[str, ...]]] = []
        for wikidata, labels in TOPICS:
            item = self.new()
            self.labelled(item, [_cap(t) if t[:1].islower() else t for t in labels])
            item.add("P5", "wd:" + TOPIC)
            if wikidata:
                item.add("P1", literal(wikidata))
            self.topic_items.append((item.id, labels))

    def publishers(self) -> None:
        self.publisher_items: list[tuple[str, dict[str, str]]] = []
        for labels, affiliate in PUBLISHERS:
            item = self.new()
            item.labels.update(labels)
            if affiliate and self.rng.random() < 0.8:
                for lang, text in zip(LANGS, AFFILIATE_DESCRIPTION, strict=True):
                    if lang == "en" or self.rng.random() < 0.6:
                        item.descriptions[lang] = text
            item.add("P5", "wd:" + ORGANISATION)
            self.publisher_items.append((item.id, labels))

    def licences(self) -> None:
        self.licence_items: list[str] = []
        for wikidata, labels in LICENCES:
            item = self.new()
            item.labels.update(labels)
            item.add("P5", "wd:" + LICENCE_CLASS)
            item.add("P1", literal(wikidata))
            self.licence_items.append(item.id)

    def technologies(self) -> None:
        self.tech_items: list[str] = []
        for wikidata, labels in TECHNOLOGIES:
            item = self.new()
            item.labels.update(labels)
            item.add("P5", "wd:" + PROG_LANG)
            item.add("P1", literal(wikidata))
            self.tech_items.append(item.id)

    def people(self) -> None:
        rng = self.rng
        names = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
        rng.shuffle(names)
        count = min(len(names) // 2, max(40, self.n_resources // 15))
        self.person_items: list[str] = []
        for name in names[:count]:
            item = self.new()
            item.labels["en"] = name
            if rng.random() < 0.6:
                item.labels["mul"] = name
            if rng.random() < 0.5:
                for lang, text in zip(LANGS, PERSON_DESCRIPTION, strict=True):
                    if lang == "en" or rng.random() < 0.4:
                        item.descriptions[lang] = text
            item.add("P5", "wd:" + PERSON)
            self.person_items.append(item.id)
        # Author name strings (P38 with P41 = P19) come from the names no item was made for.
        self.free_names = names[count:]

    def events(self) -> None:
        rng = self.rng
        self.event_items: list[tuple[str, str, int, dict[str, str]]] = []  # (qid, name, year, labels)
        self.sessions: dict[str, list[str]] = {}
        per_event = max(3, self.n_resources // 60)
        for name, year, extra in EVENTS:
            event = self.new()
            event.labels["en"] = name
            event.labels["mul"] = name
            event.labels.update(extra)
            for lang, text in zip(LANGS, CONFERENCE_DESCRIPTION, strict=True):
                if lang == "en" or rng.random() < 0.5:
                    event.descriptions[lang] = text
            event.add("P5", "wd:" + CONFERENCE[0])
            self.date(event, "P18", year, 11)
            self.event_items.append((event.id, name, year, event.labels))
            programme = self.new()
            for lang, form in zip(LANGS, PROGRAMME_LABEL, strict=True):
                programme.labels[lang] = form.format(event=extra.get(lang, name))
            programme.add("P5", "wd:" + PROGRAMME)
            programme.add("P17", "wd:" + event.id)
            self.sessions[event.id] = []
            for n in range(1, per_event + 1):
                session = self.new()
                _, topic = rng.choice(self.topic_items)
                for lang, form, label in zip(LANGS, SESSION_LABEL, topic, strict=True):
                    if lang == "en" or rng.random() < 0.5:
                        session.labels[lang] = form.format(event=extra.get(lang, name), n=n, topic=label)
                session.add("P5", "wd:" + SESSION)
                session.add("P17", "wd:" + programme.id)
                self.sessions[event.id].append(session.id)
        # The deliberate cycle: two sessions part of each other, reaching no event.
        first, second = self.new(), self.new()
        first.labels["en"] = "Lightning talks (unscheduled, part 1)"
        second.labels["en"] = "Lightning talks (unscheduled, part 2)"
        second.labels["sv"] = "Blixtföredrag (utanför schemat, del 2)"
        for a, b in ((first, second), (second, first)):
            a.add("P5", "wd:" + SESSION)
            a.add("P17", "wd:" + b.id)
        self.cycle_session = first.id

    def tools(self) -> list[tuple[str, ToolSpec]]:
        rng = self.rng
        specs = list(TOOLS[: self.n_tools])
        combos = [(p, s) for p in TOOL_PREFIXES for s in TOOL_SUFFIXES]
        rng.shuffle(combos)
        taken = {spec.name for spec in specs}
        round_ = 1
        while len(specs) < self.n_tools:
            for prefix, suffix in combos:
                if len(specs) >= self.n_tools:
                    break
                name = f"{prefix} {suffix}" + (f" {round_}" if round_ > 1 else "")
                if name in taken:
                    continue
                taken.add(name)
                tech = ",".join(rng.sample(["Python", "JavaScript", "PHP", "Java", "TypeScript", "Rust", "Go"],
                                           rng.choice([1, 1, 2])))
                specs.append(_t(name, rng.random() < 0.7, TOOL_SUFFIXES[suffix], tech,
                                rng.choice(list(LICENCE_INDEX))))
            round_ += 1
        self.tool_items: dict[str, list[tuple[str, ToolSpec]]] = {}
        out: list[tuple[str, ToolSpec]] = []
        developers = [qid for qid, _ in self.publisher_items[:5]] + self.person_items[:30]
        ui_langs = [self.lang_items[c] for c in ("en", "sv", "fr", "es", "pt-br", "ar", "de", "uk", "ja", "it")]
        for spec in specs:
            item = self.new()
            r = rng.random()
            if r < 0.01:
                pass  # no label at all
            elif r < 0.02:
                item.labels["mul"] = spec.name
            else:
                item.labels["en"] = spec.name
                if rng.random() < 0.2:
                    item.labels["mul"] = spec.name
                item.labels.update(spec.labels)
            item.aliases += [("en", alias) for alias in spec.aliases]
            if rng.random() < 0.8:
                for lang, text in zip(LANGS, TOOL_CATEGORIES[spec.category], strict=True):
                    if lang in item.labels or (lang == "en" and item.labels) or rng.random() < 0.25:
                        item.descriptions[lang] = text
            item.add("P5", "wd:" + (WEB_APP if spec.web else SOFTWARE))
            slug = _slug(spec.name)
            website = spec.website or (f"https://{slug}{TF}" if spec.web else f"https://{slug}.org/")
            if rng.random() < 0.92:
                item.add(WEBSITE, iri(website))
            repository = spec.repository or rng.choice(
                [f"{GH}wikimedia-tools/{slug}", f"https://gitlab.wikimedia.org/toolforge-repos/{slug}"])
            if rng.random() < 0.85:
                item.add(REPOSITORY, iri(repository))
            if spec.licence and rng.random() < 0.9:
                item.add(LICENSE, "wd:" + self.licence_items[LICENCE_INDEX[spec.licence]])
            for developer in rng.sample(developers, rng.choice([0, 1, 1, 1, 2])):
                item.add(DEVELOPER, "wd:" + developer)
            if rng.random() < 0.9:
                for tech in spec.tech:
                    item.add(TECHNOLOGY, "wd:" + self.tech_items[TECH_INDEX[tech]])
            if rng.random() < 0.75:
                for lang in ui_langs[:1] + rng.sample(ui_langs[1:], rng.randint(0, 6)):
                    item.add("P20", "wd:" + lang)
            if rng.random() < 0.7:
                page = quote(spec.name.replace(" ", "_"), safe="_")
                item.add(USER_DOCS, iri(rng.choice(["https://meta.wikimedia.org/wiki/", "https://www.mediawiki.org/wiki/"])
                                        + page))
            if rng.random() < 0.7:
                tracker = (f"https://phabricator.wikimedia.org/tag/{slug}/" if "github.com" not in repository
                           else repository + "/issues")
                item.add(BUGTRACKER, iri(tracker))
            if rng.random() < 0.6:
                version = (f"{rng.randint(0, 4)}.{rng.randint(0, 12)}.{rng.randint(0, 9)}" if rng.random() < 0.8
                           else f"{rng.randint(2019, 2025)}-{rng.randint(1, 12):02d}")
                item.add(VERSION, literal(version))
            self.tool_items.setdefault(spec.category, []).append((item.id, spec))
            out.append((item.id, spec))
        self.all_tools = out
        return out

    # -- resources

    def _language_of_work(self) -> str:
        return self.rng.choices(self.lang_codes, cum_weights=self.lang_cum)[0]

    def _label_languages(self, work: str) -> list[str]:
        rng = self.rng
        r = rng.random()
        if r < 0.008:
            return ["sv"]
        if r < 0.014:
            return ["mul"]
        if r < 0.02:
            return []
        langs = ["en"]
        for lang, p in (("sv", 0.34), ("fr", 0.16), ("es", 0.16), ("pt-br", 0.08), ("ar", 0.075)):
            if lang == work or (work == "pt" and lang == "pt-br") or rng.random() < p:
                langs.append(lang)
        if rng.random() < 0.05:
            langs.append("mul")
        return langs

    def _choose(self, template: Template, tool: tuple[str, ToolSpec] | None, year: int,
                event: tuple[str, str, int, dict[str, str]] | None) -> _Choice:
        """Pick the building blocks of one title."""
        rng = self.rng
        topic = rng.choice(self.topic_items)
        return _Choice(template, tool, event, year, rng.choice(OBJECTS), rng.choice(DATA_OBJECTS),
                       rng.choice(UN_AGENCIES if template.kind == "un" else INSTITUTIONS), topic[0], topic[1],
                       rng.choice(PROJECTS))

    def resources(self) -> list[Entity]:
        rng = self.rng
        n = self.n_resources
        kinds = [TYPES[i] for i in range(len(TYPES))][: n]
        kinds += [TYPES[i] for i in rng.choices(range(len(TYPES)), weights=self.type_weights, k=n - len(kinds))]
        rng.shuffle(kinds)
        out: list[Entity] = []
        for qid_type, _, group, type_labels in kinds:
            out.append(self.resource(qid_type, group, type_labels))
        return out

    def _template(self, group: str, about_tool: bool | None = None) -> tuple[Template, tuple[str, ToolSpec] | None]:
        """A title template for a type group; about a tool ~27% of the time unless `about_tool` says."""
        rng = self.rng
        if group in ("project", "wikiproject"):
            kind = "projectname" if group == "project" else "wikiproject"
            return next(t for t in TEMPLATES if t.kind == kind), None
        if about_tool is None:
            about_tool = rng.random() < 0.27
        if self.all_tools and about_tool:
            tool = rng.choice(self.all_tools)
            options = _templates(group, "tool") + _templates(group, "tool:" + tool[1].category)
            if options:
                return rng.choice(options), tool
        r = rng.random()
        kind = "event" if r < 0.12 else "project" if r < 0.24 else "un" if r < 0.3 else "topic"
        options = _templates(group, kind) or _templates(group, "topic")
        return rng.choice(options), None

    def resource(self, type_qid: str, group: str, type_labels: tuple[str, ...]) -> Entity:
        rng = self.rng
        item = self.new()
        work = self._language_of_work()
        template, tool = self._template(group)
        event = rng.choice(self.event_items) if template.kind == "event" else None
        year = event[2] + (1 if rng.random() < 0.15 else 0) if event else rng.choice(
            [2012, 2014, 2015, 2016, 2017, 2018, 2018, 2019, 2019, 2020, 2020, 2021, 2021, 2021, 2022, 2022, 2022,
             2023, 2023, 2023, 2024, 2024, 2025])
        for attempt in range(6):
            choice = self._choose(template, tool, year, event)
            title_en = choice.title(0)
            if title_en not in self.titles_seen:
                break
            if attempt >= 2:
                template, tool = self._template(group, tool is not None)
                event = rng.choice(self.event_items) if template.kind == "event" else None
                year = event[2] if event else year
        titles = {lang: choice.title(i) for i, lang in enumerate(LANGS)}
        if titles["en"] in self.titles_seen:
            n = self.title_parts.get(titles["en"], 1) + 1
            self.title_parts[titles["en"]] = n
            titles = {lang: text + PART_SUFFIX[i].format(n=n) for i, (lang, text) in enumerate(titles.items())}
        self.titles_seen.add(titles["en"])
        mul = choice.mul_title()
        for lang in self._label_languages(work):
            if lang == "mul":
                if mul:
                    item.labels["mul"] = mul
            else:
                item.labels[lang] = titles[lang]

        item.add("P5", "wd:" + type_qid)
        # Language of work (~10% without), sometimes two.
        if rng.random() < 0.9:
            item.add("P20", "wd:" + self.lang_items[work])
            if rng.random() < 0.05 and work != "en":
                item.add("P20", "wd:" + self.lang_items["en"])
        title_lang = "pt-br" if work == "pt" else work
        if title_lang in LANGS and rng.random() < 0.55:
            item.add("P8", literal(titles[title_lang], title_lang))
        # Date (~10% without); precision: ~20% year, ~30% month, ~50% day.
        dated = rng.random() < 0.9
        if dated:
            r = rng.random()
            self.date(item, "P18", year, 9 if r < 0.2 else 10 if r < 0.5 else 11)
        # Subjects: the tool, the template's topic, or a random topic.
        if tool:
            item.add("P15", "wd:" + tool[0])
            if rng.random() < 0.2:
                item.add("P15", "wd:" + rng.choice(self.topic_items)[0])
        else:
            if "{topic}" in template.forms[0]:
                item.add("P15", "wd:" + choice.topic_qid)
            elif rng.random() < 0.7:
                item.add("P15", "wd:" + rng.choice(self.topic_items)[0])
        # Publisher (~80%).
        publisher_name = ""
        if rng.random() < 0.8:
            index = rng.choice(PUBLISHER_BY_LANGUAGE.get(work, PUBLISHER_BY_LANGUAGE["en"]))
            qid = self.publisher_items[index][0]
            item.add("P21", "wd:" + qid)
            publisher_name = qid
        # Authors: items, name strings, or both.
        if rng.random() < 0.45:
            for person in rng.sample(self.person_items, rng.choice([1, 1, 1, 2, 2, 3])):
                item.add("P19", "wd:" + person)
        if rng.random() < 0.15 and self.free_names:
            for name in rng.sample(self.free_names, rng.choice([1, 1, 2])):
                item.add("P38", literal(name), qualifiers=[("P41", "wd:" + AUTHOR_ROLE)])
        if event and rng.random() < 0.85:
            item.add("P42", "wd:" + rng.choice(self.sessions[event[0]]))
        elif rng.random() < 0.03:
            item.add("P42", "wd:" + rng.choice(self.sessions[rng.choice(self.event_items)[0]]))
        if rng.random() < 0.15:
            item.add("P1", literal(f"Q{rng.randint(100_000_000, 131_000_000)}"))
        self.links(item, group, type_qid, titles["en"], year)
        self.describe(item, type_labels, publisher_name, year if dated else None, choice)
        return item

    def links(self, item: Entity, group: str, type_qid: str, title: str, year: int) -> None:
        """Links of one resource: about 10% have none."""
        rng = self.rng
        if rng.random() < 0.1:
            return
        slug = _slug(title)
        stem = _filename(title)
        file_stem = f"{stem} ({year})"
        video = type_qid in ("Q21950", "Q45522")
        added = False
        if video or (type_qid == "Q45501" and rng.random() < 0.3):
            if rng.random() < 0.65:
                item.add("P31", _commons(f"{file_stem}.webm"))
                added = True
            if rng.random() < 0.5:
                alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                item.add("P59", literal("".join(rng.choice(alphabet) for _ in range(11))))
                added = True
        if type_qid in ("Q62", "Q29", "Q76", "Q31862", "Q24134", "Q53", "Q44", "Q23367", "Q25288") \
                and rng.random() < 0.6:
            item.add("P22", _commons(f"{file_stem}.pdf"))
            added = True
        if type_qid in ("Q45501", "Q23260") and rng.random() < 0.8:
            item.add("P44", iri(rng.choice([f"https://learn.wiki/course/view.php?id={rng.randint(10, 400)}",
                                             f"https://wikimedia.se/utbildning/{slug}/"])))
            added = True
        if rng.random() < 0.4:
            page = rng.choice([f":wmse:Projekt:GLAM {year}/{stem[:50]}", f":outreach:GLAM/Case studies/{stem[:50]}",
                               f":meta:Capacity building/{stem[:50]}", f":outreach:Education/Resources/{stem[:50]}"])
            item.add("P45", literal(page))
            added = True
        if rng.random() < 0.15:
            section = rng.choice(["Sweden report", "Wikidata", "Tools"])
            item.add("P11", literal(f":outreach:GLAM/Newsletter/{year}/{section}"))
            added = True
        if rng.random() < 0.3 or not added:
            month = rng.randint(1, 12)
            item.add("P12", iri(rng.choice([
                f"https://wikimedia.se/{year}/{month:02d}/{slug}/",
                f"https://diff.wikimedia.org/{year}/{month:02d}/{rng.randint(1, 28):02d}/{slug}/",
                f"https://www.europeana.eu/en/stories/{slug}",
                f"https://blog.wikimedia.de/{year}/{month:02d}/{slug}/",
            ])))

    def describe(self, item: Entity, type_labels: tuple[str, ...], publisher: str, year: int | None,
                 choice: _Choice) -> None:
        """Descriptions (~75% have one) in English and some of the label languages."""
        rng = self.rng
        if rng.random() >= 0.78:
            return
        publisher_labels = next((labels for qid, labels in self.publisher_items if qid == publisher), {})
        for i, lang in enumerate(LANGS):
            if lang not in item.labels or (lang != "en" and rng.random() >= 0.6):
                continue
            forms = DESCRIPTIONS[i]
            pub = publisher_labels.get(lang) or publisher_labels.get("mul") or publisher_labels.get("en", "")
            tool = choice.tool[1] if choice.tool else None
            subject = tool.labels.get(lang, tool.name) if tool else choice.topic[i]
            values = {"type": _lower_type(type_labels[i]), "pub": pub, "de_pub": _de(lang, pub), "year": year,
                      "subject": subject}
            form = forms[0] if pub and year else forms[1] if pub else forms[2] if year else forms[3]
            item.descriptions[lang] = form.format(**values)

    # -- deliberate quirks a reader of Metabase meets

    def quirks(self, resources: list[Entity]) -> None:
        """Bad and unusual values: each on its own resource, when there are enough resources."""
        rng = self.rng
        picks = rng.sample(resources, min(len(resources), 9))
        fixes = [self._ftp, self._javascript, self._unknown_author, self._duplicate, self._dangling,
                 self._two_ranks, self._preferred_publisher, self._cycle_session, self._quoted_title]
        for resource, fix in zip(picks, fixes, strict=False):
            fix(resource)

    def _ftp(self, item: Entity) -> None:
        item.add("P12", iri("ftp://ftp.example.org/pub/glam/guide.pdf"))

    def _javascript(self, item: Entity) -> None:
        item.add("P12", "<javascript:alert(1)>")

    def _unknown_author(self, item: Entity) -> None:
        item.add("P19", "_:unknown" + hashlib.md5(item.id.encode()).hexdigest()[:12])

    def _duplicate(self, item: Entity) -> None:
        item.statements = [s for s in item.statements if s.prop != "P20"]
        item.add("P20", "wd:" + self.lang_items["en"])
        item.add("P20", "wd:" + self.lang_items["en"])

    def _dangling(self, item: Entity) -> None:
        item.statements = [s for s in item.statements if s.prop != "P21"]
        item.add("P21", "wd:" + DANGLING_PUBLISHER)

    def _two_ranks(self, item: Entity) -> None:
        item.statements = [s for s in item.statements if s.prop != "P18"]
        self.date(item, "P18", 1919, 11, "deprecated", 3, 14)
        self.date(item, "P18", 2019, 11, "normal", 3, 14)

    def _preferred_publisher(self, item: Entity) -> None:
        item.statements = [s for s in item.statements if s.prop != "P21"]
        item.add("P21", "wd:" + self.publisher_items[4][0])
        item.add("P21", "wd:" + self.publisher_items[0][0], rank="preferred")

    def _cycle_session(self, item: Entity) -> None:
        item.statements = [s for s in item.statements if s.prop != "P42"]
        item.add("P42", "wd:" + self.cycle_session)

    def _quoted_title(self, item: Entity) -> None:
        """Quotes, braces, angle brackets, an ampersand and a backslash: escaping must hold everywhere."""
        item.labels = {
            "en": 'Pattypan\'s "spreadsheet" explained: {{Information}}, <ref> tags & C:\\Uploads paths',
            "sv": 'Pattypans "kalkylark" förklarat: {{Information}}, <ref>-taggar & C:\\Uploads-sökvägar',
        }
        item.statements = [s for s in item.statements if s.prop not in ("P8", "P15")]
        pattypan = next((qid for qid, spec in self.all_tools if spec.name == "Pattypan"), None)
        if pattypan:
            item.add("P15", "wd:" + pattypan)


# ---------------------------------------------------------------------------------------------------------
# Writing


def _header(command: str, resources: int, tools: int, seed: int) -> str:
    return (
        "# SAMPLE DATA generated by hubkb for tests and demos. This is NOT Metabase's data.\n"
        "# It imitates the shape of the Wikibase RDF of Metabase (https://metabase.wikibase.cloud), but the\n"
        "# resources, titles, people, sessions and statements are invented; organisation and tool names are\n"
        "# real-world names used only to make the sample read plausibly.\n"
        f"# {resources} resources, {tools} tools, seed {seed}. Regenerated with:\n"
        f"#   {command}\n"
    )


def render(resources: int = 320, tools: int = 64, seed: int = 0, fmt: str = "ttl",
           command: str | None = None) -> tuple[str, SampleStats]:
    """The whole snapshot as text (`ttl` or `nt`) and its counts."""
    if resources < 0 or tools < 0:
        raise HubkbError(f"sample: resources and tools must not be negative (got {resources}, {tools})")
    builder = _Builder(resources, tools, seed)
    props, items, _ = builder.build()
    command = command or f"hubkb sample --resources {resources} --tools {tools} --seed {seed} --out FILE"
    parts = [_header(command, resources, tools, seed)]
    if fmt == "ttl":
        parts += [f"@prefix {name}: <{base}> .\n" for name, base in PREFIXES.items() if name != "rdf"]
        parts.append("\n")
        emit = _turtle
    elif fmt == "nt":
        emit = _ntriples
    else:
        raise HubkbError(f"sample: unknown format {fmt!r}: expected ttl or nt")
    statement_ids = random.Random(f"{seed}/statements")
    seen_values: set[str] = set()
    triples = 0
    entities = sorted(props, key=lambda e: int(e.id[1:])) + sorted(items, key=lambda e: int(e.id[1:]))
    for entity in entities:
        for block in _blocks(entity, statement_ids, seen_values):
            triples += len(block[1])
            parts.append(emit(block))
    stats = SampleStats(resources=resources, tools=tools, entities=len(entities), triples=triples)
    return "".join(parts), stats


def write_sample(out: Path, resources: int = 320, tools: int = 64, seed: int = 0, *,
                 command: str | None = None) -> SampleStats:
    """Write a sample snapshot: `.ttl` Turtle or `.nt` N-Triples, gzipped when the name ends in `.gz`.

    `command` is the regeneration command quoted in the header (by default the `hubkb sample` call).
    """
    out = Path(out)
    name = out.name.removesuffix(".gz")
    if name.endswith(".ttl"):
        fmt = "ttl"
    elif name.endswith(".nt"):
        fmt = "nt"
    else:
        raise HubkbError(f"{out}: expected a .ttl or .nt file name, optionally with .gz")
    if command is None:
        command = f"hubkb sample --resources {resources} --tools {tools} --seed {seed} --out {out.name}"
    text, stats = render(resources, tools, seed, fmt, command)
    data = text.encode("utf-8")
    if out.name.endswith(".gz"):
        data = gzip.compress(data, compresslevel=6, mtime=0)
    write_atomic(out, data)
    log.info("wrote %s: %d resources, %d tools, %d entities, %d triples", out, stats.resources, stats.tools,
             stats.entities, stats.triples)
    return stats


def bundled_path() -> Path:
    """Where the bundled sample snapshot lives in the package."""
    return Path(__file__).resolve().parent / "data" / BUNDLED_NAME


def regenerate_bundled() -> SampleStats:
    """Rewrite generator/data/sample-snapshot.ttl.gz with the defaults (320 resources, 64 tools, seed 0)."""
    return write_sample(bundled_path(), command=BUNDLED_COMMAND)
