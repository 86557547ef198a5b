"""Write a graph store as Turtle, N-Triples, N-Quads, TriG or JSON-LD, sorted and byte-identical."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any, BinaryIO

import pyoxigraph

from kgbuild.atomic import atomic_write
from kgbuild.dataset import SortedDataset, parse_subjects, read_blocks, sorted_dataset, subject_line_groups
from kgbuild.vocab import PREFIXES

#: Formats handled here, and Oxigraph's name for each.
RDF_FORMATS: dict[str, pyoxigraph.RdfFormat] = {
    "ttl": pyoxigraph.RdfFormat.TURTLE,
    "nt": pyoxigraph.RdfFormat.N_TRIPLES,
    "nq": pyoxigraph.RdfFormat.N_QUADS,
    "trig": pyoxigraph.RdfFormat.TRIG,
    "jsonld": pyoxigraph.RdfFormat.JSON_LD,
}

#: Local names that every Turtle and SPARQL parser we test against accepts after a prefix.
#: Turtle 1.1 allows more (dots, escapes, leading digits), but Virtuoso and older raptor
#: versions reject some of those, so an IRI with any other local name is written in full.
SAFE_LOCAL_NAME = re.compile(r"(?:[A-Za-z_][A-Za-z0-9_-]*)?\Z")

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def export_rdf(source: pyoxigraph.Store | SortedDataset, path: Path, format: str) -> None:
    """Write a store or dataset to ``path`` as ``format`` (ttl, nt, nq, trig or jsonld), sorted, atomically.

    Turtle, N-Triples and JSON-LD hold the union of all graphs without duplicates; N-Quads and
    TriG keep one named graph per article. The sorted lines are streamed from disk, never held.
    """
    if format not in RDF_FORMATS:
        raise ValueError(f"unknown RDF format {format!r}; use one of {', '.join(RDF_FORMATS)}")
    by_graph = format in ("nq", "trig")
    with sorted_dataset(source, by_graph=by_graph) as dataset, atomic_write(Path(path), "wb") as out:
        lines = dataset.quads_path if by_graph else dataset.triples_path
        if format in ("nt", "nq"):
            with lines.open("rb") as handle:
                shutil.copyfileobj(handle, out)
        elif format == "jsonld":
            _write_jsonld(dataset, out)
        else:
            syntax = pyoxigraph.RdfFormat.N_QUADS if by_graph else pyoxigraph.RdfFormat.N_TRIPLES
            pyoxigraph.serialize(pyoxigraph.parse(path=str(lines), format=syntax), out,
                                 format=RDF_FORMATS[format], prefixes=file_safe_prefixes(lines, PREFIXES))


def file_safe_prefixes(path: Path, prefixes: dict[str, str]) -> dict[str, str]:
    """Return the prefixes under which every IRI in an N-Triples or N-Quads file has a safe local name."""
    kept = dict(prefixes)
    while True:
        before = kept
        for block in read_blocks(path):
            kept = safe_prefixes(block, kept)
        # Dropping a namespace can move IRIs read earlier under a shorter one: read again until stable.
        if kept == before:
            return kept


def safe_prefixes(ntriples: bytes, prefixes: dict[str, str]) -> dict[str, str]:
    """Return the prefixes under which every IRI of ``ntriples`` has a safe local name."""
    kept = dict(prefixes)
    while kept:
        namespaces = sorted(kept.values(), key=len, reverse=True)
        unsafe = re.compile(
            rb"<(" + b"|".join(re.escape(ns.encode()) for ns in namespaces) + rb")"
            rb"(?![A-Za-z_][A-Za-z0-9_-]*>|>)"
        ).search(ntriples)
        if unsafe is None:
            break
        namespace = unsafe.group(1).decode()
        kept = {name: ns for name, ns in kept.items() if ns != namespace}
    return kept


def _write_jsonld(dataset: SortedDataset, out: BinaryIO) -> None:
    """Write the sorted union as compact JSON-LD: a prefix @context and a flat @graph.

    Each node object is one line, so the file diffs well and the C JSON encoder can be used
    (the indenting one is pure Python and five times slower).
    """
    compact = _Compactor(file_safe_prefixes(dataset.triples_path, PREFIXES))
    encode = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode
    out.write(b'{"@context":' + encode(compact.context).encode() + b',\n"@graph":[')
    separator = b"\n"
    for subject, props in parse_subjects(subject_line_groups(dataset.triples_path)):
        node: dict[str, Any] = {"@id": compact.node(subject)}
        for predicate, values in props.items():
            for value in values:
                if predicate == _RDF_TYPE and isinstance(value, pyoxigraph.NamedNode):
                    node.setdefault("@type", []).append(compact.iri(value.value))
                else:
                    node.setdefault(compact.iri(predicate), []).append(compact.value(value))
        out.write(separator + encode({key: values[0] if key != "@id" and len(values) == 1 else values
                                      for key, values in node.items()}).encode())
        separator = b",\n"
    out.write(b"\n]}\n")


class _Compactor:
    """Turn IRIs and literals into compact JSON-LD values for a fixed set of prefixes."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        self.context = dict(sorted(prefixes.items()))
        self._namespaces = sorted(((ns, name) for name, ns in prefixes.items()),
                                  key=lambda item: len(item[0]), reverse=True)
        self._cache: dict[str, str] = {}

    def iri(self, iri: str) -> str:
        """Return ``prefix:local`` for ``iri`` when a prefix fits, else the full IRI."""
        if iri not in self._cache:
            self._cache[iri] = next(
                (f"{name}:{iri[len(namespace):]}" for namespace, name in self._namespaces
                 if iri.startswith(namespace) and SAFE_LOCAL_NAME.match(iri, len(namespace))), iri)
        return self._cache[iri]

    def node(self, term: pyoxigraph.NamedNode | pyoxigraph.BlankNode) -> str:
        """Return the @id of a subject or object resource."""
        if isinstance(term, pyoxigraph.BlankNode):
            return f"_:{term.value}"
        return self.iri(term.value)

    def value(self, term: Any) -> Any:
        """Return the JSON-LD value object of an object term (plain strings stay strings)."""
        if isinstance(term, pyoxigraph.Literal):
            if term.language:
                return {"@value": term.value, "@language": term.language}
            if term.datatype.value == _XSD_STRING:
                return term.value
            return {"@value": term.value, "@type": self.iri(term.datatype.value)}
        return {"@id": self.node(term)}

