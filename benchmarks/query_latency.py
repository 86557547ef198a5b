"""Print SPARQL latency on a store of over a million triples: Oxigraph (as kgbuild runs it) next to rdflib.

The store is the example graph built many times under distinct article ids. Each copy gets its
own article and assertion IRIs; entity and concept IRIs are shared by groups of ten copies, so
entities recur across articles as they do in a real corpus, and the union keeps growing.

    python benchmarks/query_latency.py                # 700 copies, about 1.1 million triples
    python benchmarks/query_latency.py --copies 50    # a quick run
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import re
import statistics
import sys
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kgbuild.pipeline import build_graph  # noqa: E402
from kgbuild.store import article_graphs, open_graph, open_store, replace_article  # noqa: E402
from kgbuild.vocab import DEFAULT_BASE_IRI, PREFIXES  # noqa: E402

PROLOGUE = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in sorted(PREFIXES.items()))

#: Representative queries besides examples/queries: an aggregate, a path, a text filter, a join.
EXTRA_QUERIES = {
    "facts-per-relation (GROUP BY)": PROLOGUE + """
SELECT ?relation (COUNT(*) AS ?facts) WHERE { ?a a kgo:Assertion ; rdf:predicate ?relation }
GROUP BY ?relation ORDER BY DESC(?facts) ?relation LIMIT 20""",
    "organizations (class path)": PROLOGUE + """
SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a/rdfs:subClassOf* kgo:Organization }""",
    "evidence mentioning chips (FILTER)": PROLOGUE + """
SELECT (COUNT(*) AS ?n) WHERE { ?a kgo:evidenceText ?text FILTER(CONTAINS(LCASE(?text), "chip")) }""",
    "confident facts with labels (join)": PROLOGUE + """
SELECT ?s ?p ?o WHERE {
  ?a rdf:subject ?sx ; rdf:predicate ?p ; rdf:object ?ox ; kgo:confidence ?c FILTER(?c >= 0.8)
  ?sx rdfs:label ?s . ?ox rdfs:label ?o .
} ORDER BY ?s ?p ?o LIMIT 100""",
}

_BASE = re.escape(DEFAULT_BASE_IRI)
_NODE = re.compile(f"<({_BASE})(entity|concept)/([^>]*)>")
_ASSERTION = re.compile(f"<({_BASE})assertion/([^>]*)>")
_ARTICLE = re.compile(f"<({_BASE})article/([0-9a-f]+)>")


def copy_nquads(nquads: str, copy: int, groups: int) -> str:
    """Rename the example's articles, assertions and (per group of copies) entities for one copy."""
    group = copy % groups
    text = _ARTICLE.sub(lambda m: f"<{m[1]}article/{new_id(m[2], copy)}>", nquads)
    text = _ASSERTION.sub(lambda m: f"<{m[1]}assertion/{m[2]}-{copy}>", text)
    if group:
        text = _NODE.sub(lambda m: f"<{m[1]}{m[2]}/{m[3]}__{group}>", text)
    return text


def new_id(article_id: str, copy: int) -> str:
    """Derive a distinct, stable article id for a copy."""
    return article_id if copy == 0 else hashlib.sha256(f"{article_id}/{copy}".encode()).hexdigest()[:16]


def make_store(directory: Path, copies: int) -> tuple[float, int]:
    """Build the example graph and write ``copies`` of it into an on-disk store; return seconds and articles."""
    example = build_graph([ROOT / "examples" / "articles"])
    shared = [q for q in example if "/article/" not in str(q.graph_name)]
    per_article = {
        graph: example.dump(format=ox.RdfFormat.N_QUADS, from_graph=graph).decode()
        for graph in article_graphs(example).values()
    }
    store = open_store(directory)
    groups = max(1, copies // 10)
    started = time.perf_counter()
    written = 0
    for copy in range(copies):
        for graph, triples in sorted(per_article.items(), key=lambda item: item[0].value):
            renamed = copy_nquads(f"{graph}\n{triples}", copy, groups)
            iri_line, _, body = renamed.partition("\n")
            quads = list(ox.parse(body.encode(), format=ox.RdfFormat.N_TRIPLES))
            replace_article(store, ox.NamedNode(iri_line[1:-1]), [*quads, *(shared if copy == 0 else [])])
            written += 1
    store.flush()
    store.optimize()
    return time.perf_counter() - started, written


def load_queries() -> dict[str, str]:
    """Return the example queries and the representative extra ones, by name."""
    queries = {path.stem: path.read_text(encoding="utf-8") for path in sorted((ROOT / "examples" / "queries").glob("*.rq"))}
    queries.update(EXTRA_QUERIES)
    return queries


def time_oxigraph(store: ox.Store, sparql: str, runs: int) -> tuple[float, int]:
    """Return the median seconds over ``runs`` (after one warm-up) and the number of rows."""
    rows = len(list(store.query(sparql, prefixes=PREFIXES)))
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        rows = len(list(store.query(sparql, prefixes=PREFIXES)))
        times.append(time.perf_counter() - started)
    return statistics.median(times), rows


def rdflib_worker(ntriples_path: str, connection: Connection) -> None:
    """Load the union into rdflib, then time each query sent (run as a child process)."""
    import rdflib

    started = time.perf_counter()
    graph = rdflib.Graph()
    graph.parse(ntriples_path, format="nt")
    connection.send(time.perf_counter() - started)
    while True:
        sparql = connection.recv()
        started = time.perf_counter()
        rows = len(list(graph.query(sparql)))
        connection.send((time.perf_counter() - started, rows))


class RdflibRunner:
    """rdflib in a child process, so that a query past the limit can be stopped."""

    def __init__(self, ntriples: Path) -> None:
        self.ntriples = ntriples
        self.load_seconds = self._start()

    def _start(self) -> float:
        """Start the child and wait for it to load the graph."""
        context = multiprocessing.get_context("spawn")
        self.connection, child = context.Pipe()
        self.process = context.Process(target=rdflib_worker, args=(str(self.ntriples), child), daemon=True)
        self.process.start()
        return float(self.connection.recv())

    def run(self, sparql: str, limit: float) -> tuple[float, int] | None:
        """Time a query, or return None (and restart the child) if it runs past ``limit`` seconds."""
        self.connection.send(sparql)
        if self.connection.poll(limit):
            return self.connection.recv()
        self.process.kill()
        self.process.join()
        self._start()
        return None

    def close(self) -> None:
        """Stop the child."""
        self.process.kill()
        self.process.join()


def main() -> None:
    """Build the big store, then print one line per query with both engines' latency."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=700, help="copies of the example graph (default 700)")
    parser.add_argument("--runs", type=int, default=5, help="timed Oxigraph runs per query (default 5)")
    parser.add_argument("--rdflib-limit", type=float, default=300.0,
                        help="seconds after which an rdflib query is stopped (default 300)")
    parser.add_argument("--skip-rdflib", action="store_true", help="time Oxigraph only (rdflib takes many minutes)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="kgbuild-bench-") as tmp:
        store_dir = Path(tmp) / "store"
        ingest_seconds, articles = make_store(store_dir, args.copies)
        store = open_graph(store_dir)
        union = sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
        quads = len(store)
        print(f"store: {articles} articles, {union:,} distinct triples in the union, {quads:,} quads in all; "
              f"written with replace_article in {ingest_seconds:.1f} s ({articles / ingest_seconds:.0f} articles/s)")
        rdflib_runner = None
        if not args.skip_rdflib:
            ntriples = Path(tmp) / "union.nt"
            store.dump(ntriples, ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
            rdflib_runner = RdflibRunner(ntriples)
            print(f"rdflib: loaded the same {union:,} triples in {rdflib_runner.load_seconds:.1f} s")
        print(f"{'query':<40} {'rows':>6} {'oxigraph ms':>12} {'rdflib ms':>12} {'speed-up':>9}")
        try:
            for name, sparql in load_queries().items():
                oxigraph_seconds, rows = time_oxigraph(store, sparql, args.runs)
                measured = rdflib_runner.run(sparql, args.rdflib_limit) if rdflib_runner else None
                if rdflib_runner is None:
                    rdflib_text, ratio = "skipped", "-"
                elif measured is None:
                    rdflib_text, ratio = f">{args.rdflib_limit * 1000:.0f}", "-"
                else:
                    rdflib_seconds, rdflib_rows = measured
                    rdflib_text = f"{rdflib_seconds * 1000:.1f}"
                    ratio = f"{rdflib_seconds / oxigraph_seconds:.0f}x"
                    if rdflib_rows != rows:
                        ratio += f" (rdflib: {rdflib_rows} rows)"
                print(f"{name[:40]:<40} {rows:>6} {oxigraph_seconds * 1000:>12.1f} {rdflib_text:>12} {ratio:>9}",
                      flush=True)
        finally:
            if rdflib_runner:
                rdflib_runner.close()


if __name__ == "__main__":
    main()
