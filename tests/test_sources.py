"""Tests for kgbuild.sources: reading articles from the supported file types."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kgbuild.errors import InputError
from kgbuild.sources import MAX_PART_CHARS, Article, Skipped, article_id, clean_text, read_articles, split_text

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "articles"


def _read(*paths: Path) -> list[Article | Skipped]:
    return list(read_articles(paths))


def test_example_articles_have_titles_and_no_teaser_trailer() -> None:
    articles = _read(EXAMPLES)
    assert [a.title for a in articles] == [
        "China Calls for Global AI Solidarity at Shanghai Conference",
        "United States Ponders New Approach in Competition with China for AI Superiority",
    ]
    shanghai = articles[0]
    assert shanghai.text.startswith("This weekend, Shanghai was host")
    assert "continue reading" not in shanghai.text
    assert shanghai.text.endswith("resume selling its older H20 chips legally to China.")


def test_article_id_is_a_content_hash(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Huawei develops chips.\n")
    (tmp_path / "b.txt").write_text("Huawei develops chips.")
    items = _read(tmp_path)
    assert isinstance(items[0], Article) and items[0].id == article_id("Huawei develops chips.")
    assert isinstance(items[1], Skipped) and "duplicate of" in items[1].reason


def test_markdown_heading_becomes_title_and_markup_is_removed(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("# Chips news\n\nThe **U.S.** restricted [chip](http://x.test) exports.\n\n- Huawei `responded`.\n")
    [article] = _read(path)
    assert article.title == "Chips news"
    assert article.text == "The U.S. restricted chip exports.\n\nHuawei responded."


def test_html_keeps_article_text_only(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><title>Chip curbs</title></head><body><nav>Home | Sport | Weather</nav>"
        "<article><h1>Chip curbs</h1><p>The United States has restricted exports of advanced chips to "
        "China, officials said on Monday in Washington.</p><p>Nvidia said it would comply with the "
        "new rules while it studies their effect on sales.</p></article>"
        "<script>document.write('tracking pixel')</script><footer>Copyright 2025</footer></body></html>"
    )
    [article] = _read(path)
    assert article.title == "Chip curbs"
    assert "restricted exports of advanced chips" in article.text
    assert "Nvidia said it would comply" in article.text
    for boilerplate in ("Home | Sport", "tracking pixel", "Copyright", "<p>"):
        assert boilerplate not in article.text


def test_jsonl_reports_bad_lines_by_number_and_reads_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"text": "Tesla opened a factory in Shanghai.", "title": "Tesla", "url": "https://n.test/1",
                    "published": "2025-07-28"}),
        '{"text": "broken',
        json.dumps({"title": "no text"}),
        json.dumps({"text": "Amazon attended the conference."}),
    ]
    path.write_text("\n".join(lines) + "\n")
    items = _read(path)
    assert [type(i).__name__ for i in items] == ["Article", "Skipped", "Skipped", "Article"]
    assert items[0].url == "https://n.test/1" and items[0].published == "2025-07-28"
    assert items[1].path == f"{path}:2" and "not valid JSON" in items[1].reason
    assert items[2].path == f"{path}:3" and '"text"' in items[2].reason


def test_legacy_encodings_and_bom_are_decoded(tmp_path: Path) -> None:
    (tmp_path / "bom.txt").write_bytes("\ufeffThe café opened in Zürich.".encode("utf-8"))
    (tmp_path / "latin1.txt").write_bytes("Le président a visité Genève et Orléans en été.".encode("cp1252"))
    bom, latin1 = _read(tmp_path)
    assert bom.text == "The café opened in Zürich."
    assert latin1.text == "Le président a visité Genève et Orléans en été."


@pytest.mark.parametrize(("content", "reason"), [
    (b"%PDF-1.7\n%binary", "PDF"),
    (b"PK\x03\x04zipdata", "zip"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"", "empty"),
    (b"   \n\t\n", "empty"),
])
def test_binary_and_empty_files_are_skipped_with_a_reason(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    [item] = _read(path)
    assert isinstance(item, Skipped)
    assert item.path == str(path) and reason in item.reason


def test_missing_path_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or folder") as info:
        _read(tmp_path / "nope")
    assert str(tmp_path / "nope") in str(info.value)


def test_unsupported_file_named_directly_is_skipped_but_ignored_in_folders(tmp_path: Path) -> None:
    (tmp_path / "notes.docx").write_bytes(b"xx")
    (tmp_path / "a.txt").write_text("Tesla builds cars.")
    assert [type(i).__name__ for i in _read(tmp_path)] == ["Article"]
    [item] = _read(tmp_path / "notes.docx")
    assert isinstance(item, Skipped) and "unsupported file type .docx" in item.reason


def test_clean_text_drops_read_more_trailers_and_normalises_line_ends() -> None:
    assert clean_text("One.\r\nTwo... continue reading\r\n") == "One.\nTwo"
    assert clean_text("One.\nRead more\n\n") == "One."


def test_long_text_is_read_in_parts_cut_at_paragraphs(tmp_path: Path) -> None:
    paragraph = "Huawei is developing AI computing systems that rival Nvidia's products. " * 40
    path = tmp_path / "long.txt"
    path.write_text("Long report\n\n" + "\n\n".join(f"{n}. {paragraph.strip()}" for n in range(120)))
    parts = _read(path)
    assert len(parts) >= 3
    assert all(isinstance(p, Article) and len(p.text) <= MAX_PART_CHARS for p in parts)
    assert [p.title for p in parts[:2]] == ["Long report (part 1)", "Long report (part 2)"]
    assert all(p.text.endswith("products.") for p in parts)
    assert sum(p.text.count("Huawei") for p in parts) == 40 * 120


def test_one_endless_sentence_is_cut_at_word_boundaries() -> None:
    text = "word " * 50_000
    pieces = split_text(text.strip())
    assert all(len(p) <= MAX_PART_CHARS for p in pieces)
    assert " ".join(pieces).split() == text.split()


def test_huge_file_is_streamed_with_bounded_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tracemalloc

    line = "The ministry said that exports of chips to China fell by {} units in the quarter.\n"
    path = tmp_path / "huge.txt"
    with path.open("w") as handle:
        for number in range(30_000_000 // len(line)):
            handle.write(line.format(number))
    monkeypatch.setattr("kgbuild.sources.STREAM_FILE_BYTES", 1_000_000)
    tracemalloc.start()
    total = parts = 0
    for item in read_articles([path]):
        assert isinstance(item, Article)
        total += len(item.text) + 1
        parts += 1
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert parts >= 300 and total >= path.stat().st_size - parts
    assert peak < 8_000_000, f"peak traced memory {peak} bytes while streaming a 30 MB file"
