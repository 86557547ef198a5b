"""A real build interrupted halfway leaves the earlier outputs exactly as they were."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT


def _write_corpus(folder: Path, copies: int) -> Path:
    """Write ``copies`` distinct variants of the example articles as one JSON Lines file."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for number in range(copies):
            for index, text in enumerate(texts):
                record = {"title": f"Copy {number} of example {index}",
                          "text": f"Dispatch number {number} was filed today.\n{text}"}
                handle.write(json.dumps(record) + "\n")
    return path


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_build_keeps_earlier_output_byte_identical(tmp_path: Path, signum: int) -> None:
    out = tmp_path / "out"
    first = subprocess.run([sys.executable, "-m", "kgbuild", "build", str(EXAMPLES), "-o", str(out), "-q"],
                           cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert {"graph.ttl", "graph.html"} <= set(before)

    corpus = _write_corpus(tmp_path / "corpus", copies=400)
    process = subprocess.Popen([sys.executable, "-m", "kgbuild", "build", str(corpus), "-o", str(out)],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(8)  # the model is loaded and a part of the 800 articles is done
    assert process.poll() is None, "the build finished before it could be interrupted; make the corpus larger"
    interrupted_at = time.monotonic()
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=60)
    stopped_after = time.monotonic() - interrupted_at

    assert process.returncode == 130, stderr
    assert stopped_after < 15, f"took {stopped_after:.1f} s to stop"
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert lines[-1] == "kgbuild: interrupted; earlier outputs were left as they were"
    assert "Traceback" not in stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
