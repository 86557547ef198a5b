"""Tests for kgbuild.query: the API, the formats and the ``kgbuild query`` command."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kgbuild.cli import main
from kgbuild.errors import InputError
from kgbuild.query import (
    QuerySyntaxError,
    UpdateRefused,
    display_term,
    interruptible,
    is_update,
    query,
    read_query,
    write_results,
)
from kgbuild.store import open_store, replace_article

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
TRIG = DATA / "mini.trig"
TTL = DATA / "mini.ttl"
RESTRICTS = "SELECT ?who ?what WHERE { ?who kgo:restricts ?what }"
COUNTRIES = "SELECT ?country ?label WHERE { ?country a kgo:Country ; rdfs:label ?label } ORDER BY ?label"
SRJ = "{http://www.w3.org/2005/sparql-results#}"


def render(result: object, result_format: str = "table") -> str:
    """Format a result into a string."""
    out = io.BytesIO()
    write_results(result, out, result_format)  # type: ignore[arg-type]
    return out.getvalue().decode("utf-8")


@pytest.mark.parametrize("graph", [TRIG, TTL])
def test_prefixes_are_predeclared(graph: Path) -> None:
    rows = list(query(graph, RESTRICTS))
    assert [(r["who"].value, r["what"].value) for r in rows] == [
        ("https://w3id.org/kgbuild/id/entity/United_States",
         "https://w3id.org/kgbuild/id/concept/advanced_AI_chips"),
    ]


def test_union_counts_a_statement_made_by_two_articles_once() -> None:
    # China is described in both article graphs; the default graph is their union as a set.
    rows = list(query(TRIG, COUNTRIES))
    assert [r["label"].value for r in rows] == ["China", "United States"]


def test_graph_clause_reaches_each_article() -> None:
    rows = list(query(TRIG, "SELECT ?g WHERE { GRAPH ?g { ?x kgo:develops ?y } }"))
    assert [r["g"].value for r in rows] == ["https://w3id.org/kgbuild/id/article/bbbbbbbbbbbbbbbb"]


def test_table_is_aligned_and_uses_prefixed_names() -> None:
    text = render(query(TRIG, 'SELECT ?p ?label WHERE { ?p rdfs:label ?label FILTER(?label = "China") }'))
    lines = text.splitlines()
    assert lines[0].split() == ["p", "label"]
    assert set(lines[1]) == {"-", " "}
    assert lines[2].split() == ["entity:China", "China"]
    assert lines[0].index("label") == lines[2].rindex("China")
    assert lines[3:] == ["1 row"]
    assert display_term(ox.NamedNode("https://w3id.org/kgbuild/ontology#restricts")) == "kgo:restricts"


@pytest.mark.parametrize(("iri", "shown"), [
    ("https://w3id.org/kgbuild/id/entity/United_States", "entity:United_States"),
    ("https://w3id.org/kgbuild/id/concept/advanced_AI_chips", "concept:advanced_AI_chips"),
    ("https://w3id.org/kgbuild/id/article/aaaaaaaaaaaaaaaa", "article:aaaaaaaaaaaaaaaa"),
    ("https://w3id.org/kgbuild/id/relation/could_retaliate_against", "relation:could_retaliate_against"),
    ("https://w3id.org/kgbuild/id/assertion/0f3a", "assertion:0f3a"),
    ("https://w3id.org/kgbuild/id/mention/ab12/0-13", "mention:ab12\\/0-13"),
    ("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#Phrase", "nif:Phrase"),
    ("http://www.wikidata.org/entity/Q30", "wd:Q30"),
    ("https://w3id.org/kgbuild/id/entity/S%26P_500", "<https://w3id.org/kgbuild/id/entity/S%26P_500>"),
    ("https://w3id.org/kgbuild/id/entity/Inc.", "<https://w3id.org/kgbuild/id/entity/Inc.>"),
    ("http://example.org/x", "<http://example.org/x>"),
])
def test_iris_are_written_with_a_prefix_per_kind_of_minted_iri(iri: str, shown: str) -> None:
    assert display_term(ox.NamedNode(iri)) == shown


def test_prefixed_names_in_a_table_are_valid_sparql() -> None:
    # A name copied from the table finds the same resource again.
    for name in ("entity:United_States", "concept:advanced_AI_chips", "relation:could_retaliate_against"):
        assert bool(query(TRIG, f"ASK {{ {{ {name} ?p ?o }} UNION {{ ?s ?p {name} }} }}"))
    assert bool(query(TRIG, "ASK { ?s ?p mention:ab\\/1-2 } ")) is False


@pytest.mark.parametrize(("literal", "shown"), [
    (ox.Literal("China"), "China"),
    (ox.Literal("two\n  lines"), "two lines"),
    (ox.Literal("China", language="en"), "China"),
    (ox.Literal("Chine", language="fr"), "Chine@fr"),
    (ox.Literal("0.9", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")), "0.9"),
    (ox.Literal("2025-07-28", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")), "2025-07-28"),
    (ox.Literal("P1D", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#duration")), "P1D^^xsd:duration"),
    (ox.Literal("x", datatype=ox.NamedNode("http://example.org/t")), "x^^<http://example.org/t>"),
])
def test_literals_show_as_text_with_tag_or_datatype_only_where_it_matters(literal: ox.Literal, shown: str) -> None:
    assert display_term(literal) == shown


EVIDENCE = "SELECT ?fact ?sentence ?article WHERE { ?fact kgo:evidenceText ?sentence ; prov:wasDerivedFrom ?article }"


def test_a_table_fits_the_given_width_and_stays_whole_without_one() -> None:
    whole = render(query(TRIG, EVIDENCE)).splitlines()
    assert max(map(len, whole)) > 80
    assert any("The United States has imposed export restrictions on advanced AI chips to China." in line
               for line in whole)
    out = io.BytesIO()
    write_results(query(TRIG, EVIDENCE), out, width=80)
    fitted = out.getvalue().decode("utf-8").splitlines()
    assert max(map(len, fitted)) <= 80
    assert len(fitted) == len(whole) and fitted[-1] == whole[-1] == "4 rows"
    assert fitted[0].split() == ["fact", "sentence", "article"]
    assert any(line.rstrip().endswith("…") or "… " in line for line in fitted[2:])
    # Short columns are not cut: every article name is whole.
    assert [line.split()[-1] for line in fitted[2:-1]] == ["article:aaaaaaaaaaaaaaaa"] * 2 + \
        ["article:bbbbbbbbbbbbbbbb"] * 2


def test_cli_lists_the_predeclared_prefixes() -> None:
    result = CliRunner().invoke(main, ["query", "--prefixes"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "PREFIX kgo: <https://w3id.org/kgbuild/ontology#>" in lines
    assert "PREFIX entity: <https://w3id.org/kgbuild/id/entity/>" in lines
    assert {line.split()[1] for line in lines} >= {"entity:", "concept:", "article:", "relation:", "assertion:",
                                                    "mention:", "nif:", "itsrdf:", "wd:", "xsd:"}
    missing = CliRunner().invoke(main, ["query", str(TRIG)])
    assert missing.exit_code == 2 and "--prefixes" in missing.output


def test_cli_width_option_and_piped_output() -> None:
    runner = CliRunner()
    piped = runner.invoke(main, ["query", str(TRIG), EVIDENCE])
    assert "The United States has imposed export restrictions on advanced AI chips to China." in piped.output
    narrow = runner.invoke(main, ["query", str(TRIG), EVIDENCE, "--width", "60"])
    assert max(map(len, narrow.output.splitlines())) <= 60


def _on_a_terminal(graph: Path, sparql: str, columns: int) -> list[str]:
    """Run ``kgbuild query`` with its output on a pseudo-terminal of ``columns`` columns; return the lines."""
    import pty

    controller, terminal = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "kgbuild", "query", str(graph), sparql], cwd=ROOT,
                               env=dict(os.environ, PYTHONPATH=str(ROOT), COLUMNS=str(columns)),
                               stdout=terminal, stderr=subprocess.PIPE)
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal closes when the program exits
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(controller)
    assert process.wait(timeout=60) == 0
    return b"".join(chunks).decode("utf-8").splitlines()


def test_on_an_80_column_terminal_the_table_is_at_most_80_wide() -> None:
    for sparql in (RESTRICTS, EVIDENCE):
        lines = _on_a_terminal(TRIG, sparql, 80)
        assert lines and max(map(len, lines)) <= 80, lines
        if sparql == RESTRICTS:
            assert lines[2].split() == ["entity:United_States", "concept:advanced_AI_chips"]


def test_the_readme_query_on_the_example_graph_fits_80_columns(example_graph: Path) -> None:
    lines = _on_a_terminal(example_graph, RESTRICTS, 80)
    assert max(map(len, lines)) <= 80, lines
    assert lines[0].split() == ["who", "what"] and lines[-1].endswith("rows")
    assert all(row.split()[0] == "entity:United_States" and row.split()[1].startswith("concept:")
               for row in lines[2:-1])
    evidence = _on_a_terminal(example_graph, EVIDENCE, 80)
    assert max(map(len, evidence)) <= 80 and len(evidence) > 20


def test_json_follows_the_w3c_results_format() -> None:
    doc = json.loads(render(query(TRIG, COUNTRIES), "json"))
    assert doc["head"]["vars"] == ["country", "label"]
    bindings = doc["results"]["bindings"]
    assert bindings[0]["country"] == {"type": "uri", "value": "https://w3id.org/kgbuild/id/entity/China"}
    assert bindings[1]["label"] == {"type": "literal", "value": "United States"}


def test_xml_follows_the_w3c_results_format() -> None:
    root = ET.fromstring(render(query(TRIG, COUNTRIES), "xml"))
    assert [v.get("name") for v in root.iter(f"{SRJ}variable")] == ["country", "label"]
    assert [lit.text for lit in root.iter(f"{SRJ}literal")] == ["China", "United States"]


def test_csv_and_tsv() -> None:
    rows = list(csv.reader(io.StringIO(render(query(TRIG, COUNTRIES), "csv"))))
    assert rows == [["country", "label"], ["https://w3id.org/kgbuild/id/entity/China", "China"],
                    ["https://w3id.org/kgbuild/id/entity/United_States", "United States"]]
    tsv = render(query(TRIG, COUNTRIES), "tsv").splitlines()
    assert tsv[0] == "?country\t?label"
    assert tsv[1] == '<https://w3id.org/kgbuild/id/entity/China>\t"China"'


def test_ask_and_construct() -> None:
    assert render(query(TRIG, "ASK { ?s kgo:develops ?o }")) == "true\n"
    assert json.loads(render(query(TRIG, "ASK { ?s kgo:restricts ?s }"), "json"))["boolean"] is False
    turtle = render(query(TRIG, "CONSTRUCT WHERE { ?s kgo:develops ?o }"))
    parsed = list(ox.parse(turtle.encode(), format=ox.RdfFormat.TURTLE))
    assert [str(t.predicate) for t in parsed] == ["<https://w3id.org/kgbuild/ontology#develops>"]
    assert "kgo:develops" in turtle
    with pytest.raises(InputError, match="give Turtle"):
        render(query(TRIG, "CONSTRUCT WHERE { ?s kgo:develops ?o }"), "csv")


def test_syntax_error_gives_line_and_column() -> None:
    with pytest.raises(QuerySyntaxError, match=r"line 3, column \d+"):
        query(TRIG, "SELECT ?s\nWHERE {\n  ?s ?p }")


def test_update_is_refused_unless_allowed(tmp_path: Path) -> None:
    assert is_update("PREFIX ex: <http://example.org/>\nINSERT DATA { ex:a ex:b ex:c }")
    assert not is_update(RESTRICTS)
    with pytest.raises(UpdateRefused):
        query(TRIG, "CLEAR ALL")
    with pytest.raises(InputError, match="store directory"):
        query(TRIG, "CLEAR ALL", allow_update=True)
    store_dir = tmp_path / "store"
    store = open_store(store_dir)
    replace_article(store, ox.NamedNode("https://w3id.org/kgbuild/id/article/cccc"), [
        ox.Triple(ox.NamedNode("http://example.org/a"), ox.NamedNode("http://example.org/b"), ox.Literal("c")),
    ])
    del store
    assert query(store_dir, "DELETE WHERE { ?s ?p ?o }", allow_update=True) is None
    assert not bool(query(store_dir, "ASK { ?s ?p ?o }"))


def test_update_syntax_error_is_reported_where_the_update_breaks() -> None:
    with pytest.raises(QuerySyntaxError, match="line 2, column"):
        query(TRIG, "INSERT DATA {\n <http://a> <http://b> }")


def test_read_query_from_file_and_text(tmp_path: Path) -> None:
    path = tmp_path / "q.rq"
    path.write_text(RESTRICTS, encoding="utf-8")
    assert read_query(str(path)) == RESTRICTS
    assert read_query(RESTRICTS) == RESTRICTS
    with pytest.raises(InputError):
        read_query(str(tmp_path / "missing.rq"))


def test_cli_query_table_and_stdin() -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["query", str(TRIG), RESTRICTS])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[2].split() == ["entity:United_States", "concept:advanced_AI_chips"]
    assert result.output.splitlines()[-1] == "1 row"
    result = runner.invoke(main, ["query", str(TRIG), "-", "--format", "csv"],
                           input="SELECT (COUNT(*) AS ?n) WHERE { ?s a kgo:Assertion }")
    assert result.exit_code == 0, result.output
    assert result.output.split() == ["n", "4"]


@pytest.mark.parametrize(("args", "message"), [
    (["query", str(TRIG), "SELECT ?s WHERE {\n ?s"], "SPARQL syntax error at line 2"),
    (["query", str(TRIG), "DROP ALL"], "--allow-update"),
    (["query", str(DATA / "missing.ttl"), "ASK {}"], "no such file"),
    (["query", str(DATA), "ASK {}"], "not a kgbuild store"),
])
def test_cli_errors_exit_2_with_one_line(args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_ctrl_c_stops_a_long_query() -> None:
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o }"
    process = subprocess.Popen([sys.executable, "-m", "kgbuild", "query", str(TRIG), runaway],
                               cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(2)  # let it load the graph and start counting billions of rows
        assert process.poll() is None
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 130
    assert "interrupted" in stderr


def test_interruptible_returns_and_raises_like_the_call() -> None:
    assert interruptible(lambda: 41 + 1) == 42
    with pytest.raises(QuerySyntaxError):
        interruptible(lambda: query(TRIG, "SELECT"))
