"""Tests for document-level inference: property chains, the gazetteer's facts and the article's country."""

from __future__ import annotations

from kgbuild.extract.types import Extraction, Mention, TextSpan, Triple
from kgbuild.normalize import Fact, normalize
from kgbuild.sources import make_article
from kgbuild.vocab import KGO


def span(text: str, phrase: str, label: str = "", head: str = "", occurrence: int = 0) -> TextSpan:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(phrase, start + 1)
    return TextSpan(phrase, start, start + len(phrase), head or phrase.split()[-1], label)


def sentence_of(text: str, inside: TextSpan) -> TextSpan:
    start = text.rfind(". ", 0, inside.start)
    start = 0 if start < 0 else start + 2
    end = text.find(". ", inside.end)
    end = len(text) if end < 0 else end + 1
    return TextSpan(text[start:end], start, end)


def triple(text: str, subject: TextSpan, relation: str, lemma: str, obj: TextSpan, pattern: str = "svo") -> Triple:
    verb = span(text, relation)
    return Triple(subject, verb, lemma, obj, sentence_of(text, subject), 0.9, pattern=pattern)


def names(text: str, *found: tuple[str, str]) -> tuple[Mention, ...]:
    """Return a mention for every occurrence of each (name, NER label)."""
    mentions = []
    for name, label in found:
        start = text.find(name)
        while start >= 0:
            mentions.append(Mention(TextSpan(name, start, start + len(name), name.split()[-1], label), label))
            start = text.find(name, start + 1)
    return tuple(sorted(mentions, key=lambda m: m.span.start))


def facts_of(ontology, text: str, triples: tuple[Triple, ...], mentions: tuple[Mention, ...]) -> tuple[Fact, ...]:
    return normalize(Extraction(make_article(text), text.count(". ") + 1, triples, mentions), ontology)


def stated(facts: tuple[Fact, ...], prop: object) -> set[tuple[str, str]]:
    """Return (subject label, object label) of the asserted facts with one property."""
    return {(f.subject.label, f.object.label) for f in facts if f.predicate.iri == str(prop) and f.asserted}


def test_a_person_born_in_a_place_is_a_citizen_of_its_country(ontology) -> None:
    text = "Anna Berg was born in Lyon. Lyon is a city in France."
    born = triple(text, span(text, "Anna Berg", "PERSON"), "was born in", "bear in", span(text, "Lyon", "GPE"),
                  "passive")
    city = triple(text, span(text, "Lyon", "GPE", occurrence=1), "is a city in", "be city in",
                  span(text, "France", "GPE"), "copula")
    facts = facts_of(ontology, text, (born, city), names(text, ("Anna Berg", "PERSON"), ("Lyon", "GPE"),
                                                          ("France", "GPE")))
    assert ("Anna Berg", "France") in stated(facts, KGO.citizenship)
    (inferred,) = [f for f in facts if f.predicate.iri == str(KGO.citizenship)]
    assert inferred.evidence.pattern == "inference" and inferred.evidence.confidence < 0.9


def test_inference_names_only_what_the_article_names(ontology) -> None:
    # Texas is in the United States, but this article never says so or names the country.
    text = "Mara Olsen was born in Austin. Austin is a city in Texas."
    born = triple(text, span(text, "Mara Olsen", "PERSON"), "was born in", "bear in", span(text, "Austin", "GPE"),
                  "passive")
    city = triple(text, span(text, "Austin", "GPE", occurrence=1), "is a city in", "be city in",
                  span(text, "Texas", "GPE"), "copula")
    facts = facts_of(ontology, text, (born, city), names(text, ("Mara Olsen", "PERSON"), ("Austin", "GPE"),
                                                          ("Texas", "GPE")))
    assert ("Austin", "Texas") in stated(facts, KGO.locatedInAdministrativeArea)
    assert not stated(facts, KGO.citizenship)
    assert not [f for f in facts if getattr(f.object, "label", "") == "United States"]


def test_an_inferred_place_is_not_restated_from_the_container_side(ontology) -> None:
    text = "Dorset Hill is in Kent County. Kent County is a county in Maryland."
    hill = triple(text, span(text, "Dorset Hill", "LOC"), "is in", "be in", span(text, "Kent County", "GPE"), "copula")
    county = triple(text, span(text, "Kent County", "GPE", occurrence=1), "is a county in", "be county in",
                    span(text, "Maryland", "GPE"), "copula")
    facts = facts_of(ontology, text, (hill, county), names(text, ("Dorset Hill", "LOC"), ("Kent County", "GPE"),
                                                            ("Maryland", "GPE")))
    assert ("Dorset Hill", "Maryland") in stated(facts, KGO.locatedInAdministrativeArea)
    assert ("Maryland", "Dorset Hill") not in stated(facts, KGO.containsAdministrativeArea)


def test_a_capital_acts_for_its_government_only_where_it_acts(ontology) -> None:
    # "Berlin" in a place phrase is the city, so Germany is not named and Canada is the only country.
    text = "The Canadian team hired Rolf Meyer in Halifax. Meyer had trained in Berlin."
    hired = triple(text, span(text, "The Canadian team"), "hired", "hire", span(text, "Rolf Meyer", "PERSON"))
    trained = triple(text, span(text, "Meyer", "PERSON", occurrence=1), "had trained in", "train in",
                     span(text, "Berlin", "GPE"))
    mentions = names(text, ("Canadian", "NORP"), ("Rolf Meyer", "PERSON"), ("Halifax", "GPE"), ("Berlin", "GPE"))
    facts = facts_of(ontology, text, (hired, trained), mentions)
    assert ("Halifax", "Canada") in stated(facts, KGO.country)
    # The gazetteer knows Berlin's country; the article's one country does not move it.
    assert ("Berlin", "Canada") not in stated(facts, KGO.country)
    assert ("Canada", "Halifax") not in stated(facts, KGO.containsAdministrativeArea)


def test_the_article_s_country_is_the_one_its_lead_names(ontology) -> None:
    lead = "Ostby Mills is a village in Norway. The Ostby Sawmill Company runs a mill at Ostby Mills."
    found = triple(lead, span(lead, "Ostby Mills", "GPE"), "is a village in", "be village in",
                   span(lead, "Norway", "GPE"), "copula")
    runs = triple(lead, span(lead, "The Ostby Sawmill Company", "ORG"), "runs", "run", span(lead, "a mill"))
    mentions = names(lead, ("Ostby Mills", "GPE"), ("Norway", "GPE"), ("Ostby Sawmill Company", "ORG"))
    facts = facts_of(ontology, lead, (found, runs), mentions)
    assert ("Ostby Sawmill Company", "Norway") in stated(facts, KGO.country)
    (country,) = [f for f in facts if f.predicate.iri == str(KGO.country) and f.subject.label != "Ostby Mills"]
    assert country.evidence.pattern == "document country" and country.evidence.confidence == 0.5
    # Named only further down, a country is where something else happened.
    later = "The Ostby Sawmill Company runs a mill at Ostby Mills. Its owner was born in Norway."
    runs = triple(later, span(later, "The Ostby Sawmill Company", "ORG"), "runs", "run", span(later, "a mill"))
    owner = triple(later, span(later, "Its owner"), "was born in", "bear in", span(later, "Norway", "GPE"), "passive")
    mentions = names(later, ("Ostby Mills", "GPE"), ("Norway", "GPE"), ("Ostby Sawmill Company", "ORG"))
    assert not stated(facts_of(ontology, later, (runs, owner), mentions), KGO.country)


def test_the_gazetteer_capital_needs_an_article_about_capitals(ontology) -> None:
    plain = "Ines Roth moved from Vienna to Austria's lakes."
    moved = triple(plain, span(plain, "Ines Roth", "PERSON"), "moved from", "move from", span(plain, "Vienna", "GPE"))
    facts = facts_of(ontology, plain, (moved,), names(plain, ("Ines Roth", "PERSON"), ("Vienna", "GPE"),
                                                       ("Austria", "GPE")))
    assert not stated(facts, KGO.capitalOf) and not stated(facts, KGO.capital)
    assert ("Vienna", "Austria") in stated(facts, KGO.locatedInAdministrativeArea)
    capital = "Ines Roth moved from Vienna, the capital, to Austria's lakes."
    moved = triple(capital, span(capital, "Ines Roth", "PERSON"), "moved from", "move from",
                   span(capital, "Vienna", "GPE"))
    facts = facts_of(ontology, capital, (moved,), names(capital, ("Ines Roth", "PERSON"), ("Vienna", "GPE"),
                                                         ("Austria", "GPE")))
    assert ("Vienna", "Austria") in stated(facts, KGO.capitalOf)


def test_the_lead_s_area_holds_the_article_s_other_places(ontology) -> None:
    text = "Elm Hollow is a hamlet in Pike County, Ohio. The Elm Hollow Mill stood near Pine Ridge."
    hamlet = triple(text, span(text, "Elm Hollow", "GPE"), "is a hamlet in", "be hamlet in",
                    span(text, "Pike County", "GPE"), "copula")
    chain = triple(text, span(text, "Pike County", "GPE"), ",", "be in", span(text, "Ohio", "GPE"), "place_chain")
    mill = triple(text, span(text, "The Elm Hollow Mill", "FAC"), "stood near", "stand near",
                  span(text, "Pine Ridge", "GPE"))
    mentions = names(text, ("Pike County", "GPE"), ("Ohio", "GPE"), ("Elm Hollow Mill", "FAC"), ("Pine Ridge", "GPE"))
    mentions = tuple(sorted((Mention(span(text, "Elm Hollow", "GPE"), "GPE"), *mentions), key=lambda m: m.span.start))
    facts = facts_of(ontology, text, (hamlet, chain, mill), mentions)
    located = stated(facts, KGO.locatedInAdministrativeArea)
    # Ohio is the widest area below the country that the lead names; the chains add the county's state.
    assert {("Elm Hollow Mill", "Ohio"), ("Pine Ridge", "Ohio"), ("Elm Hollow", "Ohio")} <= located
    assert ("Pine Ridge", "Pike County") not in located
    area = [f for f in facts if f.evidence.pattern == "document area"]
    assert area and all(f.evidence.confidence == 0.5 for f in area)


def test_a_name_described_as_a_place_is_placed_whatever_its_tag(ontology) -> None:
    # The tagger takes "Marrow Bend" for a person; the article describes it as a hamlet.
    text = "Marrow Bend is a hamlet in Norway."
    hamlet = triple(text, span(text, "Marrow Bend", "PERSON"), "is", "be", span(text, "a hamlet", head="hamlet"),
                    "copula")
    mentions = names(text, ("Marrow Bend", "PERSON"), ("Norway", "GPE"))
    facts = facts_of(ontology, text, (hamlet,), mentions)
    assert ("Marrow Bend", "Norway") in stated(facts, KGO.country)


def test_a_person_who_died_in_a_place_is_a_citizen_of_its_country(ontology) -> None:
    text = "Otto Lind died in Lyon. Lyon is a city in France."
    died = triple(text, span(text, "Otto Lind", "PERSON"), "died in", "die in", span(text, "Lyon", "GPE"))
    city = triple(text, span(text, "Lyon", "GPE", occurrence=1), "is a city in", "be city in",
                  span(text, "France", "GPE"), "copula")
    facts = facts_of(ontology, text, (died, city), names(text, ("Otto Lind", "PERSON"), ("Lyon", "GPE"),
                                                          ("France", "GPE")))
    assert ("Otto Lind", "Lyon") in stated(facts, KGO.placeOfDeath)
    assert ("Otto Lind", "France") in stated(facts, KGO.citizenship)


def test_an_organization_is_in_the_areas_of_its_headquarters(ontology) -> None:
    text = "Norsk Kraft AS is headquartered in Odda. Odda is a town in Vestland County."
    based = triple(text, span(text, "Norsk Kraft AS", "ORG"), "is headquartered in", "be headquarter in",
                   span(text, "Odda", "GPE"), "passive")
    town = triple(text, span(text, "Odda", "GPE", occurrence=1), "is a town in", "be town in",
                  span(text, "Vestland County", "GPE"), "copula")
    facts = facts_of(ontology, text, (based, town), names(text, ("Norsk Kraft AS", "ORG"), ("Odda", "GPE"),
                                                           ("Vestland County", "GPE")))
    assert ("Norsk Kraft AS", "Odda") in stated(facts, KGO.headquartersLocation)
    # An organization based in a town is in that town, and in the areas the town is in.
    assert {("Norsk Kraft AS", "Odda"), ("Norsk Kraft AS", "Vestland County")} <= \
        stated(facts, KGO.locatedInAdministrativeArea)


def test_a_province_knows_its_country(ontology) -> None:
    # The gazetteer places Alberta in Canada: with two countries named, only the chain places Red Deer.
    text = "Red Deer, Alberta hosted teams from Canada and Norway."
    chain = triple(text, span(text, "Red Deer", "GPE"), ",", "be in", span(text, "Alberta", "GPE"), "place_chain")
    hosted = triple(text, span(text, "Red Deer", "GPE"), "hosted", "host", span(text, "teams"))
    mentions = names(text, ("Red Deer", "GPE"), ("Alberta", "GPE"), ("Canada", "GPE"), ("Norway", "GPE"))
    facts = facts_of(ontology, text, (chain, hosted), mentions)
    assert ("Red Deer", "Canada") in stated(facts, KGO.country)
    assert ("Alberta", "Canada") in stated(facts, KGO.country)
    assert not [f for f in facts if f.evidence.pattern == "document country"]


def test_a_company_the_gazetteer_knows_keeps_its_own_country(ontology) -> None:
    text = "Ostby Mills is a village in Norway. The Ostby Sawmill Company sells timber to Apple and Sony."
    found = triple(text, span(text, "Ostby Mills", "GPE"), "is a village in", "be village in",
                   span(text, "Norway", "GPE"), "copula")
    sells = triple(text, span(text, "The Ostby Sawmill Company", "ORG"), "sells", "sell", span(text, "timber"))
    mentions = names(text, ("Ostby Mills", "GPE"), ("Norway", "GPE"), ("Ostby Sawmill Company", "ORG"),
                     ("Apple", "ORG"), ("Sony", "ORG"))
    countries = stated(facts_of(ontology, text, (found, sells), mentions), KGO.country)
    assert ("Ostby Sawmill Company", "Norway") in countries
    assert not {("Apple", "Norway"), ("Sony", "Norway")} & countries


def test_a_country_named_by_its_demonym_holds_the_gazetteer_s_places(ontology) -> None:
    text = "Tom Hale is a Canadian sculptor. Hale moved to Saskatchewan in 1990."
    sculptor = triple(text, span(text, "Tom Hale", "PERSON"), "is", "be", span(text, "a Canadian sculptor"), "copula")
    moved = triple(text, span(text, "Hale", "PERSON", occurrence=1), "moved to", "move to",
                   span(text, "Saskatchewan", "GPE"))
    # The tagger's head of a nationality word is its lower-case lemma, as in a real parse.
    mentions = (*names(text, ("Tom Hale", "PERSON"), ("Saskatchewan", "GPE")),
                Mention(span(text, "Canadian", "NORP", head="canadian"), "NORP"))
    facts = facts_of(ontology, text, (sculptor, moved), tuple(sorted(mentions, key=lambda m: m.span.start)))
    assert ("Saskatchewan", "Canada") in stated(facts, KGO.country)
    (country,) = [f for f in facts if f.predicate.iri == str(KGO.country)]
    assert country.evidence.pattern == "gazetteer"
    # Without the nationality word the article names no country, and the gazetteer's stays unsaid.
    plain = "Tom Hale is a sculptor. Hale moved to Saskatchewan in 1990."
    sculptor = triple(plain, span(plain, "Tom Hale", "PERSON"), "is", "be", span(plain, "a sculptor"), "copula")
    moved = triple(plain, span(plain, "Hale", "PERSON", occurrence=1), "moved to", "move to",
                   span(plain, "Saskatchewan", "GPE"))
    facts = facts_of(ontology, plain, (sculptor, moved), names(plain, ("Tom Hale", "PERSON"), ("Saskatchewan", "GPE")))
    assert not stated(facts, KGO.country)


def test_the_kind_of_a_place_before_of_names_the_place(ontology) -> None:
    text = "Koru Makina is a firm based in the province of Varnia. Its owner lives in the capital of Varnia."
    based = triple(text, span(text, "Koru Makina", "ORG"), "based in", "be base in",
                   span(text, "the province of Varnia", head="province"), "participle")
    lives = triple(text, span(text, "Its owner"), "lives in", "live in",
                   span(text, "the capital of Varnia", head="capital"))
    mentions = (*names(text, ("Koru Makina", "ORG"), ("Varnia", "GPE")),
                Mention(span(text, "the province"), ""), Mention(span(text, "the capital"), ""))
    facts = facts_of(ontology, text, (based, lives), tuple(sorted(mentions, key=lambda m: m.span.start)))
    assert ("Koru Makina", "Varnia") in stated(facts, KGO.headquartersLocation)
    # A capital "of" a place is in it, not the place itself.
    assert "Varnia" not in {f.object.label for f in facts if f.subject.label == "owner"}


def test_a_capital_a_noun_phrase_describes_does_not_act(ontology) -> None:
    text = "Koru Makina is based in the Anatolian city of Ankara. Turkey bought its drones."
    based = triple(text, span(text, "Koru Makina", "ORG"), "is based in", "be base in", span(text, "Ankara", "GPE"),
                   "passive")
    # The noun phrase rules read "the Anatolian city of Ankara" as Ankara being from Anatolia.
    anatolian = Triple(span(text, "Ankara", "GPE"), TextSpan("", 0, 0), "be from", span(text, "Anatolian", "NORP"),
                       sentence_of(text, span(text, "Ankara")), 0.7, pattern="demonym")
    bought = triple(text, span(text, "Turkey", "GPE"), "bought", "buy", span(text, "its drones"))
    mentions = names(text, ("Koru Makina", "ORG"), ("Ankara", "GPE"), ("Turkey", "GPE"))
    facts = facts_of(ontology, text, (based, anatolian, bought), mentions)
    assert ("Ankara", "Turkey") in stated(facts, KGO.locatedInAdministrativeArea)
