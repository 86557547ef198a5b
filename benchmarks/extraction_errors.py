"""Count the CaRB gold tuples that extraction misses and the predictions that match no gold tuple.

Usage: python benchmarks/extraction_errors.py [SENTENCES.txt GOLD.tsv]

Defaults to CaRB dev (shared/data/carb/ next to the checkout or a folder above it). A gold
tuple is missed when no prediction for its sentence matches it (CaRB's lenient match); a
prediction is wrong when it matches no gold tuple of its sentence. Misses are grouped by the
gold relation's words, wrong predictions by the rule (pattern) that made them.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from kgbuild.evaluate import OpenTuple, lenient_match, make_tuple, read_gold, sentence_key
from kgbuild.extract import carb_line, extract_sentences, load_pipeline

ROOT = Path(__file__).resolve().parent.parent
COPULAS = {"is", "are", "was", "were"}
PREPOSITIONS = {"in", "of", "at", "from", "on", "for", "by", "to", "with"}


def carb_dev() -> tuple[Path, Path]:
    """Return CaRB dev's sentences and gold tuples from ``shared/`` next to the checkout or above it."""
    for folder in ROOT.parents:
        carb = folder / "shared" / "data" / "carb"
        if (carb / "dev.txt").is_file():
            return carb / "dev.txt", carb / "dev.tsv"
    raise SystemExit("give SENTENCES.txt GOLD.tsv; shared/data/carb/ was not found")


def gold_class(relation: list[str], sentence_words: set[str]) -> str:
    """Name the kind of a gold relation by its words."""
    if len(relation) == 1 and relation[0] in COPULAS:
        return "bare copula is/are/was/were"
    if len(relation) == 1 and relation[0] in {"has", "had", "have"}:
        return "has/had/have"
    if len(relation) == 2 and relation[0] in COPULAS and relation[1] in PREPOSITIONS:
        return "be + preposition"
    if not any(word in sentence_words for word in relation):
        return "no relation word in the sentence"
    return "a verb from the sentence"


def main() -> None:
    """Print the missed gold tuples and the wrong predictions as two tables."""
    sentences_path, gold_path = (Path(sys.argv[1]), Path(sys.argv[2])) if len(sys.argv) == 3 else carb_dev()
    gold = read_gold(gold_path)
    gold_relations: dict[str, list[tuple[list[str], str]]] = {}
    for line in gold_path.read_text(encoding="utf-8").splitlines():
        sentence, relation, *_ = line.split("\t")
        gold_relations.setdefault(sentence_key(sentence), []).append((relation.split(), sentence))
    nlp = load_pipeline()
    nlp.disable_pipe("kgbuild_mentions")
    lines = sentences_path.read_text(encoding="utf-8").splitlines()
    predictions: dict[str, list[OpenTuple]] = {}
    wrong, made = Counter(), Counter()
    for sentence, triples in extract_sentences(lines, nlp):
        key = sentence_key(sentence)
        if key not in gold:
            continue
        for triple in triples:
            fields = carb_line(sentence, triple).split("\t")
            predicted = make_tuple(fields[2], fields[3:], triple.confidence)
            predictions.setdefault(key, []).append(predicted)
            made[triple.pattern] += 1
            if not any(lenient_match(g, predicted) for g in gold[key]):
                wrong[triple.pattern] += 1
    missed, total = Counter(), Counter()
    for key, tuples in gold.items():
        for gold_tuple, (relation, sentence) in zip(tuples, gold_relations[key]):
            kind = gold_class(relation, set(sentence.split()))
            total[kind] += 1
            if not any(lenient_match(gold_tuple, p) for p in predictions.get(key, [])):
                missed[kind] += 1
    print(f"missed gold tuples: {sum(missed.values())} of {sum(total.values())}")
    for kind, count in total.most_common():
        print(f"  {kind:35s} {missed[kind]:5d} of {count}")
    print(f"wrong predictions: {sum(wrong.values())} of {sum(made.values())}")
    for pattern, count in made.most_common():
        print(f"  {pattern:35s} {wrong[pattern]:5d} of {count}")


if __name__ == "__main__":
    main()
