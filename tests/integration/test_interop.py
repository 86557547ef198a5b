"""Exports read by independent implementations: rapper (raptor2), pyoxigraph, rdflib, Virtuoso, networkx."""

from __future__ import annotations

import re
from collections.abc import Iterable
import subprocess
from pathlib import Path

import networkx
import pyoxigraph
import pytest
import rdflib

from kgbuild.export import load_graph, write_format
from kgbuild.export.graphview import build_view
from kgbuild.export.rdf import export_rdf
from tests.integration.conftest import Virtuoso

DATA = Path(__file__).resolve().parent.parent / "data"
#: Hand-written graphs: the kgbuild shape, hostile text, terms that trip serializers, and
#: another tool's Turtle with blank nodes and an RDF list.
GRAPHS = ("graph.trig", "hostile.trig", "tricky.trig", "foreign.ttl")
RAPPER_SYNTAX = {"ttl": "turtle", "nt": "ntriples", "nq": "nquads", "trig": "trig"}
RDFLIB_SYNTAX = {"ttl": "turtle", "nt": "nt", "nq": "nquads", "trig": "trig", "jsonld": "json-ld"}


@pytest.fixture(scope="module")
def store(example_graph: Path, tmp_path_factory: pytest.TempPathFactory) -> pyoxigraph.Store:
    """Return one store holding the example graph and the hand-written ones, resolved across them.

    Exporting kgbuild's article graphs resolves entities across articles (docs/graph-model.md), and
    these graphs name one company twice; so the reference is the resolved union, which every export
    must then write back unchanged.
    """
    combined = load_graph(example_graph)
    for name in GRAPHS:
        combined.extend(load_graph(DATA / name))
    resolved = tmp_path_factory.mktemp("interop") / "resolved.nq"
    export_rdf(combined, resolved, "nq")
    return load_graph(resolved)


def ground(triples: Iterable[pyoxigraph.Quad]) -> set[tuple[object, object, object]]:
    """Return the (subject, predicate, object) triples that have no blank node."""
    return {(q.subject, q.predicate, q.object) for q in triples
            if not isinstance(q.subject, pyoxigraph.BlankNode) and not isinstance(q.object, pyoxigraph.BlankNode)}


def distinct_triples(store: pyoxigraph.Store) -> int:
    """Count the distinct triples of the union of all graphs."""
    return len({(q.subject, q.predicate, q.object) for q in store})


def exported_quads(store: pyoxigraph.Store) -> int:
    """Count the quads a quad export holds: every named graph, and the default graph's own triples.

    A store's default graph may repeat its named graphs (``open_graph`` keeps their union there
    for querying); quad exports leave that repetition out.
    """
    named = {q for q in store if not isinstance(q.graph_name, pyoxigraph.DefaultGraph)}
    named_triples = {(q.subject, q.predicate, q.object) for q in named}
    default_only = {(q.subject, q.predicate, q.object) for q in store
                    if isinstance(q.graph_name, pyoxigraph.DefaultGraph)} - named_triples
    return len(named) + len(default_only)


def rapper_count(path: Path, syntax: str) -> int:
    """Parse ``path`` with raptor's rapper and return the number of statements it read."""
    result = subprocess.run(["rapper", "-i", syntax, "-c", str(path)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "error" not in result.stderr.lower() and "warning" not in result.stderr.lower(), result.stderr
    match = re.search(r"returned (\d+) (triple|statement)", result.stderr)
    assert match, result.stderr
    return int(match.group(1))


def rdflib_count(path: Path, fmt: str) -> int:
    """Parse ``path`` with rdflib and return the number of triples (or quads) it holds."""
    if fmt in ("nq", "trig"):
        dataset = rdflib.Dataset()
        dataset.parse(path, format=RDFLIB_SYNTAX[fmt])
        return len(list(dataset.quads()))
    return len(rdflib.Graph().parse(path, format=RDFLIB_SYNTAX[fmt]))


def pyoxigraph_count(path: Path, fmt: str) -> int:
    """Parse ``path`` with pyoxigraph and return the number of triples (or quads)."""
    return sum(1 for _ in pyoxigraph.parse(path=path, format=export_format(fmt)))


def export_format(fmt: str) -> pyoxigraph.RdfFormat:
    """Return Oxigraph's name of an export format."""
    from kgbuild.export.rdf import RDF_FORMATS

    return RDF_FORMATS[fmt]


@pytest.mark.parametrize("fmt", ["ttl", "nt", "nq", "trig"])
def test_rdf_exports_parse_the_same_with_rapper_pyoxigraph_and_rdflib(store: pyoxigraph.Store, tmp_path: Path,
                                                                      fmt: str) -> None:
    out = tmp_path / f"graph.{fmt}"
    export_rdf(store, out, fmt)
    expected = exported_quads(store) if fmt in ("nq", "trig") else distinct_triples(store)
    assert rapper_count(out, RAPPER_SYNTAX[fmt]) == expected
    assert pyoxigraph_count(out, fmt) == expected
    assert rdflib_count(out, fmt) == expected


def test_jsonld_parses_the_same_with_pyoxigraph_and_rdflib(store: pyoxigraph.Store, tmp_path: Path) -> None:
    # raptor2 has no JSON-LD parser, so the independent readers here are Oxigraph's and rdflib's.
    out = tmp_path / "graph.jsonld"
    export_rdf(store, out, "jsonld")
    reread = list(pyoxigraph.parse(path=out, format=export_format("jsonld")))
    assert ground(reread) == ground(store)
    assert len({(q.subject, q.predicate, q.object) for q in reread}) == distinct_triples(store)
    assert rdflib_count(out, "jsonld") == distinct_triples(store)


def test_turtle_and_rapper_agree_on_every_term(store: pyoxigraph.Store, tmp_path: Path) -> None:
    out = tmp_path / "graph.ttl"
    export_rdf(store, out, "ttl")
    result = subprocess.run(["rapper", "-q", "-i", "turtle", "-o", "ntriples", str(out)],
                            capture_output=True, timeout=120, check=True)
    by_rapper = list(pyoxigraph.parse(result.stdout, format=pyoxigraph.RdfFormat.N_TRIPLES))
    assert ground(by_rapper) == ground(store)
    assert len(by_rapper) == distinct_triples(store)


def test_turtle_loads_into_virtuoso_with_the_same_triples(virtuoso: Virtuoso, store: pyoxigraph.Store,
                                                          tmp_path: Path) -> None:
    out = tmp_path / "interop.ttl"
    export_rdf(store, out, "ttl")
    graph = "urn:kgbuild:test:interop"
    virtuoso.load_turtle(out, graph)
    rows = virtuoso.select(f"SELECT (COUNT(*) AS ?n) FROM <{graph}> WHERE {{ ?s ?p ?o }}")
    assert int(rows[0]["n"]) == distinct_triples(store)
    # Virtuoso 7.2 keeps the backslashes of escaped local names (kgo:a\(b\)) inside the IRI, so
    # the export must never use them: every predicate has to come back exactly.
    predicates = virtuoso.select(f"SELECT DISTINCT ?p FROM <{graph}> WHERE {{ ?s ?p ?o }}")
    assert {row["p"] for row in predicates} == {q.predicate.value for q in store}
    subjects = virtuoso.select(f"SELECT DISTINCT ?s FROM <{graph}> WHERE {{ ?s ?p ?o }}")
    assert {row["s"] for row in subjects if not row["s"].startswith("nodeID://")} == {
        q.subject.value for q in store if isinstance(q.subject, pyoxigraph.NamedNode)}


def test_graphml_reads_back_with_networkx(store: pyoxigraph.Store, tmp_path: Path) -> None:
    out = tmp_path / "graph.graphml"
    write_format(store, out, "graphml")
    graph = networkx.read_graphml(out, force_multigraph=True)
    view = build_view(store)
    assert sorted(graph.nodes) == sorted(node.iri for node in view.nodes)
    assert graph.number_of_edges() == len(view.edges)
    labels = {graph.nodes[node.iri]["label"] for node in view.nodes}
    assert "<script>window.__pwned='label'</script>" in labels
    assert "Café Müller" in labels or 'Café "Müller"' in labels
    assert "Ada Lovelace" in labels
