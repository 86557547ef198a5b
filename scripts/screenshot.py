"""Take the docs' screenshots of the interactive view: python scripts/screenshot.py [GRAPH -o FILE.png]

Without GRAPH it makes both screenshots of the docs: docs/screenshot.png, the build of
examples/articles with "United States" selected, and docs/screenshot-corpus.png, the build of the
22 test articles in tests/data/corpus with "Airbus" selected. Both show the entity-first view as
it opens. It opens the view in Debian's Chromium (never a Playwright-downloaded browser), waits
for the layout to settle, selects one entity so that the side panel shows its evidence with the
entity's mentions highlighted, and saves a PNG.
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


#: The screenshots of the docs: the folder built, the page title, the entity selected, the PNG.
DOCS_SHOTS = (
    (ROOT / "examples" / "articles", None, "United States", ROOT / "docs" / "screenshot.png"),
    (ROOT / "tests" / "data" / "corpus", None, "Airbus", ROOT / "docs" / "screenshot-corpus.png"),
)


def take_screenshot(graph: Path | None, output: Path, entity: str, width: int = 1400, height: int = 860,
                    articles: Path | None = None, title: str | None = None) -> None:
    """Write a PNG of the view of ``graph`` (or of a build of ``articles``) with ``entity`` selected."""
    from playwright.sync_api import sync_playwright

    import kgbuild
    from kgbuild.export.html import write_html

    if graph is None:
        built = kgbuild.build([articles or ROOT / "examples" / "articles"])
        store, folder = built.store, built.folder
    else:
        store, folder = kgbuild.load(graph).store, ""
    with tempfile.TemporaryDirectory() as scratch:
        page_path = Path(scratch) / "view.html"
        write_html(store, page_path, title=title, folder=folder, fallback=graph.name if graph else "")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": width, "height": height}, offline=True)
            page = context.new_page()
            page.goto(page_path.resolve().as_uri())
            page.wait_for_function("() => window.kgView && window.kgView.stabilized", timeout=120_000)
            node = page.evaluate("(name) => { const n = kgView.findNode(name); return n && n.id; }", entity)
            if node is None:
                raise SystemExit(f"no entity matches {entity!r}")
            # The opening zoom, as a reader first sees it, with the entity's evidence in the panel.
            page.evaluate("(id) => { kgView.network.selectNodes([id]); kgView.showNode(id); }", node)
            page.wait_for_timeout(300)
            output.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(output))
            browser.close()


def main() -> None:
    """Parse the command line and take the screenshot."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("graph", nargs="?", type=Path,
                        help="RDF file to show [default: both screenshots of the docs]")
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "docs" / "screenshot.png")
    parser.add_argument("--entity", default="United States", help="entity to select [default: United States]")
    args = parser.parse_args()
    if args.graph is not None:
        take_screenshot(args.graph, args.output, args.entity)
        print(f"wrote {args.output}")
        return
    for articles, title, entity, output in DOCS_SHOTS:
        take_screenshot(None, output, entity, articles=articles, title=title)
        print(f"wrote {output}")


if __name__ == "__main__":
    main()
