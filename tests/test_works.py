"""The creative-work rules (kgbuild/extract/works.py and their ontology data), read through the whole pipeline
on sentences written for these tests."""

from __future__ import annotations

from spacy.language import Language

from kgbuild.extract import extract_doc
from kgbuild.extract.works import work_noun_lemma
from kgbuild.normalize import Value, normalize
from kgbuild.ontology import Ontology
from kgbuild.sources import make_article


def typed(nlp: Language, ontology: Ontology, text: str) -> set[tuple[str, str, str]]:
    """Return (subject label, Wikidata property id, object label or literal) of the aligned facts of a text."""
    facts = normalize(extract_doc(nlp(text), make_article(text)), ontology)
    return {(f.subject.label, ontology.wikidata[f.predicate.iri].rsplit("/", 1)[-1],
             f.object.text if isinstance(f.object, Value) else f.object.label)
            for f in facts if f.predicate.iri in ontology.wikidata and f.asserted}


def work_lemmas(nlp: Language, text: str) -> list[str]:
    """Return the relation lemmas of the work rules' triples in a text."""
    doc = nlp(text)
    return [t.relation_lemma for t in extract_doc(doc, make_article(text)).triples if t.pattern == "work"]


def test_the_pipeline_knows_the_ontology_s_work_nouns(nlp: Language) -> None:
    work_nouns = nlp.get_pipe("kgbuild_triples").work_nouns
    assert {"album", "novel", "film", "video game"} <= work_nouns
    assert "city" not in work_nouns and "company" not in work_nouns
    doc = nlp("It is a video game about a city.")
    assert [work_noun_lemma(t, work_nouns) for t in doc if t.pos_ == "NOUN"] == ["", "video game", ""]


def test_coordinated_participles_share_the_agent_of_the_last(nlp: Language, ontology: Ontology) -> None:
    found = typed(nlp, ontology, "Fire Road is a racing game developed and published by Nimbus Interactive.")
    assert ("Fire Road", "P178", "Nimbus Interactive") in found
    assert ("Fire Road", "P123", "Nimbus Interactive") in found


def test_a_participle_with_its_own_agent_keeps_it(nlp: Language, ontology: Ontology) -> None:
    found = typed(nlp, ontology,
                  "Dark Orbit is an action game developed primarily by Vega Studios and published by Northwind.")
    assert ("Dark Orbit", "P178", "Vega Studios") in found
    assert ("Dark Orbit", "P123", "Northwind") in found
    assert ("Dark Orbit", "P178", "Northwind") not in found


def test_a_release_date_after_the_work_noun_is_its_publication_date(nlp: Language, ontology: Ontology) -> None:
    found = typed(nlp, ontology,
                  "Blue Fields is the second studio album by American rapper Kid Nova, released on 5 May 2009 "
                  "by Summit Records.")
    assert ("Blue Fields", "P577", "2009-05-05") in found
    assert ("Blue Fields", "P264", "Summit Records") in found


def test_a_song_written_and_performed_by_someone_is_composed_by_them(nlp: Language, ontology: Ontology) -> None:
    found = typed(nlp, ontology, '"Morning Tide" was a song written and performed by Clara Holt.')
    assert {("Morning Tide", "P86", "Clara Holt"), ("Morning Tide", "P175", "Clara Holt"),
            ("Clara Holt", "P800", "Morning Tide")} <= found
    assert not any(p == "P676" for _, p, _ in found)


def test_a_passive_clause_with_two_participles_gives_both_credits(nlp: Language) -> None:
    assert work_lemmas(nlp, "The record was written and produced by Max Cole.") == ["be write by", "be produce by"]


def test_a_possessive_before_a_work_noun_names_the_maker(nlp: Language, ontology: Ontology) -> None:
    found = typed(nlp, ontology, "The show was inspired by Laura Pike's 1971 children's book The Silver Gate.")
    assert ("Silver Gate", "P50", "Laura Pike") in found
    assert ("Laura Pike", "P800", "Silver Gate") in found


def test_a_work_noun_types_the_name_it_precedes(nlp: Language, ontology: Ontology) -> None:
    found = typed(nlp, ontology, "Tina Marsh is a main character who appears in the 2009 animated film Green Valley.")
    assert ("Tina Marsh", "P1441", "Green Valley") in found
    assert ("Green Valley", "P674", "Tina Marsh") in found
    assert ("Green Valley", "P577", "2009") in found


def test_a_character_in_a_novel_is_present_in_it(nlp: Language, ontology: Ontology) -> None:
    found = typed(nlp, ontology, "Tina Marsh is a fictional character in the novel Grey Harbor.")
    assert ("Tina Marsh", "P1441", "Grey Harbor") in found
    assert not any(p == "P161" for _, p, _ in found)


def test_an_actor_who_appears_in_a_film_is_still_a_cast_member(nlp: Language, ontology: Ontology) -> None:
    found = typed(nlp, ontology, "Cold River is a 1994 drama film. The actor Paul Meyer appears in Cold River.")
    assert ("Cold River", "P161", "Paul Meyer") in found
    assert not any(p == "P1441" for _, p, _ in found)


def test_a_by_phrase_after_a_work_noun_in_apposition(nlp: Language, ontology: Ontology) -> None:
    found = typed(nlp, ontology, "Red Sky, a novel by Anne Weber, was published in 1988.")
    assert ("Red Sky", "P50", "Anne Weber") in found
    assert ("Red Sky", "P577", "1988") in found


def test_no_credit_without_a_work(nlp: Language) -> None:
    # A place released nothing: the participle modifies no work noun and no passive clause has two verbs.
    assert work_lemmas(nlp, "The harbour, rebuilt by the navy in 1950, is a busy port.") == []


def test_a_release_on_a_label_names_the_record_label(nlp: Language, ontology: Ontology) -> None:
    found = typed(nlp, ontology, "Sea Glass is a 1961 single released by Maria Lane on the Capitol label.")
    assert ("Sea Glass", "P264", "Capitol") in found
    assert ("Sea Glass", "P175", "Maria Lane") in found
    assert ("Sea Glass", "P577", "1961") in found


def test_a_released_work_object_takes_the_date_and_the_label(nlp: Language, ontology: Ontology) -> None:
    found = typed(nlp, ontology, "The band released its debut album, Night Signals, in 1981 on independent label Crescent.")
    assert ("Night Signals", "P577", "1981") in found
    assert ("Night Signals", "P264", "Crescent") in found


def test_a_possessive_pronoun_before_an_album_and_its_title(nlp: Language, ontology: Ontology) -> None:
    found = typed(nlp, ontology, '"Quiet Room" is a song recorded by American singer Laura Finch, taken from her '
                                 'third studio album, Harbor (2011).')
    assert {("Quiet Room", "P175", "Laura Finch"), ("Harbor", "P175", "Laura Finch"),
            ("Harbor", "P577", "2011")} <= found


def test_a_title_with_its_year_is_typed_by_the_sentence_s_work_noun(nlp: Language, ontology: Ontology) -> None:
    assert ("Harvest", "P577", "2006") in typed(nlp, ontology,
                                                "Mark Benton made his debut in the film Harvest (2006) with Anna Ross.")
    assert ("Blue Lantern", "P577", "2004") in typed(nlp, ontology,
                                                     "Their next album, 2004's Blue Lantern, was credited to Mary Stone.")
    # No work noun, no work: a person's name with a year in brackets.
    assert work_lemmas(nlp, "Anna Berg (1971) is a painter.") == []


def test_a_verb_s_object_is_the_work_s_name_not_its_noun_phrase(nlp: Language, ontology: Ontology) -> None:
    found = typed(nlp, ontology, "Mark Lane directed the film Thira in 2013.")
    assert ("Thira", "P57", "Mark Lane") in found
    found = typed(nlp, ontology, "Nala is a main character who appears in the 2009 animated feature film Frog Moon.")
    assert ("Nala", "P1441", "Frog Moon") in found


def test_a_single_credited_to_an_artist_is_performed_by_them(nlp: Language, ontology: Ontology) -> None:
    found = typed(nlp, ontology, "Dark Water is a 1967 single credited to Frank Vale.")
    assert ("Dark Water", "P175", "Frank Vale") in found
    # A book credited to someone is theirs, but not as a performer.
    found = typed(nlp, ontology, "Red Sky is a 1988 novel. It was credited to Anne Weber.")
    assert not any(p == "P175" for _, p, _ in found)


def test_a_recording_has_a_record_label_not_a_publisher(nlp: Language, ontology: Ontology) -> None:
    found = typed(nlp, ontology, "Blue Fields is the second studio album by rapper Kid Nova, released on 5 May 2009 "
                                 "by Summit Records.")
    assert ("Blue Fields", "P264", "Summit Records") in found
    assert not any(p == "P123" for _, p, _ in found)
    # A game keeps its publisher.
    assert ("Dark Orbit", "P123", "Northwind") in typed(
        nlp, ontology, "Dark Orbit is an action game developed by Vega Studios and published by Northwind.")
