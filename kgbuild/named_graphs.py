"""The names of a build's graphs (one per article, one for the ontology) and the ontology graph's triples.

Apart from ``kgbuild.graph`` because the main process of a parallel build needs these but none of
the extraction, so it does not import spaCy.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kgbuild.ontology import Ontology
from kgbuild.vocab import DEFAULT_BASE_IRI, KGO, minted_iri

#: Ontology statements copied into the output so that a graph explains its own terms.
_DESCRIBING_PREDICATES = frozenset(
    str(p) for p in (RDF.type, RDFS.label, RDFS.comment, RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain,
                     RDFS.range, OWL.equivalentClass, OWL.equivalentProperty, OWL.inverseOf, OWL.versionInfo,
                     SKOS.exactMatch)
)


def article_iri(article_id: str, base_iri: str = DEFAULT_BASE_IRI) -> ox.NamedNode:
    """Return the IRI of an article, which is also the name of its graph."""
    return ox.NamedNode(minted_iri(base_iri, f"article/{article_id}"))


def ontology_graph_iri(base_iri: str = DEFAULT_BASE_IRI) -> ox.NamedNode:
    """Return the name of the graph that holds the ontology terms copied into the output."""
    return ox.NamedNode(minted_iri(base_iri, "ontology"))


def ontology_quads(ontology: Ontology, base_iri: str = DEFAULT_BASE_IRI) -> list[ox.Quad]:
    """Return the ontology's own classes and properties (labels, hierarchy, alignments) as quads."""
    graph = ontology_graph_iri(base_iri)
    quads = []
    for triple in ox.parse("\n".join(ontology.ntriples).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES):
        subject = triple.subject
        # Blank nodes (OWL class expressions in a user's file) are left out: their labels are
        # random per parse and would break byte-identical output.
        if (isinstance(subject, ox.NamedNode) and subject.value.startswith(str(KGO).rstrip("#"))
                and triple.predicate.value in _DESCRIBING_PREDICATES
                and not isinstance(triple.object, ox.BlankNode)):
            quads.append(ox.Quad(subject, triple.predicate, triple.object, graph))
    return sorted(set(quads), key=str)


def ntriples_of(quads: Iterable[ox.Quad]) -> bytes:
    """Return the triples of quads as N-Triples, dropping their graph names."""
    return ox.serialize((quad.triple for quad in quads), format=ox.RdfFormat.N_TRIPLES) or b""
