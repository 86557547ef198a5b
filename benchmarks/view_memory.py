"""Measure the HTML view alone on a built graph: its CPU time and how far it raises the process's peak RSS.

    python -m kgbuild build corpus.jsonl -o out --format nq
    python benchmarks/view_memory.py out/graph.nq

The graph's triples are put into a ``SortedDataset`` (sorted and made distinct on disk, as a
build does), then ``write_html`` runs on it, as at the end of a build. Printed: the RSS before the
view and the peak RSS while it runs (in a forked child, whose peak starts from its RSS at the
fork), and the view's CPU and wall time. Linux only (fork, /proc).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import time
from pathlib import Path

import psutil
import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kgbuild.dataset import SortedDataset  # noqa: E402
from kgbuild.export.html import write_html  # noqa: E402


def main() -> None:
    """Load the graph, write its view and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("graph", type=Path, help="N-Quads, TriG, N-Triples or Turtle of a built graph")
    args = parser.parse_args()
    with SortedDataset() as dataset:
        batch: list[ox.Triple] = []
        for quad in ox.parse(path=str(args.graph)):
            batch.append(ox.Triple(quad.subject, quad.predicate, quad.object))
            if len(batch) >= 50_000:
                dataset.add_graph(ox.DefaultGraph(), ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES))
                batch.clear()
        dataset.add_graph(ox.DefaultGraph(), ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES) or b"")
        dataset.finish()
        gc.collect()
        # The view runs in a forked child, whose peak RSS starts from its RSS at the fork, so
        # loading the graph above does not hide the view's own peak.
        child = os.fork()
        if child == 0:
            try:
                print(view_figures(dataset), flush=True)
            finally:
                os._exit(0)
        os.waitpid(child, 0)


def view_figures(dataset: SortedDataset) -> str:
    """Write the view of a finished dataset to a temporary file and describe its cost."""
    rss = psutil.Process().memory_info().rss
    started, cpu = time.perf_counter(), time.process_time()
    with tempfile.TemporaryDirectory() as folder:
        write_html(dataset, Path(folder) / "graph.html")
    cpu, wall = time.process_time() - cpu, time.perf_counter() - started
    peak = _peak_rss()
    return (f"{dataset.triples:,} triples; RSS when the view starts {rss / 1e6:.0f} MB, peak RSS of the view "
            f"{peak / 1e6:.0f} MB ({(peak - rss) / 1e6:.0f} MB above the start); view {cpu:.1f} CPU s, {wall:.1f} s")


def _peak_rss() -> int:
    """Return this process's peak RSS (VmHWM) in bytes."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM in /proc/self/status")

if __name__ == "__main__":
    main()
