"""Property tests: the readers accept arbitrary bytes and text without crashing."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kgbuild.sources import Article, Skipped, article_id, read_articles
from tests.conftest import FUZZ_EXAMPLES

FUZZ = settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _read_bytes(name: str, data: bytes) -> list[Article | Skipped]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        return list(read_articles([path]))


def _check(items: list[Article | Skipped]) -> None:
    for item in items:
        assert isinstance(item, (Article, Skipped))
        if isinstance(item, Article):
            assert item.text and item.text == item.text.strip()
            assert "\r" not in item.text
            assert item.id == article_id(item.text)
        else:
            assert item.reason


@FUZZ
@given(name=st.sampled_from(["a.txt", "a.md", "a.html", "a.jsonl"]), data=st.binary(max_size=2000))
def test_any_bytes_give_articles_or_reasons(name: str, data: bytes) -> None:
    _check(_read_bytes(name, data))


@FUZZ
@given(name=st.sampled_from(["a.txt", "a.md", "a.html"]), text=st.text(max_size=2000))
def test_any_unicode_text_gives_articles_or_reasons(name: str, text: str) -> None:
    items = _read_bytes(name, text.encode("utf-8", errors="surrogatepass"))
    _check(items)


@FUZZ
@given(records=st.lists(st.one_of(
    st.fixed_dictionaries({"text": st.text(max_size=300)}, optional={"title": st.text(max_size=40)}),
    st.dictionaries(st.text(max_size=5), st.integers()),
    st.text(max_size=30),
), max_size=6))
def test_jsonl_records_of_any_shape_are_read_or_reported(records: list[object]) -> None:
    lines = [json.dumps(r) if not isinstance(r, str) else r for r in records]
    content = "\n".join(lines)
    items = _read_bytes("feed.jsonl", content.encode("utf-8", errors="surrogatepass"))
    _check(items)
    assert len(items) <= content.count("\n") + 1
