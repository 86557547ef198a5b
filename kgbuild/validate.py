"""Check a graph against the SHACL shapes of the ontology and report violations readably."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Union

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from kgbuild.ontology import Ontology
from kgbuild.store import open_graph
from kgbuild.vocab import PREFIXES, SH

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

    store = path_or_store if isinstance(path_or_store, ox.Store) else open_graph(Path(path_or_store))
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
