"""Tests for turning facts into the quads of an article's named graph."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS

from kgbuild.extract.types import Argument, Extraction, TextSpan, Triple
from kgbuild.graph import article_iri, article_ntriples, article_quads
from kgbuild.named_graphs import ontology_quads
from kgbuild.normalize import EntityMention, normalize
from kgbuild.ontology import load_ontology
from kgbuild.sources import Article, make_article
from kgbuild.vocab import DEFAULT_BASE_IRI, ITSRDF, KGO, NIF, SCHEMA, WD, XSD

US = ox.NamedNode(DEFAULT_BASE_IRI + "entity/United_States")
CHIPS = ox.NamedNode(DEFAULT_BASE_IRI + "concept/advanced_AI_chips")
CHINA = ox.NamedNode(DEFAULT_BASE_IRI + "entity/China")


def n(term: object) -> ox.NamedNode:
    return ox.NamedNode(str(term))


@pytest.fixture(scope="module")
def ontology():
    return load_ontology()


def sentence_extraction(negated: bool = False, lemma: str = "impose export restriction on") -> Extraction:
    text = "The U.S. has imposed export restrictions on advanced AI chips to China."
    article = Article(**{**make_article(text).__dict__, "title": "Chips", "url": "https://example.org/a",
                         "published": "2025-07-28"})

    def span(phrase: str, head: str = "", label: str = "") -> TextSpan:
        start = text.index(phrase)
        return TextSpan(phrase, start, start + len(phrase), head, label)

    triple = Triple(span("The U.S.", "U.S.", "GPE"), span("has imposed export restrictions on"), lemma,
                    span("advanced AI chips", "chip"), TextSpan(text, 0, len(text)), 0.875,
                    (Argument(span("China", "China", "GPE"), "to"),), negated=negated, pattern="svo")
    return Extraction(article, 1, (triple,))


def store_of(extraction: Extraction, ontology) -> tuple[ox.Store, list[ox.Quad]]:
    facts = normalize(extraction, ontology)
    quads = article_quads(extraction.article, facts, ontology)
    store = ox.Store()
    store.extend(quads)
    return store, quads


def test_asserted_fact_has_plain_triple_and_assertion_node(ontology) -> None:
    extraction = sentence_extraction()
    store, quads = store_of(extraction, ontology)
    graph = article_iri(extraction.article.id)
    assert all(q.graph_name == graph for q in quads)
    assert ox.Quad(US, n(KGO.restricts), CHIPS, graph) in store
    (assertion,) = [q.subject for q in store.quads_for_pattern(None, n(RDF.type), n(KGO.Assertion))]
    values = {q.predicate.value: q.object for q in store.quads_for_pattern(assertion, None, None)}
    assert values[str(RDF.subject)] == US and values[str(RDF.object)] == CHIPS
    assert values[str(RDF.predicate)] == n(KGO.restricts)
    assert values[str(PROV.wasDerivedFrom)] == graph
    assert values[str(KGO.evidenceText)].value.startswith("The U.S. has imposed")
    assert values[str(KGO.confidence)] == ox.Literal("0.875", datatype=n(XSD.decimal))
    assert values[str(KGO.startOffset)] == ox.Literal("0", datatype=n(XSD.integer))
    assert values[str(KGO.recipient)] == CHINA
    assert values[str(KGO.qualifier)] == ox.Literal("export")
    assert values[str(KGO.extractionPattern)] == ox.Literal("svo")


def test_entities_are_described_once_with_type_label_and_wikidata(ontology) -> None:
    store, _ = store_of(sentence_extraction(), ontology)
    assert list(store.quads_for_pattern(US, n(RDFS.label), None))[0].object == ox.Literal("United States")
    assert ox.NamedNode(str(WD.Q30)) in {q.object for q in store.quads_for_pattern(US, n(OWL.sameAs), None)}
    assert n(KGO.Country) in {q.object for q in store.quads_for_pattern(US, n(RDF.type), None)}
    assert ox.Literal("U.S.") in {q.object for q in store.quads_for_pattern(US, n(SKOS.altLabel), None)}
    assert ox.Literal("chip") in {q.object for q in store.quads_for_pattern(CHIPS, n(KGO.head), None)}


def test_article_metadata(ontology) -> None:
    extraction = sentence_extraction()
    store, _ = store_of(extraction, ontology)
    article = article_iri(extraction.article.id)
    values = {q.predicate.value: q.object for q in store.quads_for_pattern(article, None, None)}
    assert values[str(RDF.type)] == n(KGO.Article)
    assert values[str(SCHEMA.headline)] == ox.Literal("Chips")
    assert values[str(SCHEMA.url)] == ox.NamedNode("https://example.org/a")
    assert values[str(SCHEMA.datePublished)] == ox.Literal("2025-07-28", datatype=n(XSD.date))


def test_negated_fact_is_only_an_assertion_node(ontology) -> None:
    store, _ = store_of(sentence_extraction(negated=True), ontology)
    assert not list(store.quads_for_pattern(US, n(KGO.restricts), CHIPS))
    (assertion,) = [q.subject for q in store.quads_for_pattern(None, n(KGO.negated), None)]
    assert list(store.quads_for_pattern(assertion, n(RDF.predicate), n(KGO.restricts)))


def test_open_relation_is_declared(ontology) -> None:
    store, _ = store_of(sentence_extraction(lemma="wave flag at"), ontology)
    relation = ox.NamedNode(DEFAULT_BASE_IRI + "relation/wave_flag_at")
    assert list(store.quads_for_pattern(US, relation, CHIPS))
    assert list(store.quads_for_pattern(relation, n(RDFS.subPropertyOf), n(KGO.relatedTo)))
    # Named as written, without the auxiliary; the IRI comes from the lemmas.
    assert list(store.quads_for_pattern(relation, n(RDFS.label), ox.Literal("imposed export restrictions on")))


def test_quads_are_sorted_and_deterministic(ontology) -> None:
    _, first = store_of(sentence_extraction(), ontology)
    _, second = store_of(sentence_extraction(), ontology)
    assert first == second == sorted(first, key=str)


def test_ontology_quads_describe_terms_but_not_triggers(ontology) -> None:
    quads = ontology_quads(ontology)
    predicates = {q.predicate.value for q in quads}
    assert str(RDFS.subClassOf) in predicates and str(KGO.trigger) not in predicates
    assert ox.Quad(n(KGO.Company), n(RDFS.subClassOf), n(KGO.Organization), quads[0].graph_name) in quads


def test_ontology_quads_leave_out_blank_nodes(tmp_path) -> None:
    extra = tmp_path / "extra.ttl"
    extra.write_text(
        "@prefix kgo: <https://w3id.org/kgbuild/ontology#> .\n"
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "kgo:Vessel a owl:Class ; rdfs:label \"vessel\" ; rdfs:subClassOf [ owl:unionOf (kgo:Product kgo:Place) ] .\n",
        encoding="utf-8",
    )
    quads = ontology_quads(load_ontology([extra]))
    vessel = [q for q in quads if q.subject == n(KGO.Vessel)]
    assert ox.Literal("vessel") in {q.object for q in vessel}
    assert not any(isinstance(q.object, ox.BlankNode) for q in quads)


def test_mentions_of_the_facts_nodes_are_nif_phrases(ontology) -> None:
    extraction = sentence_extraction()
    text = extraction.article.text
    facts = normalize(extraction, ontology)
    mentions = (EntityMention(US.value, 4, 8, "U.S."), EntityMention(CHINA.value, 65, 70, "China"),
                EntityMention(DEFAULT_BASE_IRI + "entity/Elsewhere", 0, 3, "The"),
                EntityMention(CHIPS.value, 44, 61, "advanced AI chips"))
    assert text[44:61] == "advanced AI chips"
    assert text[65:70] == "China"
    store = ox.Store()
    store.extend(article_quads(extraction.article, facts, ontology, mentions=mentions))
    graph = article_iri(extraction.article.id)
    phrases = sorted(q.subject.value for q in store.quads_for_pattern(None, n(RDF.type), n(NIF.Phrase)))
    # Only named entities that appear in the article's facts get their mentions written.
    assert phrases == [f"{DEFAULT_BASE_IRI}mention/{extraction.article.id}/{s}-{e}" for s, e in ((4, 8), (65, 70))]
    china = ox.NamedNode(phrases[1])
    values = {q.predicate.value: q.object for q in store.quads_for_pattern(china, None, None, graph)}
    # xsd:integer as kgo:startOffset: Oxigraph's store rewrites NIF's xsd:nonNegativeInteger to it.
    integer = n(XSD.integer)
    assert values == {
        str(RDF.type): n(NIF.Phrase),
        str(NIF.referenceContext): graph,
        str(NIF.beginIndex): ox.Literal("65", datatype=integer),
        str(NIF.endIndex): ox.Literal("70", datatype=integer),
        str(NIF.anchorOf): ox.Literal("China"),
        str(ITSRDF.taIdentRef): CHINA,
    }


def test_ntriples_are_written_as_pyoxigraph_writes_them(ontology) -> None:
    """The article's lines are made as text; they must be the bytes pyoxigraph's serializer gives."""
    extraction = sentence_extraction()
    awkward = 'Chips\t"quoted" \\ back\x7f\x01\u2028 \u00e9\U0001F600\nsecond line\r'
    article = Article(**{**extraction.article.__dict__, "title": awkward, "published": "2025-07-28T10:00:00Z"})
    lines = article_ntriples(article, normalize(extraction, ontology), ontology)
    triples = list(ox.parse(lines, format=ox.RdfFormat.N_TRIPLES))
    assert ox.serialize(sorted(triples, key=str), format=ox.RdfFormat.N_TRIPLES) == lines
    assert ox.Literal(awkward) in {t.object for t in triples}
    assert ox.Literal("2025-07-28T10:00:00Z", datatype=n(XSD.dateTime)) in {t.object for t in triples}
