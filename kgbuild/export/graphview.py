"""Read a graph store as entities and the facts between them, the shape every visual export needs.

A kgbuild graph has entities, plain fact triples between them, and assertion nodes that carry
each fact's evidence. Turtle from other tools has none of the kgbuild terms: there every IRI
resource is a node and every triple between two IRI resources is an edge.
"""

from __future__ import annotations

import bisect
import functools
import heapq
import math
import re
import sys
import urllib.parse
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import pyoxigraph
from rdflib.namespace import DC, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SH, SKOS

from kgbuild.dataset import (
    SortedDataset,
    Subject,
    parse_grouped,
    parse_subjects,
    read_blocks,
    sorted_dataset,
    subject_line_groups,
)
from kgbuild.vocab import ITSRDF, KGO, NIF, SCHEMA, WD

#: NIF 2.0 and ITS 2.0 terms of mention nodes (docs/graph-model.md): where an entity is named.
_NIF_CONTEXT, _NIF_BEGIN, _NIF_END, _TA_IDENT_REF = (str(term) for term in (
    NIF.referenceContext, NIF.beginIndex, NIF.endIndex, ITSRDF.taIdentRef))

#: Predicates whose values name a resource, in order of preference; other values become aliases.
LABEL_PREDICATES = (str(RDFS.label), str(SKOS.prefLabel), str(SCHEMA.name), str(SCHEMA.headline),
                    str(FOAF.name), str(DCTERMS.title), str(DC.title))
ALIAS_PREDICATES = (str(SKOS.altLabel),)

#: Resources of these classes are bookkeeping or schema, not things to draw.
HIDDEN_CLASSES = frozenset(str(term) for term in (
    KGO.Assertion, KGO.Article, SCHEMA.NewsArticle, OWL.Class, RDFS.Class, RDFS.Datatype, OWL.ObjectProperty,
    OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property, OWL.Ontology, SH.NodeShape,
    SH.PropertyShape, OWL.Restriction, NIF.Phrase,
))
#: Triples with these predicates describe the model or provenance; they are not drawn as edges.
STRUCTURAL_PREDICATES = frozenset(str(term) for term in (
    RDF.type, OWL.sameAs, RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range,
    RDF.subject, RDF.predicate, RDF.object, PROV.wasDerivedFrom, RDFS.isDefinedBy, KGO.mentionedIn,
))
#: Properties of an assertion node that describe the evidence itself; every other property of it
#: (recipient, date, place, argument, ...) is shown as a qualifier of the fact.
EVIDENCE_PREDICATES = frozenset(str(term) for term in (
    RDF.type, RDF.subject, RDF.predicate, RDF.object, PROV.wasDerivedFrom, KGO.evidenceText,
    KGO.startOffset, KGO.endOffset, KGO.confidence, KGO.extractor, KGO.extractionPattern,
    KGO.relationText, KGO.negated, KGO.modality,
))

ASSERTED, NEGATED = "asserted", "negated"

#: An edge of the view keeps at most this many evidence sentences: the first by article and
#: position. Its weight still counts all of them. A fact stated in thousands of articles would
#: otherwise make the view file (and the memory to write it) grow with the corpus.
MAX_EVIDENCE_PER_EDGE = 10
#: A node lists at most this many of the articles that mention it (and counts the rest).
MAX_ARTICLES_PER_NODE = 10


@dataclass
class Evidence:
    """One sentence that supports (or denies) a fact, with where it came from."""

    text: str
    article: str = ""
    article_title: str = ""
    article_url: str = ""
    confidence: float | None = None
    start: int | None = None
    end: int | None = None
    relation_text: str = ""
    qualifiers: list[tuple[str, str]] = field(default_factory=list)
    #: Where entities are named in ``text``: (start, end, entity IRI), offsets into the sentence.
    marks: list[tuple[int, int, str]] = field(default_factory=list)

    def sort_key(self) -> tuple:
        """Order evidence by article, then position, then text (and the rest, to break ties)."""
        return (self.article_title or self.article, self.article, -1 if self.start is None else self.start,
                self.text, -1 if self.end is None else self.end, -1.0 if self.confidence is None else self.confidence,
                self.relation_text, self.qualifiers)


@dataclass
class Node:
    """An entity or concept: its IRI, label, classes, aliases, links and importance."""

    iri: str
    label: str
    classes: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    properties: list[tuple[str, str]] = field(default_factory=list)
    #: The first ``MAX_ARTICLES_PER_NODE`` labels, in order, of the articles that mention it ...
    mentioned_in: list[str] = field(default_factory=list)
    #: ... and how many articles mention it in all.
    mentioned_count: int = 0
    degree: int = 0
    #: "entity" for a named thing, "concept" for a generic noun phrase (typed kgo:Concept).
    kind: str = "entity"
    #: IRIs of every article that mentions it.
    articles: list[str] = field(default_factory=list)

    @property
    def main_class(self) -> str:
        """The class that colours this node: the first kgbuild class, else the first class."""
        return min(self.classes, key=lambda iri: (not iri.startswith(str(KGO)), iri), default="")

    @property
    def wikidata(self) -> str:
        """The Wikidata page of this entity, or ''."""
        for link in self.links:
            if link.startswith(str(WD)):
                return "https://www.wikidata.org/wiki/" + link[len(str(WD)):]
        return ""


@dataclass
class Edge:
    """A fact between two nodes: the relation, whether it holds, and its evidence."""

    source: str
    predicate: str
    target: str
    label: str
    status: str = ASSERTED
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str, str, str]:
        """Identity of the edge: one per subject, relation, object and status."""
        return (self.source, self.predicate, self.target, self.status)

    #: How many sentences support the fact; ``evidence`` keeps only the first ``MAX_EVIDENCE_PER_EDGE``.
    evidence_count: int = 0
    #: The highest confidence of any of its sentences (None when none has one).
    confidence: float | None = None
    #: IRIs of every article that states it.
    articles: set[str] = field(default_factory=set)

    @property
    def weight(self) -> int:
        """How many sentences support the fact (at least one: the triple itself)."""
        return max(1, self.evidence_count)

    def add_evidence(self, item: Evidence) -> None:
        """Count a sentence, keeping the first ``MAX_EVIDENCE_PER_EDGE`` by ``Evidence.sort_key``."""
        self.evidence_count += 1
        if item.confidence is not None and (self.confidence is None or item.confidence > self.confidence):
            self.confidence = item.confidence
        if item.article:
            self.articles.add(item.article)
        bisect.insort(self.evidence, item, key=Evidence.sort_key)
        del self.evidence[MAX_EVIDENCE_PER_EDGE:]


@dataclass
class FactRow:
    """One fact with one piece of evidence (or none), for tabular exports."""

    subject: str
    subject_label: str
    predicate: str
    relation: str
    object: str
    object_label: str
    status: str
    evidence: Evidence | None


@dataclass
class ArticleInfo:
    """An article of the graph: its IRI, label, publication date (YYYY-MM-DD or '') and URL."""

    iri: str
    label: str
    date: str = ""
    url: str = ""


@dataclass
class GraphView:
    """Nodes, edges and fact rows of a graph, sorted, plus the labels of classes and relations."""

    nodes: list[Node]
    edges: list[Edge]
    facts: list[FactRow]
    class_labels: dict[str, str]
    relation_labels: dict[str, str]
    articles: list[ArticleInfo] = field(default_factory=list)


def build_view(source: pyoxigraph.Store | SortedDataset, *, with_facts: bool = False) -> GraphView:
    """Read the union of all graphs of a store or dataset as nodes, edges and (``with_facts``) fact rows.

    The sorted union is read once, subject by subject: every resource except the assertion nodes
    (entities, articles, terms) is parsed and kept, and the assertion nodes are set aside in a
    file and parsed one at a time afterwards, so the memory needed grows with the entities and
    edges, not with the number of facts.
    """
    with sorted_dataset(source) as dataset:
        return _build_view(dataset, with_facts)


def _build_view(dataset: SortedDataset, with_facts: bool) -> GraphView:
    # The assertion and mention nodes wait in files of the dataset's temporary folder for later passes.
    assertion_lines = _Spilled(dataset.folder / "view-assertions.nt")
    mention_lines = _Spilled(dataset.folder / "view-mentions.nt")
    try:
        return _view_of(dataset, assertion_lines, mention_lines, with_facts)
    finally:
        assertion_lines.path.unlink(missing_ok=True)
        mention_lines.path.unlink(missing_ok=True)


def _view_of(dataset: SortedDataset, assertion_lines: _Spilled, mention_lines: _Spilled,
             with_facts: bool) -> GraphView:
    with assertion_lines.path.open("wb") as assertions, mention_lines.path.open("wb") as mentions:
        outgoing = dict(_shared_iris(parse_subjects(_resources(dataset.triples_path, assertion_lines.writer(assertions),
                                                               mention_lines.writer(mentions)))))

    def first_label(term: pyoxigraph.NamedNode | pyoxigraph.BlankNode) -> str:
        for props in (outgoing.get(term, {}), vocabulary_terms().get(term, {})):
            for predicate in LABEL_PREDICATES:
                literals = sorted((value.language not in (None, "en"), value.value)
                                  for value in props.get(predicate, ()) if isinstance(value, pyoxigraph.Literal))
                if literals:
                    return literals[0][1]
        return ""

    labels: dict[pyoxigraph.NamedNode | pyoxigraph.BlankNode, str] = {}

    def label_of(term: pyoxigraph.NamedNode | pyoxigraph.BlankNode) -> str:
        # Articles are looked up once per fact: remember what was found.
        if term not in labels:
            labels[term] = first_label(term) or local_name(term.value)
        return labels[term]

    def types_of(term: object) -> set[str]:
        return _type_values(outgoing.get(term, {}))

    classes_used = {cls for props in outgoing.values() for cls in _type_values(props)}

    def hidden(term: object) -> bool:
        return (not isinstance(term, pyoxigraph.NamedNode) or term.value in classes_used
                or term.value in assertions_referenced or bool(types_of(term) & HIDDEN_CLASSES))

    relation_labels: dict[str, str] = {}

    def relation_label(predicate: str) -> str:
        if predicate not in relation_labels:
            relation_labels[predicate] = (first_label(pyoxigraph.NamedNode(predicate))
                                          or humanize(local_name(predicate)))
        return relation_labels[predicate]

    nodes: dict[str, Node] = {}

    def node_for(term: pyoxigraph.NamedNode) -> Node:
        if term.value not in nodes:
            props = outgoing.get(term, {})
            label = label_of(term)
            names = {v.value for p in LABEL_PREDICATES + ALIAS_PREDICATES for v in props.get(p, ())
                     if isinstance(v, pyoxigraph.Literal)}
            nodes[term.value] = Node(
                iri=term.value,
                label=label,
                classes=sorted(types_of(term)),
                aliases=sorted(names - {label}),
                links=sorted(v.value for v in props.get(str(OWL.sameAs), ())
                             if isinstance(v, pyoxigraph.NamedNode)),
                properties=sorted(
                    (relation_label(p), v.value) for p, vs in props.items() for v in vs
                    if isinstance(v, pyoxigraph.Literal) and p not in LABEL_PREDICATES + ALIAS_PREDICATES
                ),
            )
            mentioned = sorted({v for v in props.get(_MENTIONED_IN, ()) if isinstance(v, pyoxigraph.NamedNode)},
                               key=str)
            articles = {label_of(v) for v in mentioned}
            node = nodes[term.value]
            node.mentioned_in = heapq.nsmallest(MAX_ARTICLES_PER_NODE, articles)
            node.mentioned_count = len(articles)
            # Article IRIs are shared strings: nodes and edges name the same few articles many times.
            node.articles = [sys.intern(v.value) for v in mentioned]
            node.kind = "concept" if _CONCEPT in node.classes or _HEAD in props else "entity"
        return nodes[term.value]

    # An assertion can be the object of another (what a report says) or of a resource: such IRIs have
    # no description of their own, and the set-aside assertion lines tell which of them are assertion
    # nodes before any edge is made, so that no edge to one is ever made and dropped.
    described = {term.value for term in outgoing if isinstance(term, pyoxigraph.NamedNode)}
    undescribed = {value.value for props in outgoing.values() for values in props.values() for value in values
                   if isinstance(value, pyoxigraph.NamedNode) and value not in outgoing}
    undescribed.update(iri for iri in _reified_ends(assertion_lines.path) if iri not in described)
    assertions_referenced = _assertion_subjects(assertion_lines.path, undescribed)
    del described, undescribed
    edges: dict[tuple[str, str, str, str], Edge] = {}
    facts: list[FactRow] = []
    for assertion, props in assertion_lines.subjects():
        classes_used.add(_ASSERTION)
        subjects, predicates, objects = (props.get(term, []) for term in _REIFIED)
        if not (subjects and predicates and objects):
            continue
        subject, predicate, obj = (min(values, key=str) for values in (subjects, predicates, objects))
        status = _status(props)
        evidence = _evidence(props, outgoing, label_of, relation_label)
        if with_facts:
            subject_label = label_of(subject) if not isinstance(subject, pyoxigraph.Literal) else subject.value
            object_label = obj.value if isinstance(obj, pyoxigraph.Literal) else label_of(obj)
            facts.append(FactRow(_term_text(subject), subject_label, predicate.value,
                                 relation_label(predicate.value), _term_text(obj), object_label, status, evidence))
        if isinstance(subject, pyoxigraph.NamedNode) and isinstance(obj, pyoxigraph.NamedNode) \
                and not hidden(subject) and not hidden(obj):
            key = (subject.value, predicate.value, obj.value, status)
            if key not in edges:
                edges[key] = Edge(node_for(subject).iri, predicate.value, node_for(obj).iri,
                                  relation_label(predicate.value), status)
            edges[key].add_evidence(evidence)
    # Only the evidence kept is highlighted, so the mentions are read once more, a batch at a time.
    kept = [item for edge in edges.values() for item in edge.evidence]
    _mark_mentions(mention_lines.subjects(), kept + [row.evidence for row in facts if row.evidence is not None])

    for subject in sorted(outgoing, key=str):
        if hidden(subject):
            continue
        node_for(subject)
        for predicate, values in outgoing[subject].items():
            if predicate in STRUCTURAL_PREDICATES:
                continue
            for value in values:
                if isinstance(value, pyoxigraph.NamedNode) and not hidden(value):
                    key = (subject.value, predicate, node_for(value).iri, ASSERTED)
                    if key not in edges:
                        edges[key] = Edge(subject.value, predicate, value.value, relation_label(predicate))

    covered = {(row.subject, row.predicate, row.object) for row in facts if row.status == ASSERTED}
    for edge in edges.values():
        if with_facts and edge.status == ASSERTED and (edge.source, edge.predicate, edge.target) not in covered:
            facts.append(FactRow(edge.source, nodes[edge.source].label, edge.predicate, edge.label,
                                 edge.target, nodes[edge.target].label, edge.status, None))
        nodes[edge.source].degree += edge.weight
        nodes[edge.target].degree += edge.weight

    class_labels = {cls: capitalize(first_label(pyoxigraph.NamedNode(cls)) or humanize(local_name(cls)))
                    for node in nodes.values() for cls in node.classes}
    articles = [ArticleInfo(term.value, label_of(term), _date(props), _url(props))
                for term, props in outgoing.items()
                if isinstance(term, pyoxigraph.NamedNode) and _ARTICLE in _type_values(props)]
    facts.sort(key=lambda row: (row.subject, row.predicate, row.object, row.status,
                                row.evidence is not None, row.evidence.sort_key() if row.evidence else ()))
    return GraphView(
        nodes=sorted(nodes.values(), key=lambda node: node.iri),
        edges=sorted(edges.values(), key=lambda edge: edge.key),
        facts=facts,
        class_labels=dict(sorted(class_labels.items())),
        relation_labels=dict(sorted((p, relation_labels[p]) for p in {e.predicate for e in edges.values()})),
        articles=sorted(articles, key=lambda article: (article.date, article.label, article.iri)),
    )


_CONCEPT, _HEAD, _MENTIONED_IN, _ARTICLE, _DATE_PUBLISHED = (str(term) for term in (
    KGO.Concept, KGO.head, KGO.mentionedIn, KGO.Article, SCHEMA.datePublished))
#: How many mention spans are gathered before the evidence sentences they fall in are marked.
_MENTION_BATCH = 20_000


def _mention_spans(props: dict[str, list]) -> Iterator[tuple[str, tuple[int, int, str]]]:
    """Yield (article IRI, (start, end, entity IRI)) for a NIF mention node: where an entity is named."""
    try:
        begin, end = (int(min(v.value for v in props[p])) for p in (_NIF_BEGIN, _NIF_END))
    except (KeyError, ValueError):
        return
    for article in props.get(_NIF_CONTEXT, ()):
        for entity in props.get(_TA_IDENT_REF, ()):
            if isinstance(article, pyoxigraph.NamedNode) and isinstance(entity, pyoxigraph.NamedNode):
                yield article.value, (begin, end, entity.value)


def _mark_mentions(mention_nodes: Iterable[Subject], evidence: Iterable[Evidence]) -> None:
    """Set each evidence's ``marks``: the mentions inside its sentence, as offsets into the sentence.

    The mention nodes are read in batches of ``_MENTION_BATCH`` spans, and only the articles of
    the evidence given are looked at, so memory does not grow with the number of mentions.
    """
    # Evidence of one sentence shares its marks: article -> (start, end, text length) -> evidence.
    sentences: dict[str, dict[tuple[int, int, int], list[Evidence]]] = defaultdict(lambda: defaultdict(list))
    for item in {id(item): item for item in evidence}.values():
        if item.article and item.start is not None:
            end = item.end if item.end is not None else item.start + len(item.text)
            sentences[item.article][(item.start, end, len(item.text))].append(item)
    if not sentences:
        return
    found: dict[int, set[tuple[int, int, str]]] = defaultdict(set)
    batch: dict[str, set[tuple[int, int, str]]] = defaultdict(set)
    size = 0

    def mark(batch: dict[str, set[tuple[int, int, str]]]) -> None:
        for article, spans in batch.items():
            ordered = sorted(spans)
            for (start, end, length), items in sentences[article].items():
                marks = _marks(ordered, start, end, length)
                for item in items if marks else ():
                    found[id(item)].update(marks)

    for _, props in mention_nodes:
        for article, span in _mention_spans(props):
            if article in sentences:
                batch[article].add(span)
                size += 1
        if size >= _MENTION_BATCH:
            mark(batch)
            batch, size = defaultdict(set), 0
    mark(batch)
    for items in sentences.values():
        for group in items.values():
            for item in group:
                item.marks = sorted(found.get(id(item), ()))


def _marks(spans: list[tuple[int, int, str]], start: int, end: int, length: int) -> list[tuple[int, int, str]]:
    """Return the sorted ``spans`` inside the sentence at ``start``..``end`` of ``length`` characters, as offsets into it."""
    first = bisect.bisect_left(spans, (start,))
    marks = []
    # By position, not over spans[first:]: a slice would copy the rest of the article's mentions for each sentence.
    for position in range(first, len(spans)):
        begin, stop, entity = spans[position]
        if begin >= end:
            break
        if stop <= end and 0 <= begin - start and stop - start <= length:
            marks.append((begin - start, stop - start, entity))
    return marks


def _date(props: dict[str, list]) -> str:
    """Return an article's publication date as YYYY-MM-DD, or '' when it has none that reads as one."""
    for value in sorted(v.value for v in props.get(_DATE_PUBLISHED, ()) if isinstance(v, pyoxigraph.Literal)):
        if re.match(r"\d{4}-\d{2}-\d{2}", value):
            return value[:10]
    return ""


def _url(props: dict[str, list]) -> str:
    """Return an article's schema:url, or ''."""
    return min((v.value for v in props.get(_URL, ()) if isinstance(v, pyoxigraph.NamedNode)), default="")


_ASSERTION = str(KGO.Assertion)
_RDF_TYPE = str(RDF.type)
_REIFIED = tuple(str(term) for term in (RDF.subject, RDF.predicate, RDF.object))


class _Spilled:
    """Subjects' line runs set aside in a file, unparsed, with the number of lines of each, to parse later."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sizes: list[int] = []

    def writer(self, handle: BinaryIO) -> Callable[[list[bytes]], None]:
        """Return a function that writes one subject's line run to ``handle``."""
        def write(group: list[bytes]) -> None:
            handle.writelines(group)
            self.sizes.append(len(group))
        return write

    def subjects(self) -> Iterator[Subject]:
        """Parse the subjects written to the file, one at a time."""
        with self.path.open("rb") as handle:
            yield from parse_grouped(handle, self.sizes)


def _resources(union: Path, assertions: Callable[[list[bytes]], None],
               mentions: Callable[[list[bytes]], None]) -> Iterator[list[bytes]]:
    """Yield the line runs of every subject of the sorted union but the assertion and mention nodes.

    The assertion nodes' lines (most of a kgbuild graph) go to ``assertions`` and the NIF mention
    nodes' lines to ``mentions``, unparsed, for later passes once every label is known.
    """
    for group in subject_line_groups(union):
        if any(line.endswith(_IS_ASSERTION) for line in group):
            assertions(group)
        elif _is_mention(group):
            mentions(group)
        else:
            yield group


def _shared_iris(subjects: Iterable[Subject]) -> Iterator[Subject]:
    """Yield the subjects with one term object per IRI among their values: entities name the same articles many times."""
    shared: dict[str, pyoxigraph.NamedNode] = {}
    for subject, props in subjects:
        for values in props.values():
            for index, value in enumerate(values):
                if isinstance(value, pyoxigraph.NamedNode):
                    values[index] = shared.setdefault(value.value, value)
        yield subject, props


def _reified_ends(path: Path) -> set[str]:
    """Return the IRIs that the set-aside assertion lines at ``path`` give as an rdf:subject or rdf:object."""
    return {match.group(1).decode() for block in read_blocks(path) for match in _REIFIED_END.finditer(block)}


def _is_mention(group: list[bytes]) -> bool:
    """Tell whether a subject's line run is a mention node: typed nif:Phrase, or with an itsrdf:taIdentRef."""
    after = group[0].index(b" ")
    return any(line.startswith(_TA_IDENT_REF_PREDICATE, after) or line.endswith(_IS_PHRASE)
               and len(line) == after + len(_IS_PHRASE) for line in group)


def _assertion_subjects(path: Path, candidates: set[str]) -> set[str]:
    """Return the IRIs among ``candidates`` that are assertion nodes in the set-aside lines at ``path``."""
    if not candidates:
        return set()
    found = set()
    for block in read_blocks(path):
        for match in _ASSERTION_TYPE.finditer(block):
            subject = block[block.rfind(b"\n", 0, match.start()) + 2:match.start() - 1].decode()
            if subject in candidates:
                found.add(subject)
    return found


#: How the line that types an assertion node ends, after its subject.
_IS_ASSERTION = f" <{RDF.type}> <{KGO.Assertion}> .\n".encode()
#: How the line that types a mention node ends, after its subject, and how an itsrdf:taIdentRef line goes on.
_IS_PHRASE = f" <{RDF.type}> <{NIF.Phrase}> .\n".encode()
_TA_IDENT_REF_PREDICATE = f" <{ITSRDF.taIdentRef}> ".encode()
#: An assertion node's rdf:subject or rdf:object line from after its subject, with the IRI it gives.
_REIFIED_END = re.compile(re.escape(f" <{str(RDF)}".encode()) + rb"(?:subject|object)> <([^>\n]*)> \.\n")
_ASSERTION_TYPE = re.compile(re.escape(_IS_ASSERTION))


def _type_values(props: dict[str, list]) -> set[str]:
    """Return the IRIs of the classes in a resource's rdf:type values."""
    return {value.value for value in props.get(_RDF_TYPE, ()) if isinstance(value, pyoxigraph.NamedNode)}


@functools.cache
def vocabulary_terms() -> dict[pyoxigraph.NamedNode, dict[str, list]]:
    """Return the labels of the built-in ontology's terms, for graphs that do not carry them."""
    from kgbuild.ontology import ontology_folder, parse_turtle

    labels: dict[pyoxigraph.NamedNode, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for triple in parse_turtle(ontology_folder() / "ontology.ttl"):
        if triple.predicate.value == str(RDFS.label) and isinstance(triple.subject, pyoxigraph.NamedNode):
            labels[triple.subject][str(RDFS.label)].append(triple.object)
    return dict(labels)


#: Predicates read for every assertion node, as plain strings (looking them up in a Namespace is slow).
_NEGATED, _MODALITY, _DERIVED_FROM, _EVIDENCE_TEXT, _URL, _CONFIDENCE, _START, _END, _RELATION_TEXT = (
    str(term) for term in (KGO.negated, KGO.modality, PROV.wasDerivedFrom, KGO.evidenceText, SCHEMA.url,
                           KGO.confidence, KGO.startOffset, KGO.endOffset, KGO.relationText))


def _status(props: dict[str, list]) -> str:
    """Return 'asserted', 'negated' or the modality word of an assertion node."""
    if any(isinstance(v, pyoxigraph.Literal) and v.value in ("true", "1") for v in props.get(_NEGATED, ())):
        return NEGATED
    modalities = sorted(v.value for v in props.get(_MODALITY, ()) if isinstance(v, pyoxigraph.Literal))
    return modalities[0] if modalities else ASSERTED


def _evidence(props: dict[str, list], outgoing: dict, label_of: Callable[[Any], str],
              relation_label: Callable[[str], str]) -> Evidence:
    """Collect the evidence sentence, article and qualifiers of one assertion node."""
    def literal(predicate: str) -> str:
        return min((v.value for v in props.get(predicate, ()) if isinstance(v, pyoxigraph.Literal)), default="")

    def number(predicate: str, kind: type) -> float | int | None:
        text = literal(predicate)
        try:
            return kind(text) if text else None
        except ValueError:
            return None

    articles = sorted(v for v in props.get(_DERIVED_FROM, ()) if isinstance(v, pyoxigraph.NamedNode))
    article = articles[0] if articles else None
    qualifiers = sorted(
        (relation_label(p), v.value if isinstance(v, pyoxigraph.Literal) else label_of(v))
        for p, values in props.items() if p not in EVIDENCE_PREDICATES for v in values
    )
    return Evidence(
        text=literal(_EVIDENCE_TEXT),
        article=sys.intern(article.value) if article else "",
        article_title=label_of(article) if article else "",
        article_url=min((v.value for v in outgoing.get(article, {}).get(_URL, ())), default=""),
        confidence=number(_CONFIDENCE, float),
        start=number(_START, int),
        end=number(_END, int),
        relation_text=literal(_RELATION_TEXT),
        qualifiers=qualifiers,
    )


def _term_text(term: object) -> str:
    """Return an IRI as is, or a literal's lexical value."""
    return getattr(term, "value", str(term))


def local_name(iri: str) -> str:
    """Return the readable last segment of an IRI ('United_States' for .../entity/United_States)."""
    tail = re.split(r"[#/:]", iri.rstrip("/#"))[-1] or iri
    return urllib.parse.unquote(tail).replace("_", " ")


def humanize(name: str) -> str:
    """Split a camelCase name into words ('isLocatedIn' -> 'is located in', 'AIModel' -> 'AI model')."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", name).split(" ")
    return " ".join([words[0]] + [word if word.isupper() else word.lower() for word in words[1:]])


def capitalize(label: str) -> str:
    """Upper-case the first letter only ('concept' -> 'Concept', 'AI model' stays)."""
    return label[:1].upper() + label[1:]


def importance_sizes(nodes: list[Node], smallest: float = 8, largest: float = 40) -> list[float]:
    """Map each node's number of facts to a dot size that grows with its square root, capped.

    The scale is absolute, so a node with five facts is drawn the same size in every graph.
    """
    return [round(min(largest, smallest + 4 * math.sqrt(node.degree)), 2) for node in nodes]
