"""Tests for typed relations: the Wikidata-aligned inventory, type-driven choice, values and inference."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib.namespace import OWL, RDF, RDFS

from kgbuild.extract.types import Argument, Extraction, Mention, TextSpan, Triple
from kgbuild.graph import article_quads
from kgbuild.normalize import Fact, Value, normalize
from kgbuild.ontology import load_ontology
from kgbuild.sources import make_article
from kgbuild.vocab import DEFAULT_BASE_IRI, KGO, WDT, XSD

ENTITY = DEFAULT_BASE_IRI + "entity/"


@pytest.fixture(scope="module")
def ontology():
    return load_ontology()


def span(text: str, phrase: str, head: str = "", label: str = "") -> TextSpan:
    start = text.index(phrase)
    return TextSpan(phrase, start, start + len(phrase), head or phrase.split()[-1], label)


def facts_of(text: str, *triples: tuple, mentions: tuple[Mention, ...] = ()) -> tuple[Fact, ...]:
    """Normalize triples given as (subject span, relation text, lemma, object span, arguments, pattern)."""
    built = []
    for subject, relation, lemma, obj, arguments, pattern in triples:
        built.append(Triple(subject, span(text, relation), lemma, obj, TextSpan(text, 0, len(text)), 0.9,
                            arguments, pattern=pattern))
    return tuple(normalize(Extraction(make_article(text), 1, tuple(built), mentions), load_ontology()))


def stated(facts: tuple[Fact, ...]) -> set[tuple[str, str, str]]:
    """Return (subject label, property local name, object label or literal) of each fact."""
    return {(f.subject.label, f.predicate.iri.rsplit("#", 1)[-1],
             f.object.text if isinstance(f.object, Value) else f.object.label) for f in facts}


def test_the_inventory_is_aligned_with_wikidata(ontology) -> None:
    aligned = {p for p, w in ontology.wikidata.items() if w.startswith(str(WDT))}
    assert len(aligned) >= 40
    for prop in aligned:
        assert ontology.property_labels[prop] != prop
        for end in (ontology.domains.get(prop), ontology.ranges.get(prop)):
            assert end is None or end in ontology.class_labels or ontology.is_datatype(end), (prop, end)
    assert ontology.wikidata[str(KGO.citizenship)] == str(WDT.P27)
    assert str(KGO.chiefExecutiveOfficer) in ontology.inverses[str(KGO.isCEOOf)]
    assert ontology.datatypes[str(KGO.Date)] == {str(XSD.date), str(XSD.gYearMonth), str(XSD.gYear)}


def test_one_trigger_gives_candidates_that_types_choose_between(ontology) -> None:
    candidates = {m.property for m in ontology.match_candidates("be bear in")}
    assert candidates == {str(KGO.placeOfBirth), str(KGO.dateOfBirth)}


@pytest.mark.parametrize(("place", "label", "expected"), [
    ("1963", "DATE", ("Willi Schneider", "dateOfBirth", "1963")),
    ("Paris", "GPE", ("Willi Schneider", "placeOfBirth", "Paris")),
])
def test_born_in_a_year_is_a_date_of_birth_and_in_a_place_a_place_of_birth(place: str, label: str,
                                                                            expected: tuple[str, str, str]) -> None:
    text = f"Willi Schneider was born in {place}."
    facts = facts_of(text, (span(text, "Willi Schneider", "Schneider", "PERSON"), "was born in", "bear in",
                            span(text, place, place, label), (), "passive"))
    assert stated(facts) == {expected}
    if label == "DATE":
        assert facts[0].object == Value("1963", str(XSD.gYear))


def test_a_date_argument_gives_the_date_property_of_the_relation() -> None:
    text = "Ross Alger was born in Prelate on August 20, 1920."
    facts = facts_of(text, (span(text, "Ross Alger", "Alger", "PERSON"), "was born in", "bear in",
                            span(text, "Prelate", "Prelate", "GPE"),
                            (Argument(span(text, "August 20, 1920", "August", "DATE"), "on"),), "passive"))
    assert ("Ross Alger", "dateOfBirth", "1920-08-20") in stated(facts)
    assert ("Ross Alger", "placeOfBirth", "Prelate") in stated(facts)


def test_a_mismatch_is_rejected_and_kept_as_a_readable_open_relation() -> None:
    text = "The idea was born in the kitchen."
    (fact,) = facts_of(text, (span(text, "The idea", "idea"), "was born in", "bear in",
                              span(text, "the kitchen", "kitchen"), (), "passive"))
    assert fact.predicate.open and fact.predicate.label == "born in"
    assert fact.predicate.iri == DEFAULT_BASE_IRI + "relation/be_bear_in"


def test_open_relations_are_named_as_written_without_auxiliaries() -> None:
    text = "The market was buoyed by demand."
    (fact,) = facts_of(text, (span(text, "The market", "market"), "was buoyed by", "buoy by",
                              span(text, "demand", "demand"), (), "passive"))
    assert fact.predicate.label == "buoyed by"


def test_a_title_gives_the_employer_and_the_head_of_the_organization() -> None:
    # The nominal extractor reads "Nvidia CEO Jensen Huang" as (Jensen Huang, "be ceo of", Nvidia).
    text = "Nvidia CEO Jensen Huang spoke."
    facts = facts_of(text, (span(text, "Jensen Huang", "Huang", "PERSON"), "CEO", "be ceo of",
                            span(text, "Nvidia", "Nvidia", "ORG"), (), "title"))
    assert stated(facts) == {("Jensen Huang", "isCEOOf", "Nvidia"), ("Jensen Huang", "employer", "Nvidia"),
                             ("Nvidia", "chiefExecutiveOfficer", "Jensen Huang")}


@pytest.mark.parametrize(("country", "expected"), [("France", "headOfState"), ("Acme Corp", "chairperson")])
def test_the_object_type_chooses_between_head_of_state_and_chairperson(country: str, expected: str) -> None:
    text = f"Emmanuel Macron is the president of {country}."
    facts = facts_of(text, (span(text, "Emmanuel Macron", "Macron", "PERSON"), "is", "be",
                            span(text, f"the president of {country}", "president"), (), "copula"),
                     mentions=(Mention(span(text, country, country.split()[-1], "ORG" if "Corp" in country else "GPE"),
                                       "ORG" if "Corp" in country else "GPE"),))
    assert (country, expected, "Emmanuel Macron") in stated(facts)


def test_spouse_is_symmetric() -> None:
    text = "Mary Jones married John Smith."
    facts = facts_of(text, (span(text, "Mary Jones", "Jones", "PERSON"), "married", "marry",
                            span(text, "John Smith", "Smith", "PERSON"), (), "svo"))
    assert stated(facts) == {("Mary Jones", "spouse", "John Smith"), ("John Smith", "spouse", "Mary Jones")}


def test_place_chains_give_the_country_and_the_contained_area() -> None:
    text = "Calgary is in Alberta Province. Alberta Province is in Canada."
    second = text.index("Alberta Province is")
    facts = facts_of(text, (span(text, "Calgary", "Calgary", "GPE"), "is in", "be in",
                            span(text, "Alberta Province", "Province", "GPE"), (), "copula"),
                     (TextSpan("Alberta Province", second, second + 16, "Province", "GPE"), "is in Canada", "be in",
                      span(text, "Canada", "Canada", "GPE"), (), "copula"))
    found = stated(facts)
    assert {("Calgary", "locatedInAdministrativeArea", "Alberta Province"),
            ("Alberta Province", "country", "Canada"), ("Calgary", "country", "Canada"),
            ("Calgary", "locatedInAdministrativeArea", "Canada"),
            ("Canada", "containsAdministrativeArea", "Alberta Province")} <= found
    # Only administrative areas are "contained"; a city is located in one.
    assert not [f for f in found if f[1] == "containsAdministrativeArea" and f[2] == "Calgary"]
    inferred = [f for f in facts if f.evidence.pattern == "inference"]
    assert inferred and all(f.evidence.confidence < 0.9 for f in inferred)


def test_an_article_that_names_one_country_places_its_places_there() -> None:
    text = "Prelate is a small village. The Canadian team trained in Prelate."
    mentions = (Mention(span(text, "Prelate", "Prelate", "GPE"), "GPE"),
                Mention(span(text, "Canadian", "Canadian", "NORP"), "NORP"))
    facts = facts_of(text, (span(text, "Prelate", "Prelate", "GPE"), "is", "be",
                            span(text, "a small village", "village"), (), "copula"), mentions=mentions)
    (country,) = [f for f in facts if f.predicate.iri == str(KGO.country)]
    assert (country.subject.label, country.object.label) == ("Prelate", "Canada")
    assert country.evidence.pattern == "document country" and country.evidence.confidence == 0.5


def test_two_countries_leave_places_unplaced() -> None:
    text = "Prelate is a small village. The Canadian team trained in France."
    mentions = (Mention(span(text, "Prelate", "Prelate", "GPE"), "GPE"),
                Mention(span(text, "Canadian", "Canadian", "NORP"), "NORP"),
                Mention(span(text, "France", "France", "GPE"), "GPE"))
    facts = facts_of(text, (span(text, "Prelate", "Prelate", "GPE"), "is", "be",
                            span(text, "a small village", "village"), (), "copula"), mentions=mentions)
    assert not [f for f in facts if f.predicate.iri == str(KGO.country)]


def test_an_amount_before_a_name_is_a_value_of_the_thing() -> None:
    text = "The U.S. is pursuing the $500 billion Project Stargate."
    mentions = (Mention(span(text, "$500 billion", "billion", "MONEY"), "MONEY"),
                Mention(span(text, "Project Stargate", "Stargate", "ORG"), "ORG"))
    facts = facts_of(text, (span(text, "The U.S.", "U.S.", "GPE"), "is pursuing", "pursue",
                            span(text, "the $500 billion Project Stargate", "Stargate"), (), "svo"),
                     mentions=mentions)
    (cost,) = [f for f in facts if f.predicate.iri == str(KGO.cost)]
    assert cost.subject.label == "Project Stargate"
    assert cost.object == Value("500000000000", str(XSD.decimal))
    assert {(q.property, q.value) for q in cost.qualifiers} >= {(str(KGO.currency), Value("USD"))}


def test_a_value_object_is_a_typed_literal_in_the_graph(ontology) -> None:
    text = "Willi Schneider was born in 1963."
    extraction = Extraction(make_article(text), 1, (
        Triple(span(text, "Willi Schneider", "Schneider", "PERSON"), span(text, "was born in"), "bear in",
               span(text, "1963", "1963", "DATE"), TextSpan(text, 0, len(text)), 0.9, pattern="passive"),))
    facts = normalize(extraction, ontology)
    quads = article_quads(extraction.article, facts, ontology)
    year = ox.Literal("1963", datatype=ox.NamedNode(str(XSD.gYear)))
    person = ox.NamedNode(ENTITY + "Willi_Schneider")
    assert any(q.subject == person and q.predicate == ox.NamedNode(str(KGO.dateOfBirth)) and q.object == year
               for q in quads)
    assert any(q.predicate == ox.NamedNode(str(RDF.object)) and q.object == year for q in quads)
    assert not any(q.subject == year for q in quads)
    assert str(OWL.equivalentProperty) and str(RDFS.label)


def test_a_country_s_person_is_its_citizen() -> None:
    # The nominal extractor reads "Norway's Ingrid Dahl" as (Norway, "have", Ingrid Dahl).
    text = "Norway's Ingrid Dahl won the race."
    facts = facts_of(text, (span(text, "Norway", "Norway", "GPE"), "'s", "have",
                            span(text, "Ingrid Dahl", "Dahl", "PERSON"), (), "possessive"))
    assert stated(facts) == {("Ingrid Dahl", "citizenship", "Norway")}


def test_the_parent_of_an_organization_is_its_parent_organization_and_of_a_person_its_child() -> None:
    text = "Halvard Holdings, the parent of Fjord Air, grew."
    facts = facts_of(text, (span(text, "Halvard Holdings", "Holdings", "ORG"), "parent of", "be parent of",
                            span(text, "Fjord Air", "Air", "ORG"), (), "apposition"))
    assert ("Fjord Air", "parentOrganization", "Halvard Holdings") in stated(facts)
    assert ("Halvard Holdings", "subsidiary", "Fjord Air") in stated(facts)
    assert not any(p == "child" for _, p, _ in stated(facts))
    text = "Ann Berg, the parent of Tom Berg, spoke."
    facts = facts_of(text, (span(text, "Ann Berg", "Berg", "PERSON"), "parent of", "be parent of",
                            span(text, "Tom Berg", "Berg", "PERSON"), (), "apposition"))
    assert ("Ann Berg", "child", "Tom Berg") in stated(facts)


def test_communes_townships_and_hamlets_are_places(ontology) -> None:
    assert ontology.class_for_head("comune") == str(KGO.AdministrativeArea)
    assert ontology.class_for_head("township") == str(KGO.AdministrativeArea)
    assert ontology.class_for_head("hamlet") == str(KGO.City)
    assert {m.property for m in ontology.match_candidates("be commune in")} >= {str(KGO.locatedInAdministrativeArea)}


def test_a_word_that_dates_a_title_after_a_copula_is_left_out_of_the_relation() -> None:
    text = "Lars Moen is the former chief executive of Fjordkraft."
    facts = facts_of(text, (span(text, "Lars Moen", "Moen", "PERSON"), "is", "be",
                            TextSpan("the former chief executive of Fjordkraft", text.index("the former"), len(text) - 1,
                                     "executive", ""), (), "copula"),
                     mentions=(Mention(span(text, "Fjordkraft", "Fjordkraft", "ORG"), "ORG"),))
    assert ("Lars Moen", "isCEOOf", "Fjordkraft") in stated(facts)
