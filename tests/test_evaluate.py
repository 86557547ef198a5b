"""Tests of the CaRB scorer and the ``evaluate`` command."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kgbuild.cli import main
from kgbuild.errors import InputError
from kgbuild.evaluate import (
    CurvePoint,
    area_under_curve,
    evaluate,
    lenient_match,
    make_tuple,
    read_gold,
    score,
    sentence_key,
)



def _find_carb_dev() -> Path:
    """Find ``shared/data/carb/dev.tsv`` next to the checkout (``../shared``) or a folder above it."""
    for folder in Path(__file__).resolve().parents[1:]:
        candidate = folder / "shared" / "data" / "carb" / "dev.tsv"
        if candidate.is_file():
            return candidate
    raise FileNotFoundError("shared/data/carb/dev.tsv is not next to the checkout or any folder above it")


def write(path: Path, lines: list[str]) -> Path:
    """Write lines to a file and return its path."""
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_sentence_key_ignores_spaces_and_punctuation() -> None:
    assert sentence_key("It was `` great , '' he said .") == sentence_key("It was ``great,'' he said.")
    assert sentence_key("a b") != sentence_key("a c")


def test_lenient_match_counts_shared_words_per_part() -> None:
    gold = make_tuple("plays", ["Blagoja", "for the Jets"])
    predicted = make_tuple("plays for", ["Blagoja", "the Jets", "yesterday"])
    # relation 1 + arg1 1 + object 2 ("the", "Jets") shared; 6 predicted and 5 gold words.
    assert lenient_match(gold, predicted) == pytest.approx((4 / 6, 4 / 5))


def test_lenient_match_needs_a_relation_word_and_both_arguments() -> None:
    gold = make_tuple("plays", ["Blagoja", "for the Jets"])
    assert lenient_match(gold, make_tuple("is", ["Blagoja", "for the Jets"])) is None
    assert lenient_match(gold, make_tuple("plays", ["Blagoja"])) is None
    assert lenient_match(gold, make_tuple("plays", ["someone", "else"])) == pytest.approx((1 / 3, 1 / 5))


def test_reversed_arguments_count_for_reporting_relations_only() -> None:
    predicted = make_tuple("said", ["it will rain", "the forecaster"])
    assert lenient_match(make_tuple("said", ["the forecaster", "it will rain"]), predicted) == (1.0, 1.0)
    reversed_plain = lenient_match(make_tuple("ate", ["the cat", "a mouse"]), make_tuple("ate", ["a mouse", "the cat"]))
    assert reversed_plain == pytest.approx((1 / 5, 1 / 5))


def test_context_arguments_are_dropped_from_gold(tmp_path: Path) -> None:
    gold = read_gold(write(tmp_path / "gold.tsv", ["He left .\tleft\tHe\tearly\tC: after dinner"]))
    [only] = gold[sentence_key("He left .")]
    assert only == make_tuple("left", ["He", "early"])


def test_precision_is_one_to_one_and_recall_takes_the_best_match() -> None:
    gold = {"s": [make_tuple("ate", ["the cat", "a mouse"])]}
    predictions = {
        "s": [
            make_tuple("ate", ["the cat", "a mouse"], 0.9),
            make_tuple("ate", ["the cat", "a mouse"], 0.8),
        ]
    }
    result = score(gold, predictions)
    assert [(p.threshold, p.precision, p.recall) for p in result.curve] == [(0.9, 1.0, 1.0), (0.8, 0.5, 1.0)]
    assert result.best.threshold == 0.9 and result.best.f1 == 1.0


def test_gold_tuples_without_predictions_lower_recall() -> None:
    gold = {"s": [make_tuple("ate", ["the cat", "a mouse"])], "t": [make_tuple("ran", ["a dog", "away"])]}
    result = score(gold, {"s": [make_tuple("ate", ["the cat", "a mouse"], 0.5)], "u": [make_tuple("x", ["y", "z"], 0.5)]})
    assert (result.best.precision, result.best.recall) == (1.0, 0.5)
    assert result.unmatched_predictions == 1


def test_area_under_curve_adds_the_point_recall_zero_precision_one() -> None:
    curve = [CurvePoint(0.9, 0.5, 0.5), CurvePoint(0.5, 0.5, 1.0)]
    # Trapezoid from (0, 1) to (0.5, 0.5), then a flat 0.5 up to recall 1.
    assert area_under_curve(curve) == pytest.approx(0.5 * 0.75 + 0.5 * 0.5)


def test_gold_as_predictions_scores_full_marks_on_carb_dev(tmp_path: Path) -> None:
    carb_dev = _find_carb_dev()
    lines = []
    for line in carb_dev.read_text(encoding="utf-8").splitlines():
        sentence, relation, *arguments = line.split("\t")
        arguments = [a for a in arguments if not a.lstrip().startswith("C: ")]
        lines.append("\t".join([sentence, "1.0", relation, *arguments]))
    result = evaluate(carb_dev, write(tmp_path / "predictions.tsv", lines))
    assert result.gold_tuples == 2548
    assert result.best.f1 >= 0.99
    assert result.auc >= 0.99


def test_malformed_predictions_are_an_input_error(tmp_path: Path) -> None:
    gold = write(tmp_path / "gold.tsv", ["He left .\tleft\tHe\tearly"])
    with pytest.raises(InputError, match="line 1"):
        evaluate(gold, write(tmp_path / "p.tsv", ["He left .\thigh\tleft\tHe\tearly"]))


def test_evaluate_command_prints_figures_and_writes_the_curve(tmp_path: Path) -> None:
    gold = write(tmp_path / "gold.tsv", ["He left early .\tleft\tHe\tearly", "She sang .\tsang\tShe\tloudly"])
    predictions = write(tmp_path / "p.tsv", ["He left early .\t0.8\tleft\tHe\tearly"])
    curve = tmp_path / "curve.csv"
    result = CliRunner().invoke(main, ["evaluate", "--gold", str(gold), str(predictions), "--curve", str(curve)])
    assert result.exit_code == 0, result.output
    assert "precision 1.000  recall 0.500  F1 0.667" in result.output
    assert curve.read_text().splitlines() == ["threshold,precision,recall,f1", "0.8000,1.0000,0.5000,0.6667"]
    missing = CliRunner().invoke(main, ["evaluate", "--gold", str(tmp_path / "nope.tsv"), str(predictions)])
    assert missing.exit_code == 2
