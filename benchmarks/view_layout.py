"""Time how long the HTML view takes to lay out N-node graphs in Chromium: python benchmarks/view_layout.py

Each graph has N entities in four classes and 3N facts (ring, short and long-range links, so it
is connected and has hubs). Prints the page size and the seconds from navigation until the
layout has settled and physics is off (Debian's Chromium, headless, through Playwright).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kgbuild.export.html import write_html  # noqa: E402
from kgbuild.vocab import KGO, PREFIXES  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


def synthetic_store(size: int) -> pyoxigraph.Store:
    """Return a connected graph of ``size`` labelled, typed entities and 3 * ``size`` facts."""
    store = pyoxigraph.Store()
    label = pyoxigraph.NamedNode(PREFIXES["rdfs"] + "label")
    kind = pyoxigraph.NamedNode(PREFIXES["rdf"] + "type")
    related = pyoxigraph.NamedNode(str(KGO.relatedTo))
    classes = [pyoxigraph.NamedNode(str(cls)) for cls in (KGO.Country, KGO.Company, KGO.Person, KGO.Organization)]
    nodes = [pyoxigraph.NamedNode(f"https://example.org/entity/{index}") for index in range(size)]
    for index, node in enumerate(nodes):
        store.add(pyoxigraph.Quad(node, label, pyoxigraph.Literal(f"Entity {index}")))
        store.add(pyoxigraph.Quad(node, kind, classes[index % 4]))
        for step in (1, 7, 31):
            store.add(pyoxigraph.Quad(node, related, nodes[(index * step + 1) % size]))
    return store


def main() -> None:
    """Lay out each size and print the timings."""
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100, 1000, 3000])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for size in args.sizes:
            page_path = Path(folder) / f"view-{size}.html"
            write_html(synthetic_store(size), page_path)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            start = time.perf_counter()
            page.goto(page_path.as_uri())
            page.wait_for_function("() => window.kgView && window.kgView.stabilized", timeout=600_000)
            seconds = time.perf_counter() - start
            edges = page.evaluate("kgView.network.body.edgeIndices.length")
            print(f"{size:6,d} nodes {edges:6,d} edges  {page_path.stat().st_size / 1e6:5.2f} MB  "
                  f"settled in {seconds:5.1f} s")
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
