"""The HTML view in a real browser (Debian's Chromium): rendering, search, filters, offline, hostile text."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest

from kgbuild.export import load_graph
from kgbuild.export.graphview import build_view
from kgbuild.export.html import view_data, write_html
from kgbuild.vocab import KGO, PREFIXES

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture()
def example_page(example_graph: Path, tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    """Write the view of the example graph; return the page and the data it should draw."""
    store = load_graph(example_graph)
    out = tmp_path / "graph.html"
    write_html(store, out, title="Examples")
    return out, view_data(build_view(store), "Examples")


def test_example_graph_renders_every_node_and_edge(open_view: Any, example_page: tuple[Path, dict]) -> None:
    path, expected = example_page
    assert len(expected["nodes"]) >= 20 and len(expected["edges"]) >= 20
    opened = open_view(path)
    page = opened.page
    drawn = page.evaluate("""() => {
        const net = kgView.network;
        const positions = net.getPositions();
        return {
          nodes: kgView.nodes.getIds(), edges: kgView.edges.get().map((e) => [e.from, e.label, e.to]),
          visibleNodes: net.body.nodeIndices.length, visibleEdges: net.body.edgeIndices.length,
          positions: Object.values(positions).map((p) => [p.x, p.y]),
          physics: net.physics.options.enabled,
          legend: [...document.querySelectorAll("#legend li")].map((li) => li.textContent),
        };
    }""")
    assert sorted(drawn["nodes"]) == sorted(node["id"] for node in expected["nodes"])
    assert sorted(map(tuple, drawn["edges"])) == sorted(
        (edge["from"], edge["label"], edge["to"]) for edge in expected["edges"])
    # It opens with the named entities and the facts between them ...
    entities = {node["id"] for node in expected["nodes"] if node["k"] == 0}
    assert sorted(page.evaluate("kgView.network.body.nodeIndices")) == sorted(entities)
    assert drawn["visibleEdges"] == sum(edge["from"] in entities and edge["to"] in entities
                                        for edge in expected["edges"])
    # ... and "Show concepts" brings in everything else.
    page.check("#show-concepts")
    drawn.update(page.evaluate("""() => ({
        visibleNodes: kgView.network.body.nodeIndices.length, visibleEdges: kgView.network.body.edgeIndices.length,
        positions: Object.values(kgView.network.getPositions()).map((p) => [p.x, p.y]) })"""))
    assert drawn["visibleNodes"] == len(expected["nodes"])
    assert drawn["visibleEdges"] == len(expected["edges"])
    assert len(drawn["positions"]) == len(expected["nodes"])
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in drawn["positions"])
    assert drawn["physics"] is False  # physics stops once the layout has settled
    assert [cls["label"] + str(cls["count"]) for cls in expected["classes"]] == drawn["legend"]
    assert opened.log.errors == []
    assert page.evaluate("window.__violations") == []


def test_view_command_draws_turtle_from_another_tool(open_view: Any, tmp_path: Path) -> None:
    from tests.conftest import run_kgbuild

    out = tmp_path / "foreign.html"
    result = run_kgbuild("view", DATA / "foreign.ttl", "-o", out)
    assert result.returncode == 0, result.stderr
    opened = open_view(out)
    drawn = opened.page.evaluate("[kgView.network.body.nodeIndices.length, kgView.network.body.edgeIndices.length,"
                                 " kgView.nodes.get('http://example.org/people/ada').label]")
    assert drawn == [5, 6, "Ada Lovelace"]
    assert opened.log.errors == []


def test_an_empty_graph_says_so(open_view: Any, tmp_path: Path) -> None:
    out = tmp_path / "empty.html"
    write_html(pyoxigraph.Store(), out)
    opened = open_view(out)
    assert opened.page.text_content("#graph") == "This graph has no entities to draw."
    assert opened.page.text_content("#counts") == "0 entities · 0 facts"
    assert opened.log.errors == []


def test_search_focuses_a_node_and_shows_its_evidence(open_view: Any, tmp_path: Path) -> None:
    out = tmp_path / "graph.html"
    write_html(load_graph(DATA / "graph.trig"), out)
    page = open_view(out).page
    page.fill("#search", "waic")
    page.press("#search", "Enter")
    target = "https://w3id.org/kgbuild/id/entity/World_Artificial_Intelligence_Conference"
    page.wait_for_function(f"""() => {{
        const net = kgView.network, node = net.getPositions(["{target}"])["{target}"];
        const view = net.getViewPosition();
        return Math.abs(view.x - node.x) < 1 && Math.abs(view.y - node.y) < 1;
    }}""", timeout=10_000)
    assert page.evaluate("kgView.network.getSelectedNodes()") == [target]
    assert page.text_content("#details h3") == "World Artificial Intelligence Conference"
    assert "Huawei unveiled the systems at the World Artificial Intelligence Conference in Shanghai." in \
        page.text_content("#details")
    page.fill("#search", "no such entity")
    page.press("#search", "Enter")
    assert page.text_content("#search-status") == "No match"


def test_filters_hide_classes_and_relations(open_view: Any, tmp_path: Path) -> None:
    out = tmp_path / "graph.html"
    write_html(load_graph(DATA / "graph.trig"), out)
    page = open_view(out).page
    visible = "() => [kgView.network.body.nodeIndices.length, kgView.network.body.edgeIndices.length]"
    assert page.evaluate(visible) == [5, 3]  # the five named entities and the three facts between them
    page.check("#show-concepts")
    assert page.evaluate(visible) == [7, 7]
    page.locator("#legend label", has_text="Country").locator("input").uncheck()
    assert page.evaluate(visible) == [5, 4]  # two countries and the three facts that touch them
    page.locator("#legend label", has_text="Country").locator("input").check()
    page.locator("#relations label", has_text="develops").locator("input").uncheck()
    assert page.evaluate(visible) == [7, 5]


def test_a_much_reported_fact_shows_its_first_sentences_and_the_count(open_view: Any, tmp_path: Path) -> None:
    from tests.conftest import US, much_reported_fact

    out = tmp_path / "many.html"
    write_html(much_reported_fact(13), out)
    opened = open_view(out)
    page = opened.page
    page.evaluate("kgView.showEdge(kgView.edges.getIds()[0])")
    panel = page.text_content("#details")
    assert "Evidence (13)" in panel and "Showing the first 10; query the graph for all." in panel
    assert page.locator("#details blockquote").count() == 10
    page.evaluate(f"kgView.showNode({US!r})")
    assert "Article 09 · and 3 more" in page.text_content("#details")
    assert opened.log.errors == []


def test_a_capped_view_says_how_much_it_leaves_out(open_view: Any, tmp_path: Path) -> None:
    from kgbuild.export.html import render_html

    out = tmp_path / "capped.html"
    view = build_view(load_graph(DATA / "graph.trig"))
    data = view_data(view, "Capped", max_nodes=3)
    out.write_text(render_html(data), encoding="utf-8")
    opened = open_view(out)
    assert opened.page.evaluate("kgView.network.body.nodeIndices.length") == 3
    assert opened.page.text_content("#counts") == (
        f"the 3 most connected of {len(view.nodes)} entities · {len(data['edges'])} of {len(view.edges)} facts "
        "(query the graph for the rest)")
    assert opened.log.errors == []


def test_no_request_leaves_the_machine(open_view: Any, example_page: tuple[Path, dict]) -> None:
    path, _ = example_page
    opened = open_view(path)
    page = opened.page
    for node_id in page.evaluate("kgView.nodes.getIds()"):
        page.evaluate("(id) => kgView.focusNode(id)", node_id)
    page.wait_for_timeout(500)
    assert opened.log.requests == [path.resolve().as_uri()]


def test_hostile_article_shows_as_text_and_runs_nothing(open_view: Any, tmp_path: Path) -> None:
    out = tmp_path / "hostile.html"
    store = load_graph(DATA / "hostile.trig")
    write_html(store, out, title="</title><script>window.__pwned='page title'</script>")
    opened = open_view(out)
    page = opened.page
    for node_id in page.evaluate("kgView.nodes.getIds()"):
        page.evaluate("(id) => kgView.showNode(id)", node_id)
    page.evaluate("kgView.showEdge(kgView.edges.getIds()[0])")
    details = page.text_content("#details")
    page.fill("#search", "<script>")
    page.press("#search", "Enter")
    page.wait_for_timeout(500)
    assert "<img src=x onerror=\"window.__pwned='sentence'\"> bought </script>" in details
    assert page.text_content("#details h3") == "<script>window.__pwned='label'</script>"
    assert page.title() == "</title><script>window.__pwned='page title'</script>"
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0
    assert page.evaluate("document.scripts.length") == 3
    assert page.evaluate("[...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href'))") == []
    assert opened.log.dialogs == []
    assert opened.log.errors == []
    assert page.evaluate("window.__violations") == []
    assert opened.log.requests == [out.resolve().as_uri()]


def test_a_thousand_node_graph_settles_and_stays_usable(open_view: Any, tmp_path: Path) -> None:
    store = pyoxigraph.Store()
    label = pyoxigraph.NamedNode(PREFIXES["rdfs"] + "label")
    kind = pyoxigraph.NamedNode(PREFIXES["rdf"] + "type")
    classes = [KGO.Country, KGO.Company, KGO.Person, KGO.Organization]
    nodes = [pyoxigraph.NamedNode(f"https://example.org/entity/{index}") for index in range(1200)]
    for index, node in enumerate(nodes):
        store.add(pyoxigraph.Quad(node, label, pyoxigraph.Literal(f"Entity {index}")))
        store.add(pyoxigraph.Quad(node, kind, pyoxigraph.NamedNode(str(classes[index % 4]))))
        for step in (1, 7, 31):  # a connected graph with hubs and long-range links
            store.add(pyoxigraph.Quad(node, pyoxigraph.NamedNode(str(KGO.relatedTo)), nodes[(index * step + 1) % 1200]))
    out = tmp_path / "big.html"
    write_html(store, out)
    page = open_view(out, timeout_ms=180_000).page
    counts = page.evaluate("[kgView.network.body.nodeIndices.length, kgView.network.body.edgeIndices.length,"
                           " kgView.network.physics.options.enabled]")
    assert counts == [1200, len(build_view(store).edges), False]
    page.fill("#search", "Entity 777")
    page.press("#search", "Enter")
    assert page.evaluate("kgView.network.getSelectedNodes()") == ["https://example.org/entity/777"]


def test_screenshot_script_writes_a_png(tmp_path: Path) -> None:
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    out = tmp_path / "shot.png"
    subprocess.run([sys.executable, str(root / "scripts" / "screenshot.py"), str(DATA / "graph.trig"), "-o", str(out),
                    "--entity", "Huawei"], check=True, timeout=300, capture_output=True)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert out.stat().st_size > 20_000
