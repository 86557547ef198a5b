"""Tests of kgbuild.dataset: sorted runs on disk, merged into the files every exporter reads."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest

from kgbuild import dataset as dataset_module
from kgbuild.dataset import SortedDataset, has_blank_nodes, read_blocks, sorted_dataset
from kgbuild.export import load_graph
from kgbuild.export.rdf import export_rdf
from kgbuild.pipeline import BuildReport, BuildSettings, build_dataset, build_graph

DATA = Path(__file__).resolve().parent / "data"
EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "articles"
EX = "http://ex.org/"


def node(name: str) -> pyoxigraph.NamedNode:
    return pyoxigraph.NamedNode(EX + name)


def files_of(dataset: SortedDataset) -> tuple[bytes, bytes]:
    return dataset.triples_path.read_bytes(), dataset.quads_path.read_bytes()


def test_runs_on_disk_merge_to_the_same_files_as_one_run_in_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    store = load_graph(DATA / "graph.trig")
    with SortedDataset.of_store(store, by_graph=True) as in_memory:
        expected = files_of(in_memory)
        assert not list(in_memory.folder.glob("*-0000*")), "one small graph should need no run files"
    monkeypatch.setattr(dataset_module, "RUN_BYTES", 300)
    monkeypatch.setattr(dataset_module, "BLOCK_BYTES", 100)
    spilled = SortedDataset(by_graph=True)
    with spilled:
        spilled.add_store(store)
        assert len(spilled._named.runs) > 5, "a 300-byte run size should spill many runs"
        spilled.finish()
        assert files_of(spilled) == expected
        assert spilled.triples == in_memory.triples == len({q.triple for q in store})
    assert not spilled.folder.exists(), "closing a dataset deletes its temporary files"


def test_union_is_sorted_and_distinct_and_graphs_keep_their_own_triples() -> None:
    a, b, c, p = node("a"), node("b"), node("c"), node("p")
    g1, g2 = node("g1"), node("g2")
    store = pyoxigraph.Store()
    store.extend([
        pyoxigraph.Quad(b, p, c, g2), pyoxigraph.Quad(a, p, b, g1), pyoxigraph.Quad(a, p, b, g2),
        # In the default graph: one triple that a named graph also states, and one of its own.
        pyoxigraph.Quad(a, p, b), pyoxigraph.Quad(c, p, a),
    ])
    with SortedDataset.of_store(store, by_graph=True) as dataset:
        union = dataset.triples_path.read_bytes().splitlines()
        assert union == sorted(set(union)) and len(union) == dataset.triples == 3
        quads = dataset.quads_path.read_bytes().decode().splitlines()
    t = lambda s, o: f"<{EX}{s}> <{EX}p> <{EX}{o}>"  # noqa: E731
    assert quads == [t("c", "a") + " .", t("a", "b") + f" <{EX}g1> .", t("a", "b") + f" <{EX}g2> .",
                     t("b", "c") + f" <{EX}g2> ."]


def test_a_dataset_without_graph_order_refuses_graph_formats(tmp_path: Path) -> None:
    with SortedDataset() as dataset:
        dataset.add_graph(node("g"), f"<{EX}a> <{EX}p> <{EX}b> .\n".encode())
        export_rdf(dataset, tmp_path / "g.ttl", "ttl")
        assert dataset.finished and dataset.triples == 1
        with pytest.raises(RuntimeError, match="finished"):
            dataset.add_graph(node("g"), b"")
        with pytest.raises(ValueError, match="by_graph"):
            with sorted_dataset(dataset, by_graph=True):
                pass


def test_a_full_disk_is_a_one_line_error_that_says_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from kgbuild.errors import OutputError

    def full(self: Path, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(dataset_module, "RUN_BYTES", 10)
    monkeypatch.setattr(Path, "write_bytes", full)
    with SortedDataset() as dataset:
        with pytest.raises(OutputError) as caught:
            dataset.add_graph(node("g"), f"<{EX}a> <{EX}p> <{EX}b> .\n".encode())
    message = str(caught.value)
    assert message.startswith(str(dataset.folder)) and "No space left on device" in message
    assert "TMPDIR" in message and "\n" not in message


def test_lines_are_read_whole_across_block_ends(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dataset_module, "BLOCK_BYTES", 7)
    path = tmp_path / "lines"
    path.write_bytes(b"first line\nsecond, longer line\n\nno newline at the end")
    assert [line for block in read_blocks(path) for line in block.splitlines(keepends=True)] == [
        b"first line\n", b"second, longer line\n", b"\n", b"no newline at the end\n"]


@pytest.mark.parametrize("fmt", ["ttl", "nq", "html"])
def test_a_build_through_the_dataset_writes_what_a_store_build_writes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    from kgbuild.export import write_format

    store = build_graph([EXAMPLES])
    write_format(store, tmp_path / f"store.{fmt}", fmt, title="t")
    monkeypatch.setattr(dataset_module, "RUN_BYTES", 4_000)
    report = BuildReport()
    with SortedDataset(by_graph=True) as dataset:
        build_dataset([EXAMPLES], dataset, BuildSettings(), report=report)
        write_format(dataset, tmp_path / f"dataset.{fmt}", fmt, title="t")
    assert (tmp_path / f"dataset.{fmt}").read_bytes() == (tmp_path / f"store.{fmt}").read_bytes()
    assert report.triples == len({q.triple for q in store}) > 1000


def test_only_real_blank_nodes_count_as_blank_nodes() -> None:
    iri, blank = pyoxigraph.NamedNode("http://ex.org/a_:b"), pyoxigraph.BlankNode("x")
    text = pyoxigraph.Literal("see _:x here")
    graph = pyoxigraph.NamedNode("http://ex.org/g")
    plain = pyoxigraph.Store()
    plain.extend([pyoxigraph.Quad(iri, iri, text), pyoxigraph.Quad(iri, iri, iri, graph)])
    assert not has_blank_nodes(plain)
    for quad in (pyoxigraph.Quad(blank, iri, text), pyoxigraph.Quad(iri, iri, blank, graph),
                 pyoxigraph.Quad(iri, iri, iri, blank)):
        store = pyoxigraph.Store()
        store.add(quad)
        assert has_blank_nodes(store), quad


def concept_article(text: str, head: str) -> list[pyoxigraph.Quad]:
    """Quads of a one-sentence article whose object is the concept "advanced AI chips", parsed with ``head``."""
    from kgbuild.extract.types import Extraction, TextSpan, Triple
    from kgbuild.graph import article_quads
    from kgbuild.normalize import normalize
    from kgbuild.ontology import load_ontology
    from kgbuild.sources import make_article

    def span(phrase: str, head: str = "", label: str = "") -> TextSpan:
        start = text.index(phrase)
        return TextSpan(phrase, start, start + len(phrase), head, label)

    ontology = load_ontology()
    triple = Triple(span("Tesla", "Tesla", "ORG"), span("buys"), "buy", span("advanced AI chips", head),
                    TextSpan(text, 0, len(text)), 0.8, pattern="svo")
    extraction = Extraction(make_article(text), 1, (triple,))
    return article_quads(extraction.article, normalize(extraction, ontology), ontology)


HEAD = "<https://w3id.org/kgbuild/ontology#head>"


def test_a_concept_keeps_one_head_chosen_by_most_articles_whatever_their_order() -> None:
    """A parse can lemmatize a concept's head word differently per article; the union keeps one head."""
    articles = [concept_article("Tesla buys advanced AI chips.", "chip"),
                concept_article("Tesla buys advanced AI chips, it said.", "chips"),
                concept_article("Tesla buys advanced AI chips, reports say.", "chip")]
    results = set()
    for order in (articles, articles[::-1], articles[1:] + articles[:1]):
        store = pyoxigraph.Store()
        for quads in order:
            store.extend(quads)
        with sorted_dataset(store, by_graph=True) as dataset:
            union, quads = files_of(dataset)
        results.add((union, quads))
        heads = [line for line in union.splitlines() if HEAD.encode() in line]
        assert heads == [b'<https://w3id.org/kgbuild/id/concept/advanced_AI_chips> ' + HEAD.encode() + b' "chip" .']
        # Each article's graph says the same of the concept as the union.
        graph_heads = [line.rsplit(b" ", 2)[0] for line in quads.splitlines() if HEAD.encode() in line]
        assert graph_heads == [heads[0][:-2]] * 3
    assert len(results) == 1
