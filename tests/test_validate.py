"""Tests for SHACL validation of built graphs."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kgbuild.cli import main
from kgbuild.errors import InputError
from kgbuild.graph import article_quads
from kgbuild.normalize import EntityMention, normalize
from kgbuild.ontology import load_ontology
from kgbuild.validate import validate
from kgbuild.vocab import KGO
from tests.test_graph import sentence_extraction


@pytest.fixture(scope="module")
def ontology():
    return load_ontology()


@pytest.fixture()
def good_graph(ontology, tmp_path: Path) -> Path:
    extraction = sentence_extraction()
    store = ox.Store()
    store.extend(article_quads(extraction.article, normalize(extraction, ontology), ontology))
    path = tmp_path / "graph.trig"
    store.dump(path, format=ox.RdfFormat.TRIG)
    return path


def test_built_graph_conforms(ontology, good_graph: Path) -> None:
    report = validate(good_graph, ontology)
    assert report.conforms and report.violations == ()


def test_violations_are_reported_readably(ontology, good_graph: Path) -> None:
    store = ox.Store()
    store.load(path=good_graph, format=ox.RdfFormat.TRIG)
    store.add(ox.Quad(ox.NamedNode("http://example.org/x"),
                      ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(str(KGO.Chip))))
    report = validate(store, ontology)
    assert not report.conforms
    text = report.text()
    assert "<http://example.org/x> rdfs:label: an entity or concept needs exactly one label" in text


def test_unreadable_graph_is_an_input_error(ontology, tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .", encoding="utf-8")
    with pytest.raises(InputError):
        validate(bad, ontology)


def test_cli_exit_codes(good_graph: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(main, ["validate", str(good_graph)])
    assert ok.exit_code == 0 and "conforms" in ok.output
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix kgo: <https://w3id.org/kgbuild/ontology#> .\n<http://example.org/x> a kgo:Assertion .\n",
                      encoding="utf-8")
    failed = runner.invoke(main, ["validate", str(broken)])
    assert failed.exit_code == 1 and "an assertion needs exactly one subject IRI" in failed.output
    missing = runner.invoke(main, ["validate", str(tmp_path / "missing.ttl")])
    assert missing.exit_code == 2


def test_mentions_are_checked(ontology) -> None:
    extraction = sentence_extraction()
    text = extraction.article.text
    china = "https://w3id.org/kgbuild/id/entity/China"
    start = text.index("China")
    good = EntityMention(china, start, start + 5, "China")
    backwards = EntityMention(china, start + 5, start, "")
    store = ox.Store()
    store.extend(article_quads(extraction.article, normalize(extraction, ontology), ontology, mentions=(good,)))
    assert validate(store, ontology).conforms
    store.extend(article_quads(extraction.article, normalize(extraction, ontology), ontology,
                               mentions=(backwards,)))
    text = validate(store, ontology).text()
    assert "nif:beginIndex: a mention starts at one character offset, before its end" in text
    assert "nif:anchorOf: a mention keeps the text it covers" in text


def test_a_build_whose_articles_parse_a_concept_head_differently_conforms(ontology, tmp_path: Path) -> None:
    """The union of articles that each give "advanced AI chips" its own head lemma has one kgo:head."""
    from kgbuild.dataset import sorted_dataset
    from kgbuild.export.rdf import export_rdf
    from tests.test_dataset import concept_article

    store = ox.Store()
    store.extend(concept_article("Tesla buys advanced AI chips.", "chip"))
    store.extend(concept_article("Tesla buys advanced AI chips, it said.", "chips"))
    assert not validate(store, ontology).conforms
    for fmt in ("ttl", "trig"):
        with sorted_dataset(store, by_graph=True) as dataset:
            export_rdf(dataset, tmp_path / f"graph.{fmt}", fmt)
        report = validate(tmp_path / f"graph.{fmt}", ontology)
        assert report.conforms, report.text()
