"""Read articles from files, folders and JSON Lines into ``Article`` records."""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kgbuild.errors import InputError

#: File endings that are read, and the reader for each.
SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".jsonl")

#: Leading bytes of binary formats that are often passed by mistake.
_MAGIC = {
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a zip archive (or an Office document)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x1f\x8b": "a gzip archive",
    b"\x7fELF": "an executable",
}

#: Longer texts are read as consecutive parts of at most this many characters, split at
#: paragraph or sentence ends, so that parsing memory stays bounded (spaCy needs about 1 GB per
#: 100,000 characters) and no text exceeds the parser's ``max_length``.
MAX_PART_CHARS = 100_000
#: Plain-text files larger than this are streamed line by line instead of read whole.
STREAM_FILE_BYTES = 8_000_000
#: HTML pages larger than this are not news pages; reading them would need too much memory.
MAX_HTML_BYTES = 50_000_000

#: Lines that news scrapers leave at the end of teasers ("... continue reading", "Read more").
_TRAILER = re.compile(r"^\W*(continue reading|read more|read the full (story|article))\W*$", re.I)


@dataclass(frozen=True)
class Article:
    """One article's text and metadata; ``id`` is a hash of the text."""

    id: str
    text: str
    title: str = ""
    url: str = ""
    published: str = ""
    path: str = ""


@dataclass(frozen=True)
class Skipped:
    """An input that was not read, and why."""

    path: str
    reason: str


def article_id(text: str) -> str:
    """Return the content hash that identifies an article with this text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def make_article(text: str, title: str = "", url: str = "", published: str = "", path: str = "") -> Article:
    """Build an ``Article`` from raw text, normalising line ends and dropping read-more trailers."""
    text = clean_text(text)
    return Article(article_id(text), text, title.strip(), url.strip(), published.strip(), path)


def clean_text(text: str) -> str:
    """Normalise line ends, drop trailing read-more lines and surrounding blank space."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and (not lines[-1].strip() or _TRAILER.match(lines[-1].strip())):
        lines.pop()
    if lines:
        lines[-1] = re.sub(r"\s*(\.\.\.|…)\s*(continue reading|read more)\W*$", "", lines[-1], flags=re.I)
    return "\n".join(line.rstrip() for line in lines).strip()


def binary_reason(head: bytes) -> str | None:
    """Say why bytes that start like this are not text, or return None if they may be."""
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            return f"binary file ({what}), not text"
    if b"\x00" in head[:8192]:
        return "binary file (contains NUL bytes), not text"
    return None


def detect_encoding(data: bytes, path: Path) -> str:
    """Name the encoding of ``data``: UTF-8 when it decodes, else the best legacy guess."""
    reason = binary_reason(data)
    if reason:
        raise InputError(reason, path)
    try:
        data.decode("utf-8")
        return "utf-8-sig"
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.start >= len(data) - 3:
            return "utf-8-sig"  # a sample that ends inside a character
    from charset_normalizer import from_bytes
    from charset_normalizer.md import mess_ratio

    best = from_bytes(data).best()
    # Short Western texts decode cleanly in several code pages; cp1252 is by far the most
    # common legacy encoding of English news, so it wins unless it reads worse than the best guess.
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if western is not None and (best is None or mess_ratio(western) <= best.chaos):
        return "cp1252"
    if best is None:
        raise InputError("not text in any known encoding", path)
    return best.encoding


def decode(data: bytes, path: Path) -> str:
    """Decode bytes as UTF-8 (with or without BOM), falling back to a detected legacy encoding."""
    return data.decode(detect_encoding(data, path), errors="replace")


def _looks_like_title(line: str) -> bool:
    """Tell whether a first line is a heading: short and without final punctuation."""
    line = line.strip()
    return 0 < len(line) <= 200 and not re.search(r"[.!?:;,\"”’)]$", line)


def _title_and_body(text: str) -> tuple[str, str]:
    """Split a plain-text article into a heading line (no final punctuation) and its body."""
    head, sep, body = text.partition("\n")
    if sep and body.strip() and _looks_like_title(head):
        return head.strip(), body.strip()
    return "", text


def _strip_markdown(text: str) -> tuple[str, str]:
    """Return (title, text) of a Markdown article with the markup removed."""
    title = ""
    lines = []
    in_code = False
    for line in text.split("\n"):
        if line.lstrip().startswith("```"):
            in_code = not in_code
            continue
        if in_code:
            continue
        heading = re.match(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$", line)
        if heading and not title:
            title = heading.group(1)
            continue
        line = heading.group(1) if heading else line
        line = re.sub(r"^\s{0,3}(>\s?)+", "", line)
        line = re.sub(r"^\s*([-*+]|\d+[.)])\s+", "", line)
        line = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", line)
        line = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line)
        line = re.sub(r"(\*\*|__|\*|_|`)(\S.*?\S|\S)\1", r"\2", line)
        lines.append(line)
    return title, "\n".join(lines)


def split_text(text: str, limit: int = MAX_PART_CHARS) -> list[str]:
    """Cut ``text`` into pieces of at most ``limit`` characters at paragraph, sentence or word ends."""
    pieces: list[str] = []
    while len(text) > limit:
        window = text[:limit]
        cut = max(window.rfind("\n"), 0)
        if cut < limit // 2:
            sentence_ends = [m.end() for m in re.finditer(r"[.!?][\"”’)]*\s", window)]
            cut = sentence_ends[-1] if sentence_ends and sentence_ends[-1] >= limit // 2 else 0
        if cut < limit // 2:
            cut = window.rfind(" ") if window.rfind(" ") >= limit // 2 else limit
        pieces.append(text[:cut].strip())
        text = text[cut:].strip()
    pieces.append(text)
    return [piece for piece in pieces if piece]


def split_article(article: Article) -> Iterator[Article]:
    """Yield the article itself, or consecutive parts of it when it is longer than ``MAX_PART_CHARS``."""
    if len(article.text) <= MAX_PART_CHARS:
        yield article
        return
    for number, piece in enumerate(split_text(article.text), start=1):
        yield _part(article.title, number, piece, article.url, article.published, article.path)


def _part(title: str, number: int, text: str, url: str, published: str, path: str) -> Article:
    """Make the ``number``-th part of a long text into an article of its own."""
    part_title = f"{title} (part {number})" if title else f"part {number}"
    return Article(article_id(text), text, part_title, url, published, f"{path}#part-{number}")


def stream_text_file(path: Path) -> Iterator[Article]:
    """Read a large plain-text file in parts without holding it in memory."""
    with path.open("rb") as handle:
        encoding = detect_encoding(handle.read(1_000_000), path)
    title = ""
    number = 0
    buffer = ""
    with path.open("r", encoding=encoding, errors="replace") as handle:
        first = handle.readline()
        if _looks_like_title(first):
            title = first.strip()
        else:
            buffer = first
        for line in handle:
            buffer += line
            if len(buffer) >= 2 * MAX_PART_CHARS:
                pieces = split_text(buffer)
                buffer = pieces.pop() if pieces else ""
                for piece in pieces:
                    number += 1
                    yield _part(title, number, piece, "", "", str(path))
    for piece in split_text(clean_text(buffer)):
        number += 1
        yield _part(title, number, piece, "", "", str(path))


def read_text_file(path: Path) -> Article:
    """Read a .txt article; a first line without final punctuation is its title."""
    title, body = _title_and_body(clean_text(decode(path.read_bytes(), path)))
    return make_article(body, title=title, path=str(path))


def read_markdown_file(path: Path) -> Article:
    """Read a Markdown article; its first heading is the title."""
    title, body = _strip_markdown(clean_text(decode(path.read_bytes(), path)))
    return make_article(body, title=title, path=str(path))


def read_html_file(path: Path) -> Article:
    """Read the main text of an HTML page, leaving out menus, scripts and banners."""
    import trafilatura

    if path.stat().st_size > MAX_HTML_BYTES:
        raise InputError(f"HTML page larger than {MAX_HTML_BYTES // 1_000_000} MB; save its text as .txt", path)
    html = decode(path.read_bytes(), path)
    document = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    text = (document.text if document else "") or ""
    title = (document.title if document else "") or ""
    if title and text.startswith(title):
        text = text[len(title):]
    return make_article(
        text,
        title=title,
        url=(document.url if document else "") or "",
        published=(document.date if document else "") or "",
        path=str(path),
    )


def read_jsonl_file(path: Path) -> Iterator[Article | Skipped]:
    """Read one article per line of a JSON Lines file; bad lines are reported and skipped."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            where = f"{path}:{number}"
            if not raw.strip():
                continue
            try:
                record = json.loads(decode(raw, path))
            except (json.JSONDecodeError, InputError) as exc:
                yield Skipped(where, f"not valid JSON ({exc.msg if isinstance(exc, json.JSONDecodeError) else exc})")
                continue
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                yield Skipped(where, 'no "text" string in this record')
                continue
            fields = {key: record.get(key) for key in ("title", "url", "published")}
            if any(value is not None and not isinstance(value, str) for value in fields.values()):
                yield Skipped(where, '"title", "url" and "published" must be strings')
                continue
            article = make_article(record["text"], path=where, **{k: v or "" for k, v in fields.items()})
            if article.text:
                yield from split_article(article)
            else:
                yield Skipped(where, "empty text")


_READERS = {
    ".txt": read_text_file,
    ".md": read_markdown_file,
    ".markdown": read_markdown_file,
    ".html": read_html_file,
    ".htm": read_html_file,
}


def read_file(path: Path) -> Iterator[Article | Skipped]:
    """Read one file into articles, or say why it was skipped."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".jsonl":
            yield from read_jsonl_file(path)
            return
        if suffix == ".txt" and path.stat().st_size > STREAM_FILE_BYTES:
            yield from stream_text_file(path)
            return
        reader = _READERS.get(suffix)
        if reader is None:
            yield Skipped(str(path), f"unsupported file type {suffix or '(none)'}; use one of {', '.join(SUFFIXES)}")
            return
        article = reader(path)
    except InputError as exc:
        yield Skipped(str(path), str(exc).removeprefix(f"{path}: "))
        return
    except OSError as exc:
        yield Skipped(str(path), f"cannot read ({exc.strerror or exc})")
        return
    if article.text:
        yield from split_article(article)
    else:
        yield Skipped(str(path), "empty (no text)")



def expand_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """List the files to read: named files as given, folders walked in sorted order."""
    for path in paths:
        path = Path(path)
        if not path.exists():
            raise InputError("no such file or folder", path)
        if path.is_dir():
            if not os.access(path, os.R_OK | os.X_OK):
                raise InputError("folder cannot be read (permission denied)", path)
            found = sorted(
                p for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            yield from found
        else:
            yield path


def read_articles(paths: Iterable[Path]) -> Iterator[Article | Skipped]:
    """Stream the articles under ``paths``; a text seen before is skipped as a duplicate."""
    seen: dict[str, str] = {}
    for path in expand_paths(paths):
        for item in read_file(path):
            if isinstance(item, Article):
                if item.id in seen:
                    yield Skipped(item.path, f"duplicate of {seen[item.id]}")
                    continue
                seen[item.id] = item.path
            yield item
