"""Exporters: write a graph store as RDF files, an interactive HTML view, GraphML or CSV."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph

from kgbuild.dataset import SortedDataset

#: Formats that ``write_format`` knows, by file extension.
RDF_FORMATS = ("ttl", "nt", "nq", "trig", "jsonld")
TABLE_FORMATS = ("graphml", "csv")
VIEW_FORMATS = ("html",)
FORMATS = RDF_FORMATS + TABLE_FORMATS + VIEW_FORMATS

def write_format(source: pyoxigraph.Store | SortedDataset, path: Path, fmt: str, *, title: str = "",
                 folder: str = "") -> None:
    """Write a store or sorted dataset to ``path`` in the format named by its extension ``fmt``.

    ``title`` names the HTML view; without it the view is named after its articles and ``folder``.
    """
    if fmt in RDF_FORMATS:
        from kgbuild.export.rdf import export_rdf

        export_rdf(source, path, fmt)
    elif fmt == "graphml":
        from kgbuild.export.graphml import write_graphml

        write_graphml(source, path)
    elif fmt == "csv":
        from kgbuild.export.csv import write_csv

        write_csv(source, path)
    elif fmt == "html":
        from kgbuild.export.html import write_html

        write_html(source, path, title=title or None, folder=folder)
    else:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def load_graph(path: Path) -> pyoxigraph.Store:
    """Open an RDF file (format from its extension) or an on-disk store for exporting."""
    from kgbuild.store import open_graph

    return open_graph(path)
