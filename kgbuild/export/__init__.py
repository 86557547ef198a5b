"""Exporters: write a graph store as RDF files, an interactive HTML view, GraphML or CSV."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph

from kgbuild.errors import InputError

#: Formats that ``write_format`` knows, by file extension.
RDF_FORMATS = ("ttl", "nt", "nq", "trig", "jsonld")
TABLE_FORMATS = ("graphml", "csv")
VIEW_FORMATS = ("html",)
FORMATS = RDF_FORMATS + TABLE_FORMATS + VIEW_FORMATS

#: RDF files that ``load_graph`` reads, by extension.
READABLE: dict[str, pyoxigraph.RdfFormat] = {
    ".ttl": pyoxigraph.RdfFormat.TURTLE,
    ".turtle": pyoxigraph.RdfFormat.TURTLE,
    ".nt": pyoxigraph.RdfFormat.N_TRIPLES,
    ".nq": pyoxigraph.RdfFormat.N_QUADS,
    ".trig": pyoxigraph.RdfFormat.TRIG,
    ".jsonld": pyoxigraph.RdfFormat.JSON_LD,
    ".n3": pyoxigraph.RdfFormat.N3,
    ".rdf": pyoxigraph.RdfFormat.RDF_XML,
    ".owl": pyoxigraph.RdfFormat.RDF_XML,
    ".xml": pyoxigraph.RdfFormat.RDF_XML,
}


def write_format(store: pyoxigraph.Store, path: Path, fmt: str, *, title: str = "") -> None:
    """Write ``store`` to ``path`` in the format named by its extension ``fmt``."""
    if fmt in RDF_FORMATS:
        from kgbuild.export.rdf import export_rdf

        export_rdf(store, path, fmt)
    elif fmt == "graphml":
        from kgbuild.export.graphml import write_graphml

        write_graphml(store, path)
    elif fmt == "csv":
        from kgbuild.export.csv import write_csv

        write_csv(store, path)
    elif fmt == "html":
        from kgbuild.export.html import write_html

        write_html(store, path, title=title or path.stem)
    else:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def load_graph(path: Path) -> pyoxigraph.Store:
    """Read an RDF file (format from its extension) into a new in-memory store."""
    path = Path(path)
    rdf_format = READABLE.get(path.suffix.lower())
    if rdf_format is None:
        raise InputError(f"cannot tell the RDF format from the extension; use one of {', '.join(READABLE)}",
                         path)
    if not path.is_file():
        raise InputError("no such file" if not path.exists() else "not a file", path)
    store = pyoxigraph.Store()
    try:
        store.bulk_load(path=path, format=rdf_format, base_iri=path.resolve().as_uri())
    except SyntaxError as exc:
        raise InputError(f"not valid {rdf_format.name}: {exc.msg}", path) from exc
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror or exc})", path) from exc
    return store
