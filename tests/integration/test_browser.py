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


# The entity-first view of a real build: 22 short articles of our own, written for these tests, in
# every input format (.txt, .md, .html and a .jsonl with publication dates).
CORPUS = DATA / "corpus"


@pytest.fixture(scope="session")
def corpus_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the test corpus with the real model and return its graph.html."""
    from tests.conftest import run_kgbuild

    out = tmp_path_factory.mktemp("corpus")
    result = run_kgbuild("build", CORPUS, "-o", out, "--workers", "1", "--quiet")
    assert result.returncode == 0, result.stderr
    return out / "graph.html"


def _page_data(page: Any) -> dict[str, Any]:
    return page.evaluate("JSON.parse(document.getElementById('kg-data').textContent)")


VISIBLE = "() => [...kgView.network.body.nodeIndices].sort()"
VISIBLE_EDGES = "() => kgView.network.body.edgeIndices.map((id) => kgView.edges.get(id).id).sort()"


def test_a_corpus_opens_with_every_named_entity_and_no_concept(open_view: Any, corpus_page: Path) -> None:
    opened = open_view(corpus_page)
    page = opened.page
    data = _page_data(page)
    assert len(data["articles"]) == 22
    assert page.title() == "22 articles · corpus" == page.text_content("#title")
    entities = sorted(node["id"] for node in data["nodes"] if node["k"] == 0)
    concepts = [node["id"] for node in data["nodes"] if node["k"] == 1]
    assert len(entities) >= 40 and concepts
    assert page.evaluate(VISIBLE) == entities
    between = sorted(edge["id"] for edge in data["edges"] if edge["from"] in entities and edge["to"] in entities)
    assert between and page.evaluate(VISIBLE_EDGES) == between
    assert page.text_content("#shown") == f"Showing {len(entities)} entities, 0 concepts, {len(between)} facts"
    # The most connected entities have labels that read at 13 px or more at the opening zoom.
    readable = page.evaluate("""() => kgView.readable().map((id) => [id,
        kgView.nodes.get(id).font.size * kgView.network.getScale()])""")
    assert len(readable) == 25
    assert all(size >= 12.9 for _, size in readable)
    most = max(data["nodes"], key=lambda node: (node["entityDegree"], node["k"] == 0))
    assert most["id"] in dict(readable)
    # "Show concepts" shows them all; unticking hides them again.
    page.check("#show-concepts")
    assert page.evaluate(VISIBLE) == sorted(entities + concepts)
    assert len(page.evaluate(VISIBLE_EDGES)) == len(data["edges"])
    page.uncheck("#show-concepts")
    assert page.evaluate(VISIBLE) == entities
    assert opened.log.errors == [] and page.evaluate("window.__violations") == []
    assert opened.log.requests == [corpus_page.resolve().as_uri()]


def test_double_click_expands_a_node_into_its_concepts(open_view: Any, corpus_page: Path) -> None:
    opened = open_view(corpus_page)
    page = opened.page
    data = _page_data(page)
    kinds = {node["id"]: node["k"] for node in data["nodes"]}
    concepts_of: dict[str, set[str]] = {}
    for edge in data["edges"]:
        for one, other in ((edge["from"], edge["to"]), (edge["to"], edge["from"])):
            if kinds[one] == 0 and kinds[other] == 1:
                concepts_of.setdefault(one, set()).add(other)
    entity = max(sorted(concepts_of), key=lambda iri: len(concepts_of[iri]))
    before = page.evaluate(VISIBLE)
    page.evaluate("(id) => kgView.network.focus(id, { scale: 1.2 })", entity)
    point = page.evaluate("""(id) => {
        const box = document.getElementById("graph").getBoundingClientRect();
        const at = kgView.network.canvasToDOM(kgView.network.getPositions([id])[id]);
        return [box.left + at.x, box.top + at.y];
    }""", entity)
    page.mouse.dblclick(*point)
    page.wait_for_function("(n) => kgView.network.body.nodeIndices.length > n", arg=len(before))
    assert page.evaluate(VISIBLE) == sorted(set(before) | concepts_of[entity])
    # The new nodes are placed next to the node they belong to, not piled up at the centre.
    positions = page.evaluate("(ids) => kgView.network.getPositions(ids)", sorted(concepts_of[entity] | {entity}))
    centre = positions[entity]
    assert all(0 < math.dist((p["x"], p["y"]), (centre["x"], centre["y"])) < 400
               for iri, p in positions.items() if iri != entity)
    page.mouse.dblclick(*point)  # a second double-click folds them away again
    assert page.evaluate(VISIBLE) == before
    # The node's panel has the same switch.
    page.evaluate("(id) => kgView.showNode(id)", entity)
    count = len(concepts_of[entity])
    page.click("#details button.expand", timeout=5_000)
    assert page.evaluate(VISIBLE) == sorted(set(before) | concepts_of[entity])
    assert page.text_content("#details button.expand") == "Hide its concepts"
    assert count >= 1
    assert opened.log.errors == []


def _set_range(page: Any, selector: str, value: float) -> None:
    page.eval_on_selector(selector, """(input, value) => {
        input.value = String(value);
        input.dispatchEvent(new Event("input", { bubbles: true }));
    }""", value)


def test_the_article_date_and_confidence_filters_change_what_is_drawn(open_view: Any, corpus_page: Path) -> None:
    opened = open_view(corpus_page)
    page = opened.page
    data = _page_data(page)
    entities = sorted(node["id"] for node in data["nodes"] if node["k"] == 0)

    # One article: the entities it mentions, the facts it states.
    index = next(i for i, article in enumerate(data["articles"]) if article["label"] == "Intel delays Magdeburg factory")
    page.select_option("#article-filter", str(index))
    expected = sorted(node["id"] for node in data["nodes"] if node["k"] == 0 and index in node["a"])
    assert page.evaluate(VISIBLE) == expected
    labels = {node["id"]: node["label"] for node in data["nodes"]}
    assert {"Intel", "Magdeburg", "Olaf Scholz", "Pat Gelsinger"} <= {labels[iri] for iri in expected}
    assert "Lufthansa" not in {labels[iri] for iri in expected}
    assert all(index in data["edges"][int(edge[1:])]["a"] for edge in page.evaluate(VISIBLE_EDGES))
    page.select_option("#article-filter", "")
    assert page.evaluate(VISIBLE) == entities

    # Publication dates: only the dated articles (the JSON Lines ones) in the range.
    dates = sorted({article["date"] for article in data["articles"] if article["date"]})
    assert dates[0] == "2024-03-04" and dates[-1] == "2025-04-28"
    assert page.is_visible("#date-section")
    first_2025 = next(i for i, date in enumerate(dates) if date.startswith("2025"))
    _set_range(page, "#date-from", first_2025)
    assert page.text_content("#date-from-text") == dates[first_2025]
    allowed = {i for i, article in enumerate(data["articles"]) if article["date"] >= dates[first_2025]}
    expected = sorted(node["id"] for node in data["nodes"] if node["k"] == 0 and set(node["a"]) & allowed)
    assert page.evaluate(VISIBLE) == expected
    assert {"Aliko Dangote", "Anthony Albanese"} <= {labels[iri] for iri in expected}
    assert not {"Javier Milei", "Intel"} & {labels[iri] for iri in expected}
    _set_range(page, "#date-to", first_2025)  # a single day
    only = {i for i, article in enumerate(data["articles"]) if article["date"] == dates[first_2025]}
    assert page.evaluate(VISIBLE) == sorted(node["id"] for node in data["nodes"]
                                            if node["k"] == 0 and set(node["a"]) & only)
    _set_range(page, "#date-from", 0)
    _set_range(page, "#date-to", len(dates) - 1)
    assert page.evaluate(VISIBLE) == entities

    # Confidence: facts below the threshold go, and nodes left without a good enough fact.
    page.check("#show-concepts")
    all_edges = page.evaluate(VISIBLE_EDGES)
    confidences = sorted({edge["confidence"] for edge in data["edges"] if edge["confidence"] is not None})
    _set_range(page, "#min-confidence", confidences[len(confidences) // 2])
    threshold = page.evaluate("kgView.filters.minConfidence")  # the slider moves in steps of 0.05
    assert page.text_content("#min-confidence-text") == str(threshold).rstrip("0").rstrip(".")
    kept = page.evaluate(VISIBLE_EDGES)
    assert 0 < len(kept) < len(all_edges)
    assert kept == sorted(edge["id"] for edge in data["edges"]
                          if edge["confidence"] is not None and edge["confidence"] >= threshold)
    ends = {end for edge in data["edges"] if edge["id"] in kept for end in (edge["from"], edge["to"])}
    assert set(page.evaluate(VISIBLE)) >= ends
    _set_range(page, "#min-confidence", 0)
    assert page.evaluate(VISIBLE_EDGES) == all_edges
    assert opened.log.errors == []
    assert opened.log.requests == [corpus_page.resolve().as_uri()]


def _with_mentions(store: pyoxigraph.Store, article: str, mentions: list[tuple[int, int, str, str]]) -> pyoxigraph.Store:
    """Add NIF mention nodes (start, end, text, entity IRI) to an article's graph, as a build writes them."""
    nif = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
    its = "http://www.w3.org/2005/11/its/rdf#"
    count = pyoxigraph.NamedNode("http://www.w3.org/2001/XMLSchema#nonNegativeInteger")
    graph = pyoxigraph.NamedNode(article)
    for start, end, text, entity in mentions:
        node = pyoxigraph.NamedNode(f"https://w3id.org/kgbuild/id/mention/{article.rsplit('/', 1)[1]}/{start}-{end}")
        for predicate, value in (
            (PREFIXES["rdf"] + "type", pyoxigraph.NamedNode(nif + "Phrase")),
            (nif + "referenceContext", pyoxigraph.NamedNode(article)),
            (nif + "beginIndex", pyoxigraph.Literal(str(start), datatype=count)),
            (nif + "endIndex", pyoxigraph.Literal(str(end), datatype=count)),
            (nif + "anchorOf", pyoxigraph.Literal(text)),
            (its + "taIdentRef", pyoxigraph.NamedNode(entity)),
        ):
            store.add(pyoxigraph.Quad(node, pyoxigraph.NamedNode(predicate), value, graph))
    return store


ENTITY = "https://w3id.org/kgbuild/id/entity/"


def test_evidence_highlights_the_mentions_of_the_selected_entity(open_view: Any, tmp_path: Path) -> None:
    # "Huawei unveiled the systems at the World Artificial Intelligence Conference in Shanghai." starts at 44.
    store = _with_mentions(load_graph(DATA / "graph.trig"), "https://w3id.org/kgbuild/id/article/a2", [
        (44, 50, "Huawei", ENTITY + "Huawei"),
        (75, 119, "the World Artificial Intelligence Conference", ENTITY + "World_Artificial_Intelligence_Conference"),
    ])
    view = build_view(store)
    assert not any("/mention/" in node.iri for node in view.nodes)  # mention nodes are not drawn
    out = tmp_path / "mentions.html"
    write_html(store, out)
    opened = open_view(out)
    page = opened.page
    marks = "() => [...document.querySelectorAll('#details mark')].map((m) => [m.textContent, m.className])"
    waic = "https://w3id.org/kgbuild/id/entity/World_Artificial_Intelligence_Conference"
    page.evaluate(f"kgView.showNode({waic!r})")
    # The graph's mention (with its article), not just the label.
    assert page.evaluate(marks) == [["the World Artificial Intelligence Conference", ""]] * 2
    # No mention node for Shanghai: its label is found in the sentence instead.
    page.evaluate("kgView.showNode('https://w3id.org/kgbuild/id/entity/Shanghai')")
    assert page.evaluate(marks) == [["Shanghai", ""]]
    # An alias counts too: the United States is "US" in no sentence, but "United States" in one.
    page.evaluate("kgView.showNode('https://w3id.org/kgbuild/id/entity/United_States')")
    assert page.evaluate(marks) == [["United States", ""]]
    # A fact highlights both ends, the subject first.
    edge = page.evaluate(f"kgView.edges.get().find((e) => e.from.endsWith('/Huawei') && e.to === {waic!r}).id")
    page.evaluate("(id) => kgView.showEdge(id)", edge)
    assert page.evaluate(marks) == [["Huawei", ""], ["the World Artificial Intelligence Conference", "other"]]
    text = page.text_content("#details blockquote")
    assert text == "Huawei unveiled the systems at the World Artificial Intelligence Conference in Shanghai."
    assert opened.log.errors == []


def test_hostile_text_in_highlighted_evidence_stays_text(open_view: Any, tmp_path: Path) -> None:
    out = tmp_path / "hostile.html"
    store = load_graph(DATA / "hostile.trig")
    sentence = ("<img src=x onerror=\"window.__pwned='sentence'\"> bought "
                "</script><script>window.__pwned='sentence2'</script>")
    evil = "https://w3id.org/kgbuild/id/article/evil"
    store.add(pyoxigraph.Quad(pyoxigraph.NamedNode("https://w3id.org/kgbuild/id/assertion/evil1"),
                              pyoxigraph.NamedNode(str(KGO.startOffset)), pyoxigraph.Literal("0"),
                              pyoxigraph.NamedNode(evil)))
    bought = sentence.index(" bought ")
    _with_mentions(store, evil, [(0, bought, sentence[:bought], ENTITY + "Script_Corp"),
                                 (bought + 8, len(sentence), sentence[bought + 8:], ENTITY + "Quote_Inc")])
    write_html(store, out)
    opened = open_view(out)
    page = opened.page
    highlighted = 0
    for node_id in page.evaluate("kgView.nodes.getIds()"):
        page.evaluate("(id) => kgView.showNode(id)", node_id)
        highlighted += page.locator("#details mark").count()
        for mark in page.evaluate("[...document.querySelectorAll('#details mark')].map((m) => m.children.length)"):
            assert mark == 0
    assert highlighted > 0
    page.evaluate("kgView.showEdge(kgView.edges.getIds()[0])")
    assert page.evaluate("[...document.querySelectorAll('#details mark')].map((m) => m.textContent)") == [
        sentence[:bought], sentence[bought + 8:]]
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0
    assert page.evaluate("window.__violations") == []
    assert opened.log.errors == [] and opened.log.dialogs == []


def test_title_is_the_article_title_or_the_given_one(tmp_path: Path) -> None:
    from tests.conftest import run_kgbuild

    single = tmp_path / "one"
    result = run_kgbuild("build", CORPUS / "02-chip-plant.txt", "-o", single, "--workers", "1", "--quiet")
    assert result.returncode == 0, result.stderr
    assert "<title>Intel delays Magdeburg factory</title>" in (single / "graph.html").read_text("utf-8")
    titled = tmp_path / "titled"
    result = run_kgbuild("build", CORPUS / "02-chip-plant.txt", CORPUS / "09-mining.md", "-o", titled,
                         "--workers", "1", "--quiet", "--title", "Two & more")
    assert result.returncode == 0, result.stderr
    assert "<title>Two &amp; more</title>" in (titled / "graph.html").read_text("utf-8")
    plain = tmp_path / "plain"
    result = run_kgbuild("build", CORPUS / "02-chip-plant.txt", CORPUS / "09-mining.md", "-o", plain,
                         "--workers", "1", "--quiet")
    assert "<title>2 articles · corpus</title>" in (plain / "graph.html").read_text("utf-8")
    result = run_kgbuild("view", plain / "graph.ttl", "-o", tmp_path / "v.html", "--title", "Mine")
    assert result.returncode == 0, result.stderr
    assert "<title>Mine</title>" in (tmp_path / "v.html").read_text("utf-8")
    result = run_kgbuild("view", plain / "graph.ttl", "-o", tmp_path / "w.html")
    assert "<title>2 articles</title>" in (tmp_path / "w.html").read_text("utf-8")


def test_the_jupyter_repr_shows_the_view_inline(browser: Any) -> None:
    from kgbuild.api import KnowledgeGraph

    context = browser.new_context(viewport={"width": 1200, "height": 800}, offline=True)
    try:
        requests: list[str] = []
        context.on("request", lambda request: requests.append(request.url))
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.set_content(KnowledgeGraph(load_graph(DATA / "graph.trig"))._repr_html_())
        frame = page.frames[1]
        frame.wait_for_function("() => window.kgView && window.kgView.stabilized", timeout=60_000)
        assert frame.evaluate("kgView.network.body.nodeIndices.length") == 5
        assert frame.text_content("#title") == "2 articles"
        assert errors == [] and requests == []
    finally:
        context.close()
