"""Run SPARQL over a kgbuild graph or store, and format the results."""

from __future__ import annotations

import re
import shutil
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, TypeVar, Union

import pyoxigraph as ox

from kgbuild.errors import InputError, KgbuildError
from kgbuild.store import is_store, one_line, open_graph, resolved_view
from kgbuild.vocab import DEFAULT_BASE_IRI, PREFIXES, minted_iri

#: The kinds of IRI a build mints under its base IRI, each with a prefix of the same name.
MINTED_KINDS = ("entity", "concept", "article", "relation", "assertion", "mention")


def minted_prefixes(base_iri: str = DEFAULT_BASE_IRI) -> dict[str, str]:
    """Return one prefix per kind of minted IRI: ``entity:`` for ``<base>entity/`` and so on."""
    return {kind: minted_iri(base_iri, f"{kind}/") for kind in MINTED_KINDS}


#: Prefixes predeclared for every query and used to shorten IRIs in tables.
QUERY_PREFIXES: dict[str, str] = {**PREFIXES, **minted_prefixes()}

#: What ``query`` returns: solutions (SELECT), a boolean (ASK), triples (CONSTRUCT, DESCRIBE), or None (UPDATE).
QueryResult = Union[ox.QuerySolutions, ox.QueryBoolean, ox.QueryTriples, None]

#: Output formats of ``write_results``; the W3C SPARQL 1.1 results formats plus a terminal table.
RESULT_FORMATS: dict[str, ox.QueryResultsFormat | None] = {
    "table": None,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
}

_POSITION = re.compile(r"^error at (\d+):(\d+):\s*")
#: Engine messages can list dozens of expected tokens; this many characters say enough.
_MAX_MESSAGE = 240
# Two operations that fail when run, put in front of an update's first operation, make the engine
# parse the whole text and then stop before running any of it (a LOAD would otherwise fetch a URL).
_UPDATE_PROBE = " CREATE GRAPH <urn:kgbuild:probe> ; CREATE GRAPH <urn:kgbuild:probe> ; "
_PROLOGUE_ITEM = re.compile(r"\s+|#[^\n]*|BASE\s*<[^>\s]*>|PREFIX\s*[^\s:]*:\s*<[^>\s]*>", re.IGNORECASE)


T = TypeVar("T")


class QuerySyntaxError(KgbuildError):
    """A SPARQL text that does not parse; the message gives line and column."""


class UpdateRefused(KgbuildError):
    """An UPDATE sent where only queries are allowed."""


def read_query(text_or_path: str) -> str:
    """Return the SPARQL text given as a string, a path to a ``.rq``/``.sparql`` file, or ``-`` (stdin)."""
    if text_or_path == "-":
        return sys.stdin.read()
    candidate = Path(text_or_path)
    if candidate.suffix.lower() in (".rq", ".sparql", ".ru"):
        try:
            return candidate.read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot read query file ({exc.strerror or exc})", candidate) from exc
    return text_or_path


def query(
    source: Path | str | ox.Store, sparql: str, *, allow_update: bool = False
) -> QueryResult:
    """Run SPARQL over a graph's default graph, the union of its article graphs; updates only if allowed."""
    if isinstance(source, ox.Store):
        store, in_memory_copy = source, False
        readable = store
    else:
        path = Path(source)
        in_memory_copy = not is_store(path)
        store = open_graph(path, writable=allow_update and not in_memory_copy)
        # A store directory is read resolved across its articles, as its export is; updates change the store itself.
        readable = store if in_memory_copy else resolved_view(store)
    try:
        return readable.query(sparql, prefixes=QUERY_PREFIXES)
    except SyntaxError as query_error:
        update_error = update_syntax_error(sparql)
        if update_error is None:
            if not allow_update:
                raise UpdateRefused("this is a SPARQL UPDATE; pass --allow-update to change the store") from None
            if in_memory_copy:
                raise InputError("updates need a store directory; a graph file is only read", source) from None
            run_update(store, sparql)
            return None
        raise _syntax_error(_furthest(query_error, update_error)) from None
    except (OSError, RuntimeError, ValueError) as exc:
        raise KgbuildError(f"query failed: {one_line(str(exc))}") from exc


def run_update(store: ox.Store, sparql: str) -> None:
    """Apply a SPARQL UPDATE in one transaction."""
    try:
        store.update(sparql, prefixes=QUERY_PREFIXES)
    except SyntaxError as exc:
        raise _syntax_error(exc) from None
    except (OSError, RuntimeError, ValueError) as exc:
        raise KgbuildError(f"update failed: {one_line(str(exc))}") from exc


def update_syntax_error(sparql: str) -> SyntaxError | None:
    """Return None if ``sparql`` parses as an UPDATE, else the parser's error (positions as in ``sparql``)."""
    split = _prologue_end(sparql)
    try:
        ox.Store().update(sparql[:split] + _UPDATE_PROBE + sparql[split:], prefixes=QUERY_PREFIXES)
    except SyntaxError as exc:
        match = _POSITION.match(str(exc))
        if match is None:
            return exc
        line, column = int(match[1]), int(match[2])
        probe_line = sparql.count("\n", 0, split) + 1
        probe_column = split - (sparql.rfind("\n", 0, split) + 1)
        if line == probe_line and column > probe_column:
            column = max(column - len(_UPDATE_PROBE), probe_column + 1)
        return SyntaxError(f"error at {line}:{column}: {str(exc)[match.end():]}")
    except (OSError, RuntimeError, ValueError):
        return None
    return None


def _prologue_end(sparql: str) -> int:
    """Return the offset where the PREFIX/BASE declarations (and comments) at the start end."""
    position = 0
    while match := _PROLOGUE_ITEM.match(sparql, position):
        if match.end() == position:
            break
        position = match.end()
    return position


def is_update(sparql: str) -> bool:
    """Return whether the text is a SPARQL UPDATE rather than a query."""
    try:
        ox.Store().query(sparql, prefixes=QUERY_PREFIXES)
    except SyntaxError:
        return update_syntax_error(sparql) is None
    except (OSError, RuntimeError, ValueError):
        return False
    return False


def _position(error: SyntaxError) -> tuple[int, int]:
    """Return the (line, column) where the parser gave up, or (0, 0) if it did not say."""
    match = _POSITION.match(str(error))
    return (int(match[1]), int(match[2])) if match else (0, 0)


def _furthest(query_error: SyntaxError, update_error: SyntaxError) -> SyntaxError:
    """Pick the error of the parser (query or update) that got further into the text."""
    return update_error if _position(update_error) > _position(query_error) else query_error


def _syntax_error(error: SyntaxError) -> QuerySyntaxError:
    """Wrap an engine syntax error for the command line."""
    return QuerySyntaxError(describe_syntax_error(error))


def describe_syntax_error(error: SyntaxError) -> str:
    """Rephrase an engine syntax error as 'SPARQL syntax error at line L, column C: ...' on one line."""
    message = one_line(str(error))
    match = _POSITION.match(message)
    if match:
        message = f"line {match[1]}, column {match[2]}: {message[match.end():]}"
    if len(message) > _MAX_MESSAGE:
        message = message[: _MAX_MESSAGE - 3] + "..."
    return f"SPARQL syntax error at {message}"


def write_results(result: QueryResult, out: BinaryIO, result_format: str = "table", *,
                  width: int | None = None) -> None:
    """Write query results: a table or a W3C results format for SELECT/ASK, Turtle for graphs.

    ``width`` fits a table into that many columns by shortening long cells; None keeps every cell whole.
    """
    if result_format not in RESULT_FORMATS:
        raise InputError(f"unknown format {result_format!r}; choose one of {', '.join(RESULT_FORMATS)}")
    if result is None:
        return
    if isinstance(result, ox.QueryTriples):
        if result_format != "table":
            raise InputError(f"--format {result_format} is for SELECT and ASK; CONSTRUCT and DESCRIBE give Turtle")
        out.write(format_turtle(result))
        return
    engine_format = RESULT_FORMATS[result_format]
    if engine_format is not None:
        result.serialize(out, engine_format)
        if result_format in ("json", "xml"):
            out.write(b"\n")
    elif isinstance(result, ox.QueryBoolean):
        out.write(b"true\n" if bool(result) else b"false\n")
    else:
        out.write(format_table(result, width).encode("utf-8"))


def terminal_width(stream: object) -> int | None:
    """Return the width to fit a table into: the terminal's (or $COLUMNS) for a terminal, None when piped."""
    isatty = getattr(stream, "isatty", None)
    if isatty is None or not isatty():
        return None
    return shutil.get_terminal_size().columns


def format_turtle(triples: ox.QueryTriples) -> bytes:
    """Serialize triples as Turtle with the ontology prefixes, sorted so that output is reproducible."""
    ordered = sorted(set(triples), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    return ox.serialize(ordered, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)


#: Space between two columns of a table.
_GAP = "  "


def format_table(solutions: ox.QuerySolutions, width: int | None = None) -> str:
    """Render SELECT results as a left-aligned text table with a header row and a row count.

    With ``width``, the widest columns are narrowed until the table fits (down to 8 characters or
    the column's name); a cut cell ends with "…".
    """
    names = [variable.value for variable in solutions.variables]
    rows = [[display_term(solution[name]) for name in names] for solution in solutions]
    widths = [max([len(name)] + [len(row[i]) for row in rows]) for i, name in enumerate(names)]
    if width is not None:
        widths = fitted_widths(widths, [min(len(name), 8) for name in names] if names else [], width)
    lines = [
        _GAP.join(_cut(name, w).ljust(w) for name, w in zip(names, widths)).rstrip(),
        _GAP.join("-" * w for w in widths),
    ]
    lines += [_GAP.join(_cut(cell, w).ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    lines.append(f"{len(rows)} row" + ("" if len(rows) == 1 else "s"))
    return "\n".join(lines) + "\n"


def fitted_widths(widths: list[int], least: list[int], total: int) -> list[int]:
    """Narrow the widest columns (never below ``least``) until the columns and gaps fit in ``total``."""
    room = total - len(_GAP) * max(len(widths) - 1, 0)
    if sum(widths) <= room:
        return widths
    # The largest cap that fits: every column is cut to at most ``cap`` characters.
    low, high = 0, max(widths)
    while low < high:
        cap = (low + high + 1) // 2
        if sum(max(lo, min(w, cap)) for w, lo in zip(widths, least)) <= room:
            low = cap
        else:
            high = cap - 1
    fitted = [max(lo, min(w, low)) for w, lo in zip(widths, least)]
    # Hand out what is left, one character at a time, to the columns that were cut, left first.
    spare = room - sum(fitted)
    for index, (w, f) in enumerate(zip(widths, fitted)):
        extra = min(spare, w - f)
        if extra > 0:
            fitted[index] += extra
            spare -= extra
    return fitted


def _cut(text: str, width: int) -> str:
    """Shorten ``text`` to ``width`` characters, ending with "…" when cut."""
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


_PREFIX_BY_LENGTH = sorted(QUERY_PREFIXES.items(), key=lambda item: -len(item[1]))
_LOCAL_NAME = re.compile(r"^[\w][\w.\-/]*$")
#: Datatypes whose values read unambiguously as plain text.
_PLAIN_DATATYPES = frozenset(PREFIXES["xsd"] + name for name in (
    "string", "integer", "decimal", "double", "float", "boolean", "date", "dateTime", "gYear", "gYearMonth",
    "nonNegativeInteger", "positiveInteger", "int", "long"))


def display_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> str:
    """Show a term for people: prefixed names for known IRIs, literals as text.

    A literal keeps its language tag when it is not English, and its datatype when the value
    alone would not say what it is (numbers, dates and booleans need none).
    """
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return prefixed_name(term.value)
    if isinstance(term, ox.Literal):
        text = " ".join(term.value.split())
        if term.language:
            return text if term.language.lower().startswith("en") else f"{text}@{term.language}"
        if term.datatype.value not in _PLAIN_DATATYPES:
            return f"{text}^^{prefixed_name(term.datatype.value)}"
        return text
    return str(term)


def prefixed_name(iri: str) -> str:
    """Return ``prefix:local`` for an IRI under a predeclared prefix, else ``<iri>``; valid SPARQL either way."""
    for prefix, namespace in _PREFIX_BY_LENGTH:
        local = iri[len(namespace):]
        if iri.startswith(namespace) and _LOCAL_NAME.match(local) and not local.endswith("."):
            return f"{prefix}:{local.replace('/', chr(92) + '/')}"
    return f"<{iri}>"


def prefix_lines() -> str:
    """List the predeclared prefixes, one ``PREFIX name: <iri>`` line each, as SPARQL reads them."""
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in QUERY_PREFIXES.items())


def interruptible(call: Callable[[], T]) -> T:
    """Run ``call`` in a helper thread so that Ctrl-C still stops the program while Oxigraph computes.

    Oxigraph evaluates in native code without looking at signals, but it releases the GIL, so the
    main thread can wait here and receive KeyboardInterrupt; the helper thread dies with the process.
    """
    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["value"] = call()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the calling thread
            outcome["error"] = exc

    thread = threading.Thread(target=target, name="kgbuild-query", daemon=True)
    thread.start()
    while thread.is_alive():
        thread.join(0.2)
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]
