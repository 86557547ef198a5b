"""Print the duplicate report of a graph: node pairs still apart whose names look alike, and node figures.

Lists pairs of entity nodes with compatible types whose labels are the same after normalization,
one an acronym of the other, a surname and a full name, spelled alike (difflib ratio of their
normalized names) or sharing most words (Jaccard), so that splits left after resolution are
visible on any corpus. Then prints the share of concept nodes among all nodes and the share of
nodes that take part in no fact (neither subject nor object of any assertion).

    python benchmarks/duplicates.py out/graph.ttl            # a file, or a --store folder
    python benchmarks/duplicates.py out/graph.ttl --min-score 0.8 --limit 50
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kgbuild.ontology import load_ontology  # noqa: E402
from kgbuild.resolve import EntityRecord, NameRules, similar_pairs  # noqa: E402
from kgbuild.store import open_graph  # noqa: E402
from kgbuild.vocab import PREFIXES  # noqa: E402

PROLOGUE = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in sorted(PREFIXES.items()))

NODES = PROLOGUE + """
SELECT ?node ?p ?o WHERE {
  ?node ?p ?o .
  VALUES ?p { rdfs:label skos:altLabel rdf:type owl:sameAs }
  ?node kgo:mentionedIn ?article .
}"""
IN_FACTS = PROLOGUE + """
SELECT DISTINCT ?node WHERE { ?a a kgo:Assertion . { ?a rdf:subject ?node } UNION { ?a rdf:object ?node } }"""
SUBCLASSES = PROLOGUE + "SELECT ?c ?super WHERE { ?c rdfs:subClassOf+ ?super }"


def main() -> None:
    """Read a graph and print its duplicate report."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("graph", type=Path, help="a graph file (.ttl, .nt, .nq, .trig, ...) or a store folder")
    parser.add_argument("--min-score", type=float, default=0.6, help="least similarity to list a pair [0.6]")
    parser.add_argument("--limit", type=int, default=100, help="pairs to print at most [100]")
    args = parser.parse_args()

    graph = open_graph(args.graph)
    props: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in graph.query(NODES):
        props[row["node"].value][row["p"].value].add(row["o"].value)
    superclasses: dict[str, set[str]] = defaultdict(set)
    for row in graph.query(SUBCLASSES):
        superclasses[row["c"].value].add(row["super"].value)
    in_facts = {row["node"].value for row in graph.query(IN_FACTS)}

    label, alt, kind, same = (PREFIXES["rdfs"] + "label", PREFIXES["skos"] + "altLabel", PREFIXES["rdf"] + "type",
                              PREFIXES["owl"] + "sameAs")
    concept = PREFIXES["kgo"] + "Concept"
    entities = [EntityRecord(iri, min(p[label]), frozenset(p[alt]), frozenset(p[kind]),
                             any(v.startswith(PREFIXES["wd"]) for v in p[same]))
                for iri, p in sorted(props.items()) if p[label] and concept not in p[kind]]
    concepts = [iri for iri, p in props.items() if concept in p[kind]]
    nodes = len(props)
    pairs = similar_pairs(entities, {c: frozenset(s) for c, s in superclasses.items()},
                          NameRules.of(load_ontology()), min_score=args.min_score)

    print(f"{len(pairs)} pairs of entity nodes with alike names and compatible types "
          f"(score >= {args.min_score}), most alike first:")
    for pair in pairs[:args.limit]:
        print(f"  {pair.score:.2f}  {pair.reason:<16}  {pair.first.label!r} <{pair.first.iri}>  ~  "
              f"{pair.second.label!r} <{pair.second.iri}>")
    if len(pairs) > args.limit:
        print(f"  ... and {len(pairs) - args.limit} more (--limit)")
    without_facts = sum(1 for iri in props if iri not in in_facts)
    print(f"nodes: {nodes} ({len(entities)} entities, {len(concepts)} concepts)")
    if nodes:
        print(f"concept nodes: {len(concepts) / nodes:.1%} of all nodes")
        print(f"nodes in no fact (neither subject nor object of an assertion): {without_facts} "
              f"({without_facts / nodes:.1%})")


if __name__ == "__main__":
    main()
