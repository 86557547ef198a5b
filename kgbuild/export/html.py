"""Write a graph as one self-contained, offline HTML page with an interactive vis-network view.

vis-network (dual Apache-2.0/MIT) is vendored in ``assets/`` from the npm package's standalone
build, which bundles its DataSet and injects its own CSS, so the page needs no other file.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pyoxigraph

from kgbuild.atomic import atomic_write
from kgbuild.dataset import SortedDataset
from kgbuild.export.graphview import ASSERTED, GraphView, build_view, importance_sizes
from kgbuild.vocab import WD

DEFAULT_TITLE = "Knowledge graph"

#: Class colours, assigned in order of how many nodes a class has: Tableau 10 without its grey,
#: then darker hues that stay distinguishable from the first ten.
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
           "#9c755f", "#6b6ecf", "#bcbd22", "#843c39", "#17becf", "#a55194", "#637939", "#393b79")
UNTYPED_COLOUR = "#bab0ac"

#: The view draws at most this many entities, the most connected ones: vis-network's layout
#: gets slow beyond a few thousand nodes (docs/view.md), and the page would grow with the corpus.
MAX_VIEW_NODES = 3000

#: Characters that must not appear raw inside a <script> element or a JavaScript string.
_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_SCRIPT_UNSAFE_PATTERN = re.compile("[<>&\u2028\u2029]")


def write_html(source: pyoxigraph.Store | SortedDataset, path: Path, title: str | None = None, folder: str = "",
               fallback: str = DEFAULT_TITLE) -> None:
    """Write the interactive view of a store or dataset to ``path`` as one HTML file that works offline.

    Without ``title`` the page is named by ``page_title``.
    """
    view = build_view(source)
    data = view_data(view, title or page_title(view, folder, fallback))
    with atomic_write(Path(path), "wb") as out:
        # Piece by piece: a large view's page is never held whole, nor its JSON.
        for part in html_parts(data):
            out.write(part.encode("utf-8"))


def page_title(view: GraphView, folder: str = "", fallback: str = DEFAULT_TITLE) -> str:
    """Name a view after its articles: the title of a single article, else "N articles" and the folder."""
    if len(view.articles) == 1:
        return view.articles[0].label
    if view.articles:
        return f"{len(view.articles)} articles" + (f" · {folder}" if folder else "")
    return folder or fallback


def view_data(view: GraphView, title: str, max_nodes: int = MAX_VIEW_NODES) -> dict[str, Any]:
    """Return the JSON document the page's script draws: classes, relations, articles, nodes and edges.

    A graph of more than ``max_nodes`` nodes is drawn with its ``max_nodes`` most connected
    ones, named entities before concepts, and the facts between them; the page says how many it
    leaves out.
    """
    shown_nodes, shown_edges = view.nodes, view.edges
    if len(view.nodes) > max_nodes:
        ranked = sorted(view.nodes, key=lambda node: (node.kind != "entity", -node.degree, node.iri))
        kept = {node.iri for node in ranked[:max_nodes]}
        shown_nodes = [node for node in view.nodes if node.iri in kept]
        shown_edges = [edge for edge in view.edges if edge.source in kept and edge.target in kept]
    class_counts: dict[str, int] = {}
    for node in shown_nodes:
        class_counts[node.main_class] = class_counts.get(node.main_class, 0) + 1
    ordered = sorted(class_counts, key=lambda cls: (cls == "", -class_counts[cls],
                                                     view.class_labels.get(cls, ""), cls))
    classes = [{"iri": cls, "label": view.class_labels.get(cls, "") if cls else "(no class)",
                "count": class_counts[cls],
                "color": PALETTE[index % len(PALETTE)] if cls else UNTYPED_COLOUR}
               for index, cls in enumerate(ordered)]
    class_index = {cls: index for index, cls in enumerate(ordered)}
    relations = sorted({edge.predicate for edge in shown_edges}, key=lambda p: (view.relation_labels[p], p))
    relation_index = {p: index for index, p in enumerate(relations)}
    relation_counts = {p: 0 for p in relations}
    for edge in shown_edges:
        relation_counts[edge.predicate] += 1
    # Articles by date (undated last), then title; nodes and edges name them by position.
    articles = sorted(view.articles, key=lambda article: (not article.date, article.date, article.label, article.iri))
    article_index = {article.iri: index for index, article in enumerate(articles)}
    node_articles: dict[str, set[int]] = {node.iri: {article_index[iri] for iri in node.articles
                                                     if iri in article_index} for node in shown_nodes}
    for edge in shown_edges:
        stated = {article_index[iri] for iri in edge.articles if iri in article_index}
        node_articles[edge.source] |= stated
        node_articles[edge.target] |= stated
    # Only facts between named entities count towards a node's importance in the opening view.
    entity_degree = {node.iri: 0 for node in shown_nodes}
    kinds = {node.iri: node.kind for node in shown_nodes}
    for edge in shown_edges:
        if kinds[edge.source] == kinds[edge.target] == "entity":
            entity_degree[edge.source] += edge.weight
            entity_degree[edge.target] += edge.weight
    nodes = [{
        "id": node.iri, "label": node.label, "c": class_index[node.main_class],
        "k": 1 if node.kind == "concept" else 0,
        "types": [view.class_labels.get(cls, cls) for cls in node.classes],
        "aliases": node.aliases, "wikidata": node.wikidata,
        "links": [link for link in node.links if not link.startswith(str(WD))],
        "props": [list(pair) for pair in node.properties], "articles": node.mentioned_in,
        "articleCount": node.mentioned_count, "size": size, "a": sorted(node_articles[node.iri]),
        "degree": node.degree, "entityDegree": entity_degree[node.iri],
    } for node, size in zip(shown_nodes, importance_sizes(shown_nodes))]
    edges = [{
        "id": f"e{index}", "from": edge.source, "to": edge.target, "r": relation_index[edge.predicate],
        "predicate": edge.predicate, "label": edge.label if edge.status == ASSERTED else f"{edge.status}: {edge.label}",
        "status": edge.status, "weight": edge.weight, "evidenceCount": edge.evidence_count,
        "confidence": edge.confidence, "a": sorted(article_index[iri] for iri in edge.articles if iri in article_index),
        "evidence": [{"text": item.text, "title": item.article_title, "url": item.article_url,
                      "relation": item.relation_text,
                      "confidence": item.confidence, "qualifiers": [list(q) for q in item.qualifiers],
                      "marks": [list(mark) for mark in item.marks]}
                     for item in edge.evidence],
    } for index, edge in enumerate(shown_edges)]
    return {
        "title": title, "nodes": nodes, "edges": edges, "classes": classes,
        "articles": [{"label": article.label, "date": article.date, "url": article.url} for article in articles],
        "total": {"nodes": len(view.nodes), "edges": len(view.edges),
                  "entities": sum(node.kind == "entity" for node in view.nodes)},
        "relations": [{"iri": p, "label": view.relation_labels[p], "count": relation_counts[p]} for p in relations],
    }


def render_html(data: dict[str, Any]) -> str:
    """Fill the page template with ``data`` and the inlined vis-network, CSS and app script."""
    return "".join(html_parts(data))


def html_parts(data: dict[str, Any]) -> Iterator[str]:
    """Yield the page in pieces: the template filled with ``data``, vis-network, the CSS and the app script."""
    assets = resources.files("kgbuild.export") / "assets"
    vis_js = (assets / "vis-network.min.js").read_text("utf-8")
    app_js = (assets / "view.js").read_text("utf-8")
    for script in (vis_js, app_js):
        if re.search(r"</script|<!--", script, re.IGNORECASE):
            raise ValueError("an inlined script contains '</script' or '<!--'")
    fillings = {
        "CSP": content_security_policy(vis_js, app_js),
        "TITLE": html.escape(data["title"]),
        "STYLE": (assets / "view.css").read_text("utf-8"),
        "VIS": vis_js,
        "APP": app_js,
    }
    template = (assets / "view.html").read_text("utf-8")
    # The template is cut at its placeholders once, so text inside the data can never be taken
    # for another placeholder.
    for number, piece in enumerate(re.split(r"@@([A-Z]+)@@", template)):
        if number % 2 == 0:
            yield piece
        elif piece == "DATA":
            # The data, the largest part, is written item by item.
            yield from script_json_parts(data)
        else:
            yield fillings[piece]


def script_json(data: Any) -> str:
    """Serialize ``data`` as JSON that can sit inside a <script> element without ending it."""
    return "".join(script_json_parts(data))


def script_json_parts(data: Any) -> Iterator[str]:
    """Serialize ``data`` as ``script_json`` does, in pieces: one per item of a top-level list."""
    encode = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode

    def pieces(value: Any, top: bool) -> Iterator[str]:
        # The C encoder writes each item; only the outer levels are joined here.
        if top and isinstance(value, dict):
            yield "{"
            for number, key in enumerate(sorted(value)):
                yield ("," if number else "") + encode(key) + ":"
                yield from pieces(value[key], False)
            yield "}"
        elif isinstance(value, list):
            yield "["
            for number, item in enumerate(value):
                yield ("," if number else "") + encode(item)
            yield "]"
        else:
            yield encode(value)

    for piece in pieces(data, True):
        # Escaping is character by character, so escaping piece by piece gives the same text.
        yield _SCRIPT_UNSAFE_PATTERN.sub(lambda match: _SCRIPT_UNSAFE[match.group(0)], piece)


def content_security_policy(*scripts: str) -> str:
    """Return a policy that runs only the given inline scripts and loads nothing from anywhere."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"
        for script in scripts
    )
    return (f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src data:; "
            "base-uri 'none'; form-action 'none'")
