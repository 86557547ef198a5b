"""Take the README's screenshot of the interactive view: python scripts/screenshot.py [GRAPH] -o docs/screenshot.png

Without GRAPH it builds examples/articles first. It opens the view in Debian's Chromium
(never a Playwright-downloaded browser), waits for the layout to settle, selects one entity so
that the side panel shows its evidence, and saves a PNG.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


def take_screenshot(graph: Path | None, output: Path, entity: str, width: int = 1400, height: int = 860) -> None:
    """Write a PNG of the view of ``graph`` (or of the example build) with ``entity`` selected."""
    from playwright.sync_api import sync_playwright

    from kgbuild.export import load_graph
    from kgbuild.export.html import write_html

    if graph is None:
        from kgbuild.pipeline import build_graph

        store, title = build_graph([ROOT / "examples" / "articles"]), "kgbuild: examples/articles"
    else:
        store, title = load_graph(graph), graph.name
    with tempfile.TemporaryDirectory() as scratch:
        page_path = Path(scratch) / "view.html"
        write_html(store, page_path, title=title)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": width, "height": height}, offline=True)
            page = context.new_page()
            page.goto(page_path.resolve().as_uri())
            page.wait_for_function("() => window.kgView && window.kgView.stabilized", timeout=120_000)
            node = page.evaluate("(name) => { const n = kgView.findNode(name); return n && n.id; }", entity)
            if node is None:
                raise SystemExit(f"no entity matches {entity!r}")
            page.evaluate("(id) => { kgView.network.selectNodes([id]); kgView.showNode(id);"
                          " kgView.network.focus(id, { scale: 0.85 }); }", node)
            page.wait_for_timeout(300)
            output.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(output))
            browser.close()


def main() -> None:
    """Parse the command line and take the screenshot."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("graph", nargs="?", type=Path, help="RDF file to show [default: build the examples]")
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "docs" / "screenshot.png")
    parser.add_argument("--entity", default="United States", help="entity to select [default: United States]")
    args = parser.parse_args()
    take_screenshot(args.graph, args.output, args.entity)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
