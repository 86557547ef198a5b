"""Tests for kgbuild/parallel.py: chunking, worker processes, ordering, failures and Ctrl-C."""

from __future__ import annotations

import json
from pathlib import Path

from kgbuild.parallel import chunk_articles
from kgbuild.sources import Article, make_article, read_text_file
from tests.conftest import EXAMPLES


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


def test_chunks_keep_order_and_respect_bounds() -> None:
    articles = numbered_copies(5)
    chunks = list(chunk_articles(articles, max_chars=5_000, max_articles=3))
    assert [a for chunk in chunks for a in chunk] == articles
    assert all(1 <= len(chunk) <= 3 for chunk in chunks)
    # A chunk closes as soon as it reaches the character bound, so only its last article may cross it.
    assert all(sum(len(a.text) for a in chunk[:-1]) < 5_000 for chunk in chunks)
    assert len(chunks) > len(articles) // 3
