"""Open graphs for querying, and keep a persistent Oxigraph store that grows article by article."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from kgbuild.errors import InputError

#: File endings read by ``open_graph``, and their RDF syntax.
RDF_SUFFIXES: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".n3": ox.RdfFormat.N3,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
}

#: RocksDB keeps this file in every database directory; its presence tells a store from a folder.
_STORE_MARKER = "CURRENT"

#: The path segment before an article id in an article graph's IRI (``<base>article/{id}``).
_ARTICLE_SEGMENT = "/article/"


def is_store(path: Path) -> bool:
    """Return whether ``path`` is an on-disk Oxigraph store directory."""
    return path.is_dir() and (path / _STORE_MARKER).is_file()


def open_graph(path: Path, *, writable: bool = False, load_into: Path | None = None) -> ox.Store:
    """Open an RDF file (loaded into memory, or into a new on-disk store at ``load_into``) or a store directory."""
    path = Path(path)
    if path.is_dir():
        if not is_store(path):
            raise InputError("a folder that is not a kgbuild store (no Oxigraph database in it)", path)
        return open_store(path) if writable else _open_read_only(path)
    if not path.exists():
        raise InputError("no such file or store directory", path)
    rdf_format = RDF_SUFFIXES.get(path.suffix.lower())
    if rdf_format is None:
        known = ", ".join(RDF_SUFFIXES)
        raise InputError(f"not a graph: expected a store directory or a file ending in {known}", path)
    store = ox.Store() if load_into is None else ox.Store(str(load_into))
    try:
        # Relative IRIs (rare in RDF files, but legal) resolve against the file's own location.
        store.bulk_load(path=path, format=rdf_format, base_iri=path.resolve().as_uri())
        merge_named_graphs(store)
    except SyntaxError as exc:
        raise InputError(f"invalid {path.suffix[1:]}: {one_line(str(exc))}", path) from exc
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read: {one_line(str(exc))}", path) from exc
    return store


def _open_read_only(path: Path) -> ox.Store:
    """Open a store directory without taking its write lock, so a running build is not blocked."""
    try:
        return ox.Store.read_only(str(path))
    except OSError as exc:
        raise InputError(f"cannot open store: {one_line(str(exc))}", path) from exc


def open_store(path: Path) -> ox.Store:
    """Open (creating if needed) an on-disk store for writing; one writer at a time."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise InputError("the store must be a directory, and this is a file", path)
    if path.is_dir() and any(path.iterdir()) and not is_store(path):
        raise InputError("a non-empty folder that is not a kgbuild store; choose an empty or new folder", path)
    try:
        return ox.Store(str(path))
    except OSError as exc:
        if "lock" in str(exc).lower():
            raise InputError("the store is open for writing in another process", path) from exc
        raise InputError(f"cannot open store: {one_line(str(exc))}", path) from exc


def article_graphs(store: ox.Store) -> dict[str, ox.NamedNode]:
    """Map each article id in the store to the IRI of its named graph."""
    graphs: dict[str, ox.NamedNode] = {}
    for graph in store.named_graphs():
        if isinstance(graph, ox.NamedNode) and _ARTICLE_SEGMENT in graph.value:
            article_id = graph.value.rsplit(_ARTICLE_SEGMENT, 1)[1]
            if article_id and "/" not in article_id:
                graphs[article_id] = graph
    return graphs


def article_base_iris(store: ox.Store) -> set[str]:
    """Return the base IRIs under which the store's article graphs are named (``<base>article/{id}``)."""
    return {graph.value.rsplit(_ARTICLE_SEGMENT, 1)[0] + "/" for graph in article_graphs(store).values()}


def article_ids(store: ox.Store) -> set[str]:
    """Return the ids of the articles whose facts are in the store."""
    return set(article_graphs(store))


def replace_article(
    store: ox.Store, article_iri: ox.NamedNode, quads: Iterable[ox.Quad | ox.Triple]
) -> None:
    """Make the article's named graph hold exactly these statements, in one transaction.

    Triples, and quads in the default graph or the article's graph, go into the article's graph.
    Quads in another named graph (such as the ontology terms an article uses) are added to that
    shared graph and outlive the article.
    """
    graph = _graph_name(article_iri)
    by_graph: dict[str, set[str]] = {str(graph): set()}
    for quad in quads:
        target = getattr(quad, "graph_name", None)
        key = str(graph) if target is None or isinstance(target, ox.DefaultGraph) else str(target)
        by_graph.setdefault(key, set()).add(f"{quad.subject} {quad.predicate} {quad.object} .")
    union = "\n".join(sorted(set().union(*by_graph.values())))
    blocks = "".join(f"GRAPH {name} {{\n" + "\n".join(sorted(lines)) + "\n}\n" for name, lines in sorted(by_graph.items()))
    # One SPARQL update is one Oxigraph transaction: readers, and a store reopened after a crash,
    # see either the old article or the new one, never a half-written mix.
    store.update(_drop_article_update(graph) + f" ;\nINSERT DATA {{\n{blocks}{union}\n}}")


def remove_article(store: ox.Store, article_id: str) -> bool:
    """Delete an article's facts; return False if the store does not hold that article."""
    graph = article_graphs(store).get(article_id)
    if graph is None:
        return False
    store.update(_drop_article_update(graph))
    return True


def remove(store_dir: Path, ids: Iterable[str]) -> None:
    """Remove articles from an on-disk store; if any id is unknown, remove nothing."""
    store_dir = Path(store_dir)
    if not is_store(store_dir):
        raise InputError("no kgbuild store here", store_dir)
    store = open_store(store_dir)
    try:
        wanted = list(dict.fromkeys(ids))
        unknown = sorted(set(wanted) - article_ids(store))
        if unknown:
            raise InputError(f"no article with id {', '.join(unknown)} in the store", store_dir)
        for article_id in wanted:
            remove_article(store, article_id)
        store.flush()
    finally:
        # A traceback keeps its frames' locals alive; the store must close (release its lock) now.
        del store


def _drop_article_update(graph: ox.NamedNode) -> str:
    """SPARQL that drops an article graph and the union triples that no other graph states."""
    return (
        "DELETE { ?s ?p ?o } WHERE {\n"
        f"  GRAPH {graph} {{ ?s ?p ?o }}\n"
        f"  FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER (?other != {graph}) }}\n"
        f"}} ;\nDROP SILENT GRAPH {graph}"
    )


def merge_named_graphs(store: ox.Store) -> None:
    """Copy every named graph's triples into the default graph, which then holds their union as a set."""
    store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")


def resolved_view(store: ox.Store, into: Path | None = None) -> ox.Store:
    """Return the graph that an export of ``store`` holds: its entities resolved across its articles.

    A store keeps each article's own entity IRIs, so that an article can be replaced or removed
    alone; resolution across articles (kgbuild.resolve) is applied when the store is exported,
    and here, so that querying a store answers as querying its export does. The view is a copy
    (in memory, or a new on-disk store at ``into``) with the default graph as the union of the
    graphs; a store that nothing merges in is returned as it is.
    """
    from kgbuild.dataset import sorted_dataset

    with sorted_dataset(store, by_graph=True) as dataset:
        if not dataset.resolution.canonical and not dataset.resolution.heads:
            return store
        view = ox.Store() if into is None else ox.Store(str(into))
        view.bulk_load(path=str(dataset.quads_path), format=ox.RdfFormat.N_QUADS)
    merge_named_graphs(view)
    return view


def _graph_name(article_iri: ox.NamedNode | str) -> ox.NamedNode:
    """Accept an article IRI as a NamedNode or any object whose str() is the IRI (e.g. rdflib.URIRef)."""
    return article_iri if isinstance(article_iri, ox.NamedNode) else ox.NamedNode(str(article_iri))


def one_line(message: str) -> str:
    """Collapse a multi-line engine message onto one line."""
    return " ".join(message.split())
