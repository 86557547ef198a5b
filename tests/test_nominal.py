"""Tests of the noun-phrase relation rules (kgbuild/extract/nominal.py) on the real parser."""

from __future__ import annotations

import pytest
from spacy.language import Language

from kgbuild.extract import DEFAULT_MODEL, Triple, extract, extract_doc, extract_sentences, load_pipeline
from kgbuild.sources import make_article

NOMINAL_PATTERNS = {"work_year", "title", "apposition", "possessive", "place_chain", "compound", "demonym", "class_modifier",
                    "life_dates"}


@pytest.fixture(scope="module")
def nlp() -> Language:
    """The default pipeline with kgbuild's components, loaded once for this module."""
    return load_pipeline(DEFAULT_MODEL)


def nominal(nlp: Language, sentence: str) -> set[tuple[str, str, str, str]]:
    """Return (subject, relation lemma, object, pattern) of the noun-phrase triples of one sentence."""
    [(_, found)] = list(extract_sentences([sentence], nlp))
    return {(t.subject.text, t.relation_lemma, t.object.text, t.pattern) for t in found
            if t.pattern in NOMINAL_PATTERNS and t.object is not None and t.relation_lemma not in ("be", "have")}


def test_title_before_a_name_names_the_office_and_its_holder(nlp: Language) -> None:
    assert ("Guillaume Faury", "be chief executive of", "Airbus", "title") in nominal(
        nlp, "Airbus chief executive Guillaume Faury said deliveries would rise.")
    assert ("Gita Gopinath", "be chief economist of", "IMF", "title") in nominal(
        nlp, "IMF chief economist Gita Gopinath warned of a slowdown.")
    assert ("Brad Smith", "be president of", "Microsoft", "title") in nominal(
        nlp, "Microsoft President Brad Smith testified on Tuesday.")


def test_time_words_stay_out_of_the_title(nlp: Language) -> None:
    found = nominal(nlp, "Former Microsoft chief executive Steve Ballmer bought a basketball team.")
    assert ("Steve Ballmer", "be chief executive of", "Microsoft", "title") in found


def test_an_unlabelled_word_before_a_title_is_no_owner(nlp: Language) -> None:
    assert not nominal(nlp, "The former Prime minister Nawaz Sharif returned.")


def test_capitalised_office_of_a_nation_and_the_nationality(nlp: Language) -> None:
    found = nominal(nlp, "Italian Prime Minister Giorgia Meloni met Canadian Prime Minister Justin Trudeau in Rome.")
    assert ("Giorgia Meloni", "be prime minister of", "Italian", "title") in found
    assert ("Justin Trudeau", "be prime minister of", "Canadian", "title") in found
    assert ("Giorgia Meloni", "be from", "Italian", "demonym") in found
    assert ("Justin Trudeau", "be from", "Canadian", "demonym") in found


def test_a_lower_case_description_with_a_nationality_is_no_office(nlp: Language) -> None:
    found = nominal(nlp, "Spanish cyclist Carlos Ruiz won the stage.")
    assert found == {("Carlos Ruiz", "be from", "Spanish", "demonym")}


def test_apposition_with_of_and_with_a_phrase_before_the_owner(nlp: Language) -> None:
    assert ("Satya Nadella", "be chief executive of", "Microsoft", "apposition") in nominal(
        nlp, "Satya Nadella, the chief executive of Microsoft, visited India.")
    assert ("Peter Brandt", "be professor of economics at", "Harvard University", "apposition") in nominal(
        nlp, "Peter Brandt, a professor of economics at Harvard University, disagreed.")


def test_possessives_before_a_name_in_apposition_and_after_a_copula(nlp: Language) -> None:
    assert ("Jeff Bezos", "be founder of", "Amazon", "possessive") in nominal(
        nlp, "Amazon's founder Jeff Bezos bought a newspaper.")
    assert ("Tokyo", "be capital of", "Japan", "possessive") in nominal(
        nlp, "Japan's capital, Tokyo, hosted the Olympics.")
    assert ("Tim Cook", "be chief executive of", "Apple", "possessive") in nominal(
        nlp, "Tim Cook, Apple's chief executive, announced the phone.")
    assert ("Jensen Huang", "be founder of", "Nvidia", "class_modifier") in nominal(
        nlp, "Jensen Huang is Nvidia's founder.")


def test_possessive_kin_and_pronoun_owners(nlp: Language) -> None:
    found = nominal(nlp, "Ruth's brother David Ross sang.")
    assert found == {("David Ross", "be brother of", "Ruth", "possessive")}
    assert ("Tim Cook", "be chief executive of", "its", "possessive") in nominal(
        nlp, "The company said its chief executive Tim Cook would attend.")


def test_place_chain_links_each_place_to_the_later_ones(nlp: Language) -> None:
    found = nominal(nlp, "The plant is in Leipzig, Saxony, Germany.")
    assert {(s, o) for s, lemma, o, p in found if p == "place_chain" and lemma == "be in"} == {
        ("Leipzig", "Saxony"), ("Saxony", "Germany"), ("Leipzig", "Germany")}


def test_what_is_in_the_first_place_of_a_chain_is_in_the_later_ones(nlp: Language) -> None:
    found = nominal(nlp, "Oakdale is a city in Saint Louis County, Minnesota, United States.")
    assert ("Oakdale", "be in", "Minnesota", "place_chain") in found
    assert ("Oakdale", "be in", "United States", "place_chain") in found


def test_a_named_place_of_its_container(nlp: Language) -> None:
    assert ("the Kotayk Province", "be in", "Armenia", "place_chain") in nominal(
        nlp, "Goght is a village in the Kotayk Province of Armenia.")
    found = nominal(nlp, "Leonessa is a town in the Province of Rieti in Italy.")
    assert not {t for t in found if t[3] == "place_chain"}
    assert found == {("Leonessa", "be in", "the Province of Rieti", "class_modifier")}


def test_a_list_of_places_is_no_chain(nlp: Language) -> None:
    assert not nominal(nlp, "Protests spread to Berlin, Munich and Hamburg.")


def test_compounds_based_and_city_of(nlp: Language) -> None:
    assert ("The Seattle-based company", "be base in", "Seattle", "compound") in nominal(
        nlp, "The Seattle-based company hired engineers.")
    assert ("Austin", "be city in", "Texas", "compound") in nominal(nlp, "A bank bought land in the Texas city of Austin.")
    assert ("Utrecht", "be from", "Dutch", "demonym") in nominal(nlp, "She grew up in the Dutch city of Utrecht.")
    # An event noun with "of" does not name a place: the Britons did not come from Madrid.
    assert not nominal(nlp, "After the British capture of Madrid, the army moved north.")


def test_demonyms_before_a_name_in_apposition_and_after_a_copula(nlp: Language) -> None:
    assert ("Sony", "be from", "Japanese", "demonym") in nominal(nlp, "The Japanese firm Sony makes cameras.")
    assert ("Sony", "be from", "Japanese", "demonym") in nominal(
        nlp, "Sony, the Japanese electronics maker, reported a loss.")
    assert ("Klaus Weber", "be from", "Swiss", "demonym") in nominal(nlp, "Klaus Weber is a Swiss chemist.")


def test_class_statement_with_its_modifiers(nlp: Language) -> None:
    found = nominal(nlp, "SAP, a German software company based in Walldorf, grew.")
    assert ("SAP", "be from", "German", "demonym") in found
    assert ("SAP", "be base in", "Walldorf", "class_modifier") in found
    assert ("Silent Harbor", "be release in", "1994", "class_modifier") in nominal(
        nlp, "Silent Harbor is a 1994 drama film.")


def test_birth_and_death_in_a_parenthesis_after_a_name(nlp: Language) -> None:
    found = nominal(nlp, "Anna Berg (born 4 May 1971 in Uppsala) is a Swedish writer.")
    assert ("Anna Berg", "be bear in", "4 May 1971", "life_dates") in found
    found = nominal(nlp, "Jonas Lind (1901 – 1977) was a Danish painter.")
    assert ("Jonas Lind", "be bear in", "1901", "life_dates") in found
    assert ("Jonas Lind", "die in", "1977", "life_dates") in found
    found = nominal(nlp, "Leone Ricci (born March 28, 1973, Youngstown, Ohio) is an American filmmaker.")
    assert ("Leone Ricci", "be bear in", "March 28, 1973", "life_dates") in found
    assert ("Leone Ricci", "be bear in", "Youngstown", "life_dates") in found
    found = nominal(nlp, "Mary Jones (died 5 May 2001 in Paris) was a singer.")
    assert ("Mary Jones", "die in", "5 May 2001", "life_dates") in found
    assert ("Mary Jones", "die in", "Paris", "life_dates") in found


def test_a_range_the_model_reads_as_one_date_and_a_day_outside_the_date(nlp: Language) -> None:
    found = nominal(nlp, "Joseph Octave Moreau (April 25, 1844 – December 13, 1898) was a physician in Quebec.")
    assert ("Joseph Octave Moreau", "be bear in", "April 25, 1844", "life_dates") in found
    assert ("Joseph Octave Moreau", "die in", "December 13, 1898", "life_dates") in found
    found = nominal(nlp, "Georg Jochmann (11 October 1874, in Liegnitz – 6 January 1915, in Berlin) was a German internist.")
    assert {("Georg Jochmann", "be bear in", "Liegnitz", "life_dates"),
            ("Georg Jochmann", "die in", "Berlin", "life_dates")} <= found


def test_a_title_with_its_year_in_brackets(nlp: Language) -> None:
    found = nominal(nlp, 'The group had hits with "Morning Rain" (1979) and "Blue Lanterns" (1981).')
    assert ("Morning Rain", "be release in", "1979", "work_year") in found
    assert ("Blue Lanterns", "be release in", "1981", "work_year") in found
    assert not nominal(nlp, "Barack Obama (2009) spoke.")


def test_a_parenthesis_with_a_left_out_pronunciation(nlp: Language) -> None:
    assert ("Borisovich Chubin", "be bear in", "16 June 1955", "life_dates") in nominal(
        nlp, "Anatoly Borisovich Chubin (; born 16 June 1955) is a Russian politician.")


def test_a_range_too_short_for_a_life_is_no_birth_and_death(nlp: Language) -> None:
    assert not nominal(nlp, "The prize went to Lynn Harper (1986 – 1993) and others.")


def test_two_chains_of_the_same_length_joined_by_and(nlp: Language) -> None:
    found = nominal(nlp, "She lives and works in Gloucester, Massachusetts and Brooklyn, New York.")
    assert {(s, o) for s, lemma, o, p in found if p == "place_chain"} == {
        ("Gloucester", "Massachusetts"), ("Brooklyn", "New York")}
    assert not nominal(nlp, "She visited Paris, London, Rome and Berlin, Madrid.")


def test_a_list_with_an_aside_is_no_chain(nlp: Language) -> None:
    sentence = "It saw an alliance of Britain, France, Austria (then a state of the Empire), and the Dutch Republic."
    assert not {t for t in nominal(nlp, sentence) if t[3] == "place_chain"}


def test_a_nationality_right_before_a_name_is_part_of_it(nlp: Language) -> None:
    assert not nominal(nlp, "The club played in the Norwegian Premier League in 1990.")


def test_nominal_triples_point_into_the_article(nlp: Language) -> None:
    text = ("Markets fell.\nItalian Prime Minister Giorgia Meloni met Amazon's founder Jeff Bezos "
            "in Leipzig, Saxony, on Monday.")
    article = make_article(text)
    extraction = extract_doc(nlp(article.text), article)
    found = [t for t in extraction.triples if t.pattern in NOMINAL_PATTERNS and t.relation_lemma != "be"]
    assert len(found) >= 4
    for triple in found:
        for span in (triple.subject, triple.object, triple.sentence):
            assert article.text[span.start : span.end] == span.text
        written = article.text[triple.relation.start : triple.relation.end]
        assert all(word in written for word in triple.relation.text.split()) or not written
        assert 0 < triple.confidence < 1


def test_carb_output_leaves_nominal_triples_out_and_jsonl_keeps_them(tmp_path) -> None:
    import io
    import json

    sentence = "Amazon's founder Jeff Bezos bought a newspaper."
    carb, jsonl = io.StringIO(), io.StringIO()
    extract([sentence], carb, "carb")
    extract([sentence], jsonl, "jsonl")
    assert "be founder of" not in carb.getvalue() and "\tfounder\t" not in carb.getvalue()
    patterns = {json.loads(line)["pattern"] for line in jsonl.getvalue().splitlines()}
    assert "possessive" in patterns
    lemmas = {json.loads(line)["relation_lemma"] for line in jsonl.getvalue().splitlines()}
    assert "be founder of" in lemmas


def test_the_component_can_leave_nominal_rules_out() -> None:
    nlp = load_pipeline(DEFAULT_MODEL)
    nlp.get_pipe("kgbuild_triples").nominal = False
    found: tuple[Triple, ...] = next(iter(extract_sentences(["Japan's capital, Tokyo, hosted the Olympics."], nlp)))[1]
    assert not any(t.relation_lemma == "be capital of" for t in found)


def test_a_description_of_a_place_locates_the_name(nlp: Language) -> None:
    assert ("Port Hardy", "be in", "British Columbia", "class_modifier") in nominal(
        nlp, "Port Hardy is a town in British Columbia.")
    assert ("Grenville", "be on", "the Ottawa River", "class_modifier") in nominal(
        nlp, "Grenville, a village on the Ottawa River, has a mill.")
    # Only a noun of places locates the name: a singer in Paris is not a place in Paris.
    assert not {t for t in nominal(nlp, "Marie Dupont is a singer in Paris.") if t[3] == "class_modifier"}


def test_a_name_before_a_parenthesis_the_parser_takes_for_the_subject(nlp: Language) -> None:
    # The parser may make "born ..." the clausal subject of "is"; the description is still the name's.
    assert ("Tarek", "be from", "Lebanese", "demonym") in nominal(
        nlp, "Tarek (born Omar Said Haddad on 8 May 1980 in Beirut, Lebanon) is a Lebanese street artist.")


def test_nationality_the_tagger_labels_as_a_place_language_or_organization(nlp: Language) -> None:
    assert ("Ana Lopes", "be from", "Angolan", "demonym") in nominal(nlp, "Ana Lopes is an Angolan long-distance runner.")
    assert ("Robert Lane", "be from", "U.S.", "demonym") in nominal(
        nlp, "Robert Lane (born May 4, 1970) is a U.S. lawyer and novelist.")


def test_nationality_through_a_chain_of_adjectives(nlp: Language) -> None:
    found = nominal(nlp, "Maria Olsen (2 March 1931 – 4 April 2011) was a Danish social democratic politician.")
    assert ("Maria Olsen", "be from", "Danish", "demonym") in found


def test_nationality_before_a_lower_case_title_and_the_people_it_lists(nlp: Language) -> None:
    assert ("Jane Doyle", "be from", "Irish", "demonym") in nominal(
        nlp, "The song was recorded by Irish singer and songwriter Jane Doyle.")
    assert ("Carlos Mena", "be from", "Peruvian", "demonym") in nominal(
        nlp, "The square was named after the Peruvian ex-president Carlos Mena.")
    found = nominal(nlp, "She was taught by the Argentine sculptors Pedro Soto and Juan Ruiz.")
    assert {("Pedro Soto", "be from", "Argentine", "demonym"), ("Juan Ruiz", "be from", "Argentine", "demonym")} <= found


def test_kinship_noun_before_titled_people(nlp: Language) -> None:
    found = nominal(nlp, "Tom Reed is the son of the actor Paul Lang.")
    assert ("Tom Reed", "be son of", "Paul Lang", "apposition") in found
    found = nominal(nlp, "Tom Reed, the youngest son of the banker Peter Lang, studied law.")
    assert ("Tom Reed", "be youngest son of", "Peter Lang", "apposition") in found


def test_kinship_set_off_after_a_place_describes_the_clause_subject(nlp: Language) -> None:
    found = nominal(nlp, "He was born in Leeds, the son of Arthur Hale and Mary Hale.")
    assert ("He", "be son of", "Mary Hale", "apposition") in found
    assert not any(subject == "Leeds" and lemma == "be son of" and pattern == "apposition" and obj == "Mary Hale"
                   for subject, lemma, obj, pattern in found)


def test_a_verb_whose_object_is_a_titled_person(nlp: Language) -> None:
    assert ("Anna Holt", "marry", "Erik Holt", "apposition") in nominal(nlp, "Anna Holt married the painter Erik Holt in 1950.")


def test_life_span_with_an_unlabelled_place_after_in(nlp: Language) -> None:
    found = nominal(nlp, "Eva Novak (3 May 1940 in Brno – 9 June 2001 in Olomouc) was a Czech rower.")
    assert ("Eva Novak", "be bear in", "Brno", "life_dates") in found
    assert ("Eva Novak", "die in", "Olomouc", "life_dates") in found


def test_a_description_that_opens_the_sentence(nlp: Language) -> None:
    found = nominal(nlp, "A native of Leeds, Peter Walsh joined the army in 1940.")
    assert ("Peter Walsh", "be native of", "Leeds", "apposition") in found
