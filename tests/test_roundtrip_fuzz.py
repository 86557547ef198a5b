"""Property tests: any text goes through extraction, normalization and Turtle without harm."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kgbuild.export.rdf import export_rdf
from kgbuild.pipeline import ArticleProcessor, BuildSettings
from kgbuild.sources import make_article
from tests.conftest import FUZZ_EXAMPLES

FUZZ = settings(max_examples=FUZZ_EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

#: Pieces of names that break naive IRI minting or Turtle writing.
HOSTILE = ["<script>alert(1)</script>", "\"Quoted\"", "O'Brien", "A&B", "😀", "مرحبا", "שלום",
           "\u202eevil", "back\\slash", "{x}", "a|b", "100%", "#tag", "line\tbreak", "Zürich", "東京"]

name = st.builds(
    lambda words: " ".join(words),
    st.lists(st.one_of(st.sampled_from(HOSTILE), st.sampled_from(["Acme", "Globex", "Initech", "Beijing"]),
                       st.text(min_size=1, max_size=8)), min_size=1, max_size=3),
)
sentence = st.builds(
    lambda subject, verb, obj, place: f"{subject} {verb} {obj} in {place}.",
    name, st.sampled_from(["has imposed restrictions on", "acquired", "is developing", "did not attack",
                           "may invest in", "was founded by"]),
    name, name,
)
article_text = st.one_of(st.lists(sentence, min_size=1, max_size=4).map(" ".join), st.text(max_size=400))


@pytest.fixture(scope="module")
def processor() -> ArticleProcessor:
    return ArticleProcessor(BuildSettings())


def _turtle_round_trip(processor: ArticleProcessor, text: str, title: str) -> pyoxigraph.Store:
    article = make_article(text, title=title)
    store = pyoxigraph.Store()
    if not article.text:
        return store
    for result in processor.process([article]):
        store.bulk_extend(pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in result.triples())
    with tempfile.TemporaryDirectory() as folder:
        turtle, ntriples = Path(folder) / "g.ttl", Path(folder) / "g.nt"
        export_rdf(store, turtle, "ttl")
        export_rdf(store, ntriples, "nt")
        reparsed = pyoxigraph.Store()
        reparsed.load(path=str(turtle), format=pyoxigraph.RdfFormat.TURTLE)
        expected = {q.triple for q in store.quads_for_pattern(None, None, None, None)}
        assert {q.triple for q in reparsed.quads_for_pattern(None, None, None, None)} == expected
        from_rdflib = rdflib.Graph().parse(turtle, format="turtle")
        assert len(from_rdflib) == len(expected)
        assert rdflib.Graph().parse(ntriples, format="nt").isomorphic(from_rdflib)
    return store


@FUZZ
@given(text=article_text, title=st.text(max_size=60))
def test_any_text_gives_turtle_that_reparses_to_the_same_triples(processor: ArticleProcessor, text: str,
                                                                  title: str) -> None:
    _turtle_round_trip(processor, text, title)


def test_hostile_names_still_give_valid_iris_and_turtle(processor: ArticleProcessor) -> None:
    text = " ".join(f"{piece} Corp has imposed restrictions on {piece} Ltd." for piece in HOSTILE)
    store = _turtle_round_trip(processor, text, "<b>hostile</b> \"title\"")
    labels = {row["l"].value for row in store.query(
        "SELECT ?l WHERE { ?e <http://www.w3.org/2000/01/rdf-schema#label> ?l }", use_default_graph_as_union=True)}
    exercised = [piece for piece in HOSTILE if any(piece in label for label in labels)]
    assert len(exercised) >= 8, labels
