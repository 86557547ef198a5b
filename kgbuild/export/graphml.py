"""Write a graph as GraphML for Gephi and Cytoscape: entities, facts, labels, classes and weights."""

from __future__ import annotations

import re
from pathlib import Path

import networkx
import pyoxigraph

from kgbuild.atomic import atomic_write
from kgbuild.dataset import SortedDataset
from kgbuild.export.graphview import GraphView, build_view

#: Characters that XML 1.0 forbids even when escaped; RDF literals may contain them.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def write_graphml(source: pyoxigraph.Store | SortedDataset, path: Path) -> None:
    """Write the entities and facts of a store or dataset to ``path`` as GraphML, atomically."""
    graph = to_networkx(build_view(source))
    with atomic_write(Path(path), "wb") as out:
        networkx.write_graphml(graph, out, encoding="utf-8", prettyprint=True)


def to_networkx(view: GraphView) -> networkx.MultiDiGraph:
    """Return the view as a directed multigraph whose nodes are IRIs and edges are facts."""
    graph = networkx.MultiDiGraph()
    for node in view.nodes:
        graph.add_node(
            node.iri,
            label=_text(node.label),
            type=_text(view.class_labels.get(node.main_class, "")),
            type_iri=node.main_class,
            aliases=_text("; ".join(node.aliases)),
            wikidata=node.wikidata,
            weight=node.degree,
        )
    for index, edge in enumerate(view.edges):
        graph.add_edge(
            edge.source, edge.target, key=f"e{index}",
            label=_text(edge.label),
            predicate=edge.predicate,
            status=edge.status,
            weight=edge.weight,
            evidence=_text(" | ".join(item.text for item in edge.evidence)),
        )
    return graph


def _text(value: str) -> str:
    """Drop the characters that XML cannot carry."""
    return _XML_INVALID.sub("", value)
