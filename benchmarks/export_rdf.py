"""Time export_rdf on a synthetic kgbuild-shaped graph: python benchmarks/export_rdf.py [--quads N]

The graph has one named graph per article, entities shared between articles (so the union has
duplicates to remove), plain fact triples and assertion nodes with evidence. Prints wall-clock and
CPU seconds per format (CPU time is the figure to trust on a busy machine) and the output size.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kgbuild.export.rdf import export_rdf  # noqa: E402
from kgbuild.vocab import DEFAULT_BASE_IRI, KGO, PREFIXES  # noqa: E402

QUADS_PER_FACT = 12


def synthetic_nquads(facts: int, facts_per_article: int = 50, entities: int = 50_000) -> bytes:
    """Return N-Quads text of ``facts`` facts, each a plain triple plus an assertion node."""
    rdf, rdfs, prov = PREFIXES["rdf"], PREFIXES["rdfs"], PREFIXES["prov"]
    relations = ["restricts", "develops", "hosts", "locatedIn"]
    lines = []
    for fact in range(facts):
        article = f"<{DEFAULT_BASE_IRI}article/{fact // facts_per_article:08x}>"
        s_id, o_id = (fact * 7) % entities, (fact * 13 + 5) % entities
        s, o = f"<{DEFAULT_BASE_IRI}entity/E{s_id}>", f"<{DEFAULT_BASE_IRI}entity/E{o_id}>"
        p = f"<{KGO}{relations[fact % 4]}>"
        a = f"<{DEFAULT_BASE_IRI}assertion/{fact:x}>"
        lines += [
            f"{s} {p} {o} {article} .",
            f"{s} <{rdf}type> <{KGO}Organization> {article} .",
            f'{s} <{rdfs}label> "Entity {s_id}" {article} .',
            f"{o} <{rdf}type> <{KGO}Concept> {article} .",
            f'{o} <{rdfs}label> "entity {o_id}" {article} .',
            f"{a} <{rdf}type> <{KGO}Assertion> {article} .",
            f"{a} <{rdf}subject> {s} {article} .",
            f"{a} <{rdf}predicate> {p} {article} .",
            f"{a} <{rdf}object> {o} {article} .",
            f'{a} <{KGO}evidenceText> "Sentence {fact}: Entity {s_id} did something to entity {o_id}." {article} .',
            f'{a} <{KGO}confidence> "0.{fact % 10}"^^<{PREFIXES["xsd"]}decimal> {article} .',
            f"{a} <{prov}wasDerivedFrom> {article} {article} .",
        ]
    return ("\n".join(lines) + "\n").encode()


def main() -> None:
    """Build the graph, export it in each format and print the timings."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quads", type=int, default=1_000_000, help="approximate number of quads")
    parser.add_argument("--formats", default="ttl,nt,nq,trig,jsonld")
    args = parser.parse_args()
    store = pyoxigraph.Store()
    store.load(synthetic_nquads(args.quads // QUADS_PER_FACT), format=pyoxigraph.RdfFormat.N_QUADS)
    print(f"graph: {len(store):,} quads in {sum(1 for _ in store.named_graphs()):,} named graphs")
    with tempfile.TemporaryDirectory() as folder:
        for fmt in args.formats.split(","):
            out = Path(folder) / f"graph.{fmt}"
            wall, cpu = time.perf_counter(), time.process_time()
            export_rdf(store, out, fmt)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            print(f"{fmt:7s} {wall:6.2f} s wall  {cpu:6.2f} s CPU  {out.stat().st_size / 1e6:8.1f} MB")


if __name__ == "__main__":
    main()
