"""A single 100,000-character "sentence" builds without a crash and with bounded memory."""

from __future__ import annotations

import itertools
import resource
from pathlib import Path

from tests.conftest import run_kgbuild

WORDS = ("the ministry said exports of chips to China fell and Nvidia sold products while officials "
         "in Washington reviewed the rules").split()


def test_hundred_thousand_characters_without_a_full_stop(tmp_path: Path) -> None:
    words = itertools.islice(itertools.cycle(WORDS), 20_000)
    text = " ".join(words)[:100_000]
    article = tmp_path / "run-on.txt"
    article.write_text(text, encoding="utf-8")
    result = run_kgbuild("build", article, "-o", tmp_path / "out", "--workers", "1")
    assert result.returncode == 0, result.stderr
    assert "1 articles" in result.stderr
    assert (tmp_path / "out" / "graph.ttl").stat().st_size > 0
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert peak_kib < 1_000_000, f"peak RSS {peak_kib} KiB"
