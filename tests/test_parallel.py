"""Tests for kgbuild/parallel.py: chunking, worker processes, ordering, failures and Ctrl-C."""

from __future__ import annotations

import json
import os
import pickle
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pyoxigraph as ox
import pytest

from kgbuild import parallel
from kgbuild.dataset import SortedDataset
from kgbuild.errors import OutputError
from kgbuild.parallel import (
    WorkerError,
    WorkerPool,
    chunk_articles,
    decode_graph,
    encode_graph,
)
from kgbuild.pipeline import ArticleGraph, BuildSettings, build, process_articles
from kgbuild.sources import Article, make_article, read_text_file
from tests.conftest import EXAMPLES, ROOT


def numbered_copies(copies: int) -> list[Article]:
    """Return the example articles repeated ``copies`` times, each copy with its own dateline."""
    examples = [read_text_file(path) for path in sorted(EXAMPLES.glob("*.txt"))]
    return [
        make_article(f"Wire copy {number}.\n{example.text}", title=f"{example.title} ({number})")
        for number in range(1, copies + 1)
        for example in examples
    ]


def write_jsonl(articles: list[Article], path: Path) -> Path:
    """Write articles as a JSON Lines corpus."""
    with path.open("w", encoding="utf-8") as handle:
        for article in articles:
            handle.write(json.dumps({"title": article.title, "text": article.text}) + "\n")
    return path


def comparable(graphs: list[ArticleGraph]) -> list[tuple[str, int, int, frozenset[str], list[str]]]:
    """Reduce article graphs to plain values that compare equal across processes."""
    return [(g.article.id, g.sentences, g.facts, g.entities, sorted(map(str, g.triples()))) for g in graphs]


@pytest.fixture(scope="module")
def corpus() -> list[Article]:
    """Enough articles for several chunks, so that a pool is really used."""
    articles = numbered_copies(9)
    assert len(list(chunk_articles(articles))) >= 3
    return articles


@pytest.fixture(scope="module")
def in_process_graphs(corpus: list[Article]) -> list[ArticleGraph]:
    """The corpus processed in this process."""
    return list(process_articles(corpus, BuildSettings(), workers=1))


def test_chunks_keep_order_and_respect_bounds() -> None:
    articles = numbered_copies(5)
    chunks = list(chunk_articles(articles, max_chars=5_000, max_articles=3))
    assert [a for chunk in chunks for a in chunk] == articles
    assert all(1 <= len(chunk) <= 3 for chunk in chunks)
    # A chunk closes as soon as it reaches the character bound, so only its last article may cross it.
    assert all(sum(len(a.text) for a in chunk[:-1]) < 5_000 for chunk in chunks)
    assert len(chunks) > len(articles) // 3


def test_encoding_round_trip_keeps_triples_and_counts(in_process_graphs: list[ArticleGraph]) -> None:
    graph = in_process_graphs[0]
    assert graph.ntriples, "the example article should produce RDF"
    decoded = decode_graph(graph.article, encode_graph(graph))
    assert comparable([decoded]) == comparable([graph])
    assert len(list(decoded.triples())) == graph.ntriples.count(b"\n") > 0


def test_two_workers_give_the_same_graphs_in_the_same_order(
        corpus: list[Article], in_process_graphs: list[ArticleGraph]) -> None:
    pooled = list(process_articles(corpus, BuildSettings(), workers=2))
    assert [g.article for g in pooled] == corpus
    assert comparable(pooled) == comparable(in_process_graphs)


def test_pool_stops_its_workers_when_the_consumer_stops_early(corpus: list[Article]) -> None:
    with WorkerPool(BuildSettings(), 2) as pool:
        processes = list(pool.processes)
        stream = pool.process(chunk_articles(corpus))
        first = next(stream)
        stream.close()
    assert first.article == corpus[0]
    assert all(not p.is_alive() for p in processes)


def test_a_worker_error_is_raised_in_the_parent_as_the_same_exception(corpus: list[Article]) -> None:
    settings = BuildSettings(model="kgbuild_no_such_spacy_model")
    with pytest.raises(Exception) as in_process:
        list(process_articles(corpus[:1], settings, workers=1))
    with pytest.raises(type(in_process.value)) as pooled:
        list(process_articles(corpus, settings, workers=2))
    assert "kgbuild_no_such_spacy_model" in str(pooled.value)


def test_workers_that_die_are_reported_instead_of_waited_for(corpus: list[Article]) -> None:
    with pytest.raises(WorkerError, match="stopped unexpectedly"):
        with WorkerPool(BuildSettings(), 2) as pool:
            for process in pool.processes:
                process.kill()
            list(pool.process(chunk_articles(corpus)))


def test_small_inputs_are_processed_without_starting_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pool(*args: object) -> None:
        raise AssertionError("a pool was started for a one-chunk input")

    monkeypatch.setattr(parallel, "WorkerPool", no_pool)
    articles = numbered_copies(1)
    graphs = list(process_articles(articles, BuildSettings(), workers=4))
    assert [g.article for g in graphs] == articles


def test_build_with_two_workers_writes_the_same_bytes(tmp_path: Path, corpus: list[Article]) -> None:
    source = write_jsonl(corpus, tmp_path / "corpus.jsonl")
    one = build([source], tmp_path / "one", workers=1, formats=("ttl",))
    two = build([source], tmp_path / "two", workers=2, formats=("ttl",))
    assert (one.articles, one.triples) == (two.articles, two.triples) == (len(corpus), two.triples)
    assert (tmp_path / "one" / "graph.ttl").read_bytes() == (tmp_path / "two" / "graph.ttl").read_bytes()


def test_outputs_written_in_two_processes_are_the_same_bytes(tmp_path: Path, corpus: list[Article],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    source = write_jsonl(corpus, tmp_path / "corpus.jsonl")
    formats = ("ttl", "html", "nq")
    build([source], tmp_path / "one", workers=1, formats=formats)
    started = []
    writing_beside = parallel.writing_beside

    def recorded(dataset: object, jobs: list) -> object:
        started.extend(fmt for fmt, *_ in jobs)
        return writing_beside(dataset, jobs)

    monkeypatch.setattr(parallel, "WRITE_BESIDE_BYTES", 0)
    monkeypatch.setattr(parallel, "writing_beside", recorded)
    build([source], tmp_path / "two", workers=2, formats=formats)
    assert started == ["ttl", "nq"]
    for fmt in formats:
        assert (tmp_path / "one" / f"graph.{fmt}").read_bytes() == (tmp_path / "two" / f"graph.{fmt}").read_bytes()


def test_an_error_of_the_writer_process_is_raised_in_the_parent(tmp_path: Path) -> None:
    with SortedDataset() as dataset:
        dataset.add_graph(ox.DefaultGraph(), b"<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n")
        dataset.finish()
        (tmp_path / "taken").write_text("a file, not a folder")
        with pytest.raises(OutputError, match="cannot write here"):
            with parallel.writing_beside(dataset, [("ttl", tmp_path / "taken" / "graph.ttl", "", "")]):
                pass


def test_an_unfinished_dataset_is_not_sent_to_another_process() -> None:
    with SortedDataset() as dataset, pytest.raises(TypeError, match="finished"):
        pickle.dumps(dataset)


def _wait_for_workers(process: subprocess.Popen[str], count: int, timeout: float = 120) -> list[psutil.Process]:
    """Wait until ``process`` has ``count`` worker children that have loaded the model."""
    deadline = time.monotonic() + timeout
    parent = psutil.Process(process.pid)
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        workers = [c for c in parent.children(recursive=True) if "spawn_main" in " ".join(c.cmdline())]
        # A worker that has loaded spaCy and started parsing holds well over 100 MB.
        if len(workers) >= count and all(w.memory_info().rss > 100_000_000 for w in workers):
            return workers
        time.sleep(0.2)
    raise AssertionError("workers did not start in time")


@pytest.mark.parametrize("how", ["ctrl-c", "sigterm"])
def test_interrupt_stops_workers_promptly_without_tracebacks(tmp_path: Path, how: str) -> None:
    source = write_jsonl(numbered_copies(40), tmp_path / "corpus.jsonl")
    build_process = subprocess.Popen(
        [sys.executable, "-m", "kgbuild", "build", str(source), "-o", str(tmp_path / "out"), "--workers", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT)), start_new_session=True,
    )
    try:
        workers = _wait_for_workers(build_process, 2)
        if how == "ctrl-c":
            # A terminal sends SIGINT to the whole foreground process group, workers included.
            os.killpg(build_process.pid, signal.SIGINT)
        else:
            build_process.send_signal(signal.SIGTERM)
        _, stderr = build_process.communicate(timeout=15)
    finally:
        if build_process.poll() is None:
            os.killpg(build_process.pid, signal.SIGKILL)
    assert build_process.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert "interrupted" in stderr
    gone, alive = psutil.wait_procs(workers, timeout=5)
    assert not alive, f"worker processes left running: {alive}"
    assert not (tmp_path / "out" / "graph.ttl").exists()
