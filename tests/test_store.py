"""Tests for kgbuild.store: opening graphs and keeping a store article by article."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kgbuild.cli import main
from kgbuild.errors import InputError
from kgbuild.store import (
    article_graphs,
    article_ids,
    is_store,
    open_graph,
    open_store,
    remove,
    remove_article,
    replace_article,
)

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parent.parent
ID = "https://w3id.org/kgbuild/id/"
A, B = "aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb"
COUNT_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def article_quads(article_id: str) -> list[ox.Quad]:
    """Return the quads of one article graph of the fixture."""
    fixture = ox.Store()
    fixture.load(path=DATA / "mini.trig")
    return list(fixture.quads_for_pattern(None, None, None, ox.NamedNode(f"{ID}article/{article_id}")))


def count(store: ox.Store, sparql: str = COUNT_TRIPLES) -> int:
    """Run a one-number query."""
    prefixes = {"kgo": "https://w3id.org/kgbuild/ontology#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#"}
    return int(next(iter(store.query(sparql, prefixes=prefixes)))[0].value)


def fill(store: ox.Store) -> None:
    """Put both fixture articles into a store the way a build does."""
    for article_id in (A, B):
        replace_article(store, ox.NamedNode(f"{ID}article/{article_id}"), article_quads(article_id))


@pytest.mark.parametrize("suffix", [".ttl", ".nt", ".nq", ".trig", ".jsonld", ".rdf"])
def test_open_graph_reads_every_rdf_file_format(tmp_path: Path, suffix: str) -> None:
    source = ox.Store()
    source.load(path=DATA / "mini.trig")
    path = tmp_path / f"graph{suffix}"
    if suffix in (".ttl", ".nt", ".rdf"):
        source.dump(path, from_graph=ox.NamedNode(f"{ID}article/{A}"))
    else:
        source.dump(path)
    graph = open_graph(path)
    assert bool(graph.query(f"ASK {{ <{ID}entity/United_States> kgo:restricts ?o }}",
                            prefixes={"kgo": "https://w3id.org/kgbuild/ontology#"}))


def test_open_graph_resolves_relative_iris_against_the_file(tmp_path: Path) -> None:
    path = tmp_path / "relative.ttl"
    path.write_text("<thing> <http://www.w3.org/2000/01/rdf-schema#label> \"a thing\" .\n", encoding="utf-8")
    subjects = [q.subject for q in open_graph(path).quads_for_pattern(None, None, None, ox.DefaultGraph())]
    assert subjects == [ox.NamedNode((tmp_path / "thing").as_uri())]


def test_open_graph_merges_article_graphs_into_a_set_union() -> None:
    graph = open_graph(DATA / "mini.trig")
    # 84 quads over two graphs; China's three statements appear in both.
    assert len(graph) - count(graph) == 84
    assert count(graph) == 81


@pytest.mark.parametrize(("name", "content", "message"), [
    ("graph.ttl", "<a> <b> .\n", "invalid ttl"),
    ("graph.csv", "a,b\n", "not a graph"),
    ("missing.ttl", None, "no such file"),
])
def test_open_graph_rejects_what_it_cannot_read(tmp_path: Path, name: str, content: str | None,
                                                message: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message) as caught:
        open_graph(path)
    assert "\n" not in str(caught.value)


def test_open_graph_rejects_a_folder_that_is_not_a_store(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    with pytest.raises(InputError, match="not a kgbuild store"):
        open_graph(tmp_path)
    with pytest.raises(InputError, match="not a kgbuild store"):
        open_store(tmp_path)
    with pytest.raises(InputError, match="is a file"):
        open_store(tmp_path / "notes.txt")


def test_store_round_trip_and_read_only_open(tmp_path: Path) -> None:
    store = open_store(tmp_path / "store")
    fill(store)
    assert article_ids(store) == {A, B}
    del store
    assert is_store(tmp_path / "store")
    graph = open_graph(tmp_path / "store")
    assert count(graph) == 81
    with pytest.raises(RuntimeError, match="read-write"):
        graph.update("CLEAR ALL")


def test_second_writer_is_told_the_store_is_busy(tmp_path: Path) -> None:
    store = open_store(tmp_path / "store")
    with pytest.raises(InputError, match="open for writing"):
        open_store(tmp_path / "store")
    del store


def test_building_an_article_twice_adds_no_duplicates() -> None:
    store = ox.Store()
    fill(store)
    before = len(store)
    fill(store)
    assert len(store) == before
    assert count(store) == 81


def test_replacing_an_article_drops_statements_it_no_longer_makes() -> None:
    store = ox.Store()
    fill(store)
    kept = [q for q in article_quads(A) if "restricts" not in q.predicate.value]
    replace_article(store, ox.NamedNode(f"{ID}article/{A}"), kept)
    assert not bool(store.query(f"ASK {{ ?s <https://w3id.org/kgbuild/ontology#restricts> ?o }}"))
    assert count(store) == 80


def test_removing_an_article_keeps_what_other_articles_say() -> None:
    store = ox.Store()
    fill(store)
    assert remove_article(store, A)
    assert article_ids(store) == {B}
    china = f"<{ID}entity/China>"
    # China is described by both articles, so its description stays; the US only by A.
    assert count(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ {china} ?p ?o }}") == 3
    assert count(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ <{ID}entity/United_States> ?p ?o }}") == 0
    assert count(store) == 41
    assert not remove_article(store, A)
    assert remove_article(store, B)
    assert len(store) == 0


def test_article_graphs_maps_ids_to_graph_iris() -> None:
    store = ox.Store()
    fill(store)
    store.add(ox.Quad(ox.NamedNode("http://example.org/a"), ox.NamedNode("http://example.org/b"),
                      ox.Literal("c"), ox.NamedNode("http://example.org/other-graph")))
    assert article_graphs(store) == {A: ox.NamedNode(f"{ID}article/{A}"), B: ox.NamedNode(f"{ID}article/{B}")}


WRITER = textwrap.dedent("""
    import sys
    import pyoxigraph as ox
    from kgbuild.store import open_store, replace_article

    store = open_store(sys.argv[1])
    graph = ox.NamedNode("https://w3id.org/kgbuild/id/article/cccccccccccccccc")
    version = 0
    print("ready", flush=True)
    while True:
        version += 1
        value = ox.Literal(str(version))
        replace_article(store, graph, [
            ox.Triple(ox.NamedNode(f"http://example.org/s{i}"), ox.NamedNode("http://example.org/v"), value)
            for i in range(5000)
        ])
""")


def test_a_write_killed_mid_way_leaves_a_usable_store(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(store_dir)], cwd=ROOT,
                              env=dict(os.environ, PYTHONPATH=str(ROOT)), stdout=subprocess.PIPE, text=True)
    assert writer.stdout is not None and writer.stdout.readline() == "ready\n"
    time.sleep(1.5)
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    store = open_store(store_dir)
    versions = {row["v"].value for row in store.query("SELECT DISTINCT ?v WHERE { ?s <http://example.org/v> ?v }")}
    # Each article graph is written in one transaction: one whole version is visible, never a mix.
    assert len(versions) == 1
    assert count(store) == 5000
    assert len(store) == 10000
    fill(store)
    assert article_ids(store) == {A, B, "cccccccccccccccc"}


def test_remove_command_takes_out_one_article(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    store = open_store(store_dir)
    fill(store)
    del store
    runner = CliRunner()
    result = runner.invoke(main, ["remove", "--store", str(store_dir), A, "ffffffffffffffff"])
    assert result.exit_code == 2
    assert "ffffffffffffffff" in result.output
    assert article_ids(open_graph(store_dir)) == {A, B}
    result = runner.invoke(main, ["remove", "--store", str(store_dir), A])
    assert result.exit_code == 0, result.output
    graph = open_graph(store_dir)
    assert article_ids(graph) == {B}
    assert count(graph) == 41
    result = runner.invoke(main, ["remove", "--store", str(tmp_path / "nowhere"), A])
    assert result.exit_code == 2
    assert "no kgbuild store" in result.output


def test_build_into_a_store_adds_only_new_articles(tmp_path: Path, example_build: Path) -> None:
    from kgbuild.pipeline import build

    store_dir = tmp_path / "store"
    first = build([ROOT / "examples" / "articles"], tmp_path / "first", store_dir=store_dir)
    assert (first.articles, first.unchanged) == (2, 0)
    # The store's outputs are the same graph as a build without a store.
    assert (tmp_path / "first" / "graph.ttl").read_bytes() == (example_build / "graph.ttl").read_bytes()
    second = build([ROOT / "examples" / "articles"], tmp_path / "second", store_dir=store_dir)
    assert (second.articles, second.unchanged, second.triples) == (0, 2, first.triples)
    assert (tmp_path / "second" / "graph.ttl").read_bytes() == (example_build / "graph.ttl").read_bytes()
    ids = sorted(article_ids(open_graph(store_dir)))
    assert len(ids) == 2
    remove(store_dir, [ids[0]])
    graph = open_graph(store_dir)
    assert article_ids(graph) == {ids[1]}
    assert count(graph, "SELECT (COUNT(*) AS ?n) WHERE { ?a a kgo:Article }") == 1
    del graph
    third = build([ROOT / "examples" / "articles"], tmp_path / "third", store_dir=store_dir)
    assert (third.articles, third.unchanged) == (1, 1)
    assert (tmp_path / "third" / "graph.ttl").read_bytes() == (example_build / "graph.ttl").read_bytes()


def test_quads_of_shared_graphs_stay_in_their_graph() -> None:
    store = ox.Store()
    ontology = ox.NamedNode(f"{ID}ontology")
    restricts = ox.NamedNode("https://w3id.org/kgbuild/ontology#restricts")
    label = ox.Quad(restricts, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("restricts"),
                    ontology)
    replace_article(store, ox.NamedNode(f"{ID}article/{A}"), [*article_quads(A), label])
    assert list(store.quads_for_pattern(None, None, None, ontology)) == [label]
    assert count(store, "SELECT (COUNT(*) AS ?n) WHERE { kgo:restricts rdfs:label ?l }") == 1
    assert remove_article(store, A)
    assert list(store.quads_for_pattern(None, None, None, ontology)) == [label]
    assert count(store) == 1
