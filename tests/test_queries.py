"""The example questions (issue 4, and issue 12's Wikidata terms), answered by examples/queries/*.rq on the example graph."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgbuild.query import query, read_query
from tests.conftest import ROOT

QUERIES = ROOT / "examples" / "queries"


def answers(graph: Path, name: str, *variables: str) -> list[tuple[str, ...]]:
    """Run one example query and return the chosen variables of each row, as text."""
    (path,) = QUERIES.glob(f"{name}*.rq")
    result = query(graph, read_query(str(path)))
    return [tuple(row[v].value if row[v] is not None else "" for v in variables) for row in result]


def test_conference_attendees(example_graph: Path) -> None:
    assert answers(example_graph, "1-", "name") == [("Amazon",), ("Huawei",), ("Tesla",)]


def test_us_export_restrictions(example_graph: Path) -> None:
    rows = answers(example_graph, "2-", "what", "to")
    assert ("advanced AI chips", "China") in rows
    assert ("advanced Nvidia chips", "China") in rows
    assert {to for _, to in rows} == {"China"}


def test_nvidia_ceo(example_graph: Path) -> None:
    assert answers(example_graph, "3-", "name") == [("Jensen Huang",)]


def test_conference_location(example_graph: Path) -> None:
    assert answers(example_graph, "4-", "name") == [("Shanghai",)]


def test_china_proposals(example_graph: Path) -> None:
    proposals = {what for (what,) in answers(example_graph, "5-", "what")}
    assert "establishment of a world AI cooperation organisation" in proposals
    assert "global AI governance framework" in proposals


def test_every_nvidia_fact_has_evidence_and_article(example_graph: Path) -> None:
    rows = answers(example_graph, "6-", "subject", "relation", "object", "sentence", "title")
    assert ("Jensen Huang", "is CEO of", "Nvidia") in [row[:3] for row in rows]
    assert any(row[:3] == ("Nvidia", "sells", "older H20 chips") for row in rows)
    for subject, _, obj, sentence, title in rows:
        assert "Nvidia" in (subject, obj)
        assert "Nvidia" in sentence and title


@pytest.mark.parametrize(("wikidata", "label", "names"), [
    ("Q30", "United States", ("U.S.", "US", "United States", "the United States", "America", "Washington")),
    ("Q148", "China", ("China", "Beijing", "Chinese government")),
    ("Q182477", "Nvidia", ("Nvidia", "NVIDIA")),
    ("Q8686", "Shanghai", ("Shanghai",)),
])
def test_one_typed_node_per_real_world_thing(example_graph: Path, wikidata: str, label: str,
                                             names: tuple[str, ...]) -> None:
    nodes = query(example_graph, f"SELECT DISTINCT ?x ?label WHERE {{ ?x owl:sameAs wd:{wikidata} ; rdfs:label ?label ; a ?type }}")
    assert [(row["label"].value) for row in nodes] == [label]
    wanted = ", ".join(f'"{name}"' for name in names)
    others = query(example_graph, "SELECT DISTINCT ?x WHERE { ?x rdfs:label ?l . "
                   f"FILTER (?l IN ({wanted})) FILTER NOT EXISTS {{ ?x owl:sameAs wd:{wikidata} }} }}")
    assert [row["x"].value for row in others] == []


def test_coreference_resolves_the_administration_and_the_company(example_graph: Path) -> None:
    # "The administration attempted to slam the brakes ... by further tightening existing export controls"
    administration = query(example_graph, """
        SELECT DISTINCT ?s WHERE { ?a rdf:subject ?s ; rdf:predicate kgo:restricts ; kgo:evidenceText ?text .
                                   FILTER (STRSTARTS(?text, "The administration attempted")) }""")
    assert [row["s"].value.rsplit("/", 1)[-1] for row in administration] == ["United_States"]
    # "... Jensen Huang announced that the company would resume selling its older H20 chips"
    company = query(example_graph, "SELECT DISTINCT ?s WHERE { ?a rdf:subject ?s ; rdf:predicate kgo:sells }")
    assert [row["s"].value.rsplit("/", 1)[-1] for row in company] == ["Nvidia"]


def test_nvidia_in_wikidata_terms(example_graph: Path) -> None:
    rows = answers(example_graph, "7-", "wikidataProperty", "property", "value")
    assert ("http://www.wikidata.org/prop/direct/P169", "chief executive officer", "Jensen Huang") in rows
    assert all(row[0].startswith("http://www.wikidata.org/prop/direct/") for row in rows)
