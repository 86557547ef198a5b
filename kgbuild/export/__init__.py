"""Exporters: write a graph store as RDF files, an interactive HTML view, GraphML or CSV."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph

#: Formats that ``write_format`` knows, by file extension.
RDF_FORMATS = ("ttl", "nt", "nq", "trig", "jsonld")
VIEW_FORMATS = ("html",)
FORMATS = RDF_FORMATS + VIEW_FORMATS


def write_format(store: pyoxigraph.Store, path: Path, fmt: str, *, title: str = "") -> None:
    """Write ``store`` to ``path`` in the format named by its extension ``fmt``."""
    if fmt in RDF_FORMATS:
        from kgbuild.export.rdf import export_rdf

        export_rdf(store, path, fmt)
    elif fmt == "html":
        from kgbuild.export.html import write_html

        write_html(store, path, title=title)
    else:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
