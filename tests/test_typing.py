"""How names are typed by their head nouns, read by the whole pipeline from sentences written for these tests."""

from __future__ import annotations

from spacy.language import Language

from kgbuild.extract import extract_doc
from kgbuild.normalize import Entity, normalize
from kgbuild.ontology import Ontology
from kgbuild.sources import make_article
from kgbuild.vocab import KGO


def facts(nlp: Language, ontology: Ontology, text: str) -> set[tuple[str, str, str, str]]:
    """Return (subject label, property local name, object label, object class local name) of a text's facts."""
    found = set()
    for fact in normalize(extract_doc(nlp(text), make_article(text)), ontology):
        if isinstance(fact.object, Entity):
            found.add((fact.subject.label, fact.predicate.iri.rsplit("#", 1)[-1], fact.object.label,
                       fact.object.classes[-1].rsplit("#", 1)[-1]))
    return found


def test_an_award_name_is_an_award_whatever_the_tagger_says(nlp: Language, ontology: Ontology) -> None:
    found = facts(nlp, ontology, "Kira Lenz was awarded the Pulitzer Prize for Fiction in 1998.")
    assert ("Kira Lenz", "award", "Pulitzer Prize for Fiction", "Award") in found


def test_the_words_after_for_in_a_name_do_not_type_it(nlp: Language, ontology: Ontology) -> None:
    found = facts(nlp, ontology, "Dana Holt won the Academy Award for Best Actress in 2004.")
    assert ("Dana Holt", "award", "Academy Award for Best Actress", "Award") in found


def test_a_numbered_war_is_a_military_conflict_and_its_fighters_took_part(nlp: Language, ontology: Ontology) -> None:
    found = facts(nlp, ontology, "Jonas Weller fought in World War II.")
    assert ("Jonas Weller", "conflict", "World War II", "MilitaryConflict") in found
    assert ("Jonas Weller", "participantIn", "World War II", "MilitaryConflict") in found


def test_named_classes_come_from_the_ontology(ontology: Ontology) -> None:
    assert str(KGO.Award) in ontology.named_classes
    assert str(KGO.Technology) not in ontology.named_classes


def test_a_television_series_types_a_name_while_a_bare_series_names_nothing(nlp: Language, ontology: Ontology) -> None:
    found = facts(nlp, ontology, "Dark Harbor is a British television series broadcast by the BBC.")
    assert ("Dark Harbor", "originalNetwork", "BBC", "Organization") in found
    assert ("Dark Harbor", "isA", "British television series", "TVSeries") in found
    assert not any(obj == "series" for _, _, obj, _ in facts(nlp, ontology, "The bank sold a series of bonds."))
