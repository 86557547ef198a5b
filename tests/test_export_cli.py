"""Tests of the ``kgbuild export`` and ``kgbuild view`` commands."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
from click.testing import CliRunner

from kgbuild.cli import main

DATA = Path(__file__).resolve().parent / "data"


@pytest.mark.parametrize("fmt", ["ttl", "nt", "nq", "trig", "jsonld", "graphml", "csv", "html"])
def test_export_writes_each_format(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"out.{fmt}"
    result = CliRunner().invoke(main, ["export", str(DATA / "graph.trig"), "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 0


def test_export_takes_the_format_from_the_extension(tmp_path: Path) -> None:
    out = tmp_path / "graph.nq"
    result = CliRunner().invoke(main, ["export", str(DATA / "graph.trig"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    store = pyoxigraph.Store()
    store.load(path=out)
    assert len(list(store.named_graphs())) == 2


def test_export_without_a_known_format_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["export", str(DATA / "graph.trig"), "-o", str(tmp_path / "graph.xyz")])
    assert result.exit_code == 2
    assert "pass --format" in result.output


def test_export_of_a_missing_graph_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["export", str(tmp_path / "none.ttl"), "-o", str(tmp_path / "x.nt")])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [f"kgbuild: error: {tmp_path / 'none.ttl'}: no such file or store directory"]
    assert not (tmp_path / "x.nt").exists()


def test_view_writes_a_page_titled_after_the_articles_or_the_graph(tmp_path: Path) -> None:
    out = tmp_path / "view.html"
    result = CliRunner().invoke(main, ["view", str(DATA / "graph.trig"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "<title>2 articles</title>" in out.read_text("utf-8")
    result = CliRunner().invoke(main, ["view", str(DATA / "foreign.ttl"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "<title>foreign.ttl</title>" in out.read_text("utf-8")


def test_export_and_view_read_a_store_like_the_build_that_made_it(tmp_path: Path) -> None:
    from kgbuild.pipeline import build
    from tests.conftest import EXAMPLES

    build([EXAMPLES], tmp_path / "out", formats=("trig", "ttl"), store_dir=tmp_path / "store", workers=1)
    runner = CliRunner()
    for fmt in ("trig", "ttl"):
        result = runner.invoke(main, ["export", str(tmp_path / "store"), "-o", str(tmp_path / f"again.{fmt}")])
        assert result.exit_code == 0, result.output
        assert (tmp_path / f"again.{fmt}").read_bytes() == (tmp_path / "out" / f"graph.{fmt}").read_bytes()
    result = runner.invoke(main, ["view", str(tmp_path / "store"), "-o", str(tmp_path / "view.html")])
    assert result.exit_code == 0, result.output
    assert "United States" in (tmp_path / "view.html").read_text(encoding="utf-8")
