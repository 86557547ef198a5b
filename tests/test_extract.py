"""Tests of the extraction stage: the clause rules, the pipeline and the ``extract`` command."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from spacy.language import Language

from kgbuild.cli import main
from kgbuild.errors import InputError
from kgbuild.extract import DEFAULT_MODEL, Triple, carb_line, extract_doc, extract_sentences, load_pipeline
from kgbuild.sources import make_article

EXPORT_SENTENCE = (
    "In response, the U.S. has imposed export restrictions on advanced AI chips and related "
    "technologies to China."
)


@pytest.fixture(scope="module")
def nlp() -> Language:
    """The default pipeline with kgbuild's components, loaded once for this module."""
    return load_pipeline(DEFAULT_MODEL)


def triples(nlp: Language, sentence: str) -> tuple[Triple, ...]:
    """Return the triples of one sentence."""
    [(_, found)] = list(extract_sentences([sentence], nlp))
    return found


def find(found: tuple[Triple, ...], subject: str, relation: str) -> list[Triple]:
    """Return the triples with this subject text and relation text."""
    return [t for t in found if t.subject.text == subject and t.relation.text == relation]


def test_pipeline_has_the_components_in_order(nlp: Language) -> None:
    names = nlp.pipe_names
    assert names.index("kgbuild_newline_sentences") < names.index("parser")
    assert names[-1] == "kgbuild_triples"


def test_unknown_model_is_an_input_error_that_says_what_to_do() -> None:
    with pytest.raises(InputError, match="--model"):
        load_pipeline("no_such_pipeline_xyz")


def test_light_verb_relation_with_conjoined_objects_and_argument(nlp: Language) -> None:
    found = find(triples(nlp, EXPORT_SENTENCE), "the U.S.", "has imposed export restrictions on")
    assert sorted(t.object.text for t in found if t.object) == ["advanced AI chips", "related technologies"]
    for triple in found:
        assert triple.relation_lemma == "impose export restriction on"
        assert ("to", "China") in [(a.marker, a.span.text) for a in triple.arguments]
        assert triple.subject.entity_label == "GPE"
        assert not triple.negated and triple.modality == ""
    chips = next(t for t in found if t.object and t.object.text == "advanced AI chips")
    assert chips.object.head == "chip"


def test_offsets_point_into_the_article_and_lines_start_sentences(nlp: Language) -> None:
    text = "US ponders new approach\n\nHuawei develops AI computing systems.\n" + EXPORT_SENTENCE
    article = make_article(text)
    doc = nlp(article.text)
    extraction = extract_doc(doc, article)
    assert extraction.sentence_count == 3
    assert extraction.triples
    for triple in extraction.triples:
        spans = [triple.subject, triple.relation, triple.sentence, *(a.span for a in triple.arguments)]
        spans += [triple.object] if triple.object else []
        for span in spans:
            assert article.text[span.start : span.end] == span.text
    sentences = {t.sentence.text for t in extraction.triples}
    assert "Huawei develops AI computing systems." in sentences


def test_passive_takes_the_by_agent_as_object(nlp: Language) -> None:
    [triple] = find(triples(nlp, "The chips were designed by Nvidia in 2023."), "The chips", "were designed by")
    assert triple.object.text == "Nvidia"
    assert triple.pattern == "passive"
    assert triple.relation_lemma == "design by"
    assert [(a.marker, a.span.text) for a in triple.arguments] == [("in", "2023")]


@pytest.mark.parametrize(("sentence", "subject", "pattern"), [
    ("The deal is very expensive.", "The deal", "attribute"),
    ("The relationship became more competitive.", "The relationship", "svo"),
    ("The theme was Global Solidarity in the AI Era.", "The theme", "copula"),
])
def test_a_copula_with_an_adjective_describes_a_quality(nlp: Language, sentence: str, subject: str,
                                                        pattern: str) -> None:
    (triple,) = [t for t in triples(nlp, sentence) if t.subject.text == subject]
    assert triple.pattern == pattern


def test_negation_and_modality_are_marked(nlp: Language) -> None:
    [negated] = find(triples(nlp, "Huawei did not sell the chips."), "Huawei", "did not sell")
    assert negated.negated
    [modal] = find(triples(nlp, "China could ban the exports."), "China", "could ban")
    assert modal.modality == "could" and not modal.negated
    [reported] = find(triples(nlp, "Officials said that Huawei sells chips."), "Huawei", "sells")
    assert reported.modality == "say"


def test_apposition_and_possessive_give_noun_phrase_triples(nlp: Language) -> None:
    found = triples(nlp, "Jensen Huang, Nvidia's chief executive, visited Beijing.")
    [apposition] = find(found, "Jensen Huang", "is")
    assert apposition.object.text == "Nvidia's chief executive"
    assert apposition.relation_lemma == "be"
    [possessive] = find(found, "Nvidia", "has")
    assert possessive.object.text == "chief executive"
    assert find(found, "Jensen Huang", "visited")[0].object.text == "Beijing"


def test_conjoined_subjects_verbs_and_relative_clauses(nlp: Language) -> None:
    found = triples(nlp, "Alibaba and Tencent build data centres and sell cloud services.")
    pairs = {(t.subject.text, t.relation.text, t.object.text) for t in found if t.object}
    assert {
        ("Alibaba", "build", "data centres"),
        ("Tencent", "build", "data centres"),
        ("Alibaba", "sell", "cloud services"),
        ("Tencent", "sell", "cloud services"),
    } <= pairs
    found = triples(nlp, "Huawei is a company that makes chips.")
    assert [t.object.text for t in find(found, "Huawei", "makes")] == ["chips"]


def test_clausal_complement_is_the_object_of_the_reporting_verb(nlp: Language) -> None:
    found = triples(nlp, "Nvidia announced that the company would resume selling chips to China.")
    [announced] = find(found, "Nvidia", "announced that")
    assert announced.object.text == "the company would resume selling chips to China"
    assert announced.relation_lemma == "announce"
    [resume] = find(found, "the company", "would resume selling")
    assert resume.modality == "would"
    assert resume.object.text == "chips"


def test_dates_and_money_stay_arguments(nlp: Language) -> None:
    found = triples(nlp, "Microsoft bought the startup for $2 billion in January 2025.")
    [bought] = find(found, "Microsoft", "bought")
    assert bought.object.text == "the startup"
    arguments = {(a.marker, a.span.text, a.span.entity_label) for a in bought.arguments}
    assert arguments == {("for", "$2 billion", "MONEY"), ("in", "January 2025", "DATE")}


def test_carb_line_is_tab_separated_with_confidence(nlp: Language) -> None:
    triple = find(triples(nlp, EXPORT_SENTENCE), "the U.S.", "has imposed export restrictions on")[0]
    fields = carb_line(EXPORT_SENTENCE, triple).split("\t")
    assert fields[0] == EXPORT_SENTENCE
    assert 0 < float(fields[1]) <= 1
    assert fields[2:5] == ["has imposed export restrictions on", "the U.S.", "advanced AI chips"]
    assert "to China" in fields[5:]


def test_extract_command_writes_carb_and_jsonl() -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["extract", "-"], input="Huawei develops AI computing systems.\n\n")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Huawei develops AI computing systems.\t0.90\tdevelops\tHuawei\tAI computing systems"
    ]
    result = runner.invoke(main, ["extract", "--format", "jsonl", "-"], input="Huawei did not sell chips.\n")
    assert result.exit_code == 0, result.output
    [record] = [json.loads(line) for line in result.output.splitlines()]
    assert record["negated"] is True
    assert record["object"]["text"] == "chips"
    assert record["subject"] == {"text": "Huawei", "start": 0, "end": 6, "head": "Huawei", "entity_label": "ORG"}


def test_extract_command_reports_a_bad_model_in_one_line() -> None:
    result = CliRunner().invoke(main, ["extract", "--model", "no_such_pipeline_xyz", "-"], input="A b c.\n")
    assert result.exit_code == 2
    assert "no_such_pipeline_xyz" in result.output


def test_light_verb_keeps_articles_in_text_but_not_in_lemma(nlp: Language) -> None:
    [triple] = find(triples(nlp, "The administration took a hard line on chip exports."), "The administration", "took a hard line on")
    assert triple.relation_lemma == "take hard line on"
    assert triple.object.text == "chip exports"


def test_possessed_objects_are_not_folded_into_the_relation(nlp: Language) -> None:
    found = triples(nlp, "The U.S. rejected China's proposals for new AI bodies.")
    [triple] = find(found, "The U.S.", "rejected")
    assert triple.object.text == "China's proposals for new AI bodies"
    [possessive] = find(found, "China", "has")
    assert possessive.object.text == "proposals"


def test_a_negative_determiner_negates_a_light_verb_relation(nlp: Language) -> None:
    [triple] = find(triples(nlp, "Japan imposed no restrictions on chips."), "Japan", "imposed no restrictions on")
    assert triple.negated
    assert triple.object.text == "chips"


def test_object_control_gives_the_object_as_subject(nlp: Language) -> None:
    found = triples(nlp, "The fund helps developing countries build their AI capacity.")
    assert [t.object.text for t in find(found, "developing countries", "build")] == ["their AI capacity"]


def test_locative_noun_modifier_and_title_give_triples(nlp: Language) -> None:
    found = triples(nlp, "Author Bill Bryson visited the Usher Hall in Edinburgh.")
    assert [t.object.text for t in find(found, "the Usher Hall", "is in")] == ["Edinburgh"]
    found = triples(nlp, "The book was praised by author Bill Bryson.")
    [title] = find(found, "Bill Bryson", "is")
    assert title.object.text == "author" and title.pattern == "title"


def test_factive_verbs_do_not_make_their_complement_reported(nlp: Language) -> None:
    [smuggled] = find(triples(nlp, "A report revealed that the chips were smuggled into China."), "the chips", "were smuggled into")
    assert smuggled.modality == ""
    [claimed] = find(triples(nlp, "A report claimed that the chips were smuggled into China."), "the chips", "were smuggled into")
    assert claimed.modality == "claim"


def test_run_on_text_is_cut_into_bounded_sentences(nlp: Language) -> None:
    run_on = " ".join(["officials reviewed the rules and"] * 200)
    doc = nlp(f"Huawei develops chips. {run_on} Nvidia sells chips.")
    lengths = [len(sentence) for sentence in doc.sents]
    assert max(lengths) <= 200
    assert doc[:4].text == "Huawei develops chips." and doc[4].is_sent_start
    ordinary = nlp("The U.S. has imposed export restrictions on advanced AI chips and related technologies to China.")
    assert len(list(ordinary.sents)) == 1


@pytest.mark.parametrize("dateline", [
    "LONDON, March 3 (Reuters) - ",
    "WASHINGTON (AP) — ",
    "SAN FRANCISCO -- ",
    "NEW YORK, Jan. 5, 2024 (Reuters) - ",
])
def test_a_news_dateline_is_a_fragment_of_its_own_and_never_a_subject(nlp: Language, dateline: str) -> None:
    text = f"Markets were calm.\n{dateline}Acme Corp said it had bought Widget Inc."
    doc = nlp(text)
    sentences = [s.text.strip() for s in doc.sents]
    assert dateline.strip() in sentences
    assert "Acme Corp said it had bought Widget Inc." in sentences
    subjects = {t.subject.text for t in extract_doc(doc, make_article(text, "news")).triples}
    assert "Acme Corp" in subjects
    assert not any(dateline.split(",")[0].split(" (")[0].strip(" -—") in s for s in subjects)


@pytest.mark.parametrize("text", [
    "US-China trade talks - a new round - began in Geneva.",
    "NATO - the alliance of 32 countries - met in Brussels.",
])
def test_a_capitalized_word_and_a_dash_in_running_text_is_no_dateline(nlp: Language, text: str) -> None:
    assert len(list(nlp(text).sents)) == 1


def test_a_based_compound_places_its_noun_whatever_the_name_was_tagged(nlp: Language) -> None:
    found = triples(nlp, "Shell agreed to buy the Rotterdam-based storage group Vopak.")
    based = [t for t in found if t.relation.text == "based"]
    assert [(t.subject.text, t.relation_lemma, t.object.text) for t in based] == [("Vopak", "be base in", "Rotterdam")]


def test_a_noun_after_a_reporting_verb_s_clause_is_not_its_object(nlp: Language) -> None:
    found = triples(nlp, "Acme Corp said on Monday it had agreed to buy Widget Inc for $5 billion, "
                         "its biggest deal since 2016.")
    said = [t for t in found if t.relation.text.startswith("said")]
    assert [t.pattern for t in said] == ["report"]
    assert "biggest deal" not in said[0].object.text or said[0].object.text.startswith("it had agreed")
