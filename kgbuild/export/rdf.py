"""Write a graph store as Turtle, N-Triples, N-Quads, TriG or JSON-LD, sorted and byte-identical."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph

from kgbuild.atomic import atomic_write
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


def export_rdf(store: pyoxigraph.Store, path: Path, format: str) -> None:
    """Write ``store`` to ``path`` as ``format`` (ttl, nt, nq, trig or jsonld), sorted, atomically.

    Turtle, N-Triples and JSON-LD hold the union of all graphs without duplicates; N-Quads and
    TriG keep one named graph per article.
    """
    if format not in RDF_FORMATS:
        raise ValueError(f"unknown RDF format {format!r}; use one of {', '.join(RDF_FORMATS)}")
    dumps = graph_dumps(with_canonical_blank_nodes(store) if has_blank_nodes(store) else store)
    lines = sorted_nquads(dumps) if format in ("nq", "trig") else sorted_ntriples(dumps)
    with atomic_write(Path(path), "wb") as out:
        if format in ("nt", "nq"):
            out.writelines(lines)
        elif format == "jsonld":
            out.write(_jsonld(lines))
        else:
            body = b"".join(lines)
            pyoxigraph.serialize(
                pyoxigraph.parse(body, format=pyoxigraph.RdfFormat.N_QUADS),
                out,
                format=RDF_FORMATS[format],
                prefixes=safe_prefixes(body, PREFIXES),
            )


_BLANK_NODE_ASK = """ASK {
  { ?s ?p ?o FILTER (isBlank(?s) || isBlank(?o)) }
  UNION
  { GRAPH ?g { ?s ?p ?o } FILTER (isBlank(?g) || isBlank(?s) || isBlank(?o)) }
}"""


def has_blank_nodes(store: pyoxigraph.Store) -> bool:
    """Tell whether any quad of ``store`` has a blank node (text such as "_:" inside an IRI does not count)."""
    return bool(store.query(_BLANK_NODE_ASK))


Dumps = list[tuple[pyoxigraph.DefaultGraph | pyoxigraph.NamedNode | pyoxigraph.BlankNode, bytes]]


def graph_dumps(store: pyoxigraph.Store) -> Dumps:
    """Return each graph of ``store`` (default first, then named ones by IRI) as canonical N-Triples."""
    # Dumping graph by graph stays in Rust, and is about twice as fast as a SPARQL CONSTRUCT
    # over the union graph.
    graphs = [pyoxigraph.DefaultGraph(), *sorted(store.named_graphs(), key=str)]
    return [(graph, store.dump(format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=graph)) for graph in graphs]


def sorted_ntriples(dumps: Dumps) -> list[bytes]:
    """Return the union of the dumped graphs as sorted, distinct N-Triples lines."""
    lines: set[bytes] = set()
    for _, dump in dumps:
        lines.update(dump.splitlines())
    return [line + b"\n" for line in sorted(lines)]


def sorted_nquads(dumps: Dumps) -> list[bytes]:
    """Return the dumped graphs as N-Quads lines, graph by graph, each graph's lines sorted.

    A store may keep the union of its named graphs in the default graph (``kgbuild.store`` does,
    for querying); the default graph is written with only the triples no named graph has, so
    that a store and the file it was loaded from export alike.
    """
    named: set[bytes] = set()
    for graph, dump in dumps:
        if not isinstance(graph, pyoxigraph.DefaultGraph):
            named.update(dump.splitlines())
    lines: list[bytes] = []
    for graph, dump in dumps:
        if isinstance(graph, pyoxigraph.DefaultGraph):
            lines += [line + b"\n" for line in sorted(set(dump.splitlines()) - named)]
        else:
            label = b" " + str(graph).encode() + b" .\n"
            lines += [line[:-2] + label for line in sorted(set(dump.splitlines()))]
    return lines


def with_canonical_blank_nodes(store: pyoxigraph.Store, rounds: int = 8) -> pyoxigraph.Store:
    """Return a copy of ``store`` whose blank nodes are named by a hash of their surroundings.

    A parser names blank nodes at random, so the same file would export differently on each
    load. Each blank node gets a colour from its quads, refined with its neighbours' colours
    (Weisfeiler-Leman style) until the colouring is stable; blank nodes that still share a
    colour are interchangeable in all but rare, highly symmetric graphs.
    """
    quads = list(store)
    touching: dict[pyoxigraph.BlankNode, list[pyoxigraph.Quad]] = {}
    for quad in quads:
        for term in {quad.subject, quad.object, quad.graph_name}:
            if isinstance(term, pyoxigraph.BlankNode):
                touching.setdefault(term, []).append(quad)
    colour = {node: "" for node in touching}
    for _ in range(rounds):
        refined = {
            node: hashlib.sha256("\n".join(sorted(
                " ".join(_masked(term, node, colour) for term in (q.subject, q.predicate, q.object, q.graph_name))
                for q in node_quads
            )).encode()).hexdigest()
            for node, node_quads in touching.items()
        }
        settled = len(set(refined.values())) == len(set(colour.values()))
        colour = refined
        if settled:
            break
    names: dict[pyoxigraph.BlankNode, pyoxigraph.BlankNode] = {}
    taken: dict[str, int] = {}
    for node in sorted(touching, key=lambda node: colour[node]):
        stem = "b" + colour[node][:20]
        taken[stem] = taken.get(stem, 0) + 1
        names[node] = pyoxigraph.BlankNode(stem if taken[stem] == 1 else f"{stem}x{taken[stem]}")
    renamed = pyoxigraph.Store()
    renamed.extend(pyoxigraph.Quad(names.get(q.subject, q.subject), q.predicate, names.get(q.object, q.object),
                                   names.get(q.graph_name, q.graph_name)) for q in quads)
    return renamed


def _masked(term: object, node: pyoxigraph.BlankNode, colour: dict[pyoxigraph.BlankNode, str]) -> str:
    """Write a term for a blank node's signature: itself as '@', other blank nodes by colour."""
    if term == node:
        return "@"
    if isinstance(term, pyoxigraph.BlankNode):
        return "_:" + colour[term]
    return "" if isinstance(term, pyoxigraph.DefaultGraph) else str(term)


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


def _jsonld(lines: list[bytes]) -> bytes:
    """Return sorted N-Triples lines as compact JSON-LD: a prefix @context and a flat @graph.

    Each node object is one line, so the file diffs well and the C JSON encoder can be used
    (the indenting one is pure Python and five times slower).
    """
    compact = _Compactor(safe_prefixes(b"".join(lines), PREFIXES))
    encode = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode
    parts = [b'{"@context":', encode(compact.context).encode(), b',\n"@graph":[']
    separator = b"\n"
    for subject, quads in _by_subject(lines):
        node: dict[str, Any] = {"@id": compact.node(subject)}
        for quad in quads:
            if quad.predicate.value == _RDF_TYPE and isinstance(quad.object, pyoxigraph.NamedNode):
                node.setdefault("@type", []).append(compact.iri(quad.object.value))
            else:
                node.setdefault(compact.iri(quad.predicate.value), []).append(compact.value(quad.object))
        parts += [separator, encode({key: values[0] if key != "@id" and len(values) == 1 else values
                                     for key, values in node.items()}).encode()]
        separator = b",\n"
    parts.append(b"\n]}\n")
    return b"".join(parts)


def _by_subject(lines: list[bytes]) -> Iterator[tuple[pyoxigraph.NamedNode | pyoxigraph.BlankNode,
                                                      list[pyoxigraph.Quad]]]:
    """Group sorted N-Triples lines into (subject, quads) runs."""
    subject = None
    group: list[pyoxigraph.Quad] = []
    for quad in pyoxigraph.parse(b"".join(lines), format=pyoxigraph.RdfFormat.N_TRIPLES):
        if quad.subject != subject:
            if group:
                yield subject, group
            subject, group = quad.subject, []
        group.append(quad)
    if group:
        yield subject, group


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

