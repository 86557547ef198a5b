"""Shared fixtures: running the CLI in a subprocess and the example graph built once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "articles"
DATA = Path(__file__).resolve().parent / "data"


def run_kgbuild(*args: str | Path, check: bool = False, timeout: float = 300,
                **kwargs: object) -> subprocess.CompletedProcess[str]:
    """Run ``python -m kgbuild ARGS`` from this checkout and capture its output."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.update(kwargs.pop("env", {}) or {})  # type: ignore[arg-type]
    return subprocess.run(
        [sys.executable, "-m", "kgbuild", *map(str, args)],
        capture_output=True, text=True, check=check, timeout=timeout, env=env, **kwargs,
    )


@pytest.fixture(scope="session")
def ontology() -> "Ontology":
    """The built-in ontology, loaded once per session (a module may define its own)."""
    from kgbuild.ontology import load_ontology

    return load_ontology()


@pytest.fixture(scope="session")
def nlp(ontology: "Ontology") -> "Language":
    """The default pipeline with the ontology's mention tables, loaded once per session (a module may define its own)."""
    from kgbuild.extract import DEFAULT_MODEL, load_pipeline

    return load_pipeline(DEFAULT_MODEL, **ontology.mention_tables())


@pytest.fixture(scope="session")
def example_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build examples/articles once per test session and return the output folder."""
    from kgbuild.pipeline import build

    out = tmp_path_factory.mktemp("example-build")
    build([EXAMPLES], out)
    return out


@pytest.fixture(scope="session")
def example_graph(example_build: Path) -> Path:
    """Return the path of the example graph's Turtle file."""
    return example_build / "graph.ttl"


#: Examples per property test; ``scripts/fuzz`` raises it for a long run.
FUZZ_EXAMPLES = int(os.environ.get("KGBUILD_FUZZ_EXAMPLES", "40"))


US = "https://w3id.org/kgbuild/id/entity/US"


def much_reported_fact(articles: int) -> "pyoxigraph.Store":
    """Return a graph where one fact (US restricts chips) is stated by ``articles`` articles."""
    import pyoxigraph
    from rdflib.namespace import PROV, RDF, RDFS

    from kgbuild.vocab import KGO

    def iri(term: object) -> pyoxigraph.NamedNode:
        return pyoxigraph.NamedNode(str(term))

    base = US.rsplit("entity/", 1)[0]
    store = pyoxigraph.Store()
    us, chips, restricts = iri(US), iri(base + "entity/Chips"), iri(KGO.restricts)
    store.add(pyoxigraph.Quad(us, restricts, chips))
    for number in range(articles):
        article, assertion = iri(f"{base}article/a{number:02d}"), iri(f"{base}assertion/x{number:02d}")
        store.extend(pyoxigraph.Quad(s, p, o) for s, p, o in [
            (article, iri(RDF.type), iri(KGO.Article)),
            (article, iri(RDFS.label), pyoxigraph.Literal(f"Article {number:02d}")),
            (us, iri(KGO.mentionedIn), article),
            (assertion, iri(RDF.type), iri(KGO.Assertion)), (assertion, iri(RDF.subject), us),
            (assertion, iri(RDF.predicate), restricts), (assertion, iri(RDF.object), chips),
            (assertion, iri(PROV.wasDerivedFrom), article),
            (assertion, iri(KGO.evidenceText), pyoxigraph.Literal(f"Sentence {number}.")),
        ])
    return store
