"""Turn one article's facts into RDF quads in that article's named graph (see docs/graph-model.md)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from pathlib import PurePath

import pyoxigraph as ox
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS

from kgbuild import normalize
from kgbuild.normalize import Entity, EntityMention, Fact, Value
from kgbuild.named_graphs import article_iri
from kgbuild.ontology import Ontology
from kgbuild.sources import Article
from kgbuild.vocab import DEFAULT_BASE_IRI, ITSRDF, KGO, NIF, SCHEMA, XSD, minted_iri


def _node(iri: object) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


def _term(iri: object) -> str:
    """Return an IRI as an N-Triples term, checked once by pyoxigraph: ``<iri>``."""
    return str(_node(iri))


# The terms an article's graph uses, written as N-Triples terms.
RDF_TYPE = _term(RDF.type)
RDF_SUBJECT = _term(RDF.subject)
RDF_PREDICATE = _term(RDF.predicate)
RDF_OBJECT = _term(RDF.object)
RDFS_LABEL = _term(RDFS.label)
RDFS_SUB_PROPERTY_OF = _term(RDFS.subPropertyOf)
SKOS_ALT_LABEL = _term(SKOS.altLabel)
OWL_SAME_AS = _term(OWL.sameAs)
OWL_OBJECT_PROPERTY = _term(OWL.ObjectProperty)
PROV_WAS_DERIVED_FROM = _term(PROV.wasDerivedFrom)
SCHEMA_HEADLINE = _term(SCHEMA.headline)
SCHEMA_URL = _term(SCHEMA.url)
SCHEMA_DATE_PUBLISHED = _term(SCHEMA.datePublished)
KGO_ARTICLE = _term(KGO.Article)
KGO_ASSERTION = _term(KGO.Assertion)
KGO_RELATED_TO = _term(KGO.relatedTo)
KGO_MENTIONED_IN = _term(KGO.mentionedIn)
KGO_HEAD = _term(KGO.head)
KGO_EVIDENCE_TEXT = _term(KGO.evidenceText)
KGO_START_OFFSET = _term(KGO.startOffset)
KGO_END_OFFSET = _term(KGO.endOffset)
KGO_CONFIDENCE = _term(KGO.confidence)
KGO_EXTRACTOR = _term(KGO.extractor)
KGO_EXTRACTION_PATTERN = _term(KGO.extractionPattern)
KGO_RELATION_TEXT = _term(KGO.relationText)
KGO_NEGATED = _term(KGO.negated)
KGO_MODALITY = _term(KGO.modality)
NIF_PHRASE = _term(NIF.Phrase)
NIF_REFERENCE_CONTEXT = _term(NIF.referenceContext)
NIF_BEGIN_INDEX = _term(NIF.beginIndex)
NIF_END_INDEX = _term(NIF.endIndex)
NIF_ANCHOR_OF = _term(NIF.anchorOf)
ITSRDF_TA_IDENT_REF = _term(ITSRDF.taIdentRef)
KGO_STATEMENT = _term(KGO.statement)
XSD_INTEGER = _term(XSD.integer)
XSD_DECIMAL = _term(XSD.decimal)
XSD_BOOLEAN = _term(XSD.boolean)
XSD_DATE = _term(XSD.date)
XSD_DATE_TIME = _term(XSD.dateTime)

def article_quads(
    article: Article, facts: Sequence[Fact], ontology: Ontology, base_iri: str = DEFAULT_BASE_IRI,
    mentions: Sequence[EntityMention] = (),
) -> list[ox.Quad]:
    """Return every quad of an article's named graph, sorted: the triples of ``article_ntriples`` in its graph."""
    graph = article_iri(article.id, base_iri)
    triples = ox.parse(article_ntriples(article, facts, ontology, base_iri, mentions),
                       format=ox.RdfFormat.N_TRIPLES)
    return [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples]


def article_ntriples(
    article: Article, facts: Sequence[Fact], ontology: Ontology, base_iri: str = DEFAULT_BASE_IRI,
    mentions: Sequence[EntityMention] = (),
) -> bytes:
    """Return the triples of an article's named graph as sorted, distinct N-Triples lines.

    They describe the article, its entities and their mentions, the facts and their assertions.
    Of ``mentions`` (see ``normalize.entity_mentions``), those of named entities in the facts are
    written as NIF phrases. The lines are written as text, as pyoxigraph's serializer writes them,
    without making a term object for each: this runs for every article of a build.
    """
    article_node = _iri(article_iri(article.id, base_iri).value)
    lines: list[str] = []
    add = lines.append

    add(f"{article_node} {RDF_TYPE} {KGO_ARTICLE} .\n")
    add(f"{article_node} {RDFS_LABEL} {_plain(article_label(article))} .\n")
    if article.title:
        add(f"{article_node} {SCHEMA_HEADLINE} {_plain(article.title)} .\n")
    if article.url and _is_iri(article.url):
        add(f"{article_node} {SCHEMA_URL} {_iri(article.url)} .\n")
    if article.published:
        add(f"{article_node} {SCHEMA_DATE_PUBLISHED} {date_literal(article.published)} .\n")

    entities: dict[str, list[Entity]] = {}
    for fact in facts:
        for entity in _entities_of(fact):
            entities.setdefault(entity.iri, []).append(entity)
    for iri, versions in sorted(entities.items()):
        _describe_entity(iri, versions, article_node, add)
    mention_base = minted_iri(base_iri, f"mention/{article.id}/")
    for mention in mentions:
        # Named entities only: a concept's label is the phrase as written, and its mentions would
        # add a third to the size of the graph.
        if mention.entity_iri in entities and entities[mention.entity_iri][0].kind == "entity":
            node = f"<{mention_base}{mention.start}-{mention.end}>"
            add(f"{node} {RDF_TYPE} {NIF_PHRASE} .\n")
            add(f"{node} {NIF_REFERENCE_CONTEXT} {article_node} .\n")
            # xsd:integer, not NIF's xsd:nonNegativeInteger: Oxigraph's store and Virtuoso rewrite that
            # to xsd:integer, and a --store build must give the same bytes as a plain one.
            add(f'{node} {NIF_BEGIN_INDEX} "{mention.start}"^^{XSD_INTEGER} .\n')
            add(f'{node} {NIF_END_INDEX} "{mention.end}"^^{XSD_INTEGER} .\n')
            add(f"{node} {NIF_ANCHOR_OF} {_plain(mention.text)} .\n")
            add(f"{node} {ITSRDF_TA_IDENT_REF} <{mention.entity_iri}> .\n")

    open_relations: dict[str, str] = {}
    for fact in facts:
        subject, predicate = _iri(fact.subject.iri), _iri(fact.predicate.iri)
        obj = _iri(fact.object.iri) if isinstance(fact.object, Entity) else _literal(fact.object)
        if fact.predicate.open:
            open_relations[fact.predicate.iri] = fact.predicate.label
        if fact.asserted:
            add(f"{subject} {predicate} {obj} .\n")
        node = _iri(normalize.assertion_iri(fact, base_iri))
        evidence = fact.evidence
        add(f"{node} {RDF_TYPE} {KGO_ASSERTION} .\n")
        add(f"{node} {RDF_SUBJECT} {subject} .\n")
        add(f"{node} {RDF_PREDICATE} {predicate} .\n")
        add(f"{node} {RDF_OBJECT} {obj} .\n")
        add(f"{node} {PROV_WAS_DERIVED_FROM} {article_node} .\n")
        add(f"{node} {KGO_EVIDENCE_TEXT} {_plain(evidence.sentence)} .\n")
        add(f'{node} {KGO_START_OFFSET} "{evidence.start}"^^{XSD_INTEGER} .\n')
        add(f'{node} {KGO_END_OFFSET} "{evidence.end}"^^{XSD_INTEGER} .\n')
        add(f'{node} {KGO_CONFIDENCE} "{decimal_text(evidence.confidence)}"^^{XSD_DECIMAL} .\n')
        add(f"{node} {KGO_EXTRACTOR} {_plain(evidence.extractor)} .\n")
        add(f"{node} {KGO_RELATION_TEXT} {_plain(evidence.relation_text)} .\n")
        if evidence.pattern:
            add(f"{node} {KGO_EXTRACTION_PATTERN} {_plain(evidence.pattern)} .\n")
        if fact.negated:
            add(f'{node} {KGO_NEGATED} "true"^^{XSD_BOOLEAN} .\n')
        if fact.modality:
            add(f"{node} {KGO_MODALITY} {_plain(fact.modality)} .\n")
        if fact.statement:
            add(f"{node} {KGO_STATEMENT} {_plain(fact.statement)} .\n")
        for qualifier in fact.qualifiers:
            value = qualifier.value
            term = _iri(value.iri) if isinstance(value, Entity) else _literal(value)
            add(f"{node} {_iri(qualifier.property)} {term} .\n")
    for iri, label in sorted(open_relations.items()):
        relation = _iri(iri)
        add(f"{relation} {RDF_TYPE} {OWL_OBJECT_PROPERTY} .\n")
        add(f"{relation} {RDFS_LABEL} {_plain(label)} .\n")
        add(f"{relation} {RDFS_SUB_PROPERTY_OF} {KGO_RELATED_TO} .\n")
    return "".join(sorted(set(lines))).encode("utf-8")


def _entities_of(fact: Fact) -> Iterable[Entity]:
    yield fact.subject
    # A report's object is the assertion node of the reported fact, described as that assertion.
    if isinstance(fact.object, Entity) and fact.object.kind != "assertion":
        yield fact.object
    for qualifier in fact.qualifiers:
        if isinstance(qualifier.value, Entity):
            yield qualifier.value


def _describe_entity(iri: str, versions: list[Entity], article_node: str, add: Callable[[str], None]) -> None:
    """Add the type, label, aliases and links of one entity, merged over its mentions in the article."""
    node = _iri(iri)
    first = versions[0]
    label = first.label
    add(f"{node} {RDFS_LABEL} {_plain(label)} .\n")
    add(f"{node} {KGO_MENTIONED_IN} {article_node} .\n")
    for cls in sorted({c for v in versions for c in v.classes}):
        add(f"{node} {RDF_TYPE} {_iri(cls)} .\n")
    for alias in sorted({a for v in versions for a in v.aliases} - {label}):
        add(f"{node} {SKOS_ALT_LABEL} {_plain(alias)} .\n")
    for same in sorted({s for v in versions for s in v.same_as}):
        add(f"{node} {OWL_SAME_AS} {_iri(same)} .\n")
    if first.kind == "concept" and first.head:
        add(f"{node} {KGO_HEAD} {_plain(first.head)} .\n")


def _iri(iri: str) -> str:
    """Write an IRI as an N-Triples term; kgbuild's IRIs are made IRI-safe where they are minted."""
    return f"<{iri}>"


#: What pyoxigraph escapes in a literal's text: quotes, backslashes and control characters.
_ESCAPES = {code: f"\\u{code:04X}" for code in (*range(0x20), 0x7F)} | {
    ord("\b"): "\\b", ord("\t"): "\\t", ord("\n"): "\\n", ord("\f"): "\\f", ord("\r"): "\\r",
    ord('"'): '\\"', ord("\\"): "\\\\"}
_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f"\\\x7f]')


def _plain(text: str) -> str:
    """Write a plain (xsd:string) literal as an N-Triples term, escaped as pyoxigraph escapes it."""
    if _NEEDS_ESCAPE.search(text):
        text = text.translate(_ESCAPES)
    return f'"{text}"'


def _literal(value: Value) -> str:
    if value.datatype == _XSD_STRING:
        return _plain(value.text)
    return f"{_plain(value.text)}^^<{value.datatype}>"


_XSD_STRING = str(XSD.string)


def decimal_text(number: float) -> str:
    """Return a float as a canonical-looking xsd:decimal lexical form with at most 4 decimals."""
    text = format(Decimal(f"{number:.4f}").normalize(), "f")
    return text if "." in text else f"{text}.0"


def date_literal(text: str) -> str:
    """Return a publication date as an xsd:date or xsd:dateTime term when it is ISO 8601, else as text."""
    text = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return f"{_plain(text)}^^{XSD_DATE}"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?", text):
        return f"{_plain(text)}^^{XSD_DATE_TIME}"
    return _plain(text)


def article_label(article: Article) -> str:
    """Return a readable label for an article: its title, else its file name, else its id."""
    if article.title:
        return article.title
    if article.path:
        return PurePath(article.path.split(":")[0]).name or article.id
    return article.id


def _is_iri(text: str) -> bool:
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$", text):
        return False
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True
