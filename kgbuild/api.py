"""The Python API: build, load, query and view a graph from a notebook or a script (docs/api.md).

The command line is a thin layer over these functions: ``kgbuild build`` calls ``build``,
``kgbuild view`` calls ``view``. Everything heavy (spaCy, rdflib, networkx) is imported only when
a function needs it, so ``import kgbuild`` stays fast.
"""

from __future__ import annotations

import decimal
import html
import json
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

import pyoxigraph as ox

from kgbuild.errors import InputError
from kgbuild.vocab import DEFAULT_BASE_IRI

if TYPE_CHECKING:
    import networkx
    import rdflib

    from kgbuild.pipeline import BuildReport
    from kgbuild.sources import Article

#: What ``build`` reads: a path (str or Path) to a file or folder, the text of an article, or a
#: mapping with "text" and optional "title", "url" and "published" (an ISO date).
Source = Union[str, Path, Mapping[str, str]]

#: File endings a string must have (or a path separator it must end with) to be taken for a path.
_PATH_ENDINGS = (".txt", ".md", ".markdown", ".html", ".htm", ".jsonl", "/")
#: The RDF outputs a lazily loaded graph is read back from, the most complete first.
_READ_BACK = ("nq", "trig", "ttl", "nt", "jsonld")


class KnowledgeGraph:
    """A built or loaded graph: query it, convert it, write it, or show it.

    ``store`` is a pyoxigraph ``Store`` whose default graph is the union of the article graphs
    (each article also keeps its own named graph). ``report`` is the build's report, or None.
    ``len()`` is the number of triples in that union.
    """

    def __init__(self, store: ox.Store | None = None, *, report: BuildReport | None = None,
                 title: str | None = None, folder: str = "", source: Path | None = None) -> None:
        self._store = store
        self._source = source
        self.report = report
        self.title = title
        self.folder = folder

    @property
    def store(self) -> ox.Store:
        """The graph as a pyoxigraph Store (read from the build's output files on first use)."""
        if self._store is None:
            from kgbuild.store import open_graph

            assert self._source is not None
            self._store = open_graph(self._source)
        return self._store

    def query(self, sparql: str) -> list[dict[str, Any]] | bool | list[ox.Triple]:
        """Run SPARQL (the prefixes of ``kgbuild query --prefixes`` are predeclared) and return its rows.

        A SELECT gives one dict per row, {variable: value}, with IRIs as strings, numbers, booleans
        and dates as Python values, other literals as strings, unbound variables as None; an ASK
        gives a bool; CONSTRUCT and DESCRIBE give a list of pyoxigraph Triples.
        """
        from kgbuild.query import query as run_query

        result = run_query(self.store, sparql)
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        if isinstance(result, ox.QueryTriples):
            return list(result)
        if result is None:
            return []
        names = [variable.value for variable in result.variables]
        return [{name: python_value(solution[name]) for name in names} for solution in result]

    def to_rdflib(self) -> rdflib.Graph:
        """Return the union of all article graphs as an rdflib Graph."""
        import rdflib

        from kgbuild.vocab import PREFIXES

        # The default graph holds the union of the article graphs (see ``store``).
        union = self.store.quads_for_pattern(None, None, None, ox.DefaultGraph())
        graph = rdflib.Graph()
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace)
        graph.parse(data="".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in union), format="nt")
        return graph

    def to_networkx(self) -> networkx.MultiDiGraph:
        """Return the entities (and concepts) as nodes and the facts between them as edges.

        Nodes are IRIs with ``label``, ``type``, ``kind`` ("entity" or "concept") and ``weight``;
        edges carry ``label``, ``predicate``, ``status``, ``weight`` and ``evidence``.
        """
        from kgbuild.export.graphml import to_networkx
        from kgbuild.export.graphview import build_view

        view = build_view(self.store)
        graph = to_networkx(view)
        for node in view.nodes:
            graph.nodes[node.iri]["kind"] = node.kind
        return graph

    def view(self, path: str | Path, title: str | None = None) -> Path:
        """Write the interactive view (one offline HTML file) to ``path`` and return the path."""
        return view(self, path, title=title)

    def write(self, path: str | Path, fmt: str | None = None) -> Path:
        """Write the graph to ``path`` in ``fmt`` (ttl, nt, nq, trig, jsonld, graphml, csv, html; default: the extension)."""
        from kgbuild.export import FORMATS, write_format

        path = Path(path)
        fmt = fmt or path.suffix.lower().lstrip(".")
        if fmt not in FORMATS:
            raise InputError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}", path)
        write_format(self.store, path, fmt, title=self.title or "", folder=self.folder)
        return path

    def html(self, title: str | None = None) -> str:
        """Return the interactive view as one self-contained HTML page."""
        from kgbuild.export.graphview import build_view
        from kgbuild.export.html import page_title, render_html, view_data

        built = build_view(self.store)
        return render_html(view_data(built, title or self.title or page_title(built, self.folder)))

    def _repr_html_(self) -> str:
        """Show the view inline in Jupyter: the self-contained page in a sandboxed iframe."""
        page = html.escape(self.html(), quote=True)
        return (f'<iframe srcdoc="{page}" sandbox="allow-scripts" style="width: 100%; height: 640px; '
                'border: 1px solid #d9dee5;" title="Knowledge graph view"></iframe>')

    def __len__(self) -> int:
        """Number of distinct triples in the union of the article graphs."""
        (row,) = self.store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(row["n"].value)

    def __repr__(self) -> str:
        summary = self.report.summary() if self.report else f"{len(self)} triples"
        return f"<KnowledgeGraph: {summary}>"


def python_value(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> Any:
    """Turn a SPARQL result term into a plain Python value (see ``KnowledgeGraph.query``)."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        import rdflib

        datatype = rdflib.URIRef(term.datatype.value) if term.language is None else None
        value = rdflib.Literal(term.value, lang=term.language, datatype=datatype).toPython()
        if isinstance(value, decimal.Decimal):
            return float(value)
        return value if not isinstance(value, (rdflib.Literal, rdflib.term.Node)) else term.value
    if isinstance(term, ox.NamedNode):
        return term.value
    return str(term)


def build(
    texts_or_paths: Source | Iterable[Source],
    output: str | Path | None = None,
    *,
    model: str | None = None,
    base_iri: str = DEFAULT_BASE_IRI,
    ontology_files: Sequence[str | Path] = (),
    formats: Sequence[str] | None = None,
    workers: int | None = None,
    dask: str | None = None,
    store_dir: str | Path | None = None,
    title: str | None = None,
    on_article: Callable[[Article], None] | None = None,
) -> KnowledgeGraph:
    """Build a knowledge graph from articles: paths to files or folders, texts, or {"text": ...} records.

    Without ``output`` the graph is built in memory with one process (``workers`` for more) and
    nothing is written. With ``output``, the build streams through disk as ``kgbuild build`` does,
    writes ``output/graph.<format>`` for each of ``formats`` (default ttl and html), and the
    returned graph is read back from those files when it is first used.
    """
    from kgbuild.pipeline import DEFAULT_FORMATS, BuildReport, BuildSettings, build_graph, common_folder
    from kgbuild.pipeline import build as run_build
    from kgbuild.store import merge_named_graphs

    items = [texts_or_paths] if isinstance(texts_or_paths, (str, Path, Mapping)) else list(texts_or_paths)
    if not items:
        raise InputError("nothing to build: give texts, files or folders")
    with tempfile.TemporaryDirectory(prefix="kgbuild-texts-") as scratch:
        paths = _input_paths(items, Path(scratch))
        folder = common_folder([path for path in paths if not Path(scratch) in path.parents])
        if output is not None:
            report = run_build(paths, Path(output), model=model, base_iri=base_iri,
                               ontology_files=[Path(p) for p in ontology_files],
                               formats=tuple(formats or DEFAULT_FORMATS), on_article=on_article, workers=workers,
                               dask=dask, store_dir=Path(store_dir) if store_dir else None, title=title,
                               folder=folder)
            written = {path.suffix.lstrip("."): path for path in report.outputs}
            readable = [written[fmt] for fmt in _READ_BACK if fmt in written]
            source = Path(store_dir) if store_dir else (readable[0] if readable else None)
            if source is None:
                return KnowledgeGraph(ox.Store(), report=report, title=title, folder=folder)
            return KnowledgeGraph(report=report, title=title, folder=folder, source=source)
        started = time.perf_counter()
        report = BuildReport()
        settings = BuildSettings(model=model, base_iri=base_iri, ontology_files=tuple(Path(p) for p in ontology_files))
        raw = build_graph(paths, settings, report=report, on_article=on_article, workers=workers or 1, dask=dask)
        store = resolved(raw, base_iri, settings.ontology_files)
        merge_named_graphs(store)
        graph = KnowledgeGraph(store, report=report, title=title, folder=folder)
        report.triples = len(graph)
        report.seconds = time.perf_counter() - started
        return graph


def resolved(store: ox.Store, base_iri: str = DEFAULT_BASE_IRI, ontology_files: Sequence[Path] = ()) -> ox.Store:
    """Return a store's article graphs with the entities resolved across articles, as a build writes them."""
    from kgbuild.dataset import SortedDataset
    from kgbuild.ontology import load_ontology
    from kgbuild.resolve import EntityTable

    entities = EntityTable.of(base_iri, load_ontology(tuple(ontology_files)))
    with SortedDataset.of_store(store, by_graph=True, entities=entities) as dataset:
        result = ox.Store()
        result.bulk_load(path=dataset.quads_path, format=ox.RdfFormat.N_QUADS)
        return result


def load(path: str | Path) -> KnowledgeGraph:
    """Open a graph file (.ttl, .nt, .nq, .trig, .jsonld, .rdf) or a ``--store`` folder."""
    from kgbuild.store import open_graph

    return KnowledgeGraph(open_graph(Path(path)))


def view(graph: KnowledgeGraph | ox.Store | str | Path, path: str | Path, title: str | None = None, *,
         fallback: str = "Knowledge graph") -> Path:
    """Write the interactive view of a graph (a KnowledgeGraph, a Store, a file or a store folder) to ``path``.

    Without ``title`` the page is named after its article(s), or ``fallback`` when it has none.
    """
    from kgbuild.export.html import write_html

    folder = ""
    if isinstance(graph, KnowledgeGraph):
        title, folder, graph = title or graph.title, graph.folder, graph.store
    elif not isinstance(graph, ox.Store):
        from kgbuild.store import open_graph

        graph = open_graph(Path(graph))
    path = Path(path)
    write_html(graph, path, title=title, folder=folder, fallback=fallback)
    return path


def _input_paths(items: Sequence[Source], scratch: Path) -> list[Path]:
    """Return the paths to read: the given paths, and files in ``scratch`` holding the given texts."""
    paths: list[Path] = []
    records: list[dict[str, str]] = []
    for item in items:
        if isinstance(item, Path):
            paths.append(item)
        elif isinstance(item, Mapping):
            if not isinstance(item.get("text"), str):
                raise InputError('a record needs a "text" string')
            records.append({key: item[key] for key in ("text", "title", "url", "published") if item.get(key)})
        elif isinstance(item, str):
            if "\n" not in item and (Path(item).exists() or item.lower().endswith(_PATH_ENDINGS)):
                paths.append(Path(item))
            else:
                records.append({"text": item})
        else:
            raise InputError(f"cannot read a {type(item).__name__}: give a path, a text or a record")
    for number, record in enumerate(records, start=1):
        # Each text goes through the JSON Lines reader, as if it had been given in a file of its own
        # (which names the article when it has no title).
        texts = scratch / f"text-{number}.jsonl"
        texts.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
        paths.append(texts)
    return paths
