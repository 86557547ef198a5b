"""kgbuild: build a queryable RDF knowledge graph from news articles.

``kgbuild.build``, ``kgbuild.load`` and ``kgbuild.view`` are the Python API (docs/api.md); they are
imported on first use, so ``import kgbuild`` is quick and loads no parser.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["KnowledgeGraph", "build", "load", "view"]


def __getattr__(name: str) -> Any:
    """Import the API functions from kgbuild.api when they are first used."""
    if name in __all__:
        from kgbuild import api

        return getattr(api, name)
    raise AttributeError(f"module 'kgbuild' has no attribute {name!r}")
