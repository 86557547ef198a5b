"""The world's administrative areas and larger cities (ontology/places.ttl) resolve only where a place is meant."""

from __future__ import annotations

import pytest
from rdflib.namespace import OWL

from kgbuild.extract.types import Argument, Extraction, Mention, TextSpan, Triple
from kgbuild.normalize import Fact, normalize
from kgbuild.ontology import load_ontology, ontology_folder, parse_turtle
from kgbuild.sources import make_article
from kgbuild.vocab import GAZ, KGO, WD


@pytest.fixture(scope="module")
def ontology():
    return load_ontology()


def span(text: str, phrase: str, label: str = "", occurrence: int = 0) -> TextSpan:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(phrase, start + 1)
    return TextSpan(phrase, start, start + len(phrase), phrase.split()[-1], label)


def whole(text: str) -> TextSpan:
    return TextSpan(text, 0, len(text))


def facts_of(ontology, text: str, triples: tuple[Triple, ...], *found: tuple[str, str]) -> tuple[Fact, ...]:
    mentions = sorted((Mention(span(text, name, label, i), label) for name, label in found
                       for i in range(text.count(name))), key=lambda m: m.span.start)
    return normalize(Extraction(make_article(text), 1, triples, tuple(mentions)), ontology)


def objects(facts: tuple[Fact, ...], prop: object) -> dict[str, Fact]:
    return {f.object.label: f for f in facts if f.predicate.iri == str(prop) and f.asserted}


def objects_all(facts: tuple[Fact, ...], prop: object, label: str) -> list[Fact]:
    return [f for f in facts if f.predicate.iri == str(prop) and f.object.label == label]


def test_a_city_tagged_as_a_person_where_a_place_is_meant_is_the_city_in_its_country(ontology) -> None:
    # The tagger took the city for a person; "born in" needs a place.
    text = "Anna Berg was born in Eindhoven. She left the Netherlands in 1990."
    born = Triple(span(text, "Anna Berg", "PERSON"), span(text, "was born in"), "bear in",
                  span(text, "Eindhoven", "PERSON"), TextSpan(text[:32], 0, 32), 0.9, pattern="passive")
    facts = facts_of(ontology, text, (born,), ("Anna Berg", "PERSON"), ("Eindhoven", "PERSON"),
                     ("the Netherlands", "GPE"))
    city = objects(facts, KGO.placeOfBirth)["Eindhoven"].object
    assert str(KGO.City) in city.classes
    assert str(WD.Q33434749) in city.same_as
    assert ontology.gazetteer[city.iri.rsplit("/", 1)[1]].label == "Eindhoven"
    assert {(str(KGO.locatedInAdministrativeArea), "North_Brabant"), (str(KGO.country), "Netherlands")} <= \
        set(ontology.gazetteer_facts["Eindhoven"])


def test_a_city_the_article_names_is_in_its_country(ontology) -> None:
    text = "Vopak grew in Eindhoven. It later left the Netherlands."
    grew = Triple(span(text, "Vopak", "ORG"), span(text, "grew in"), "grow in", span(text, "Eindhoven", "GPE"),
                  TextSpan(text[:24], 0, 24), 0.9)
    facts = facts_of(ontology, text, (grew,), ("Vopak", "ORG"), ("Eindhoven", "GPE"), ("the Netherlands", "GPE"))
    # The gazetteer states the city's country, which the article names.
    assert {f.subject.label for f in objects_all(facts, KGO.country, "Netherlands")} == {"Eindhoven"}


def test_a_place_argument_resolves_a_mis_tagged_city(ontology) -> None:
    text = "Vopak opened a terminal in Eindhoven."
    opened = Triple(span(text, "Vopak", "ORG"), span(text, "opened"), "open", span(text, "a terminal"), whole(text),
                    0.9, arguments=(Argument(span(text, "Eindhoven", "PERSON"), "in"),))
    facts = facts_of(ontology, text, (opened,), ("Vopak", "ORG"), ("Eindhoven", "PERSON"))
    places = [q.value for f in facts for q in f.qualifiers if q.property == str(KGO.place)]
    assert [p.label for p in places] == ["Eindhoven"] and str(KGO.City) in places[0].classes


def test_a_name_two_places_share_stands_for_neither(ontology) -> None:
    # Punjab is a province of Pakistan and a state of India.
    assert "punjab" not in ontology.place_names
    text = "Ravi Kumar was born in Punjab."
    born = Triple(span(text, "Ravi Kumar", "PERSON"), span(text, "was born in"), "bear in",
                  span(text, "Punjab", "GPE"), whole(text), 0.9, pattern="passive")
    facts = facts_of(ontology, text, (born,), ("Ravi Kumar", "PERSON"), ("Punjab", "GPE"))
    place = objects(facts, KGO.placeOfBirth)["Punjab"].object
    assert not place.same_as
    assert not objects(facts, KGO.citizenship)


def test_a_person_named_like_a_city_stays_a_person(ontology) -> None:
    # Regina is a Canadian city; the name never relabels a mention.
    assert ontology.place_names["regina"] == "Regina"
    assert "Regina" not in ontology.known_name_labels()
    text = "Regina Okafor founded Lumen. Regina said the plan works."
    founded = Triple(span(text, "Regina Okafor", "PERSON"), span(text, "founded"), "found", span(text, "Lumen", "ORG"),
                     TextSpan(text[:29], 0, 29), 0.9)
    said = Triple(span(text, "Regina", "PERSON", occurrence=1), span(text, "said"), "say",
                  span(text, "the plan works"), TextSpan(text[30:], 30, len(text)), 0.9)
    facts = facts_of(ontology, text, (founded, said), ("Regina Okafor", "PERSON"), ("Lumen", "ORG"),
                     ("Regina", "PERSON"))
    speakers = {f.subject.label: f.subject for f in facts if f.evidence.start == 30}
    assert speakers and all(str(KGO.City) not in s.classes and not s.same_as for s in speakers.values())
    assert not any(str(KGO.City) in getattr(f.object, "classes", ()) for f in facts)


def test_place_only_entries_are_not_vocabulary(ontology) -> None:
    assert not any("/gazetteer#Eindhoven>" in line for line in ontology.ntriples)
    assert any("/gazetteer#Netherlands>" in line for line in ontology.ntriples)


def test_places_ttl_repeats_no_gazetteer_entry() -> None:
    # One entry per real-world thing. The loader leaves out a place-only entry whose Wikidata item
    # gazetteer.ttl has, but not one with the same local name: after a change to gazetteer.ttl, run
    # scripts/make_world_places.py.
    def entries(name: str) -> tuple[set[str], set[str]]:
        triples = parse_turtle(ontology_folder() / name)
        subjects = {t.subject.value for t in triples if t.subject.value.startswith(str(GAZ))}
        items = {t.object.value for t in triples if t.predicate.value == str(OWL.sameAs)}
        return subjects, items

    gazetteer_subjects, gazetteer_items = entries("gazetteer.ttl")
    place_subjects, place_items = entries("places.ttl")
    assert len(place_subjects) > 5000
    assert not gazetteer_subjects & place_subjects
    assert not gazetteer_items & place_items


def test_a_place_only_entry_the_gazetteer_has_is_left_out(tmp_path) -> None:
    extra = tmp_path / "extra.ttl"
    extra.write_text("""@prefix gaz: <https://w3id.org/kgbuild/gazetteer#> .
@prefix kgo: <https://w3id.org/kgbuild/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix wd: <http://www.wikidata.org/entity/> .
gaz:Kingdom_of_Holland a kgo:Country ; skos:prefLabel "Hollandia" ; kgo:placeNamesOnly true ; owl:sameAs wd:Q55 .
gaz:Cape_Verde_Island_Town a kgo:City ; skos:prefLabel "Qwertyville" ; kgo:placeNamesOnly true ; owl:sameAs wd:Q999999999 .
""", encoding="utf-8")
    ontology = load_ontology([extra])
    # The Netherlands (Q55) is in gazetteer.ttl already; the second entry is new.
    assert "Kingdom_of_Holland" not in ontology.gazetteer and "hollandia" not in ontology.place_names
    assert "Cape_Verde_Island_Town" in ontology.gazetteer
    assert ontology.place_names["qwertyville"] == "Cape_Verde_Island_Town"
