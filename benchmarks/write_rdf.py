"""Time writing 1M triples as Turtle (pyoxigraph, kgbuild's sorted exporter, rdflib) and moving quads.

    python benchmarks/write_rdf.py                     # 1,000,000 triples
    python benchmarks/write_rdf.py --triples 200000

The triples are the example graph (built with ``kgbuild build examples/articles``) copied under
distinct IRIs until there are enough: every IRI under the base IRI gets a copy number, while
ontology terms and literals repeat as they would in a large corpus. Each measurement runs in a
fresh process and prints its wall time and that process's peak RSS. It also times the two ways a
worker could send its quads back to the parent process: pickled pyoxigraph terms or N-Triples bytes.
"""

from __future__ import annotations

import argparse
import itertools
import multiprocessing
import re
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BASE_IRI = b"<https://w3id.org/kgbuild/id/"


def example_ntriples() -> bytes:
    """Build the example graph and return it as N-Triples (the union of its named graphs)."""
    from kgbuild.pipeline import build

    with tempfile.TemporaryDirectory(prefix="kgbuild-examples-") as folder:
        build([ROOT / "examples" / "articles"], Path(folder), workers=1, formats=("nt",))
        return (Path(folder) / "graph.nt").read_bytes()


def scaled_ntriples(triples: int, path: Path) -> int:
    """Write at least ``triples`` distinct N-Triples lines to ``path``; return how many were written."""
    template = example_ntriples()
    per_copy = template.count(b"\n")
    iri = re.compile(re.escape(BASE_IRI) + rb"([^>]*)>")
    written = copy = 0
    with path.open("wb") as out:
        while written < triples:
            copy += 1
            out.write(iri.sub(BASE_IRI + rb"\1_" + str(copy).encode() + b">", template))
            written += per_copy
    return written


def pyoxigraph_load_and_write(source: Path, target: Path) -> str:
    """Bulk-load into an in-memory Oxigraph store and serialize it as Turtle, unsorted."""
    import pyoxigraph

    started = time.perf_counter()
    store = pyoxigraph.Store()
    store.bulk_load(path=str(source), format=pyoxigraph.RdfFormat.N_TRIPLES)
    loaded = time.perf_counter()
    pyoxigraph.serialize(store.quads_for_pattern(None, None, None, None), str(target),
                         format=pyoxigraph.RdfFormat.TURTLE)
    return f"load {loaded - started:.1f} s, write Turtle {time.perf_counter() - loaded:.1f} s"


def kgbuild_export(source: Path, target: Path) -> str:
    """Bulk-load into Oxigraph and write with kgbuild's exporter: sorted, prefixed, byte-identical."""
    import pyoxigraph

    from kgbuild.export.rdf import export_rdf

    started = time.perf_counter()
    store = pyoxigraph.Store()
    store.bulk_load(path=str(source), format=pyoxigraph.RdfFormat.N_TRIPLES)
    loaded = time.perf_counter()
    export_rdf(store, target, "ttl")
    return f"load {loaded - started:.1f} s, write Turtle {time.perf_counter() - loaded:.1f} s"


def kgbuild_dataset_export(source: Path, target: Path) -> str:
    """Add the triples to a SortedDataset in article-sized graphs, as a build does, then write Turtle."""
    import pyoxigraph

    from kgbuild.dataset import SortedDataset, read_blocks
    from kgbuild.export.rdf import export_rdf

    started = time.perf_counter()
    with SortedDataset() as dataset:
        for number, block in enumerate(read_blocks(source)):
            # About 1 MB a graph: the size of a few long articles.
            dataset.add_graph(pyoxigraph.NamedNode(f"https://w3id.org/kgbuild/id/article/{number}"), block)
        added = time.perf_counter()
        dataset.finish()
        merged = time.perf_counter()
        export_rdf(dataset, target, "ttl")
        return (f"add {added - started:.1f} s, merge {merged - added:.1f} s, "
                f"write Turtle {time.perf_counter() - merged:.1f} s")


def rdflib_load_and_write(source: Path, target: Path) -> str:
    """Parse with rdflib into a Graph and serialize it with rdflib's Turtle serializer."""
    import rdflib

    started = time.perf_counter()
    graph = rdflib.Graph()
    graph.parse(source, format="nt")
    loaded = time.perf_counter()
    graph.serialize(target, format="turtle")
    return f"load {loaded - started:.1f} s, write Turtle {time.perf_counter() - loaded:.1f} s"


def transfer_costs(source: Path, quads: int = 100_000) -> str:
    """Time moving quads between processes as pickled pyoxigraph terms and as N-Triples bytes."""
    import pickle

    import pyoxigraph

    graph = pyoxigraph.NamedNode("https://w3id.org/kgbuild/id/article/0")
    with source.open("rb") as handle:
        sample = [pyoxigraph.Quad(t.subject, t.predicate, t.object, graph)
                  for t in itertools.islice(pyoxigraph.parse(handle, format=pyoxigraph.RdfFormat.N_TRIPLES), quads)]
    started = time.perf_counter()
    pickled = pickle.dumps(sample, protocol=pickle.HIGHEST_PROTOCOL)
    dumped = time.perf_counter()
    pickle.loads(pickled)
    unpickled = time.perf_counter()
    ntriples = pyoxigraph.serialize((quad.triple for quad in sample), format=pyoxigraph.RdfFormat.N_TRIPLES)
    serialized = time.perf_counter()
    tuple(pyoxigraph.parse(ntriples, format=pyoxigraph.RdfFormat.N_TRIPLES, lenient=True))
    parsed = time.perf_counter()
    return (f"{len(sample):,} quads: pickle {dumped - started:.2f} s + unpickle {unpickled - dumped:.2f} s "
            f"({len(pickled) / 1e6:.1f} MB); N-Triples serialize {serialized - unpickled:.2f} s + parse "
            f"{parsed - serialized:.2f} s ({len(ntriples) / 1e6:.1f} MB)")


def _measure(method: Callable[[Path, Path], str], source: Path, target: Path,
             results: multiprocessing.Queue) -> None:
    """Run one method in this (fresh) process and report its timings and peak RSS."""
    started = time.perf_counter()
    detail = method(source, target)
    results.put((time.perf_counter() - started, detail, peak_rss_kb()))


def peak_rss_kb() -> int:
    """Return this process's peak RSS in KB.

    ``getrusage`` would not do: Linux carries ``ru_maxrss`` over an exec, so a spawned child would
    report its parent's peak if that was higher. ``VmHWM`` belongs to the process image itself.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def measure(method: Callable[[Path, Path], str], source: Path, target: Path) -> tuple[float, str, int]:
    """Run ``method`` in a fresh process; return (seconds, detail, peak RSS in KB)."""
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    process = context.Process(target=_measure, args=(method, source, target, results))
    process.start()
    outcome = results.get()
    process.join()
    return outcome


def main() -> None:
    """Generate the triples and time each way of writing them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000, help="triples to write (default 1,000,000)")
    parser.add_argument("--skip-rdflib", action="store_true", help="leave out rdflib (slow at this size)")
    args = parser.parse_args()
    methods: list[tuple[str, Callable[[Path, Path], str]]] = [
        ("pyoxigraph (bulk_load + serialize)", pyoxigraph_load_and_write),
        ("kgbuild export_rdf of a store (sorted Turtle)", kgbuild_export),
        ("kgbuild build's path (SortedDataset, sorted Turtle)", kgbuild_dataset_export),
    ]
    if not args.skip_rdflib:
        methods.append(("rdflib (parse + serialize)", rdflib_load_and_write))
    with tempfile.TemporaryDirectory(prefix="kgbuild-write-rdf-") as folder:
        source = Path(folder) / "triples.nt"
        count = scaled_ntriples(args.triples, source)
        print(f"{count:,} triples, {source.stat().st_size / 1e6:,.0f} MB of N-Triples", flush=True)
        print(f"moving results between processes, {transfer_costs(source)}", flush=True)
        for name, method in methods:
            target = Path(folder) / "out.ttl"
            seconds, detail, peak_kb = measure(method, source, target)
            print(f"{name}: {seconds:.1f} s ({detail}); Turtle {target.stat().st_size / 1e6:,.0f} MB; "
                  f"peak RSS {peak_kb / 1e3:,.0f} MB", flush=True)
            target.unlink()


if __name__ == "__main__":
    main()
