"""The cities ontology/places.ttl takes from GeoNames, for the countries the first source lacks city details of."""

from __future__ import annotations

from kgbuild.extract.types import Extraction, Mention, TextSpan, Triple
from kgbuild.normalize import normalize
from kgbuild.sources import make_article
from kgbuild.vocab import KGO

GEONAMES = "https://sws.geonames.org/"


def test_a_larger_us_city_has_its_state_and_country(ontology) -> None:
    slug = ontology.place_names["pittsburgh"]
    assert ontology.gazetteer[slug].same_as[0].startswith(GEONAMES)
    assert {(str(KGO.locatedInAdministrativeArea), "Pennsylvania"), (str(KGO.country), "United_States")} <= \
        set(ontology.gazetteer_facts[slug])


def test_a_larger_city_elsewhere_has_its_country(ontology) -> None:
    slug = ontology.place_names["toulouse"]
    assert (str(KGO.country), "France") in ontology.gazetteer_facts[slug]


def test_a_name_two_cities_of_some_size_share_names_neither(ontology) -> None:
    # Springfield, Illinois and Springfield, Missouri.
    assert "springfield" not in ontology.place_names


def test_a_name_shared_with_much_smaller_cities_names_the_largest(ontology) -> None:
    # Los Angeles has a hundred times the people of Los Ángeles in Chile.
    slug = ontology.place_names["los angeles"]
    assert (str(KGO.country), "United_States") in ontology.gazetteer_facts[slug]


def test_an_article_naming_the_country_places_its_city_in_it(ontology) -> None:
    text = "Mara Olsen grew up in Pittsburgh. She later left the United States."
    grew = Triple(TextSpan("Mara Olsen", 0, 10, "Olsen", "PERSON"), TextSpan("grew up in", 11, 21), "grow up in",
                  TextSpan("Pittsburgh", 22, 32, "Pittsburgh", "GPE"), TextSpan(text[:33], 0, 33), 0.9)
    left = Triple(TextSpan("She", 34, 37, "She"), TextSpan("left", 44, 48), "leave",
                  TextSpan("the United States", 49, 66, "States", "GPE"), TextSpan(text[34:], 34, len(text)), 0.9)
    mentions = (Mention(TextSpan("Mara Olsen", 0, 10, "Olsen", "PERSON"), "PERSON"),
                Mention(TextSpan("Pittsburgh", 22, 32, "Pittsburgh", "GPE"), "GPE"),
                Mention(TextSpan("the United States", 49, 66, "States", "GPE"), "GPE"))
    facts = normalize(Extraction(make_article(text), 2, (grew, left), mentions), ontology)
    assert ("Pittsburgh", "United States") in {(f.subject.label, f.object.label) for f in facts
                                               if f.predicate.iri == str(KGO.country) and f.asserted}
