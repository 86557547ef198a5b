"""Tests for the gazetteer: coverage, Wikidata links, names that stay safe, and resolution in text."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from kgbuild.extract import extract_doc, load_pipeline
from kgbuild.extract.types import Extraction, TextSpan, Triple
from kgbuild.normalize import Entity, normalize
from kgbuild.ontology import acronym_key, alias_key, load_ontology
from kgbuild.sources import make_article
from kgbuild.vocab import DEFAULT_BASE_IRI, GAZ, KGO, WD

ROOT = Path(__file__).resolve().parent.parent
ENTITY = DEFAULT_BASE_IRI + "entity/"


@pytest.fixture(scope="module")
def ontology():
    return load_ontology()


@pytest.fixture(scope="module")
def nlp(ontology):
    return load_pipeline(**ontology.mention_tables())


def entries_of(ontology, cls: str) -> list:
    return [e for e in ontology.gazetteer.values() if str(cls) in e.classes]


def slug_of_name(ontology, name: str) -> str | None:
    acronym = acronym_key(name)
    found = ontology.acronyms.get(acronym, ()) if acronym else ontology.names.get(alias_key(name), ())
    return found[0] if found else None


def test_every_un_member_state_is_a_country_with_one_wikidata_item(ontology) -> None:
    countries = entries_of(ontology, KGO.Country)
    # 193 UN member states, the two observer states (Holy See, Palestine), Taiwan and Kosovo.
    assert len(countries) == 197
    for entry in countries:
        assert len(entry.same_as) == 1 and entry.same_as[0].startswith(str(WD) + "Q"), entry.slug
    items = [e.same_as[0] for e in ontology.gazetteer.values() if e.same_as]
    assert len(items) == len(set(items)), "two entries share a Wikidata item"


@pytest.mark.parametrize("slug, item", [("United_States", "Q30"), ("China", "Q148"), ("France", "Q142"),
                                        ("Germany", "Q183"), ("Japan", "Q17"), ("Paris", "Q90"),
                                        ("Washington_DC", "Q61"), ("California", "Q99"), ("Africa", "Q15")])
def test_known_wikidata_items(ontology, slug: str, item: str) -> None:
    assert ontology.gazetteer[slug].same_as == (str(WD[item]),)


def test_every_country_has_a_demonym_unless_two_countries_share_it(ontology) -> None:
    without = {e.label for e in entries_of(ontology, KGO.Country) if not e.demonyms}
    # "Congolese" (both Congos) and "Dominican" (Dominica, the Dominican Republic) would be guesses.
    assert without == {"Democratic Republic of the Congo", "Republic of the Congo", "Dominica"}
    assert ontology.demonyms[alias_key("Dominican")] == "Dominican_Republic"
    assert ontology.demonyms[alias_key("Kyrgyz")] == "Kyrgyzstan"


def test_capitals_link_both_ways_and_states_belong_to_the_united_states(ontology) -> None:
    lines = set(ontology.ntriples)
    for country, city in (("France", "Paris"), ("Moldova", "Chisinau"), ("United_States", "Washington_DC")):
        assert f"<{GAZ[country]}> <{KGO.capital}> <{GAZ[city]}> ." in lines
        assert f"<{GAZ[city]}> <{KGO.capitalOf}> <{GAZ[country]}> ." in lines
    states = [e for e in entries_of(ontology, KGO.AdministrativeArea)
              if f"<{GAZ[e.slug]}> <{KGO.country}> <{GAZ.United_States}> ." in lines]
    assert len([e for e in states if e.slug not in ("Puerto_Rico", "Guam", "American_Samoa",
                                                    "Northern_Mariana_Islands", "United_States_Virgin_Islands")]) == 50
    assert f"<{GAZ.Hong_Kong}> <{KGO.country}> <{GAZ.China}> ." in lines
    for province, country in (("Alberta", "Canada"), ("British_Columbia", "Canada"), ("Queensland", "Australia")):
        assert f"<{GAZ[province]}> <{KGO.country}> <{GAZ[country]}> ." in lines
    assert ontology.gazetteer["British_Columbia"].same_as == (str(WD.Q1974),)
    assert f"<{GAZ.Kenya}> <{KGO.continent}> <{GAZ.Africa}> ." in lines


@pytest.mark.parametrize("name, slug", [
    # Names of the entries as they were before the gazetteer was generated: IRIs and names are kept.
    ("U.S.", "United_States"), ("US", "United_States"), ("USA", "United_States"), ("America", "United_States"),
    ("United States of America", "United_States"), ("People's Republic of China", "China"), ("PRC", "China"),
    ("mainland China", "China"), ("Republic of China", "Taiwan"), ("Korea", "South_Korea"),
    ("Republic of Korea", "South_Korea"), ("DPRK", "North_Korea"), ("Russian Federation", "Russia"),
    ("UK", "United_Kingdom"), ("Britain", "United_Kingdom"), ("Great Britain", "United_Kingdom"),
    ("Holland", "Netherlands"), ("Türkiye", "Turkey"), ("Viet Nam", "Vietnam"), ("UAE", "United_Arab_Emirates"),
    ("Peking", "Beijing"), ("Washington DC", "Washington_DC"), ("NYC", "New_York_City"),
    ("EU", "European_Union"), ("UN", "United_Nations"), ("WTO", "World_Trade_Organization"),
    ("Nvidia Corp.", "Nvidia"), ("Samsung", "Samsung_Electronics"), ("AI", "Artificial_intelligence"),
    # New names: official long forms from pycountry, short forms, acronyms, accents.
    ("Republic of Moldova", "Moldova"), ("French Republic", "France"), ("Federal Republic of Germany", "Germany"),
    ("Côte d'Ivoire", "Ivory_Coast"), ("Cote d'Ivoire", "Ivory_Coast"), ("Czechia", "Czech_Republic"),
    ("Burma", "Myanmar"), ("DRC", "Democratic_Republic_of_the_Congo"), ("Kyiv", "Kyiv"), ("Kiev", "Kyiv"),
    ("IMF", "International_Monetary_Fund"), ("Fed", "Federal_Reserve"), ("New York State", "New_York_State"),
    # Provinces and states of other federations.
    ("Alberta", "Alberta"), ("Québec", "Quebec"), ("Quebec", "Quebec"), ("New South Wales", "New_South_Wales"),
    ("State of Victoria", "State_of_Victoria"),
])
def test_names_resolve_to_their_entry(ontology, name: str, slug: str) -> None:
    assert slug_of_name(ontology, name) == slug


@pytest.mark.parametrize("name, country", [("Washington", "United_States"), ("White House", "United_States"),
                                           ("Beijing", "China"), ("Kremlin", "Russia"), ("Tokyo", "Japan"),
                                           ("Downing Street", "United_Kingdom"), ("Cairo", "Egypt")])
def test_government_names(ontology, name: str, country: str) -> None:
    assert ontology.government_names[alias_key(name)] == country


def test_risky_short_names_are_not_names(ontology) -> None:
    # Two-letter codes other than US, UK and UAE's three letters would match headlines and words.
    for code in ("IN", "OR", "ME", "CA", "DE", "FR", "IT", "NZ", "CAR"):
        assert code not in ontology.acronyms
    # Washington and New York are the city; the states have names of their own.
    assert slug_of_name(ontology, "Washington") == "Washington_DC"
    assert slug_of_name(ontology, "New York") == "New_York_City"
    # A bare "Victoria" is a city, a lake or a queen as often as the Australian state.
    assert slug_of_name(ontology, "Victoria") is None


def test_a_name_two_entries_share_stands_for_neither(ontology) -> None:
    assert {"Georgia", "Georgia_US_state"} <= set(ontology.gazetteer)
    assert slug_of_name(ontology, "Georgia") is None
    assert ontology.demonyms[alias_key("Georgian")] == "Georgia"


def resolved(ontology, text: str, subject: str, head: str, label: str) -> Entity:
    """Return what ``subject`` (with its head word and NER label) of "<text> visited Paris." resolves to."""
    text += " visited Paris."
    start = text.index(subject)
    subject_span = TextSpan(subject, start, start + len(subject), head, label)
    verb = text.index("visited")
    place = text.index("Paris")
    triple = Triple(subject_span, TextSpan("visited", verb, verb + 7, "visit", ""), "visit",
                    TextSpan("Paris", place, place + 5, "Paris", "GPE"), TextSpan(text, 0, len(text)), 0.9, ())
    (fact,) = normalize(Extraction(make_article(text), 1, (triple,)), ontology)
    return fact.subject


@pytest.mark.parametrize("text, subject, head, label, expected", [
    # A person or a company whose name ends in a country's name is not that country.
    ("Jim Jordan", "Jim Jordan", "Jordan", "PERSON", (ENTITY + "Jim_Jordan", KGO.Person)),
    ("Bank of China", "Bank of China", "China", "ORG", (ENTITY + "Bank_of_China", KGO.Company)),
    ("Air China", "Air China", "China", "ORG", (ENTITY + "Air_China", KGO.Organization)),
    # A common noun in lower case is not the country it spells.
    ("The turkey", "The turkey", "turkey", "", (DEFAULT_BASE_IRI + "concept/turkey", KGO.Concept)),
    ("The china", "The china", "china", "", (DEFAULT_BASE_IRI + "concept/china", KGO.Concept)),
    # A shared name is minted from its NER label, not guessed.
    ("Georgia", "Georgia", "Georgia", "GPE", (ENTITY + "Georgia", KGO.Place)),
    # Unknown names are typed from the head before "of", or from their first or last word.
    ("The University of Leeds", "University of Leeds", "University", "ORG",
     (ENTITY + "University_of_Leeds", KGO.EducationalInstitution)),
    ("The Gulf of Guinea", "Gulf of Guinea", "Guinea", "LOC", (ENTITY + "Gulf_of_Guinea", KGO.BodyOfWater)),
    ("Leeds United Football Club", "Leeds United Football Club", "Club", "ORG",
     (ENTITY + "Leeds_United_Football_Club", KGO.SportsTeam)),
    ("The River Thames", "River Thames", "Thames", "LOC", (ENTITY + "River_Thames", KGO.BodyOfWater)),
    ("The Principality of Sealand", "Principality of Sealand", "Principality", "GPE",
     (ENTITY + "Principality_of_Sealand", KGO.Country)),
])
def test_harmful_readings_are_avoided(ontology, text: str, subject: str, head: str, label: str,
                                      expected: tuple[str, object]) -> None:
    entity = resolved(ontology, text, subject, head, label)
    assert (entity.iri, entity.classes[-1] if entity.kind == "concept" else entity.classes[0]) == \
        (expected[0], str(expected[1]))


def entities_in(nlp, ontology, text: str) -> dict[str, tuple[str, ...]]:
    """Return entity IRI -> classes of every fact's subject, object and qualifier in a parsed text."""
    facts = normalize(extract_doc(nlp(text), make_article(text)), ontology)
    found: dict[str, tuple[str, ...]] = {}
    for fact in facts:
        for value in (fact.subject, fact.object, *(q.value for q in fact.qualifiers)):
            if isinstance(value, Entity):
                found[value.iri] = value.classes
    return found


@pytest.mark.parametrize("text, expected", [
    ("The Republic of Moldova signed a trade deal with Romania on Monday.",
     {"Moldova": KGO.Country, "Romania": KGO.Country}),
    ("Moscow accused Kyiv of attacking civilians.", {"Russia": KGO.Country, "Ukraine": KGO.Country}),
    ("Jordan closed its border with Syria.", {"Jordan": KGO.Country}),
    ("Bank of China opened a branch in Nairobi.", {"Bank_of_China": KGO.Company, "Nairobi": KGO.City}),
    ("Air China cancelled flights to Tokyo.", {"Air_China": KGO.Organization, "Japan": KGO.Country}),
    ("The Fed raised rates after the IMF warned of inflation.",
     {"Federal_Reserve": KGO.GovernmentBody, "International_Monetary_Fund": KGO.InternationalOrganization}),
    ("Leeds United Football Club signed a striker from Brazil.",
     {"Leeds_United_Football_Club": KGO.SportsTeam, "Brazil": KGO.Country}),
])
def test_sentences_resolve_through_the_pipeline(nlp, ontology, text: str, expected: dict[str, object]) -> None:
    found = entities_in(nlp, ontology, text)
    for slug, cls in expected.items():
        assert found.get(ENTITY + slug, ())[:1] == (str(cls),), (slug, found)
    assert ENTITY + "China" not in found


@pytest.mark.skipif(importlib.util.find_spec("pycountry") is None, reason="pycountry (a test extra) is not installed")
def test_generated_part_is_up_to_date() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "make_gazetteer.py"), "--check"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, "ontology/gazetteer.ttl differs from scripts/make_gazetteer.py's output"
