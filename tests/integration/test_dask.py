"""Builds on a Dask cluster (a LocalCluster of two worker processes) equal local builds byte for byte."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from distributed import Client, LocalCluster

from kgbuild import parallel
from kgbuild.pipeline import build
from tests.conftest import EXAMPLES, run_kgbuild
from tests.test_parallel import numbered_copies, write_jsonl


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    """A Dask cluster of two single-threaded worker processes, reachable on 127.0.0.1 only."""
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as local_cluster:
        yield local_cluster


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The examples plus a generated corpus of several chunks."""
    corpus = write_jsonl(numbered_copies(6), tmp_path_factory.mktemp("dask-corpus") / "corpus.jsonl")
    return [EXAMPLES, corpus]


@pytest.fixture(scope="module")
def local_build(inputs: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same inputs built in one local process."""
    out = tmp_path_factory.mktemp("local-build")
    build(inputs, out, workers=1)
    return out


def test_dask_build_is_byte_identical_to_a_local_build(
        cluster: LocalCluster, inputs: list[Path], local_build: Path, tmp_path: Path) -> None:
    report = build(inputs, tmp_path, dask=cluster.scheduler_address)
    assert report.articles == 2 + 12
    for name in ("graph.ttl", "graph.html"):
        assert (tmp_path / name).read_bytes() == (local_build / name).read_bytes(), name
    with Client(cluster) as client:
        loaded = client.run(lambda: len(parallel._worker_processors))
    # Both workers took part, and each loaded the pipeline exactly once.
    assert sorted(loaded.values()) == [1, 1]


def test_extra_ontology_files_are_shipped_to_the_workers(
        cluster: LocalCluster, tmp_path: Path) -> None:
    articles = numbered_copies(3)
    extra = tmp_path / "extra.ttl"
    extra.write_text("@prefix ex: <https://example.org/> .\nex:a ex:b ex:c .\n", encoding="utf-8")
    settings = parallel.BuildSettings(ontology_files=(extra,))
    files = parallel.ship_ontology_files(settings)
    assert files == (parallel.ShippedFile("extra.ttl", extra.read_bytes()),)
    with Client(cluster) as client:
        graphs = list(parallel._process_with_client(client, articles, settings, files))
        unpacked = client.run(lambda: [(str(path), path.read_bytes())
                                       for processor in parallel._worker_processors.values()
                                       for path in processor.settings.ontology_files])
    assert [g.article for g in graphs] == articles
    used = [entry for entries in unpacked.values() for entry in entries]
    assert used, "no worker loaded the extra ontology"
    for path, content in used:
        assert Path(path).name == "000-extra.ttl" and Path(path).parent != tmp_path
        assert content == extra.read_bytes()


def test_cli_dask_local_starts_its_own_cluster(inputs: list[Path], local_build: Path, tmp_path: Path) -> None:
    result = run_kgbuild("build", *inputs, "-o", tmp_path, "--dask", "local", "--workers", "2")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert (tmp_path / "graph.ttl").read_bytes() == (local_build / "graph.ttl").read_bytes()


def test_an_unreachable_scheduler_is_a_one_line_error(tmp_path: Path) -> None:
    result = run_kgbuild("build", EXAMPLES, "-o", tmp_path, "--dask", "tcp://127.0.0.1:9",
                         env={"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "1s"})
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("kgbuild: error: cannot connect to the Dask scheduler at tcp://127.0.0.1:9")
    assert "Traceback" not in result.stderr
