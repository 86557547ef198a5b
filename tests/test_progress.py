"""Tests for kgbuild.progress: a bar on terminals for more than a handful of inputs."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from kgbuild.progress import Progress
from kgbuild.sources import read_articles


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _run(folder: Path, monkeypatch: pytest.MonkeyPatch, *, enabled: bool = True) -> str:
    terminal = FakeTerminal()
    monkeypatch.setattr("sys.stderr", terminal)
    with Progress([folder], enabled=enabled) as progress:
        for article in read_articles([folder]):
            progress.article_done(article)
    return terminal.getvalue()


def test_bar_runs_to_100_percent_for_many_inputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for number in range(8):
        (tmp_path / f"{number}.txt").write_text(f"Title {number}\n\nArticle number {number} is here.")
    output = _run(tmp_path, monkeypatch)
    assert "kgbuild: building" in output and "100%" in output


def test_no_bar_for_a_handful_of_inputs_or_when_quiet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for number in range(2):
        (tmp_path / f"{number}.txt").write_text(f"Article number {number} is here.")
    assert _run(tmp_path, monkeypatch) == ""
    for number in range(2, 9):
        (tmp_path / f"{number}.txt").write_text(f"Article number {number} is here.")
    assert _run(tmp_path, monkeypatch, enabled=False) == ""
