"""Names with quotes, markup, emoji and right-to-left text still give Turtle that rapper reads."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pyoxigraph

from tests.conftest import run_kgbuild

ARTICLE = """Hostile names
"Quoted" Holdings has imposed export restrictions on <b>Bold</b> Systems in Zürich.
O'Brien & Sons acquired 😀 Emoji Labs for $5 million in January 2025.
The Tel Aviv firm שלום Technologies is developing chips with مرحبا Partners.
\u202eReversed Corp did not attack {Braces} Inc. on 1 May 2024.
"""


def test_hostile_names_give_turtle_that_rapper_and_oxigraph_read_alike(tmp_path: Path) -> None:
    article = tmp_path / "hostile.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = run_kgbuild("build", article, "-o", tmp_path / "out", "--format", "ttl", "--format", "nt", "-q")
    assert result.returncode == 0, result.stderr
    for name, syntax in (("graph.ttl", "turtle"), ("graph.nt", "ntriples")):
        path = tmp_path / "out" / name
        rapper = subprocess.run(["rapper", "-i", syntax, "-c", str(path)], capture_output=True, text=True,
                                timeout=60)
        assert rapper.returncode == 0, rapper.stderr
        store = pyoxigraph.Store()
        store.load(path=str(path), format=pyoxigraph.RdfFormat.from_extension(path.suffix[1:]))
        assert f"returned {len(store)} triples" in rapper.stderr, rapper.stderr
    turtle = (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")
    for name in ("O'Brien", "😀", "שלום", "Zürich"):
        assert name in turtle
