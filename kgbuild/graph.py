"""Turn one article's facts into RDF quads in that article's named graph (see docs/graph-model.md)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import PurePath

import pyoxigraph as ox
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS

from kgbuild import normalize
from kgbuild.normalize import Entity, EntityMention, Fact, Value
from kgbuild.ontology import Ontology
from kgbuild.sources import Article
from kgbuild.vocab import DEFAULT_BASE_IRI, ITSRDF, KGO, NIF, SCHEMA, XSD, minted_iri


def _node(iri: object) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


RDF_TYPE = _node(RDF.type)
RDF_SUBJECT = _node(RDF.subject)
RDF_PREDICATE = _node(RDF.predicate)
RDF_OBJECT = _node(RDF.object)
RDFS_LABEL = _node(RDFS.label)
RDFS_SUB_PROPERTY_OF = _node(RDFS.subPropertyOf)
SKOS_ALT_LABEL = _node(SKOS.altLabel)
OWL_SAME_AS = _node(OWL.sameAs)
OWL_OBJECT_PROPERTY = _node(OWL.ObjectProperty)
PROV_WAS_DERIVED_FROM = _node(PROV.wasDerivedFrom)
SCHEMA_HEADLINE = _node(SCHEMA.headline)
SCHEMA_URL = _node(SCHEMA.url)
SCHEMA_DATE_PUBLISHED = _node(SCHEMA.datePublished)
KGO_ARTICLE = _node(KGO.Article)
KGO_ASSERTION = _node(KGO.Assertion)
KGO_RELATED_TO = _node(KGO.relatedTo)
KGO_MENTIONED_IN = _node(KGO.mentionedIn)
KGO_HEAD = _node(KGO.head)
KGO_EVIDENCE_TEXT = _node(KGO.evidenceText)
KGO_START_OFFSET = _node(KGO.startOffset)
KGO_END_OFFSET = _node(KGO.endOffset)
KGO_CONFIDENCE = _node(KGO.confidence)
KGO_EXTRACTOR = _node(KGO.extractor)
KGO_EXTRACTION_PATTERN = _node(KGO.extractionPattern)
KGO_RELATION_TEXT = _node(KGO.relationText)
KGO_NEGATED = _node(KGO.negated)
KGO_MODALITY = _node(KGO.modality)
NIF_PHRASE = _node(NIF.Phrase)
NIF_REFERENCE_CONTEXT = _node(NIF.referenceContext)
NIF_BEGIN_INDEX = _node(NIF.beginIndex)
NIF_END_INDEX = _node(NIF.endIndex)
NIF_ANCHOR_OF = _node(NIF.anchorOf)
ITSRDF_TA_IDENT_REF = _node(ITSRDF.taIdentRef)
KGO_STATEMENT = _node(KGO.statement)
XSD_INTEGER = _node(XSD.integer)
XSD_DECIMAL = _node(XSD.decimal)
XSD_BOOLEAN = _node(XSD.boolean)
XSD_DATE = _node(XSD.date)
XSD_DATE_TIME = _node(XSD.dateTime)

#: Ontology statements copied into the output so that a graph explains its own terms.
_DESCRIBING_PREDICATES = frozenset(
    str(p) for p in (RDF.type, RDFS.label, RDFS.comment, RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain,
                     RDFS.range, OWL.equivalentClass, OWL.equivalentProperty, OWL.inverseOf, OWL.versionInfo,
                     SKOS.exactMatch)
)


def article_iri(article_id: str, base_iri: str = DEFAULT_BASE_IRI) -> ox.NamedNode:
    """Return the IRI of an article, which is also the name of its graph."""
    return _node(minted_iri(base_iri, f"article/{article_id}"))


def assertion_iri(fact: Fact, base_iri: str = DEFAULT_BASE_IRI) -> ox.NamedNode:
    """Return the assertion node's IRI: a hash of the article, sentence, relation and terms."""
    return _node(normalize.assertion_iri(fact, base_iri))


def mention_iri(article_id: str, mention: EntityMention, base_iri: str = DEFAULT_BASE_IRI) -> ox.NamedNode:
    """Return the IRI of a mention: the article and the mention's character offsets."""
    return _node(minted_iri(base_iri, f"mention/{article_id}/{mention.start}-{mention.end}"))


def article_quads(
    article: Article, facts: Sequence[Fact], ontology: Ontology, base_iri: str = DEFAULT_BASE_IRI,
    mentions: Sequence[EntityMention] = (),
) -> list[ox.Quad]:
    """Return every quad of an article's named graph: article, entities, their mentions, facts and assertions.

    Of ``mentions`` (see ``normalize.entity_mentions``), those of named entities in the facts are written
    as NIF phrases.
    """
    article_node = article_iri(article.id, base_iri)
    quads: list[ox.Quad] = []

    def add(subject: ox.NamedNode, predicate: ox.NamedNode, obj: ox.NamedNode | ox.Literal) -> None:
        quads.append(ox.Quad(subject, predicate, obj, article_node))

    add(article_node, RDF_TYPE, KGO_ARTICLE)
    add(article_node, RDFS_LABEL, ox.Literal(article_label(article)))
    if article.title:
        add(article_node, SCHEMA_HEADLINE, ox.Literal(article.title))
    if article.url and _is_iri(article.url):
        add(article_node, SCHEMA_URL, ox.NamedNode(article.url))
    if article.published:
        add(article_node, SCHEMA_DATE_PUBLISHED, date_literal(article.published))

    entities: dict[str, list[Entity]] = {}
    for fact in facts:
        for entity in _entities_of(fact):
            entities.setdefault(entity.iri, []).append(entity)
    for iri, versions in sorted(entities.items()):
        _describe_entity(iri, versions, article_node, add)
    for mention in mentions:
        # Named entities only: a concept's label is the phrase as written, and its mentions would
        # add a third to the size of the graph.
        if mention.entity_iri in entities and entities[mention.entity_iri][0].kind == "entity":
            node = mention_iri(article.id, mention, base_iri)
            add(node, RDF_TYPE, NIF_PHRASE)
            add(node, NIF_REFERENCE_CONTEXT, article_node)
            # xsd:integer, not NIF's xsd:nonNegativeInteger: Oxigraph's store and Virtuoso rewrite that
            # to xsd:integer, and a --store build must give the same bytes as a plain one.
            add(node, NIF_BEGIN_INDEX, ox.Literal(str(mention.start), datatype=XSD_INTEGER))
            add(node, NIF_END_INDEX, ox.Literal(str(mention.end), datatype=XSD_INTEGER))
            add(node, NIF_ANCHOR_OF, ox.Literal(mention.text))
            add(node, ITSRDF_TA_IDENT_REF, _node(mention.entity_iri))

    open_relations: dict[str, str] = {}
    for fact in facts:
        subject, predicate = _node(fact.subject.iri), _node(fact.predicate.iri)
        obj = _node(fact.object.iri) if isinstance(fact.object, Entity) else _literal(fact.object)
        if fact.predicate.open:
            open_relations[fact.predicate.iri] = fact.predicate.label
        if fact.asserted:
            add(subject, predicate, obj)
        node = assertion_iri(fact, base_iri)
        evidence = fact.evidence
        add(node, RDF_TYPE, KGO_ASSERTION)
        add(node, RDF_SUBJECT, subject)
        add(node, RDF_PREDICATE, predicate)
        add(node, RDF_OBJECT, obj)
        add(node, PROV_WAS_DERIVED_FROM, article_node)
        add(node, KGO_EVIDENCE_TEXT, ox.Literal(evidence.sentence))
        add(node, KGO_START_OFFSET, ox.Literal(str(evidence.start), datatype=XSD_INTEGER))
        add(node, KGO_END_OFFSET, ox.Literal(str(evidence.end), datatype=XSD_INTEGER))
        add(node, KGO_CONFIDENCE, ox.Literal(decimal_text(evidence.confidence), datatype=XSD_DECIMAL))
        add(node, KGO_EXTRACTOR, ox.Literal(evidence.extractor))
        add(node, KGO_RELATION_TEXT, ox.Literal(evidence.relation_text))
        if evidence.pattern:
            add(node, KGO_EXTRACTION_PATTERN, ox.Literal(evidence.pattern))
        if fact.negated:
            add(node, KGO_NEGATED, ox.Literal("true", datatype=XSD_BOOLEAN))
        if fact.modality:
            add(node, KGO_MODALITY, ox.Literal(fact.modality))
        if fact.statement:
            add(node, KGO_STATEMENT, ox.Literal(fact.statement))
        for qualifier in fact.qualifiers:
            value = qualifier.value
            term = _node(value.iri) if isinstance(value, Entity) else _literal(value)
            add(node, _node(qualifier.property), term)
    for iri, label in sorted(open_relations.items()):
        relation = _node(iri)
        add(relation, RDF_TYPE, OWL_OBJECT_PROPERTY)
        add(relation, RDFS_LABEL, ox.Literal(label))
        add(relation, RDFS_SUB_PROPERTY_OF, KGO_RELATED_TO)
    return sorted(set(quads), key=str)


def _entities_of(fact: Fact) -> Iterable[Entity]:
    yield fact.subject
    # A report's object is the assertion node of the reported fact, described as that assertion.
    if isinstance(fact.object, Entity) and fact.object.kind != "assertion":
        yield fact.object
    for qualifier in fact.qualifiers:
        if isinstance(qualifier.value, Entity):
            yield qualifier.value


def _describe_entity(iri: str, versions: list[Entity], article_node: ox.NamedNode, add) -> None:  # type: ignore[no-untyped-def]
    """Add the type, label, aliases and links of one entity, merged over its mentions in the article."""
    node = _node(iri)
    first = versions[0]
    label = first.label
    add(node, RDFS_LABEL, ox.Literal(label))
    add(node, KGO_MENTIONED_IN, article_node)
    for cls in sorted({c for v in versions for c in v.classes}):
        add(node, RDF_TYPE, _node(cls))
    for alias in sorted({a for v in versions for a in v.aliases} - {label}):
        add(node, SKOS_ALT_LABEL, ox.Literal(alias))
    for same in sorted({s for v in versions for s in v.same_as}):
        add(node, OWL_SAME_AS, _node(same))
    if first.kind == "concept" and first.head:
        add(node, KGO_HEAD, ox.Literal(first.head))


def _literal(value: Value) -> ox.Literal:
    if value.datatype == str(XSD.string):
        return ox.Literal(value.text)
    return ox.Literal(value.text, datatype=_node(value.datatype))


def decimal_text(number: float) -> str:
    """Return a float as a canonical-looking xsd:decimal lexical form with at most 4 decimals."""
    text = format(Decimal(f"{number:.4f}").normalize(), "f")
    return text if "." in text else f"{text}.0"


def date_literal(text: str) -> ox.Literal:
    """Return a publication date as xsd:date or xsd:dateTime when it is ISO 8601, else as text."""
    text = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return ox.Literal(text, datatype=XSD_DATE)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?", text):
        return ox.Literal(text, datatype=XSD_DATE_TIME)
    return ox.Literal(text)


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


def ontology_graph_iri(base_iri: str = DEFAULT_BASE_IRI) -> ox.NamedNode:
    """Return the name of the graph that holds the ontology terms copied into the output."""
    return _node(minted_iri(base_iri, "ontology"))


def ontology_quads(ontology: Ontology, base_iri: str = DEFAULT_BASE_IRI) -> list[ox.Quad]:
    """Return the ontology's own classes and properties (labels, hierarchy, alignments) as quads."""
    graph = ontology_graph_iri(base_iri)
    quads = []
    for triple in ox.parse("\n".join(ontology.ntriples).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES):
        subject = triple.subject
        # Blank nodes (OWL class expressions in a user's file) are left out: their labels are
        # random per parse and would break byte-identical output.
        if (isinstance(subject, ox.NamedNode) and subject.value.startswith(str(KGO).rstrip("#"))
                and triple.predicate.value in _DESCRIBING_PREDICATES
                and not isinstance(triple.object, ox.BlankNode)):
            quads.append(ox.Quad(subject, triple.predicate, triple.object, graph))
    return sorted(set(quads), key=str)


def ntriples_of(quads: Iterable[ox.Quad]) -> bytes:
    """Return the triples of quads as N-Triples, dropping their graph names."""
    return ox.serialize((quad.triple for quad in quads), format=ox.RdfFormat.N_TRIPLES) or b""
