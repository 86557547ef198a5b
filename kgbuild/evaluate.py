"""Score open-IE predictions against CaRB gold tuples, as described by Bhardwaj et al. (2019).

This follows the description of CaRB's scorer in "CaRB: A Crowdsourced Benchmark for Open IE"
(EMNLP 2019); it is written from that description, not from CaRB's code:

- gold lines are ``sentence<TAB>relation<TAB>arg1<TAB>arg2...``; arguments that start with
  ``C: `` (context) are dropped. Prediction lines are ``sentence<TAB>confidence<TAB>relation<TAB>arg1...``;
- sentences are matched after removing everything but letters and digits;
- tuples are compared with the binary lenient tuple match: arguments 2..n are joined into one
  object, and each part (relation, arg1, object) is compared as a bag of words (split on white
  space, case-sensitive). A pair matches only if at least one relation word is shared and the
  prediction has each of the first two arguments that the gold tuple has. Its precision is the
  shared words over the predicted words, its recall the shared words over the gold words;
- for a gold relation of saying or telling, the prediction with its two arguments swapped counts too;
- recall credits each gold tuple with its best-matching prediction; precision assigns
  predictions to gold tuples one to one, greedily by match precision;
- both are computed at every distinct confidence threshold; the result is the best F1 on that
  curve and the area under the precision-recall curve with the point (R=0, P=1) added.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kgbuild.atomic import atomic_write
from kgbuild.errors import InputError

#: Gold relations whose arguments annotators wrote in either order ("X said Y" and "Y, X said").
REPORTING_WORDS = frozenset({"say", "says", "said", "saying", "tell", "tells", "told", "telling"})
#: Prefix of a gold argument that is context, not part of the tuple.
CONTEXT_PREFIX = "C: "


@dataclass(frozen=True)
class OpenTuple:
    """A relation with its subject and joined object, each as a bag of words."""

    relation: Counter[str]
    subject: Counter[str] | None
    object: Counter[str] | None
    confidence: float = 1.0

    @property
    def size(self) -> int:
        """Return the number of words in all parts."""
        return sum(sum(part.values()) for part in (self.relation, self.subject, self.object) if part is not None)


@dataclass(frozen=True)
class CurvePoint:
    """Precision and recall of the predictions at or above one confidence threshold."""

    threshold: float
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        """Return the harmonic mean of precision and recall."""
        total = self.precision + self.recall
        return 0.0 if total == 0 else 2 * self.precision * self.recall / total


@dataclass(frozen=True)
class Evaluation:
    """The result of :func:`evaluate`: the best point, the AUC and the whole curve."""

    best: CurvePoint
    auc: float
    curve: tuple[CurvePoint, ...]
    gold_tuples: int
    gold_sentences: int
    predictions: int
    #: Predictions for sentences that are not in the gold file; they are not scored.
    unmatched_predictions: int

    def summary(self) -> str:
        """Return the figures as a few lines of text."""
        best = self.best
        return (
            f"precision {best.precision:.3f}  recall {best.recall:.3f}  F1 {best.f1:.3f}  "
            f"AUC {self.auc:.3f}  (best F1 at confidence >= {best.threshold:.2f})\n"
            f"{self.gold_tuples} gold tuples in {self.gold_sentences} sentences; {self.predictions} predictions"
            f" scored, {self.unmatched_predictions} for sentences not in the gold file ignored"
        )


def sentence_key(sentence: str) -> str:
    """Return the sentence with spaces and punctuation removed, for matching across tokenizations."""
    return "".join(ch for ch in sentence if ch.isalnum())


def _bag(text: str) -> Counter[str]:
    """Return the words of a text, split on white space, as a bag."""
    return Counter(text.split())


def make_tuple(relation: str, arguments: Sequence[str], confidence: float = 1.0) -> OpenTuple:
    """Binarize a relation and its arguments: arg1 stays, arguments 2..n become one object."""
    subject = _bag(arguments[0]) if arguments else None
    obj = _bag(" ".join(arguments[1:])) if len(arguments) > 1 else None
    return OpenTuple(_bag(relation), subject, obj, confidence)


def _read_lines(path: Path) -> Iterable[tuple[int, list[str]]]:
    """Yield the line number and tab-separated fields of each non-blank line of a file."""
    try:
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                line = line.rstrip("\r\n")
                if line.strip():
                    yield number, line.split("\t")
    except OSError as error:
        raise InputError(f"cannot read ({error.strerror or error})", path) from error
    except UnicodeDecodeError as error:
        raise InputError("not UTF-8 text", path) from error


def read_gold(path: Path) -> dict[str, list[OpenTuple]]:
    """Read CaRB gold tuples, keyed by :func:`sentence_key`, dropping context arguments."""
    gold: dict[str, list[OpenTuple]] = defaultdict(list)
    for number, fields in _read_lines(path):
        if len(fields) < 3:
            raise InputError(f"line {number}: expected sentence, relation and arguments separated by tabs", path)
        arguments = [a.strip() for a in fields[2:] if not a.lstrip().startswith(CONTEXT_PREFIX)]
        gold[sentence_key(fields[0])].append(make_tuple(fields[1], arguments))
    return dict(gold)


def read_predictions(path: Path) -> dict[str, list[OpenTuple]]:
    """Read predictions in CaRB's tabbed format, keyed by :func:`sentence_key`."""
    predictions: dict[str, list[OpenTuple]] = defaultdict(list)
    for number, fields in _read_lines(path):
        if len(fields) < 4:
            raise InputError(f"line {number}: expected sentence, confidence, relation and arguments", path)
        try:
            confidence = float(fields[1])
        except ValueError as error:
            raise InputError(f"line {number}: confidence {fields[1]!r} is not a number", path) from error
        predictions[sentence_key(fields[0])].append(make_tuple(fields[2], fields[3:], confidence))
    return dict(predictions)


def _overlap(gold: Counter[str], predicted: Counter[str]) -> int:
    """Count the words two bags share."""
    return sum((gold & predicted).values())


def lenient_match(gold: OpenTuple, predicted: OpenTuple) -> tuple[float, float] | None:
    """Return (precision, recall) of a prediction against a gold tuple, or None if they do not match."""
    best = _match_in_order(gold, predicted)
    if gold.relation.keys() & REPORTING_WORDS:
        swapped = OpenTuple(predicted.relation, predicted.object, predicted.subject, predicted.confidence)
        reversed_match = _match_in_order(gold, swapped)
        if reversed_match is not None and (best is None or sum(reversed_match) > sum(best)):
            best = reversed_match
    return best


def _match_in_order(gold: OpenTuple, predicted: OpenTuple) -> tuple[float, float] | None:
    """Match part by part: relation to relation, arg1 to arg1, object to object."""
    shared = _overlap(gold.relation, predicted.relation)
    if shared == 0:
        return None
    for gold_part, predicted_part in ((gold.subject, predicted.subject), (gold.object, predicted.object)):
        if gold_part is None:
            continue
        if predicted_part is None:
            return None
        shared += _overlap(gold_part, predicted_part)
    predicted_size, gold_size = predicted.size, gold.size
    precision = shared / predicted_size if predicted_size else 0.0
    recall = shared / gold_size if gold_size else 0.0
    return precision, recall


def _sentence_scores(
    matches: list[list[tuple[float, float] | None]], selected: list[int]
) -> tuple[float, float]:
    """Return summed precision (greedy one-to-one) and summed recall (best match) for chosen predictions."""
    recall_sum = 0.0
    for row in matches:
        recall_sum += max((row[p][1] for p in selected if row[p] is not None), default=0.0)
    pairs = sorted(
        ((row[p][0], row[p][1], g, p) for g, row in enumerate(matches) for p in selected if row[p] is not None),
        key=lambda pair: (-pair[0], -pair[1], pair[2], pair[3]),
    )
    used_gold: set[int] = set()
    used_predicted: set[int] = set()
    precision_sum = 0.0
    for precision, _recall, g, p in pairs:
        if g in used_gold or p in used_predicted:
            continue
        used_gold.add(g)
        used_predicted.add(p)
        precision_sum += precision
    return precision_sum, recall_sum


def score(gold: dict[str, list[OpenTuple]], predictions: dict[str, list[OpenTuple]]) -> Evaluation:
    """Sweep every confidence threshold and return the best-F1 point, the AUC and the curve."""
    # Each sentence's sums only change at its own confidences, so record the change there
    # and add the changes up over thresholds from high to low.
    precision_steps: dict[float, float] = defaultdict(float)
    recall_steps: dict[float, float] = defaultdict(float)
    count_steps: dict[float, int] = defaultdict(int)
    scored = 0
    for key, predicted in predictions.items():
        gold_tuples = gold.get(key)
        if gold_tuples is None:
            continue
        scored += len(predicted)
        matches = [[lenient_match(g, p) for p in predicted] for g in gold_tuples]
        previous_precision = previous_recall = 0.0
        for threshold in sorted({p.confidence for p in predicted}, reverse=True):
            selected = [i for i, p in enumerate(predicted) if p.confidence >= threshold]
            precision_sum, recall_sum = _sentence_scores(matches, selected)
            precision_steps[threshold] += precision_sum - previous_precision
            recall_steps[threshold] += recall_sum - previous_recall
            count_steps[threshold] += sum(1 for p in predicted if p.confidence == threshold)
            previous_precision, previous_recall = precision_sum, recall_sum

    gold_count = sum(len(tuples) for tuples in gold.values())
    curve: list[CurvePoint] = []
    precision_total = recall_total = 0.0
    count_total = 0
    for threshold in sorted(count_steps, reverse=True):
        precision_total += precision_steps[threshold]
        recall_total += recall_steps[threshold]
        count_total += count_steps[threshold]
        curve.append(CurvePoint(threshold, precision_total / count_total, recall_total / gold_count if gold_count else 0.0))
    best = max(curve, key=lambda point: (point.f1, point.threshold), default=CurvePoint(1.0, 0.0, 0.0))
    total = sum(len(p) for p in predictions.values())
    return Evaluation(best, area_under_curve(curve), tuple(curve), gold_count, len(gold), scored, total - scored)


def area_under_curve(curve: Sequence[CurvePoint]) -> float:
    """Return the trapezoidal area under precision over recall, starting from (R=0, P=1)."""
    points = sorted([(0.0, 1.0), *((p.recall, p.precision) for p in curve)], key=lambda rp: (rp[0], -rp[1]))
    return sum((r2 - r1) * (p1 + p2) / 2 for (r1, p1), (r2, p2) in zip(points, points[1:]))


def evaluate(gold: Path, predictions: Path, curve_csv: Path | None = None) -> Evaluation:
    """Score a CaRB-format predictions file against a CaRB gold file; optionally write the curve as CSV."""
    evaluation = score(read_gold(gold), read_predictions(predictions))
    if curve_csv is not None:
        with atomic_write(curve_csv, "w") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(["threshold", "precision", "recall", "f1"])
            for point in evaluation.curve:
                writer.writerow([f"{point.threshold:.4f}", f"{point.precision:.4f}", f"{point.recall:.4f}", f"{point.f1:.4f}"])
    return evaluation
