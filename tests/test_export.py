"""Tests of kgbuild.export: RDF files, the HTML page, GraphML, CSV and loading graphs."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import networkx
import pyoxigraph
import pytest
import rdflib
import rdflib.compare

from kgbuild.errors import InputError
from kgbuild.export import FORMATS, load_graph, write_format
from kgbuild.export.graphview import ASSERTED, NEGATED, build_view, humanize, local_name
from kgbuild.export.html import render_html, script_json, view_data, write_html
from kgbuild.export.rdf import export_rdf, safe_prefixes
from kgbuild.vocab import KGO, PREFIXES

DATA = Path(__file__).resolve().parent / "data"
GRAPH = DATA / "graph.trig"
HOSTILE = DATA / "hostile.trig"
ID = "https://w3id.org/kgbuild/id/"
RDFLIB_FORMATS = {"ttl": "turtle", "nt": "nt", "nq": "nquads", "trig": "trig", "jsonld": "json-ld"}


@pytest.fixture()
def store() -> pyoxigraph.Store:
    """Return the hand-written two-article graph."""
    return load_graph(GRAPH)


def union_triples(store: pyoxigraph.Store) -> set[tuple[str, str, str]]:
    """Return the distinct triples of all graphs of ``store`` as N-Triples term strings."""
    return {(str(q.subject), str(q.predicate), str(q.object)) for q in store}


def rdflib_triples(graph: rdflib.Graph) -> set[tuple[str, str, str]]:
    """Return the triples of an rdflib graph as N-Triples term strings."""
    return {tuple(term.n3() for term in triple) for triple in graph}  # type: ignore[misc]


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld"])
def test_triple_formats_hold_the_union_of_all_graphs(store: pyoxigraph.Store, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"graph.{fmt}"
    export_rdf(store, out, fmt)
    parsed = rdflib.Graph().parse(out, format=RDFLIB_FORMATS[fmt])
    expected = union_triples(store)
    assert len(parsed) == len(expected) < len(store)  # China's triples are in both articles
    assert rdflib_triples(parsed) == expected


@pytest.mark.parametrize("fmt", ["nq", "trig"])
def test_quad_formats_keep_one_named_graph_per_article(store: pyoxigraph.Store, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"graph.{fmt}"
    export_rdf(store, out, fmt)
    reread = pyoxigraph.Store()
    reread.load(path=out)
    assert sorted(str(g) for g in reread.named_graphs()) == [f"<{ID}article/a1>", f"<{ID}article/a2>"]
    # The loaded store's default graph is the union of its named graphs (kept for querying);
    # the export does not repeat it, so the file holds exactly the named-graph quads.
    named = {quad for quad in store if not isinstance(quad.graph_name, pyoxigraph.DefaultGraph)}
    assert set(reread) == named
    dataset = rdflib.Dataset()
    dataset.parse(out, format=RDFLIB_FORMATS[fmt])
    assert len(list(dataset.quads())) == len(named)


@pytest.mark.parametrize("fmt", sorted(set(FORMATS)))
def test_every_export_is_byte_identical_across_runs_and_load_order(tmp_path: Path, fmt: str) -> None:
    first, second = tmp_path / "a" / f"graph.{fmt}", tmp_path / "b" / f"graph.{fmt}"
    write_format(load_graph(GRAPH), first, fmt)
    shuffled = pyoxigraph.Store()
    shuffled.extend(sorted(load_graph(GRAPH), key=lambda quad: str(quad.object), reverse=True))
    write_format(shuffled, second, fmt)
    assert first.read_bytes() == second.read_bytes()
    assert first.stat().st_size > 0


@pytest.mark.parametrize("fmt", ["ttl", "nt", "nq", "trig", "jsonld"])
def test_blank_nodes_get_the_same_names_on_every_load(tmp_path: Path, fmt: str) -> None:
    source = tmp_path / "bnodes.ttl"
    source.write_text(
        "@prefix ex: <http://ex.org/> .\n"
        "ex:a ex:p [ ex:name \"x\" ; ex:q [ ex:name \"deep\" ] ] , [ ex:name \"y\" ] ; ex:r ( 1 2 3 ) .\n"
        "ex:b ex:p [ ex:name \"x\" ] .\n"
    )
    first, second = load_graph(source), load_graph(source)
    assert {q.object for q in first if q.predicate.value == "http://ex.org/p"}.isdisjoint(
        {q.object for q in second if q.predicate.value == "http://ex.org/p"})  # the parser named them at random
    export_rdf(first, tmp_path / f"1.{fmt}", fmt)
    export_rdf(second, tmp_path / f"2.{fmt}", fmt)
    assert (tmp_path / f"1.{fmt}").read_bytes() == (tmp_path / f"2.{fmt}").read_bytes()
    reread = rdflib.Dataset()
    reread.parse(tmp_path / f"1.{fmt}", format=RDFLIB_FORMATS[fmt])
    triples = rdflib.Graph()
    for s, p, o, _ in reread.quads():
        triples.add((s, p, o))
    assert rdflib.compare.isomorphic(rdflib.Graph().parse(source), triples)


def test_turtle_uses_prefixes_and_groups_subjects(store: pyoxigraph.Store, tmp_path: Path) -> None:
    out = tmp_path / "graph.ttl"
    export_rdf(store, out, "ttl")
    text = out.read_text("utf-8")
    assert "@prefix kgo: <https://w3id.org/kgbuild/ontology#> ." in text
    united_states = rf"\n<{ID}entity/United_States> a kgo:Country ;\n"
    assert re.search(united_states + rf"(\t.*\n)*\tkgo:restricts <{ID}concept/advanced_AI_chips> .\n", text)
    assert text.count(f"\n<{ID}entity/China> ") == 1


def test_unsafe_local_names_are_written_as_full_iris(tmp_path: Path) -> None:
    store = pyoxigraph.Store()
    subject = pyoxigraph.NamedNode(f"{ID}entity/A")
    store.add(pyoxigraph.Quad(subject, pyoxigraph.NamedNode(str(KGO) + "has.dot("), pyoxigraph.Literal("x")))
    store.add(pyoxigraph.Quad(subject, pyoxigraph.NamedNode(PREFIXES["rdfs"] + "label"), pyoxigraph.Literal("A")))
    out = tmp_path / "graph.ttl"
    export_rdf(store, out, "ttl")
    text = out.read_text("utf-8")
    assert "<https://w3id.org/kgbuild/ontology#has.dot(>" in text
    assert "kgo:" not in text
    assert 'rdfs:label "A"' in text


def test_safe_prefixes_drops_only_namespaces_with_unsafe_local_names() -> None:
    prefixes = {"a": "http://a/", "b": "http://b/", "c": "http://c/"}
    data = b"<http://a/x1> <http://b/1x> <http://c/> .\n<http://a/y_-z> <http://b/ok> <http://a/> .\n"
    assert safe_prefixes(data, prefixes) == {"a": "http://a/", "c": "http://c/"}


def test_jsonld_has_a_compact_context(store: pyoxigraph.Store, tmp_path: Path) -> None:
    out = tmp_path / "graph.jsonld"
    export_rdf(store, out, "jsonld")
    document = json.loads(out.read_text("utf-8"))
    assert document["@context"]["kgo"] == str(KGO)
    united_states = next(node for node in document["@graph"] if node["@id"] == f"{ID}entity/United_States")
    assert united_states["@type"] == "kgo:Country"
    assert united_states["owl:sameAs"] == {"@id": "wd:Q30"}
    assert sorted(united_states["skos:altLabel"]) == ["U.S.", "US"]


def test_unknown_rdf_format_is_refused(store: pyoxigraph.Store, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown RDF format"):
        export_rdf(store, tmp_path / "graph.xml", "xml")


def test_a_failed_export_leaves_the_previous_file(store: pyoxigraph.Store, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "graph.ttl"
    out.write_text("previous")

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(pyoxigraph, "serialize", broken)
    with pytest.raises(RuntimeError):
        export_rdf(store, out, "ttl")
    assert out.read_text() == "previous"
    assert [path.name for path in tmp_path.iterdir()] == ["graph.ttl"]


def test_view_has_entities_facts_and_evidence(store: pyoxigraph.Store) -> None:
    view = build_view(store)
    labels = {node.label for node in view.nodes}
    assert labels == {"United States", "China", "advanced AI chips", "Huawei", "AI computing systems",
                      "World Artificial Intelligence Conference", "Shanghai"}
    by_label = {node.label: node for node in view.nodes}
    assert by_label["United States"].aliases == ["U.S.", "US"]
    assert by_label["United States"].wikidata == "https://www.wikidata.org/wiki/Q30"
    assert view.class_labels[str(KGO.Country)] == "Country"
    restricts = [edge for edge in view.edges if edge.predicate == str(KGO.restricts)]
    assert sorted((edge.source.rsplit("/", 1)[1], edge.status) for edge in restricts) == [
        ("China", NEGATED), ("United_States", ASSERTED)]
    asserted = next(edge for edge in restricts if edge.status == ASSERTED)
    assert asserted.evidence[0].text.startswith("The United States has imposed export restrictions")
    assert asserted.evidence[0].article_title == "US tightens AI chip exports"
    assert asserted.evidence[0].qualifiers == [("recipient", "China")]
    assert by_label["United States"].mentioned_in == ["US tightens AI chip exports"]
    unveiled = next(edge for edge in view.edges if edge.label == "unveiled at")
    assert unveiled.evidence[0].qualifiers == [("argument", "at a packed hall"), ("place", "Shanghai")]
    assert view.relation_labels[f"{ID}relation/unveiled_at"] == "unveiled at"
    statuses = sorted(edge.status for edge in view.edges if edge.predicate == str(KGO.develops))
    assert statuses == [ASSERTED, "could"]


def test_view_of_turtle_from_another_tool_uses_iri_resources_and_triples_between_them(tmp_path: Path) -> None:
    foreign = tmp_path / "foaf.ttl"
    foreign.write_text(
        "@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n"
        "<http://ex.org/alice> a foaf:Person ; foaf:name \"Alice\" ; foaf:knows <http://ex.org/bob> ;\n"
        "  foaf:based_near [ foaf:name \"somewhere\" ] .\n"
        "<http://ex.org/bob> foaf:homepage <http://bob.example/> .\n"
    )
    view = build_view(load_graph(foreign))
    assert [node.label for node in view.nodes] == ["bob.example", "Alice", "bob"]
    assert [(edge.label, edge.target) for edge in view.edges] == [
        ("knows", "http://ex.org/bob"), ("homepage", "http://bob.example/")]
    assert view.class_labels == {"http://xmlns.com/foaf/0.1/Person": "Person"}


def test_foreign_labels_prefer_english_and_other_names_become_aliases() -> None:
    view = build_view(load_graph(DATA / "foreign.ttl"))
    by_iri = {node.iri: node for node in view.nodes}
    society = by_iri["http://example.org/people/analytical_society"]
    assert (society.label, society.aliases) == ("Analytical Society", ["Société analytique"])
    assert society.properties == [("founding date", "1812")]
    assert by_iri["http://example.org/people/ada"].properties == []  # foaf:name is the label, not repeated
    assert view.class_labels["http://example.org/people/Researcher"] == "Researcher"
    assert "http://xmlns.com/foaf/0.1/Person" not in by_iri  # a class, not a node
    assert len(view.edges) == 6 and len(view.nodes) == 5


def test_label_helpers() -> None:
    assert local_name("https://w3id.org/kgbuild/id/entity/United_States") == "United States"
    assert local_name("http://ex.org/a%20b/") == "a b"
    assert humanize("isLocatedIn") == "is located in"
    assert humanize("GovernmentAgency") == "Government agency"
    assert humanize("USA") == "USA"


def test_html_is_self_contained_and_offline(store: pyoxigraph.Store, tmp_path: Path) -> None:
    out = tmp_path / "graph.html"
    write_html(store, out, title="Chips & <things>")
    page = out.read_text("utf-8")
    assert re.findall(r"<(script|link|img|iframe)\b[^>]*\b(src|href)=", page, re.I) == []
    assert not re.search(r"@import|url\((?!\"?data:)", page)
    assert "<title>Chips &amp; &lt;things&gt;</title>" in page
    assert "default-src 'none'" in page
    assert "vis.js is dual licensed" in page


def test_hostile_text_cannot_end_the_data_block(tmp_path: Path) -> None:
    out = tmp_path / "hostile.html"
    write_html(load_graph(HOSTILE), out)
    page = out.read_text("utf-8")
    assert page.count("<script") == 3
    assert page.count("</script") == 3
    assert "<img" not in page and "<!--" not in page
    assert "\u2028" not in page and "\u2029" not in page
    data_block = re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', page, re.S)
    assert data_block is not None
    data = json.loads(data_block.group(1))
    labels = {node["label"] for node in data["nodes"]}
    assert "<script>window.__pwned='label'</script>" in labels
    assert any("\u2028" in label and "</script><!--" in label for label in labels)


def test_script_json_escapes_markup_and_line_separators() -> None:
    text = script_json({"x": "</script><!-- & \u2028\u2029"})
    assert text == '{"x":"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028\\u2029"}'
    assert json.loads(text) == {"x": "</script><!-- & \u2028\u2029"}


def test_page_placeholders_are_filled_once() -> None:
    page = render_html({"title": "@@APP@@", "nodes": [], "edges": [], "classes": [], "relations": []})
    assert "<title>@@APP@@</title>" in page
    assert page.count("@@APP@@") == 2  # the title and the data, both left as text
    assert page.count('JSON.parse(document.getElementById("kg-data").textContent)') == 1


def test_csp_hashes_match_the_inline_scripts(store: pyoxigraph.Store) -> None:
    import base64
    import hashlib

    page = render_html(view_data(build_view(store), "t"))
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(scripts) == 2
    for script in scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in page


def test_view_data_colours_classes_and_counts_relations(store: pyoxigraph.Store) -> None:
    data = view_data(build_view(store), "t")
    assert data["classes"][0]["label"] == "Country" and data["classes"][0]["count"] == 2
    assert len({cls["color"] for cls in data["classes"]}) == len(data["classes"])
    assert {rel["label"]: rel["count"] for rel in data["relations"]} == {
        "develops": 2, "located in": 2, "restricts": 2, "unveiled at": 1}
    sizes = {node["label"]: node["size"] for node in data["nodes"]}
    assert sizes["Huawei"] == max(sizes.values()) > sizes["United States"]


def test_graphml_reads_back_with_networkx(store: pyoxigraph.Store, tmp_path: Path) -> None:
    out = tmp_path / "graph.graphml"
    write_format(store, out, "graphml")
    graph = networkx.read_graphml(out)
    view = build_view(store)
    assert graph.number_of_nodes() == len(view.nodes)
    assert graph.number_of_edges() == len(view.edges)
    united_states = graph.nodes[f"{ID}entity/United_States"]
    assert united_states["label"] == "United States" and united_states["type"] == "Country"
    assert united_states["wikidata"] == "https://www.wikidata.org/wiki/Q30"
    edges = graph.get_edge_data(f"{ID}entity/Huawei", f"{ID}concept/AI_computing_systems")
    assert sorted(edge["status"] for edge in edges.values()) == ["asserted", "could"]
    assert all(edge["label"] == "develops" and edge["weight"] == 1 for edge in edges.values())


def test_graphml_drops_characters_xml_cannot_carry(tmp_path: Path) -> None:
    store = pyoxigraph.Store()
    store.add(pyoxigraph.Quad(pyoxigraph.NamedNode("http://ex.org/a"), pyoxigraph.NamedNode(PREFIXES["rdfs"] + "label"),
                              pyoxigraph.Literal("bell\x07 ok")))
    out = tmp_path / "graph.graphml"
    write_format(store, out, "graphml")
    assert networkx.read_graphml(out).nodes["http://ex.org/a"]["label"] == "bell ok"


def test_csv_has_one_row_per_fact_and_evidence(store: pyoxigraph.Store, tmp_path: Path) -> None:
    out = tmp_path / "facts.csv"
    write_format(store, out, "csv")
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 7  # six assertion nodes plus the plain triple Shanghai locatedIn China
    restricts = next(row for row in rows if row["subject_label"] == "United States")
    assert restricts["relation"] == "restricts"
    assert restricts["object_label"] == "advanced AI chips"
    assert restricts["evidence"].startswith("The United States has imposed")
    assert restricts["article_title"] == "US tightens AI chip exports"
    assert restricts["article_url"] == "https://example.org/news/us-chips"
    assert (restricts["confidence"], restricts["start"], restricts["end"]) == ("0.9", "0", "80")
    assert restricts["qualifiers"] == "recipient=China"
    assert {row["status"] for row in rows} == {"asserted", "negated", "could"}
    bare = next(row for row in rows if row["subject_label"] == "Shanghai")
    assert bare["evidence"] == "" and bare["object_label"] == "China"


def test_load_graph_reads_triple_and_quad_formats(tmp_path: Path) -> None:
    turtle = tmp_path / "g.ttl"
    turtle.write_text("<http://ex.org/a> <http://ex.org/p> <b> .\n")
    store = load_graph(turtle)
    (quad,) = list(store)
    assert quad.object == pyoxigraph.NamedNode((tmp_path / "b").as_uri())
    assert len(load_graph(GRAPH).named_graphs().__iter__().__next__().value) > 0


@pytest.mark.parametrize(("name", "content", "message"), [
    ("missing.ttl", None, "no such file"),
    ("graph.docx", "", "not a graph: expected a store directory or a file ending in .ttl"),
    ("broken.ttl", "<http://ex.org/a> <http://ex.org/p> .", "invalid ttl"),
])
def test_load_graph_reports_unusable_input(tmp_path: Path, name: str, content: str | None, message: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    with pytest.raises(InputError, match=message):
        load_graph(path)


def test_an_edge_keeps_its_first_evidence_sentences_and_counts_them_all() -> None:
    from kgbuild.export.graphview import MAX_ARTICLES_PER_NODE, MAX_EVIDENCE_PER_EDGE
    from tests.conftest import US, much_reported_fact

    total = MAX_EVIDENCE_PER_EDGE + 7
    store = much_reported_fact(total)
    view = build_view(store)
    (edge,) = view.edges
    (us_node,) = [node for node in view.nodes if node.iri == US]
    assert us_node.mentioned_count == total
    assert us_node.mentioned_in == [f"Article {n:02d}" for n in range(MAX_ARTICLES_PER_NODE)]
    assert edge.evidence_count == edge.weight == total
    assert [item.article_title for item in edge.evidence] == [f"Article {n:02d}" for n in range(MAX_EVIDENCE_PER_EDGE)]
    (data,) = view_data(build_view(store), "t")["edges"]
    assert data["evidenceCount"] == total and len(data["evidence"]) == MAX_EVIDENCE_PER_EDGE


def test_a_large_graph_is_drawn_with_its_most_connected_entities(store: pyoxigraph.Store) -> None:
    view = build_view(store)
    full = view_data(view, "t")
    assert len(full["nodes"]) == full["total"]["nodes"] == len(view.nodes) > 5
    capped = view_data(view, "t", max_nodes=5)
    kept = {node["id"] for node in capped["nodes"]}
    # Named entities first (the view opens with them), then concepts; the most connected of each.
    most_connected = sorted(view.nodes, key=lambda node: (node.kind != "entity", -node.degree, node.iri))[:5]
    assert kept == {node.iri for node in most_connected}
    assert capped["edges"] and all(edge["from"] in kept and edge["to"] in kept for edge in capped["edges"])
    assert len(capped["edges"]) == sum(1 for e in view.edges if e.source in kept and e.target in kept)
    assert capped["total"] == {"nodes": len(view.nodes), "edges": len(view.edges),
                               "entities": sum(node.kind == "entity" for node in view.nodes)}
    drawn_relations = {edge["predicate"] for edge in capped["edges"]}
    assert {relation["iri"] for relation in capped["relations"]} == drawn_relations
    assert sum(cls["count"] for cls in capped["classes"]) == 5


@pytest.mark.parametrize("reported", ["assertion/0reported", "assertion/zreported"])
def test_a_reported_fact_is_evidence_not_a_node(reported: str) -> None:
    # "The paper reported that X bought Y": the report's object is the assertion of the reported
    # fact, which sorts before or after the report's own assertion node.
    from tests.conftest import much_reported_fact

    store = much_reported_fact(1)
    base = "https://w3id.org/kgbuild/id/"
    (inner,) = [quad.subject for quad in store.quads_for_pattern(None, pyoxigraph.NamedNode(PREFIXES["rdf"] + "type"),
                                                                 pyoxigraph.NamedNode(str(KGO.Assertion)))]
    renamed = pyoxigraph.NamedNode(base + reported)
    for quad in list(store.quads_for_pattern(inner, None, None)):
        store.remove(quad)
        store.add(pyoxigraph.Quad(renamed, quad.predicate, quad.object, quad.graph_name))
        graph = quad.graph_name
    report = pyoxigraph.NamedNode(base + "assertion/mreport")
    paper = pyoxigraph.NamedNode(base + "entity/The_Paper")
    rdf = PREFIXES["rdf"]
    for predicate, value in ((rdf + "type", pyoxigraph.NamedNode(str(KGO.Assertion))),
                             (rdf + "subject", paper), (rdf + "predicate", pyoxigraph.NamedNode(str(KGO.reports))),
                             (rdf + "object", renamed), (str(KGO.evidenceText), pyoxigraph.Literal("It said so."))):
        store.add(pyoxigraph.Quad(report, pyoxigraph.NamedNode(predicate), value, graph))
    store.add(pyoxigraph.Quad(paper, pyoxigraph.NamedNode(PREFIXES["rdfs"] + "label"), pyoxigraph.Literal("The Paper"),
                              graph))
    view = build_view(store)
    assert not [node.iri for node in view.nodes if "/assertion/" in node.iri]
    assert not [edge for edge in view.edges if "/assertion/" in edge.target]
