"""Score the whole pipeline on DocRED-format documents: typed relations and entity clustering.

DocRED (Yao et al., ACL 2019) and Re-DocRED (Tan et al., EMNLP 2022) give each document as
tokenized sentences, its entities as lists of mentions (token ranges) and its gold facts as
(head entity, tail entity, Wikidata property). :func:`evaluate_docred` rebuilds each document's
text from its tokens, runs extraction and normalization on it as ``kgbuild build`` does, and
scores what comes out:

- **Nodes to gold entities, through mention offsets.** Every gold mention is matched to the
  :class:`~kgbuild.normalize.EntityMention` that overlaps it by the most characters (ties: the
  mention closest in length, then the earliest, then the smallest IRI), counting only mentions
  that lie mostly inside the gold one or end where it ends. A fact's end stands for the gold
  entity that most of the gold mentions matched to its node in the fact's sentence belong to,
  else in the whole document (ties: more overlapping characters, then the entity listed first).
  A node that matched no gold mention stands for no gold entity.
- **Literal objects** (dates: P569, P570, P571, P577, P585, ...) carry no offsets, so a value
  stands for the gold entity that has a mention whose name reads as the same value: the same
  text, ignoring case and spacing, or the same date once parsed (ties: an entity named in the
  fact's sentence, then the entity listed first).
- **Properties to Wikidata.** A fact's property counts through its ``owl:equivalentProperty
  wdt:Pnnn`` in the ontology. A property without one but with an ``owl:inverseOf`` that has one
  counts as that property with head and tail swapped. What the ontology entails counts too: a
  fact also gives the Wikidata property of every inverse of its property, reversed, and an
  ``owl:SymmetricProperty`` gives both directions. Properties with no Wikidata alignment score
  nothing, neither right nor wrong. Only asserted facts count (not negated, not hypothetical).
- **Relation scores**: micro precision, recall and F1 over distinct (document, head entity, tail
  entity, property). A predicted fact whose head or tail stands for no gold entity is a false
  positive, as is one whose head and tail stand for the same gold entity.
- **Entity clustering**: B-cubed precision, recall and F1 over the gold mentions of each
  document. A gold mention's predicted cluster is the gold mentions matched to the same node;
  a gold mention that no mention overlaps is a cluster of its own (so missing a mention costs
  recall when its entity has other mentions, and never precision).
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

import pyoxigraph as ox
from rdflib.namespace import OWL, RDF

from kgbuild.atomic import atomic_write
from kgbuild.errors import InputError
from kgbuild.ontology import Ontology, load_ontology
from kgbuild.sources import make_article

if TYPE_CHECKING:
    from kgbuild.normalize import EntityMention, Fact

# kgbuild.normalize and kgbuild.extract import spaCy (seconds), so they are imported where they are
# used, to keep `kgbuild evaluate` on CaRB files quick.

#: Namespace of Wikidata's direct ("truthy") properties, the target of ``owl:equivalentProperty``.
WIKIDATA_DIRECT = "http://www.wikidata.org/prop/direct/"
#: Tokens written without a space before them when a document's text is rebuilt.
_NO_SPACE_BEFORE = frozenset({",", ".", ";", ":", "!", "?", ")", "]", "}", "%", "'s", "’s", "'S", "n't", "'re",
                              "'ve", "'ll", "'d", "'m"})
#: Tokens written without a space after them.
_NO_SPACE_AFTER = frozenset({"(", "[", "{", "$", "£", "€", "#"})
#: Tokens written without a space on either side.
_JOINING = frozenset({"-", "/"})

#: A relation between a gold entity (its index in the document) or, when it stands for none,
#: the node's IRI or the value's text.
End = Union[int, str]
#: (document index, head, tail, Wikidata property id).
RelationKey = tuple[int, End, End, str]


@dataclass(frozen=True)
class GoldMention:
    """One mention of a gold entity, with character offsets in the rebuilt document text."""

    entity: int
    sentence: int
    start: int
    end: int
    name: str
    type: str


@dataclass(frozen=True)
class GoldDocument:
    """A DocRED document: its rebuilt text, sentences, entity mentions and gold facts."""

    title: str
    text: str
    #: Character offsets (start, end) of each sentence in ``text``.
    sentences: tuple[tuple[int, int], ...]
    #: The mentions of each entity, in the file's order.
    entities: tuple[tuple[GoldMention, ...], ...]
    #: Distinct gold facts (head, tail, property) with their evidence sentence numbers.
    facts: dict[tuple[int, int, str], tuple[int, ...]]

    def sentence_text(self, number: int) -> str:
        """Return the text of one sentence."""
        start, end = self.sentences[number]
        return self.text[start:end]

    def entity_name(self, index: int) -> str:
        """Return the name of an entity: its first mention's name."""
        mentions = self.entities[index]
        return mentions[0].name if mentions else str(index)


def rebuild_text(sentences: Sequence[Sequence[str]]) -> tuple[str, list[list[tuple[int, int]]]]:
    """Join tokenized sentences into text as it would be written, with each token's character offsets.

    Punctuation attaches to its neighbour ("Mediaș, Transylvania", "( born" -> "(born"), hyphens
    and slashes join their neighbours, and straight double quotes alternate opening and closing.
    Sentences are separated by one space.
    """
    parts: list[str] = []
    offsets: list[list[tuple[int, int]]] = []
    length = 0
    previous = ""
    open_quote = False
    for sentence in sentences:
        positions = []
        for token in sentence:
            token = " ".join(token.split()) or "_"
            closing = token == '"' and open_quote
            glued = (not parts or previous in _NO_SPACE_AFTER or previous in _JOINING or token in _NO_SPACE_BEFORE
                     or token in _JOINING or closing or (previous == '"' and open_quote))
            if token == '"':
                open_quote = not open_quote
            if not glued:
                parts.append(" ")
                length += 1
            positions.append((length, length + len(token)))
            parts.append(token)
            length += len(token)
            previous = token
        offsets.append(positions)
    return "".join(parts), offsets


def _document(number: int, raw: Any, path: Path) -> GoldDocument:
    """Check and convert one JSON document; a malformed one is an InputError naming the file and document."""
    where = f"document {number}"
    try:
        sentences = raw["sents"]
        text, offsets = rebuild_text(sentences)
        entities = []
        for index, mentions in enumerate(raw["vertexSet"]):
            found = []
            for mention in mentions:
                sentence, (first, last) = int(mention["sent_id"]), mention["pos"]
                if not 0 <= first < last <= len(offsets[sentence]):
                    raise InputError(f"{where}: entity {index} has a mention outside its sentence", path)
                start, end = offsets[sentence][first][0], offsets[sentence][last - 1][1]
                found.append(GoldMention(index, sentence, start, end, str(mention.get("name", text[start:end])),
                                         str(mention.get("type", ""))))
            entities.append(tuple(dict.fromkeys(found)))
        facts: dict[tuple[int, int, str], set[int]] = {}
        for label in raw.get("labels", ()):
            head, tail, prop = int(label["h"]), int(label["t"]), str(label["r"])
            if not (0 <= head < len(entities) and 0 <= tail < len(entities)):
                raise InputError(f"{where}: a fact names an entity that is not in vertexSet", path)
            facts.setdefault((head, tail, prop), set()).update(int(e) for e in label.get("evidence", ()))
    except (KeyError, TypeError, ValueError, IndexError) as error:
        raise InputError(f"{where}: not in DocRED format ({type(error).__name__}: {error})", path) from error
    sentence_spans = tuple((s[0][0], s[-1][1]) if s else (0, 0) for s in offsets)
    return GoldDocument(str(raw.get("title", "")), text, sentence_spans, tuple(entities),
                        {key: tuple(sorted(value)) for key, value in facts.items()})


def _load_json(path: Path) -> Any:
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except OSError as error:
        raise InputError(f"cannot read ({error.strerror or error})", path) from error
    except UnicodeDecodeError as error:
        raise InputError("not UTF-8 text", path) from error
    except json.JSONDecodeError as error:
        raise InputError(f"not JSON (line {error.lineno}: {error.msg})", path) from error


def read_docred(path: Path) -> tuple[GoldDocument, ...]:
    """Read a DocRED-format JSON file: a list of documents with sents, vertexSet and labels."""
    raw = _load_json(path)
    if not isinstance(raw, list):
        raise InputError("not in DocRED format: expected a JSON list of documents", path)
    return tuple(_document(number, document, path) for number, document in enumerate(raw))


def is_docred(path: Path) -> bool:
    """Tell whether a gold file is DocRED-format JSON (by its extension or its first character)."""
    if path.suffix.lower() == ".json":
        return True
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096).lstrip()
    except OSError:
        return False
    return head.startswith(b"[")


def read_docred_predictions(path: Path, documents: Sequence[GoldDocument]) -> set[RelationKey]:
    """Read predictions in DocRED's result format: a JSON list of {title, h_idx, t_idx, r}."""
    raw = _load_json(path)
    by_title: dict[str, int] = {}
    for number, document in enumerate(documents):
        by_title.setdefault(document.title, number)
    if not isinstance(raw, list):
        raise InputError("not DocRED predictions: expected a JSON list of {title, h_idx, t_idx, r}", path)
    found: set[RelationKey] = set()
    for number, item in enumerate(raw):
        try:
            title, head, tail, prop = str(item["title"]), int(item["h_idx"]), int(item["t_idx"]), str(item["r"])
        except (KeyError, TypeError, ValueError) as error:
            raise InputError(f"prediction {number}: expected title, h_idx, t_idx and r", path) from error
        if title not in by_title:
            raise InputError(f"prediction {number}: no gold document is titled {title!r}", path)
        found.add((by_title[title], head, tail, prop))
    return found


@dataclass(frozen=True)
class WikidataAlignment:
    """What the ontology says a property means in Wikidata terms."""

    #: Property IRI -> (Wikidata id, reversed) readings of one of its facts.
    readings: dict[str, tuple[tuple[str, bool], ...]]
    #: Wikidata id -> the label of an ontology property aligned to it.
    labels: dict[str, str]


def wikidata_alignment(ontology: Ontology) -> WikidataAlignment:
    """Read ``owl:equivalentProperty wdt:P..``, ``owl:inverseOf`` and ``owl:SymmetricProperty`` from the ontology."""
    direct: dict[str, set[str]] = defaultdict(set)
    inverses: dict[str, set[str]] = defaultdict(set)
    symmetric: set[str] = set()
    lines = "\n".join(ontology.ntriples).encode("utf-8")
    for triple in ox.parse(lines, format=ox.RdfFormat.N_TRIPLES):
        subject, predicate, obj = triple.subject, triple.predicate.value, triple.object
        if not isinstance(subject, ox.NamedNode) or not isinstance(obj, ox.NamedNode):
            continue
        if predicate == str(OWL.equivalentProperty):
            for one, other in ((subject.value, obj.value), (obj.value, subject.value)):
                if other.startswith(WIKIDATA_DIRECT):
                    direct[one].add(other[len(WIKIDATA_DIRECT):])
        elif predicate == str(OWL.inverseOf):
            inverses[subject.value].add(obj.value)
            inverses[obj.value].add(subject.value)
        elif predicate == str(RDF.type) and obj.value == str(OWL.SymmetricProperty):
            symmetric.add(subject.value)
    readings: dict[str, tuple[tuple[str, bool], ...]] = {}
    for prop in sorted(set(direct) | set(inverses) | symmetric):
        found = {(pid, False) for pid in direct.get(prop, ())}
        found |= {(pid, True) for inverse in inverses.get(prop, ()) for pid in direct.get(inverse, ())}
        if prop in symmetric:
            found |= {(pid, True) for pid in direct.get(prop, ())}
        if found:
            readings[prop] = tuple(sorted(found))
    labels: dict[str, str] = {}
    for prop in sorted(direct):
        for pid in sorted(direct[prop]):
            labels.setdefault(pid, ontology.property_labels.get(prop, ""))
    return WikidataAlignment(readings, labels)


class FactCounts:
    """Precision, recall and F1 from the ``gold``, ``predicted`` and ``correct`` fact counts."""

    gold: int
    predicted: int
    correct: int

    @property
    def precision(self) -> float:
        """Return correct / predicted (0 when nothing was predicted)."""
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        """Return correct / gold (0 when there is no gold fact)."""
        return self.correct / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        """Return the harmonic mean of precision and recall."""
        return _f1(self.precision, self.recall)


@dataclass(frozen=True)
class PropertyScore(FactCounts):
    """Counts and scores of one Wikidata property."""

    property: str
    label: str
    gold: int
    predicted: int
    correct: int


@dataclass(frozen=True)
class BCubed:
    """B-cubed precision and recall of a clustering of items, averaged over the items."""

    precision: float
    recall: float
    items: int
    #: Items that were put in some predicted cluster (not left on their own).
    matched: int = 0

    @property
    def f1(self) -> float:
        """Return the harmonic mean of precision and recall."""
        return _f1(self.precision, self.recall)


def _f1(precision: float, recall: float) -> float:
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def bcubed(assignments: Iterable[tuple[Hashable, Hashable]]) -> BCubed:
    """Score (gold cluster, predicted cluster) pairs, one per item, with B-cubed (Bagga and Baldwin, 1998).

    An item's precision is the share of its predicted cluster that is in its gold cluster, its
    recall the share of its gold cluster that is in its predicted cluster; both are averaged over items.
    """
    pairs = Counter(assignments)
    gold_sizes: Counter[Hashable] = Counter()
    predicted_sizes: Counter[Hashable] = Counter()
    for (gold, predicted), count in pairs.items():
        gold_sizes[gold] += count
        predicted_sizes[predicted] += count
    items = sum(pairs.values())
    if not items:
        return BCubed(0.0, 0.0, 0)
    precision = sum(count * count / predicted_sizes[predicted] for (_, predicted), count in pairs.items()) / items
    recall = sum(count * count / gold_sizes[gold] for (gold, _), count in pairs.items()) / items
    return BCubed(precision, recall, items)


def score_relations(gold: Collection[RelationKey], predicted: Collection[RelationKey],
                    labels: dict[str, str] | None = None) -> tuple[PropertyScore, ...]:
    """Return one score per Wikidata property, sorted by gold count, then predictions, then id."""
    gold_set, predicted_set = set(gold), set(predicted)
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for key in gold_set:
        counts[key[3]][0] += 1
    for key in predicted_set:
        counts[key[3]][1] += 1
        if key in gold_set:
            counts[key[3]][2] += 1
    labels = labels or {}
    scores = [PropertyScore(pid, labels.get(pid, ""), *values) for pid, values in counts.items()]
    return tuple(sorted(scores, key=lambda s: (-s.gold, -s.predicted, _property_order(s.property))))


def _property_order(pid: str) -> tuple[int, str]:
    digits = pid[1:]
    return (int(digits), pid) if pid[:1] == "P" and digits.isdigit() else (1 << 30, pid)


@dataclass(frozen=True)
class ErrorCase:
    """A false positive or false negative, with what the reader needs to see why."""

    kind: str
    document: str
    property: str
    head: str
    tail: str
    reason: str
    sentences: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        """Return the case as a JSON object."""
        return {"error": self.kind, "document": self.document, "property": self.property, "head": self.head,
                "tail": self.tail, "reason": self.reason, "sentences": list(self.sentences)}


@dataclass(frozen=True)
class DocredEvaluation(FactCounts):
    """Relation scores per property and overall (micro), and the entity-clustering score."""

    documents: int
    properties: tuple[PropertyScore, ...]
    #: None when predictions were read from a file (no mentions to cluster).
    clustering: BCubed | None = None
    errors: tuple[ErrorCase, ...] = field(default=(), repr=False)

    @property
    def gold(self) -> int:
        """Return the number of distinct gold facts."""
        return sum(s.gold for s in self.properties)

    @property
    def predicted(self) -> int:
        """Return the number of distinct predicted facts with a Wikidata property."""
        return sum(s.predicted for s in self.properties)

    @property
    def correct(self) -> int:
        """Return the number of predicted facts that are gold facts."""
        return sum(s.correct for s in self.properties)

    def summary(self) -> str:
        """Return the scores and the per-property table as text."""
        lines = [f"documents: {self.documents}",
                 f"relations: precision {self.precision:.3f}  recall {self.recall:.3f}  F1 {self.f1:.3f}  "
                 f"(gold {self.gold}, predicted {self.predicted}, correct {self.correct})"]
        if self.clustering is not None:
            c = self.clustering
            lines.append(f"entity clustering (B-cubed over {c.items} gold mentions, {c.matched} matched to a node): "
                         f"precision {c.precision:.3f}  recall {c.recall:.3f}  F1 {c.f1:.3f}")
        lines.append("")
        lines.append(self.table())
        return "\n".join(lines)

    def table(self) -> str:
        """Return the per-property table, most frequent gold property first."""
        width = max([len(s.label) for s in self.properties] + [5])
        rows = [f"{'property':<9} {'label':<{width}} {'gold':>6} {'pred':>6} {'correct':>7} {'P':>6} {'R':>6} {'F1':>6}"]
        for s in self.properties:
            rows.append(f"{s.property:<9} {s.label:<{width}} {s.gold:>6} {s.predicted:>6} {s.correct:>7} "
                        f"{s.precision:>6.3f} {s.recall:>6.3f} {s.f1:>6.3f}")
        return "\n".join(rows)

    def as_dict(self) -> dict[str, Any]:
        """Return the scores as a JSON-ready object."""
        result: dict[str, Any] = {
            "documents": self.documents,
            "relations": {"precision": self.precision, "recall": self.recall, "f1": self.f1, "gold": self.gold,
                          "predicted": self.predicted, "correct": self.correct},
            "properties": [{"property": s.property, "label": s.label, "gold": s.gold, "predicted": s.predicted,
                            "correct": s.correct, "precision": s.precision, "recall": s.recall, "f1": s.f1}
                           for s in self.properties],
        }
        if self.clustering is not None:
            c = self.clustering
            result["clustering"] = {"precision": c.precision, "recall": c.recall, "f1": c.f1, "mentions": c.items,
                                    "matched": c.matched}
        return result

    def write_json(self, path: Path) -> None:
        """Write :meth:`as_dict` as JSON, replacing ``path`` only when complete."""
        with atomic_write(path, "w") as handle:
            handle.write(json.dumps(self.as_dict(), indent=2, ensure_ascii=False) + "\n")

    def write_errors(self, path: Path) -> None:
        """Write the false positives and false negatives as JSON Lines."""
        with atomic_write(path, "w") as handle:
            for case in self.errors:
                handle.write(json.dumps(case.as_dict(), ensure_ascii=False, sort_keys=True) + "\n")


@dataclass(frozen=True)
class PredictedFact:
    """One asserted fact as the scorer sees it: its ends mapped to gold entities, its property and sentence."""

    #: The gold entity (its index) each end stands for; where none, the node's IRI or the value's text.
    head: End
    tail: End
    property: str
    #: The property's label ("work for" for an open relation).
    label: str
    sentence: str


@dataclass(frozen=True)
class DocumentPrediction:
    """What the pipeline gave for one document, mapped onto its gold entities."""

    #: Node IRI -> the gold entity it stands for in the document as a whole.
    entity_of: dict[str, int]
    #: Each gold mention's predicted cluster (a node IRI), or None where no mention overlaps it.
    clusters: dict[GoldMention, str | None]
    #: Node IRI or value text -> a readable name.
    names: dict[str, str]
    facts: tuple[PredictedFact, ...]
    #: Node IRIs that some mention in the text resolves to, and the values written in it.
    named: frozenset[str] = frozenset()

    def found(self) -> set[int]:
        """Return the gold entities that some node or fact end stands for."""
        ends = {end for fact in self.facts for end in (fact.head, fact.tail) if isinstance(end, int)}
        return ends | set(self.entity_of.values())


def match_mentions(document: GoldDocument, mentions: Sequence[EntityMention]) -> dict[GoldMention, EntityMention]:
    """Match each gold mention to the extracted mention that overlaps it most (see the module docstring)."""
    spans = sorted(mentions, key=lambda m: (m.start, m.end, m.entity_iri))
    starts = [m.start for m in spans]
    longest = max((m.end - m.start for m in spans), default=0)
    matched: dict[GoldMention, EntityMention] = {}
    for gold in (m for entity in document.entities for m in entity):
        first = bisect_left(starts, gold.start - longest)
        last = bisect_right(starts, gold.end)
        best = None
        best_key: tuple[Any, ...] | None = None
        for mention in spans[first:last]:
            overlap = min(gold.end, mention.end) - max(gold.start, mention.start)
            # Most of the extracted mention must lie in the gold one ("a 2014 Malayalam drama film"
            # does not mention the year 2014), unless the gold one ends it, as a phrase's head
            # does ("the North Carolina band Vanisher", "Prince Philip").
            if overlap <= 0 or (overlap * 2 <= mention.end - mention.start and gold.end != mention.end):
                continue
            key = (-overlap, abs((mention.end - mention.start) - (gold.end - gold.start)), mention.start,
                   mention.entity_iri)
            if best_key is None or key < best_key:
                best, best_key = mention, key
        if best is not None:
            matched[gold] = best
    return matched


def _value_keys(text: str) -> set[str]:
    """Return the forms under which a value or a gold TIME/NUM name is compared."""
    from kgbuild.normalize import parse_date

    plain = " ".join(text.casefold().split())
    keys = {plain, re.sub(r"\s*([-–/,.])\s*", r"\1", plain)}
    parsed = parse_date(text)
    if parsed.text != text:
        keys.add(parsed.text.casefold())
    return keys


def _majority(matches: Iterable[tuple[GoldMention, int]]) -> int | None:
    """Return the gold entity most of these (gold mention, overlap) matches belong to; ties: more overlap, listed first."""
    votes: Counter[int] = Counter()
    overlap: Counter[int] = Counter()
    for gold, chars in matches:
        votes[gold.entity] += 1
        overlap[gold.entity] += chars
    return min(votes, key=lambda e: (-votes[e], -overlap[e], e)) if votes else None


def predict_document(document: GoldDocument, facts: Sequence[Fact],
                     mentions: Sequence[EntityMention]) -> DocumentPrediction:
    """Map one document's facts and mentions (from normalize) onto its gold entities.

    A fact's end stands for the gold entity its node's mentions match in the fact's own sentence,
    else for the one they match in the whole document.
    """
    from kgbuild.normalize import Entity

    matched = match_mentions(document, mentions)
    by_node: dict[str, list[tuple[GoldMention, int]]] = defaultdict(list)
    for gold, mention in matched.items():
        by_node[mention.entity_iri].append((gold, min(gold.end, mention.end) - max(gold.start, mention.start)))
    entity_of = {iri: entity for iri, found in by_node.items() if (entity := _majority(found)) is not None}
    clusters = {gold: (matched[gold].entity_iri if gold in matched else None)
                for entity in document.entities for gold in entity}
    value_names: dict[str, list[GoldMention]] = defaultdict(list)
    for entity in document.entities:
        for gold in entity:
            for key in _value_keys(gold.name):
                value_names[key].append(gold)

    def node_end(iri: str, start: int, end: int) -> End:
        local = _majority((g, chars) for g, chars in by_node.get(iri, ()) if start <= g.start and g.end <= end)
        return local if local is not None else entity_of.get(iri, iri)

    def value_end(text: str, start: int, end: int) -> End:
        candidates = sorted({g.entity: g for key in _value_keys(text) for g in value_names.get(key, ())}.items())
        inside = [e for e, g in candidates if start <= g.start and g.end <= end]
        return inside[0] if inside else candidates[0][0] if candidates else text

    names: dict[str, str] = {}
    predicted = []
    for fact in facts:
        if not fact.asserted:
            continue
        evidence = fact.evidence
        names[fact.subject.iri] = fact.subject.label
        head = node_end(fact.subject.iri, evidence.start, evidence.end)
        if isinstance(fact.object, Entity):
            names[fact.object.iri] = fact.object.label
            tail = node_end(fact.object.iri, evidence.start, evidence.end)
        else:
            names[fact.object.text] = fact.object.text
            tail = value_end(fact.object.text, evidence.start, evidence.end)
        predicted.append(PredictedFact(head, tail, fact.predicate.iri, fact.predicate.label, evidence.sentence))
    named = {mention.entity_iri for mention in mentions} | {fact.object.text for fact in facts
                                                            if not isinstance(fact.object, Entity)}
    return DocumentPrediction(entity_of, clusters, names, tuple(predicted), frozenset(named))


def relation_keys(number: int, prediction: DocumentPrediction,
                  alignment: WikidataAlignment) -> dict[RelationKey, PredictedFact]:
    """Return the (document, head, tail, property) keys the document's facts predict, each with a fact saying it."""
    keys: dict[RelationKey, PredictedFact] = {}
    for fact in prediction.facts:
        for pid, reverse in alignment.readings.get(fact.property, ()):
            key = (number, fact.tail, fact.head, pid) if reverse else (number, fact.head, fact.tail, pid)
            keys.setdefault(key, fact)
    return keys


def _explain_false_negative(head: int, tail: int, prediction: DocumentPrediction,
                            alignment: WikidataAlignment) -> str:
    """Say why a gold fact was missed: an end not found, or the pair linked otherwise, or not at all."""
    found = prediction.found()
    missing = [role for role, end in (("head", head), ("tail", tail)) if end not in found]
    if missing:
        return " and ".join(missing) + " not found"
    linked = []
    for fact in prediction.facts:
        if {fact.head, fact.tail} == {head, tail}:
            readings = alignment.readings.get(fact.property, ())
            linked.append(", ".join(pid for pid, _ in readings) if readings else repr(fact.label))
    if linked:
        return "linked as " + "; ".join(sorted(set(linked)))
    return "no fact links them"


def _explain_false_positive(key: RelationKey, gold_pairs: dict[tuple[int, int], list[str]],
                            prediction: DocumentPrediction) -> str:
    """Say why a predicted fact is wrong: an end that is no gold entity, or what gold says of the pair."""
    _, head, tail, _ = key
    unmatched = [(role, end) for role, end in (("head", head), ("tail", tail)) if not isinstance(end, int)]
    if unmatched:
        unnamed = [role for role, end in unmatched if end not in prediction.named]
        if unnamed:
            return "the text never names the " + " and ".join(unnamed)
        return "no gold entity for the " + " and ".join(role for role, _ in unmatched)
    if head == tail:
        return "head and tail are the same gold entity"
    if (head, tail) in gold_pairs:
        return "gold has " + ", ".join(sorted(gold_pairs[(head, tail)])) + " for this pair"
    if (tail, head) in gold_pairs:
        return "gold has " + ", ".join(sorted(gold_pairs[(tail, head)])) + " the other way"
    return "gold relates them by nothing"


def score_documents(documents: Sequence[GoldDocument], predictions: Sequence[DocumentPrediction],
                    alignment: WikidataAlignment) -> DocredEvaluation:
    """Score the documents' predictions: relations per property, entity clustering and the error cases."""
    gold_keys: set[RelationKey] = set()
    predicted: dict[RelationKey, PredictedFact] = {}
    assignments: list[tuple[Hashable, Hashable]] = []
    errors: list[ErrorCase] = []
    matched = 0
    for number, (document, prediction) in enumerate(zip(documents, predictions)):
        document_gold = {(number, h, t, r) for h, t, r in document.facts}
        gold_keys |= document_gold
        found = relation_keys(number, prediction, alignment)
        predicted.update(found)
        for gold, cluster in prediction.clusters.items():
            matched += cluster is not None
            assignments.append(((number, gold.entity), (number, cluster if cluster is not None else gold)))

        def name(end: End) -> str:
            return document.entity_name(end) if isinstance(end, int) else prediction.names.get(end, end)

        gold_pairs: dict[tuple[int, int], list[str]] = defaultdict(list)
        for h, t, r in document.facts:
            gold_pairs[(h, t)].append(r)
        for key in sorted(set(found) - document_gold, key=repr):
            fact = found[key]
            errors.append(ErrorCase("false positive", document.title, key[3], name(key[1]), name(key[2]),
                                    _explain_false_positive(key, gold_pairs, prediction), (fact.sentence,)))
        for h, t, r in sorted(document.facts):
            if (number, h, t, r) in found:
                continue
            evidence = document.facts[(h, t, r)] or tuple(sorted({document.entities[h][0].sentence,
                                                                   document.entities[t][0].sentence}))
            errors.append(ErrorCase("false negative", document.title, r, name(h), name(t),
                                    _explain_false_negative(h, t, prediction, alignment),
                                    tuple(document.sentence_text(s) for s in evidence)))
    scores = bcubed(assignments)
    clustering = BCubed(scores.precision, scores.recall, scores.items, matched)
    return DocredEvaluation(len(documents), score_relations(gold_keys, predicted, alignment.labels), clustering,
                            tuple(errors))


def score_predictions(documents: Sequence[GoldDocument], predicted: Collection[RelationKey],
                      labels: dict[str, str] | None = None) -> DocredEvaluation:
    """Score relation predictions given as (document, head, tail, property) keys; no clustering score."""
    gold = {(number, h, t, r) for number, document in enumerate(documents) for h, t, r in document.facts}
    return DocredEvaluation(len(documents), score_relations(gold, predicted, labels))


def run_pipeline(documents: Sequence[GoldDocument], ontology: Ontology, model: str | None = None,
                 on_document: Callable[[GoldDocument], None] | None = None
                 ) -> Iterator[tuple[tuple[Fact, ...], tuple[EntityMention, ...]]]:
    """Yield each document's (facts, entity mentions) from extraction and normalization, in order."""
    from kgbuild.extract import DEFAULT_MODEL, extract_doc, load_pipeline
    from kgbuild.normalize import entity_mentions, normalize

    nlp = load_pipeline(model or DEFAULT_MODEL, **ontology.mention_tables())
    articles = ((document.text, (document, make_article(document.text, document.title))) for document in documents)
    for doc, (document, article) in nlp.pipe(articles, as_tuples=True):
        extraction = extract_doc(doc, article)
        yield normalize(extraction, ontology), entity_mentions(extraction, ontology)
        if on_document is not None:
            on_document(document)


def evaluate_docred(gold: Path, predictions: Path | None = None, *, model: str | None = None,
                    ontology_files: Sequence[Path] = (), limit: int | None = None,
                    on_document: Callable[[GoldDocument], None] | None = None) -> DocredEvaluation:
    """Score kgbuild on a DocRED-format file: run the pipeline on each document (or read ``predictions``).

    ``predictions`` is a file in DocRED's result format (a JSON list of {title, h_idx, t_idx, r});
    without it, every document's text is rebuilt from its tokens and run through extraction and
    normalization. ``limit`` scores only the first N documents; ``on_document`` is called after each.
    """
    documents = read_docred(gold)[:limit]
    ontology = load_ontology(ontology_files)
    alignment = wikidata_alignment(ontology)
    if predictions is not None:
        numbers = range(len(documents))
        found = {key for key in read_docred_predictions(predictions, documents) if key[0] in numbers}
        return score_predictions(documents, found, alignment.labels)
    results = [predict_document(document, facts, mentions)
               for document, (facts, mentions) in zip(documents, run_pipeline(documents, ontology, model,
                                                                              on_document))]
    return score_documents(documents, results, alignment)
