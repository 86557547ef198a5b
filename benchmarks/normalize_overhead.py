"""Print how long spaCy takes to parse articles and how long mentions, normalization and quads add.

Usage: python benchmarks/normalize_overhead.py [PATH ...] [--repeat N]

PATH is any input `kgbuild build` reads (default: examples/articles); a JSON Lines corpus from
benchmarks/make_corpus.py gives a larger sample. Parsing is the spaCy pipeline with extraction
(kgbuild_triples) but without kgbuild_mentions. Then, on the same docs: the mentions component,
normalize(), entity_mentions() (each mention resolved to its node) and article_quads() with those mentions. Each stage is timed N times and the fastest run is reported.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kgbuild.extract import DEFAULT_MODEL, extract_doc, load_pipeline  # noqa: E402
from kgbuild.graph import article_quads  # noqa: E402
from kgbuild.normalize import entity_mentions, normalize  # noqa: E402
from kgbuild.ontology import load_ontology  # noqa: E402
from kgbuild.sources import Article, read_articles  # noqa: E402


def main() -> None:
    """Time each stage and print it with its share of the parse time."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, default=[ROOT / "examples" / "articles"])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--model", default=DEFAULT_MODEL)
    args = parser.parse_args()
    articles = [a for a in read_articles(args.paths) if isinstance(a, Article)]
    nlp = load_pipeline(args.model)
    mentions = nlp.get_pipe("kgbuild_mentions")
    ontology = load_ontology()
    times: dict[str, list[float]] = {"parse": [], "mentions": [], "normalize": [], "entity_mentions": [], "quads": []}
    facts_count = quad_count = sentences = 0
    for _ in range(args.repeat):
        started = time.perf_counter()
        with nlp.select_pipes(disable=["kgbuild_mentions"]):
            docs = list(nlp.pipe(a.text for a in articles))
        times["parse"].append(time.perf_counter() - started)
        started = time.perf_counter()
        docs = [mentions(doc) for doc in docs]
        times["mentions"].append(time.perf_counter() - started)
        extractions = [extract_doc(doc, article) for doc, article in zip(docs, articles)]
        sentences = sum(e.sentence_count for e in extractions)
        started = time.perf_counter()
        all_facts = [normalize(e, ontology) for e in extractions]
        times["normalize"].append(time.perf_counter() - started)
        # As in a build, entity_mentions follows normalize of the same article and shares its tables.
        all_mentions, seconds = [], 0.0
        for extraction in extractions:
            normalize(extraction, ontology)
            started = time.perf_counter()
            all_mentions.append(entity_mentions(extraction, ontology))
            seconds += time.perf_counter() - started
        times["entity_mentions"].append(seconds)
        started = time.perf_counter()
        quad_count = sum(len(article_quads(a, f, ontology, mentions=m))
                         for a, f, m in zip(articles, all_facts, all_mentions))
        times["quads"].append(time.perf_counter() - started)
        facts_count = sum(len(f) for f in all_facts)
    best = {stage: min(values) for stage, values in times.items()}
    print(f"{len(articles)} articles, {sentences} sentences, {facts_count} facts, {quad_count} quads, {args.model}")
    print("  ".join(f"{stage}: {seconds:.3f} s" + ("" if stage == "parse" else f" ({seconds / best['parse']:.1%})")
                    for stage, seconds in best.items()))


if __name__ == "__main__":
    main()
