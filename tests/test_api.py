"""The Python API (kgbuild.build, load, view and KnowledgeGraph) and the examples of docs/api.md."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import networkx
import pyoxigraph as ox
import pytest
import rdflib

import kgbuild
from kgbuild.errors import InputError
from tests.conftest import ROOT

DATA = ROOT / "tests" / "data"
TEXTS = [
    "Deutsche Bahn ordered 200 trains from Siemens. Richard Lutz announced the order in Berlin.",
    {"text": "Airbus delivered more planes than Boeing. IndiGo ordered 500 jets from Airbus.",
     "title": "Airbus beats Boeing", "published": "2025-02-11"},
]


@pytest.fixture(scope="module")
def built() -> kgbuild.KnowledgeGraph:
    """A graph built in memory from a text and a record."""
    return kgbuild.build(TEXTS)


def test_import_kgbuild_loads_no_parser() -> None:
    code = ("import sys, kgbuild; kgbuild.build; kgbuild.KnowledgeGraph; "
            "print(sorted(m for m in ('spacy', 'networkx', 'kgbuild.pipeline') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert result.stdout.strip() == "[]"


def test_build_from_texts_and_records(built: kgbuild.KnowledgeGraph) -> None:
    assert built.report is not None and built.report.articles == 2
    assert built.report.triples == len(built) > 100
    assert repr(built).startswith("<KnowledgeGraph: 2 articles, 4 sentences")
    titles = sorted(row["title"] for row in built.query("SELECT ?title WHERE { ?a a kgo:Article ; rdfs:label ?title }"))
    assert titles == ["Airbus beats Boeing", "text-1.jsonl"]
    (date,) = built.query("SELECT ?d WHERE { ?a schema:datePublished ?d }")
    assert str(date["d"]) == "2025-02-11" and type(date["d"]).__name__ == "date"


def test_query_gives_rows_of_python_values(built: kgbuild.KnowledgeGraph) -> None:
    rows = built.query("SELECT ?fact ?confidence ?missing WHERE { ?fact kgo:confidence ?confidence "
                       "OPTIONAL { ?fact kgo:nothing ?missing } }")
    assert rows and all(isinstance(row["fact"], str) and row["fact"].startswith("https://w3id.org/kgbuild/id/assertion/")
                        for row in rows)
    assert all(isinstance(row["confidence"], float) and 0 < row["confidence"] <= 1 for row in rows)
    assert all(row["missing"] is None for row in rows)
    assert built.query("ASK { entity:Airbus ?p ?o }") is True
    triples = built.query("CONSTRUCT { entity:Airbus rdfs:label ?l } WHERE { entity:Airbus rdfs:label ?l }")
    assert [t.object for t in triples] == [ox.Literal("Airbus")]


def test_the_graph_as_a_store_an_rdflib_graph_and_a_networkx_graph(built: kgbuild.KnowledgeGraph) -> None:
    assert isinstance(built.store, ox.Store)
    graph = built.to_rdflib()
    assert isinstance(graph, rdflib.Graph) and len(graph) == len(built)
    airbus = rdflib.URIRef("https://w3id.org/kgbuild/id/entity/Airbus")
    assert graph.value(airbus, rdflib.RDFS.label) == rdflib.Literal("Airbus")
    network = built.to_networkx()
    assert isinstance(network, networkx.MultiDiGraph)
    assert network.nodes[str(airbus)]["kind"] == "entity"
    assert {data["kind"] for _, data in network.nodes(data=True)} == {"entity", "concept"}
    assert network.number_of_edges() >= built.report.facts // 2


def test_view_write_and_the_jupyter_repr(built: kgbuild.KnowledgeGraph, tmp_path: Path) -> None:
    page = built.view(tmp_path / "graph.html").read_text("utf-8")
    assert "<title>2 articles</title>" in page and "Content-Security-Policy" in page
    built.write(tmp_path / "graph.trig")
    assert len(kgbuild.load(tmp_path / "graph.trig")) == len(built)
    with pytest.raises(InputError, match="unknown format"):
        built.write(tmp_path / "graph.xyz")
    inline = built._repr_html_()
    match = re.fullmatch(r'<iframe srcdoc="([^"]*)" sandbox="allow-scripts" style="[^"]*" title="[^"]*"></iframe>', inline)
    assert match, inline[:200]
    import html

    assert html.unescape(match[1]) == built.html()
    assert "<" not in match[1]


def test_strings_are_texts_unless_they_name_a_path(tmp_path: Path) -> None:
    from kgbuild.api import _input_paths

    article = tmp_path / "one.txt"
    article.write_text("Intel delayed its factory in Magdeburg.", encoding="utf-8")
    paths = _input_paths([str(article), "Intel delayed its factory.", tmp_path, {"text": "Siemens won."}], tmp_path)
    assert paths[:2] == [article, tmp_path]
    assert [p.name for p in paths[2:]] == ["text-1.jsonl", "text-2.jsonl"]
    with pytest.raises(InputError, match="no such file|no article files"):
        kgbuild.build("missing/articles.txt")
    with pytest.raises(InputError, match="text"):
        kgbuild.build([{"title": "no text"}])
    with pytest.raises(InputError, match="nothing to build"):
        kgbuild.build([])


def test_build_with_an_output_folder_is_the_command(tmp_path: Path) -> None:
    out = tmp_path / "out"
    written = kgbuild.build([DATA / "corpus" / "02-chip-plant.txt"], out, workers=1, title="Chips")
    assert sorted(p.name for p in out.iterdir()) == ["graph.html", "graph.ttl"]
    assert "<title>Chips</title>" in (out / "graph.html").read_text("utf-8")
    assert written.report.articles == 1
    assert len(written) == written.report.triples
    rows = written.query("SELECT ?label WHERE { ?a a kgo:Article ; rdfs:label ?label }")
    assert rows == [{"label": "Intel delays Magdeburg factory"}]


def _python_blocks(path: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), re.S)


def test_the_examples_of_docs_api_md_run(tmp_path: Path) -> None:
    blocks = _python_blocks(ROOT / "docs" / "api.md")
    assert len(blocks) >= 4
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    script = tmp_path / "api_examples.py"
    script.write_text("\n".join(blocks), encoding="utf-8")
    result = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True,
                            timeout=600, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert result.returncode == 0, result.stderr[-3000:]
    assert "<KnowledgeGraph: 2 articles" in result.stdout
    assert (tmp_path / "graph.html").is_file() and (tmp_path / "facts.csv").is_file()
    assert (tmp_path / "out" / "graph.ttl").is_file()


def test_an_in_memory_build_is_the_graph_the_command_writes(tmp_path: Path) -> None:
    # Entities are resolved across articles in memory as in a written build.
    corpus = DATA / "corpus"
    in_memory = kgbuild.build(corpus)
    written = kgbuild.build([corpus], tmp_path / "out", workers=1, formats=["nq"])

    def union(graph: kgbuild.KnowledgeGraph) -> set[str]:
        return {f"{q.subject} {q.predicate} {q.object}"
                for q in graph.store.quads_for_pattern(None, None, None, ox.DefaultGraph())}

    assert union(in_memory) == union(written)
    assert len(in_memory) == written.report.triples == in_memory.report.triples
