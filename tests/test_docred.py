"""Tests of the DocRED scorer (kgbuild/docred.py) and `kgbuild evaluate` on DocRED-format JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kgbuild.cli import main
from kgbuild.docred import (
    GoldDocument,
    bcubed,
    is_docred,
    predict_document,
    read_docred,
    rebuild_text,
    score_documents,
    score_predictions,
    score_relations,
    wikidata_alignment,
)
from kgbuild.errors import InputError
from kgbuild.normalize import Entity, EntityMention, Evidence, Fact, Relation, Value
from kgbuild.ontology import load_ontology

DATA = Path(__file__).parent / "data"
TINY = DATA / "docred_tiny.json"
ALIGNMENT = DATA / "docred_alignment.ttl"
T = "https://example.org/docred-test#"
ID = "https://w3id.org/kgbuild/id/"


def node(name: str, kind: str = "entity") -> Entity:
    """Return a node named ``name``."""
    return Entity(f"{ID}{kind}/{name}", name.replace("_", " "), (), kind)


def fact(subject: Entity, prop: str, obj: Entity | Value, document: GoldDocument, sentence: int,
         negated: bool = False) -> Fact:
    """Return a fact with the property ``T + prop`` read from one sentence of the document."""
    start, end = document.sentences[sentence]
    evidence = Evidence("doc", document.text[start:end], start, end, prop, 0.9)
    return Fact(subject, Relation(T + prop, prop), obj, evidence, negated=negated)  # type: ignore[arg-type]


def mention(entity: Entity, document: GoldDocument, text: str, occurrence: int = 0) -> EntityMention:
    """Return a mention of ``entity`` at the n-th place ``text`` is written in the document."""
    start = -1
    for _ in range(occurrence + 1):
        start = document.text.index(text, start + 1)
    return EntityMention(entity.iri, start, start + len(text), text)


def test_rebuilt_text_attaches_punctuation_and_keeps_token_offsets() -> None:
    text, offsets = rebuild_text([["Anna", '"', "Ana", '"', "Berg", "(", "born", "1970", ")", "is", "a", "two", "-",
                                   "time", "winner", "."], ["She", "'s", "here", "."]])
    assert text == 'Anna "Ana" Berg (born 1970) is a two-time winner. She\'s here.'
    tokens = [["Anna", '"', "Ana", '"', "Berg", "(", "born", "1970", ")", "is", "a", "two", "-", "time", "winner",
               "."], ["She", "'s", "here", "."]]
    for sentence, positions in zip(tokens, offsets):
        assert [text[start:end] for start, end in positions] == sentence


def test_read_docred_gives_mentions_as_character_offsets() -> None:
    documents = read_docred(TINY)
    assert [d.title for d in documents] == ["Marta Lindqvist", "Kessel Bridge"]
    first = documents[0]
    assert first.text.startswith("Marta Lindqvist is a Swedish chemist who works for Norrland Polymers. Lindqvist")
    for entity in first.entities:
        for gold in entity:
            assert first.text[gold.start:gold.end] == gold.name
    assert first.facts[(0, 4, "P569")] == (1,)
    assert first.sentence_text(1) == "Lindqvist was born in Umeå on 4 May 1971."


@pytest.mark.parametrize("content, reason", [
    ("{}", "expected a JSON list of documents"),
    ("[{\"sents\": [[\"A\"]]}]", "document 0: not in DocRED format (KeyError"),
    ('[{"sents": [["A", "b"]], "vertexSet": [[{"name": "A", "sent_id": 0, "pos": [1, 5]}]], "labels": []}]',
     "document 0: entity 0 has a mention outside its sentence"),
    ('[{"sents": [["A"]], "vertexSet": [], "labels": [{"h": 0, "t": 1, "r": "P1"}]}]',
     "a fact names an entity that is not in vertexSet"),
    ("[{", "not JSON"),
])
def test_malformed_docred_is_an_input_error_naming_the_file(tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read_docred(path)
    assert str(raised.value).startswith(f"{path}: ")
    assert reason in str(raised.value)


def test_docred_files_are_told_from_carb_files(tmp_path: Path) -> None:
    assert is_docred(TINY)
    listed = tmp_path / "gold.txt"
    listed.write_text('\n  [{"sents": []}]', encoding="utf-8")
    assert is_docred(listed)
    carb = tmp_path / "dev.tsv"
    carb.write_text("A sentence .\tis\tA\tsentence\n", encoding="utf-8")
    assert not is_docred(carb)


def test_bcubed_on_a_hand_computed_clustering() -> None:
    # Gold A = {a1, a2, a3}, B = {b1, b2}; predicted X = {a1, a2}, Y = {a3, b1}, b2 alone.
    # Precision: a1 1, a2 1, a3 1/2, b1 1/2, b2 1 -> 4/5. Recall: 2/3, 2/3, 1/3, 1/2, 1/2 -> 8/15.
    score = bcubed([("A", "X"), ("A", "X"), ("A", "Y"), ("B", "Y"), ("B", "b2")])
    assert score.items == 5
    assert score.precision == pytest.approx(4 / 5)
    assert score.recall == pytest.approx(8 / 15)
    assert score.f1 == pytest.approx(2 * (4 / 5) * (8 / 15) / (4 / 5 + 8 / 15))
    assert bcubed([("A", 1), ("A", 1), ("B", 2)]).f1 == 1.0


def test_relation_scores_per_property_are_sorted_by_gold_count() -> None:
    gold = {(0, 0, 1, "P17"), (0, 1, 2, "P17"), (0, 0, 2, "P131"), (1, 0, 1, "P27")}
    predicted = {(0, 0, 1, "P17"), (0, 2, 1, "P17"), (1, 0, 1, "P27"), (1, 0, "x", "P19")}
    scores = score_relations(gold, predicted, {"P17": "country"})
    assert [(s.property, s.label, s.gold, s.predicted, s.correct) for s in scores] == [
        ("P17", "country", 2, 2, 1), ("P27", "", 1, 1, 1), ("P131", "", 1, 0, 0), ("P19", "", 0, 1, 0)]
    assert scores[0].precision == scores[0].recall == scores[0].f1 == 0.5
    assert scores[2].f1 == 0.0


def test_gold_fed_back_as_predictions_scores_one() -> None:
    documents = read_docred(TINY)
    gold = {(number, h, t, r) for number, d in enumerate(documents) for h, t, r in d.facts}
    result = score_predictions(documents, gold)
    assert (result.precision, result.recall, result.f1) == (1.0, 1.0, 1.0)
    assert result.gold == result.predicted == result.correct == 8
    half = score_predictions(documents, sorted(gold)[:4] + [(0, 1, 0, "P17")])
    assert (half.correct, half.predicted, half.gold) == (4, 5, 8)
    assert half.precision == pytest.approx(0.8) and half.recall == pytest.approx(0.5)


def test_alignment_reads_equivalent_inverse_and_symmetric_properties() -> None:
    alignment = wikidata_alignment(load_ontology([ALIGNMENT]))
    assert alignment.readings[T + "worksFor"] == (("P108", False),)
    # No Wikidata property of its own: counts as the inverse's, head and tail swapped.
    assert alignment.readings[T + "employs"] == (("P108", True),)
    # Both aligned: a fact also states its inverse.
    assert alignment.readings[T + "hasPart"] == (("P361", True), ("P527", False))
    assert alignment.readings[T + "siblingOf"] == (("P3373", False), ("P3373", True))
    assert alignment.labels["P108"] == "works for"


def test_a_hand_built_prediction_scores_exactly() -> None:
    document = read_docred(TINY)[0]
    alignment = wikidata_alignment(load_ontology([ALIGNMENT]))
    marta, lindqvist, sweden = node("Marta_Lindqvist"), node("Lindqvist"), node("Sweden")
    polymers, places, company = node("Norrland_Polymers"), node("Umeå_or_Luleå"), node("company", "concept")
    board = node("board_of_Norrland_Polymers", "concept")
    mentions = [
        mention(marta, document, "Marta Lindqvist"), mention(lindqvist, document, "Lindqvist", 1),
        mention(sweden, document, "Swedish"), mention(polymers, document, "Norrland Polymers"),
        mention(polymers, document, "Norrland Polymers", 1),
        # Overlaps the second "Norrland Polymers" by as many characters, but is longer: loses the tie.
        mention(board, document, "board of Norrland Polymers"),
        mention(places, document, "Umeå"), mention(places, document, "Luleå"), mention(company, document, "a company"),
    ]
    facts = [
        fact(marta, "worksFor", polymers, document, 0),  # (Marta, P108, Norrland Polymers): correct
        fact(polymers, "employs", marta, document, 0),  # the same, stated the other way round
        # In its own sentence the "Umeå or Luleå" node matches Umeå: (Marta, P19, Umeå), correct.
        fact(lindqvist, "bornIn", places, document, 1),
        # In a sentence where it is not named, it stands for what it matches in the whole document:
        # Umeå and Luleå one gold mention each, Luleå overlaps more characters. (Marta, P27, Luleå): wrong.
        fact(marta, "citizenOf", places, document, 0),
        fact(marta, "bornOn", Value("1971-05-04", "http://www.w3.org/2001/XMLSchema#date"), document, 1),  # correct
        fact(polymers, "basedIn", company, document, 2),  # the tail stands for no gold entity: wrong
        fact(polymers, "basedIn", node("Stockholm"), document, 2),  # named nowhere in the text: wrong
        fact(marta, "citizenOf", sweden, document, 0, negated=True),  # not asserted: not counted
        Fact(marta, Relation(f"{ID}relation/cooperate_with", "cooperate with", True), board,
             Evidence("doc", "", 0, 0, "cooperates with", 0.5)),  # no Wikidata property: not counted
    ]
    prediction = predict_document(document, facts, mentions)
    assert prediction.entity_of[places.iri] == 6
    assert board.iri not in prediction.entity_of
    result = score_documents([document], [prediction], alignment)
    assert (result.gold, result.predicted, result.correct) == (5, 6, 3)
    assert result.precision == pytest.approx(0.5) and result.recall == pytest.approx(0.6)
    assert [(s.property, s.gold, s.predicted, s.correct) for s in result.properties] == [
        ("P159", 1, 2, 0), ("P19", 1, 1, 1), ("P27", 1, 1, 0), ("P108", 1, 1, 1), ("P569", 1, 1, 1)]
    # Nine gold mentions: Marta Lindqvist is split over two nodes, Umeå and Luleå share one, the dates
    # match nothing. Precision 8/9 (Umeå and Luleå 1/2 each); recall 8/9 (the two Lindqvist mentions 1/2 each).
    clustering = result.clustering
    assert clustering is not None
    assert (clustering.items, clustering.matched) == (9, 7)
    assert clustering.precision == pytest.approx(8 / 9) and clustering.recall == pytest.approx(8 / 9)
    reasons = {(e.kind, e.property, e.tail): e.reason for e in result.errors}
    assert reasons == {
        ("false positive", "P27", "Luleå"): "gold relates them by nothing",
        ("false positive", "P159", "company"): "no gold entity for the tail",
        ("false positive", "P159", "Stockholm"): "the text never names the tail",
        ("false negative", "P27", "Swedish"): "no fact links them",  # the only fact between them is negated
        ("false negative", "P159", "Luleå"): "no fact links them",
    }


def test_evaluate_runs_the_pipeline_on_docred_json(tmp_path: Path) -> None:
    scores, errors = tmp_path / "scores.json", tmp_path / "errors.jsonl"
    result = CliRunner().invoke(main, ["evaluate", "--gold", str(TINY), "--ontology", str(ALIGNMENT), "-o",
                                       str(scores), "--errors", str(errors), "-q"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("documents: 2\nrelations: precision ")
    assert "entity clustering (B-cubed over 14 gold mentions" in result.output
    written = json.loads(scores.read_text(encoding="utf-8"))
    relations = written["relations"]
    assert (written["documents"], relations["gold"]) == (2, 8)
    assert written["clustering"]["mentions"] == 14
    cases = [json.loads(line) for line in errors.read_text(encoding="utf-8").splitlines()]
    false_negatives = [c for c in cases if c["error"] == "false negative"]
    false_positives = [c for c in cases if c["error"] == "false positive"]
    assert len(false_negatives) == relations["gold"] - relations["correct"]
    assert len(false_positives) == relations["predicted"] - relations["correct"]
    assert all(c["sentences"] and c["document"] in ("Marta Lindqvist", "Kessel Bridge") for c in cases)
    again = CliRunner().invoke(main, ["evaluate", "--gold", str(TINY), "--ontology", str(ALIGNMENT), "--json",
                                      "--limit", "1", "-q"])
    assert again.exit_code == 0, again.output
    one = json.loads(again.output)
    assert one["documents"] == 1 and one["relations"]["gold"] == 5


def test_evaluate_scores_docred_result_files(tmp_path: Path) -> None:
    raw = json.loads(TINY.read_text(encoding="utf-8"))
    predictions = tmp_path / "result.json"
    predictions.write_text(json.dumps([{"title": d["title"], "h_idx": label["h"], "t_idx": label["t"],
                                        "r": label["r"]} for d in raw for label in d["labels"]]), encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", "--gold", str(TINY), str(predictions), "--json", "-q"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)["relations"]
    assert (scores["precision"], scores["recall"], scores["f1"], scores["gold"]) == (1.0, 1.0, 1.0, 8)


def test_evaluate_reports_bad_docred_input_in_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('[{"sents": [["A"]]}]', encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", "--gold", str(bad)])
    assert result.exit_code == 2
    assert result.output.startswith(f"kgbuild: error: {bad}: document 0: not in DocRED format")
    assert "Traceback" not in result.output and result.output.count("\n") == 1
    stray = tmp_path / "result.json"
    stray.write_text('[{"title": "Nowhere", "h_idx": 0, "t_idx": 1, "r": "P17"}]', encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", "--gold", str(TINY), str(stray)])
    assert result.exit_code == 2
    assert "prediction 0: no gold document is titled 'Nowhere'" in result.output


def test_carb_gold_still_needs_predictions(tmp_path: Path) -> None:
    gold = tmp_path / "dev.tsv"
    gold.write_text("A b c .\tb\tA\tc\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", "--gold", str(gold)])
    assert result.exit_code == 2
    assert "CaRB gold needs PREDICTIONS" in result.output


def test_options_of_the_other_format_are_refused(tmp_path: Path) -> None:
    gold = tmp_path / "dev.tsv"
    gold.write_text("A b c .\tb\tA\tc\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", "--gold", str(gold), str(gold), "--limit", "3", "--json"])
    assert result.exit_code == 2
    assert "--limit, --json only apply to DocRED-format gold" in result.output
    result = CliRunner().invoke(main, ["evaluate", "--gold", str(TINY), "--curve", str(tmp_path / "c.csv")])
    assert result.exit_code == 2
    assert "--curve only applies to CaRB gold" in result.output
