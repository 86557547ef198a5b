"""Tests of the membership, part and participation rules (kgbuild/extract/membership.py) on the real parser."""

from __future__ import annotations

from spacy.language import Language

from kgbuild.extract import extract_doc, extract_sentences
from kgbuild.normalize import Value, normalize
from kgbuild.ontology import Ontology
from kgbuild.sources import make_article


def facts(nlp: Language, ontology: Ontology, text: str) -> set[tuple[str, str, str]]:
    """Return (subject label, property local name, object label) of the asserted facts of a text."""
    extraction = extract_doc(nlp(text), make_article(text, "test"))
    return {(f.subject.label, f.predicate.iri.rsplit("#", 1)[-1],
             f.object.text if isinstance(f.object, Value) else f.object.label)
            for f in normalize(extraction, ontology) if f.asserted}


def test_a_person_of_a_band_is_its_member_and_part(nlp: Language, ontology: Ontology) -> None:
    found = facts(nlp, ontology, "The album features Tom Baker and Ann Lee of the British rock band The Quills.")
    for person in ("Tom Baker", "Ann Lee"):
        assert (person, "memberOf", "Quills") in found
        assert (person, "partOf", "Quills") in found
        assert ("Quills", "hasPart", person) in found


def test_a_person_of_a_company_is_no_member(nlp: Language, ontology: Ontology) -> None:
    found = facts(nlp, ontology, "Jane Doe of Goldman Sachs said the bank would grow.")
    assert not any(p in {"memberOf", "partOf", "memberOfGroup"} for _, p, _ in found)


def test_a_name_before_member_owns_the_membership(nlp: Language, ontology: Ontology) -> None:
    assert ("Greece", "memberOf", "European Union") in facts(nlp, ontology, "Greece is a European Union member state.")


def test_a_band_that_consists_of_people_has_them_as_members(nlp: Language, ontology: Ontology) -> None:
    found = facts(nlp, ontology, "The Quills are an English rock band from Leeds. The band consists of singer "
                                 "John Smith and drummer Ann Lee. In 2005, bassist Ed Long joined the band.")
    for person in ("John Smith", "Ann Lee", "Ed Long"):
        assert (person, "memberOf", "Quills") in found
        assert ("Quills", "hasPart", person) in found
    assert ("Ed Long", "employer", "Quills") not in found


def test_a_battle_during_a_war_is_part_of_it(nlp: Language, ontology: Ontology) -> None:
    found = facts(nlp, ontology, "Her grandfather was wounded at the Battle of the Somme during the First World War.")
    assert ("Battle of the Somme", "partOf", "First World War") in found
    assert ("First World War", "hasPart", "Battle of the Somme") in found


def test_a_place_named_during_a_war_is_no_part_of_it(nlp: Language, ontology: Ontology) -> None:
    found = facts(nlp, ontology, "She was born in Lyon during the Second World War.")
    assert not any(p in {"partOf", "hasPart", "partOfConflict"} for _, p, _ in found)


def test_a_school_of_a_university_is_part_of_it(nlp: Language, ontology: Ontology) -> None:
    found = facts(nlp, ontology, "The Law School is a graduate school of Harvard University.")
    assert ("Law School", "partOf", "Harvard University") in found
    assert ("Harvard University", "hasPart", "Law School") in found
    found = facts(nlp, ontology, "The Fifth Fleet, a command of the United States Navy, was formed in 1944.")
    assert ("Fifth Fleet", "partOf", "United States Navy") in found


def test_an_air_force_acting_during_a_war_took_part_in_it(nlp: Language, ontology: Ontology) -> None:
    found = facts(nlp, ontology, "He served with the Royal Norwegian Air Force during the Korean War.")
    assert ("Royal Norwegian Air Force", "unitInConflict", "Korean War") in found
    assert ("Royal Norwegian Air Force", "participantIn", "Korean War") in found


def test_a_league_before_side_or_after_of_is_the_teams_league(nlp: Language, ontology: Ontology) -> None:
    assert ("Everton", "teamLeague", "Premier League") in facts(nlp, ontology,
                                                           "He joined Premier League side Everton in 2004.")
    assert ("Chicago Bears", "league", "National Football League") in facts(
        nlp, ontology, "The Chicago Bears of the National Football League signed him.")


def test_a_countrys_parliament_is_its_legislative_body(nlp: Language, ontology: Ontology) -> None:
    found = facts(nlp, ontology, "He served in Panama's National Assembly.")
    assert ("Panama", "legislativeBody", "Panama's National Assembly") in found
    assert ("Panama's National Assembly", "appliesToJurisdiction", "Panama") in found


def test_a_parliaments_country_is_its_jurisdiction(nlp: Language, ontology: Ontology) -> None:
    found = facts(nlp, ontology, "The National Parliament meets in Dili, East Timor.")
    assert ("National Parliament", "country", "East Timor") in found
    assert ("National Parliament", "appliesToJurisdiction", "East Timor") in found


def test_only_a_named_event_dates_a_participation(nlp: Language) -> None:
    [(_, found)] = list(extract_sentences(["Sales at Ford rose during the Christmas season."], nlp))
    assert not any(t.relation_lemma in {"take part during", "take place during"} for t in found)


def test_a_party_leader_is_its_chairperson_and_member(nlp: Language, ontology: Ontology) -> None:
    found = facts(nlp, ontology, "Jane Smith is the leader of the Green Party.")
    assert ("Green Party", "partyLeader", "Jane Smith") in found
    assert ("Green Party", "chairperson", "Jane Smith") in found
    assert ("Jane Smith", "memberOfPoliticalParty", "Green Party") in found
