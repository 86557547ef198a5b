"""End-to-end: the example articles become Turtle and an HTML view, deterministically."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph
import rdflib

from kgbuild.pipeline import BuildReport, build
from kgbuild.vocab import PREFIXES
from tests.conftest import EXAMPLES

SPARQL_PREFIXES = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())

RESTRICTION = SPARQL_PREFIXES + """
SELECT ?object ?sentence ?title WHERE {
  ?us rdfs:label "United States" ; kgo:restricts ?object .
  ?assertion rdf:subject ?us ; rdf:predicate kgo:restricts ; rdf:object ?object ;
             kgo:recipient ?china ; kgo:evidenceText ?sentence ; prov:wasDerivedFrom ?article .
  ?china rdfs:label "China" .
  ?article rdfs:label ?title .
} ORDER BY ?object
"""

SENTENCE = ("In response, the U.S. has imposed export restrictions on advanced AI chips and related "
            "technologies to China")


def test_example_graph_parses_with_rdflib_and_oxigraph_alike(example_graph: Path) -> None:
    graph = rdflib.Graph().parse(example_graph, format="turtle")
    store = pyoxigraph.Store()
    store.load(path=str(example_graph), format=pyoxigraph.RdfFormat.TURTLE)
    assert len(graph) == len(store) > 500


def test_example_graph_has_the_us_china_export_restriction_with_evidence(example_graph: Path) -> None:
    store = pyoxigraph.Store()
    store.load(path=str(example_graph), format=pyoxigraph.RdfFormat.TURTLE)
    rows = [{name: row[name].value for name in ("object", "sentence", "title")} for row in store.query(RESTRICTION)]
    objects = {row["object"].rsplit("/", 1)[-1] for row in rows}
    assert "advanced_AI_chips" in objects
    restriction = next(row for row in rows if row["object"].endswith("advanced_AI_chips"))
    assert restriction["sentence"].startswith(SENTENCE)
    assert restriction["title"] == "United States Ponders New Approach in Competition with China for AI Superiority"


def test_html_view_is_self_contained(example_build: Path) -> None:
    html = (example_build / "graph.html").read_text(encoding="utf-8")
    assert "<script" in html and "vis" in html
    remote = re.findall(r"<(?:script|link|img|iframe)[^>]*(?:src|href)\s*=\s*[\"']?(?:https?:)?//", html, re.I)
    assert remote == []
    assert not re.search(r"@import\s+url\(\s*[\"']?(?:https?:)?//", html)


def test_same_input_gives_byte_identical_output(tmp_path: Path, example_build: Path) -> None:
    report = build([EXAMPLES], tmp_path)
    assert isinstance(report, BuildReport)
    for name in ("graph.ttl", "graph.html"):
        assert (tmp_path / name).read_bytes() == (example_build / name).read_bytes(), name


def test_report_counts_what_was_built(tmp_path: Path) -> None:
    report = build([EXAMPLES], tmp_path)
    assert report.articles == 2
    assert 40 <= report.sentences <= 60
    assert report.facts > 40 and report.entities > 20
    assert report.triples == len(rdflib.Graph().parse(tmp_path / "graph.ttl"))
    assert report.outputs == [tmp_path / "graph.ttl", tmp_path / "graph.html"]
    assert report.skipped == []
