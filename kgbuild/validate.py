"""Check a graph against the SHACL shapes of the ontology and report violations readably."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Union

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from kgbuild.errors import InputError
from kgbuild.ontology import Ontology
from kgbuild.vocab import PREFIXES, SH

#: Graph file endings that can be validated, and their format.
GRAPH_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
}


@dataclass(frozen=True)
class Violation:
    """One failed constraint: the node, the property path, the message and the offending value."""

    focus: str
    path: str
    message: str
    value: str = ""
    severity: str = "Violation"

    def __str__(self) -> str:
        where = f"{self.focus} {self.path}".strip()
        value = f" (value: {self.value})" if self.value else ""
        return f"{self.severity}: {where}: {self.message}{value}"


@dataclass(frozen=True)
class ValidationReport:
    """Whether a graph conforms to the shapes, and every violation found, sorted."""

    conforms: bool
    violations: tuple[Violation, ...] = ()

    def text(self) -> str:
        """Return the report as lines a person can read."""
        if self.conforms:
            return "conforms: the graph satisfies every shape"
        lines = [f"does not conform: {len(self.violations)} violation(s)"]
        lines.extend(f"  {violation}" for violation in self.violations)
        return "\n".join(lines)


def load_graph(path: Path) -> ox.Store:
    """Read an RDF file into a store, raising InputError when it cannot be read or parsed."""
    path = Path(path)
    rdf_format = GRAPH_FORMATS.get(path.suffix.lower())
    if rdf_format is None:
        raise InputError(f"unknown graph format {path.suffix or '(none)'}; use one of {', '.join(GRAPH_FORMATS)}",
                         path)
    store = ox.Store()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read graph ({exc.strerror or exc})", path) from exc
    try:
        store.bulk_extend(
            ox.Quad(q.subject, q.predicate, q.object, q.graph_name) if isinstance(q, ox.Quad)
            else ox.Quad(q.subject, q.predicate, q.object)
            for q in ox.parse(data, format=rdf_format, base_iri=path.resolve().as_uri())
        )
    except (SyntaxError, ValueError) as exc:
        raise InputError(f"invalid RDF: {' '.join(str(exc).split())}", path) from exc
    return store


def _rdflib_graph(ntriples: bytes | str) -> Graph:
    graph = Graph()
    graph.parse(data=ntriples, format="nt")
    return graph


def _union_ntriples(store: ox.Store) -> bytes:
    """Return every triple of every graph of the store, as N-Triples."""
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in store}
    return "".join(f"{t} .\n" for t in sorted(triples, key=str)).encode("utf-8")


def _short(node: Node | None) -> str:
    if node is None:
        return ""
    text = str(node)
    if isinstance(node, URIRef):
        for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
            if text.startswith(namespace):
                return f"{prefix}:{text[len(namespace):]}"
        return f"<{text}>"
    return repr(text) if len(text) <= 80 else repr(text[:77] + "...")


def validate(path_or_store: Union[Path, str, ox.Store], ontology: Ontology) -> ValidationReport:
    """Validate a graph file or store against the ontology's SHACL shapes (the union of its graphs)."""
    from pyshacl import validate as shacl_validate

    store = path_or_store if isinstance(path_or_store, ox.Store) else load_graph(Path(path_or_store))
    data = _rdflib_graph(_union_ntriples(store))
    shapes = _rdflib_graph("\n".join(ontology.shapes))
    vocabulary = _rdflib_graph("\n".join(ontology.ntriples))
    conforms, results, _ = shacl_validate(
        data, shacl_graph=shapes, ont_graph=vocabulary, inference="none", advanced=False, allow_warnings=True
    )
    violations = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        message = results.value(result, SH.resultMessage)
        constraint = results.value(result, SH.sourceConstraintComponent)
        violations.append(Violation(
            focus=_short(results.value(result, SH.focusNode)),
            path=_short(results.value(result, SH.resultPath)),
            message=str(message) if message is not None else _short(constraint),
            value=_short(results.value(result, SH.value)),
            severity=_short(results.value(result, SH.resultSeverity)).removeprefix("<http://www.w3.org/ns/shacl#")
            .rstrip(">"),
        ))
    return ValidationReport(bool(conforms), tuple(sorted(set(violations), key=str)))
