"""Print how long spaCy takes to parse sentences, how long extraction adds, and their ratio.

Usage: python benchmarks/extraction_overhead.py [SENTENCES.txt] [--repeat N]

SENTENCES.txt has one sentence per line (default: CaRB dev, ../shared/data/carb/dev.txt).
"spaCy parse" runs the model's own pipeline (tagger, parser, lemmatizer, NER) with every
kgbuild component disabled. "extraction" is the kgbuild_triples component (clause rules and noun-phrase
rules) plus the conversion into frozen Triple records, on the same parsed docs. The newline sentence
starter and the kgbuild_mentions component are timed too and reported on their own line.
Each is timed N times and the fastest run is reported.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from kgbuild.extract import DEFAULT_MODEL, load_pipeline, triples_of_doc

ROOT = Path(__file__).resolve().parent.parent


def default_sentences() -> Path:
    """Return CaRB dev's sentences from ``shared/`` next to the checkout or a folder above it."""
    for folder in ROOT.parents:
        candidate = folder / "shared" / "data" / "carb" / "dev.txt"
        if candidate.is_file():
            return candidate
    raise SystemExit("no SENTENCES.txt given and shared/data/carb/dev.txt not found")


def main() -> None:
    """Time parsing and extraction and print both with their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sentences", nargs="?", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--model", default=DEFAULT_MODEL)
    args = parser.parse_args()
    path = args.sentences or default_sentences()
    texts = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    nlp = load_pipeline(args.model)
    ours = [name for name in nlp.pipe_names if name.startswith("kgbuild_")]
    parse_times, extract_times, other_times = [], [], []
    triple_count = 0
    for _ in range(args.repeat):
        started = time.perf_counter()
        with nlp.select_pipes(disable=ours):
            docs = list(nlp.pipe(texts))
        parse_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        triple_count = 0
        extractor = nlp.get_pipe("kgbuild_triples")
        for doc in docs:
            extractor(doc)
            triple_count += len(triples_of_doc(doc))
        extract_times.append(time.perf_counter() - started)
        other_times.append(time_other_components(nlp, texts, docs, ours))
    parse, extract, other = min(parse_times), min(extract_times), min(other_times)
    tokens = sum(len(doc) for doc in docs)
    print(f"{len(texts)} sentences, {tokens} tokens, {triple_count} triples from {path.name} with {args.model}")
    print(f"spaCy parse: {parse:.3f} s   extraction: {extract:.3f} s   ratio: {extract / parse:.1%}")
    others = ", ".join(name for name in ours if name != "kgbuild_triples")
    print(f"other kgbuild components ({others}): {other:.3f} s   all kgbuild components: {(extract + other) / parse:.1%}")


def time_other_components(nlp: Language, texts: list[str], docs: list[Doc], ours: list[str]) -> float:
    """Time kgbuild's components other than kgbuild_triples on the docs they would see."""
    total = 0.0
    for name in ours:
        if name == "kgbuild_triples":
            continue
        component = nlp.get_pipe(name)
        # The sentence starter runs before the parser, so it gets freshly tokenized docs.
        inputs = [nlp.make_doc(text) for text in texts] if nlp.pipe_names.index(name) < nlp.pipe_names.index("parser") else docs
        started = time.perf_counter()
        for doc in inputs:
            component(doc)
        total += time.perf_counter() - started
    return total


if __name__ == "__main__":
    main()
