"""Resolution across articles: one IRI for each real-world thing that several articles name differently.

Per-article normalization mints an entity's IRI from its name in that article, so "Christine
Lagarde" in one article and "Lagarde" in another are two nodes. After all articles, the corpus's
entity table (each entity IRI with its label, aliases, classes and whether it is a gazetteer
entry) gives a merge map, minted IRI -> canonical IRI, by these rules:

- names that match after normalization (case, accents, spacing, punctuation, a leading "the",
  and for non-persons a trailing legal suffix such as Inc, Ltd, plc, Corp or Group) are one thing;
- an acronym and the name it abbreviates are one thing when one of the two nodes has the other's
  name as an alias (``skos:altLabel``);
- a surname-only person ("Lagarde") joins the full-name person with that surname when the corpus
  has exactly one ("Christine Lagarde"); with two, it stays apart and so do they; a full name is
  written like one (capitalized words, no possessive), so "relatively new actors Jai" is none;
- only nodes of compatible types merge: one class must be the other or one of its superclasses,
  so a person never merges with an organization; a cluster holds at most one gazetteer entry and
  at most one full personal name;
- a link is made only when it has exactly one candidate, so an ambiguous name stays apart.

The canonical IRI of a cluster is its gazetteer entry's, else the one with the fullest name: the
longest name key (a full name over a surname, an expansion over its acronym), then the fewest
words (the plain name over one with a legal suffix or title), then the least punctuation ("World
War I" over "World War I."), then the most accented letters ("Durán" over "Duran"), then the
smallest IRI. Everything is decided on data sorted by IRI, so the map does not depend on the
order in which the articles came. The same table gives a concept that articles gave several
``kgo:head``s the one most of them gave (``EntityTable.heads``). ``LineRewriter`` applies the map to
N-Triples lines as the sorted dataset merges its runs (see docs/graph-model.md, "Resolution across
articles").
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import Namespace
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kgbuild.vocab import KGO

if TYPE_CHECKING:
    from kgbuild.ontology import Ontology

ENTITY = str(KGO.Entity)
PERSON = str(KGO.Person)
CONCEPT = str(KGO.Concept)

#: Generational suffixes after a full name ("Martin Luther King Jr", "William DeMott II").
NAME_SUFFIXES = frozenset("jr sr ii iii iv".split())
#: Words that may end an organization's name besides its legal form (kgo:legalForm), for matching
#: names across articles only: "Alibaba Group" and "Alibaba" are one company.
ORGANIZATION_SUFFIXES = frozenset(("group", "holdings"))
_LEADING_ARTICLES = frozenset(("the",))

_LABEL, _ALT_LABEL, _TYPE, _SAME_AS, _SUBCLASS = (str(RDFS.label), str(SKOS.altLabel), str(RDF.type),
                                                  str(OWL.sameAs), str(RDFS.subClassOf))
_DESCRIBING = (_LABEL, _ALT_LABEL, _TYPE, _SAME_AS)
_HEAD = str(KGO.head)
_HEAD_MIDDLE = b" <" + _HEAD.encode() + b"> "
_NEWLINE = ord("\n")


@dataclass(frozen=True)
class EntityRecord:
    """One row of the corpus's entity table: an entity IRI and what the articles say it is called and is."""

    iri: str
    label: str
    aliases: frozenset[str] = frozenset()
    classes: frozenset[str] = frozenset()
    #: True for a gazetteer entry (it has an ``owl:sameAs`` link); its IRI is never renamed.
    gazetteer: bool = False


@dataclass(frozen=True)
class Resolution:
    """The merge map of a corpus: merged-away IRI -> canonical IRI, and the canonical IRIs' labels."""

    canonical: Mapping[str, str] = field(default_factory=dict)
    labels: Mapping[str, str] = field(default_factory=dict)
    #: The one ``kgo:head`` of each concept whose articles gave it several (see ``EntityTable.heads``).
    heads: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class NameRules:
    """Words around a name that do not change what it names, folded: honorifics and legal forms."""

    honorifics: frozenset[str]
    legal_forms: frozenset[str]

    @classmethod
    def of(cls, ontology: Ontology) -> NameRules:
        """Take the honorifics (kgo:honorific) and legal forms (kgo:legalForm) of the ontology."""
        def fold(words: Iterable[str]) -> frozenset[str]:
            return frozenset("".join(_folded_words(word)) for word in words)

        return cls(fold(ontology.honorifics), fold(ontology.legal_forms) | ORGANIZATION_SUFFIXES)

    def key(self, name: str, *, person: bool = False) -> str:
        """Return the key under which names of one thing match: folded words, joined, without legal forms."""
        return "".join(self.core_words(name, person=person))

    def core_words(self, name: str, *, person: bool = False) -> list[str]:
        """Return the folded words that identify a name: no leading "the", title, legal or generational suffix."""
        if person:
            return self.person_words(name)
        words = _folded_words(name.replace("-", " "))
        if len(words) > 1 and words[0] in _LEADING_ARTICLES:
            words = words[1:]
        while len(words) > 1 and words[-1] in self.legal_forms:
            words = words[:-1]
        return words

    def person_words(self, name: str) -> list[str]:
        """Return a personal name's folded words without a leading title or a generational suffix."""
        words = _folded_words(name)
        while len(words) > 1 and words[0] in self.honorifics:
            words = words[1:]
        # "Carol II" is a regnal name, not the surname Carol: a suffix goes only after a full name.
        while len(words) > 2 and words[-1] in NAME_SUFFIXES:
            words = words[:-1]
        return words

    def titled(self, node: EntityRecord) -> bool:
        """Tell whether a node was written with a personal title ("Mrs Lagarde")."""
        return any(_folded_words(alias)[:1] and _folded_words(alias)[0] in self.honorifics for alias in node.aliases)


def entity_namespace(base_iri: str) -> str:
    """Return the namespace of the entity IRIs minted under ``base_iri`` (``<base>entity/``)."""
    return str(Namespace(base_iri)["entity/"])


@dataclass
class _Row:
    """What the entity table has read so far about one IRI."""

    labels: set[str] = field(default_factory=set)
    aliases: set[str] = field(default_factory=set)
    classes: set[str] = field(default_factory=set)
    gazetteer: bool = False


class EntityTable:
    """Collects the entity table and the class hierarchy from N-Triples, in memory that grows with names only."""

    def __init__(self, entity_namespace: str, rules: NameRules) -> None:
        self.entity_namespace = entity_namespace
        self.rules = rules
        alternatives = b"|".join(re.escape(p.encode()) for p in _DESCRIBING)
        # No "^" anchor: a pattern that starts with a literal is found by a fast scan, while "^" in
        # MULTILINE mode is tried at every character; matches that do not start a line are skipped.
        self._entity_lines = re.compile(
            rb"<" + re.escape(entity_namespace.encode()) + rb"[^>\n]*> <(?:" + alternatives + rb")> [^\n]*\n")
        self._subclass = b"<" + _SUBCLASS.encode() + b">"
        self._subclass_lines = re.compile(rb"^<[^>]*> " + re.escape(self._subclass) + rb" <[^>]*> \.\n", re.M)
        self._rows: dict[str, _Row] = {}
        self.parents: dict[str, set[str]] = defaultdict(set)
        #: concept IRI -> head noun -> how many graphs gave the concept that head.
        self._heads: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))

    @classmethod
    def of(cls, base_iri: str, ontology: Ontology) -> EntityTable:
        """Return an empty table for the entities minted under ``base_iri``, with the ontology's name rules."""
        return cls(entity_namespace(base_iri), NameRules.of(ontology))

    def add_ntriples(self, ntriples: bytes) -> None:
        """Read the entity descriptions, concept heads and ``rdfs:subClassOf`` statements out of N-Triples lines."""
        found = [match.group() for match in self._entity_lines.finditer(ntriples)
                 if match.start() == 0 or ntriples[match.start() - 1] == _NEWLINE]
        if found:
            for triple in ox.parse(b"".join(found), format=ox.RdfFormat.N_TRIPLES, lenient=True):
                row = self._rows.get(triple.subject.value)
                if row is None:
                    row = self._rows[triple.subject.value] = _Row()
                predicate, value = triple.predicate.value, triple.object.value
                if predicate == _LABEL:
                    row.labels.add(value)
                elif predicate == _ALT_LABEL:
                    row.aliases.add(value)
                elif predicate == _TYPE:
                    row.classes.add(value)
                elif not value.startswith(self.entity_namespace):
                    # A link outside the corpus (Wikidata): a gazetteer entry. Links to merged-away
                    # IRIs, in a graph that was resolved before, are not.
                    row.gazetteer = True
        for line in self._subclass_lines.findall(ntriples) if self._subclass in ntriples else ():
            subject, _, parent = line[:-3].decode().split(" ")
            self.parents[subject[1:-1]].add(parent[1:-1])
        heads = [ntriples[ntriples.rfind(b"\n", 0, match.start()) + 1:ntriples.find(b"\n", match.end()) + 1]
                 for match in re.finditer(re.escape(_HEAD_MIDDLE), ntriples)]
        if heads:
            # One graph states a concept's head once, so each line counts one graph.
            for triple in ox.parse(b"".join(heads), format=ox.RdfFormat.N_TRIPLES, lenient=True):
                if triple.predicate.value == _HEAD:
                    self._heads[triple.subject.value][triple.object.value] += 1

    def records(self) -> list[EntityRecord]:
        """Return the table's rows that have a label, sorted by IRI."""
        return [EntityRecord(iri, min(row.labels), frozenset(row.aliases), frozenset(row.classes), row.gazetteer)
                for iri, row in sorted(self._rows.items()) if row.labels]

    def superclasses(self) -> dict[str, frozenset[str]]:
        """Return each class's superclasses (transitively), itself excluded."""
        closure: dict[str, frozenset[str]] = {}
        for cls in sorted(self.parents):
            seen: set[str] = set()
            stack = list(self.parents[cls])
            while stack:
                parent = stack.pop()
                if parent not in seen and parent != cls:
                    seen.add(parent)
                    stack.extend(self.parents.get(parent, ()))
            closure[cls] = frozenset(seen)
        return closure

    def heads(self) -> dict[str, str]:
        """Return the one head of each concept that the graphs gave several: the most graphs', then the smallest.

        A concept's IRI is a function of its label, but its head is the lemma of the parse's head
        word, which can differ between articles ("species" and "specie"); the union keeps one.
        """
        return {iri: min(counts, key=lambda head: (-counts[head], head))
                for iri, counts in sorted(self._heads.items()) if len(counts) > 1}

    def resolution(self) -> Resolution:
        """Compute the merge map of everything read so far, and the head of each concept."""
        merged = resolve_entities(self.records(), self.superclasses(), self.rules)
        return Resolution(merged.canonical, merged.labels, self.heads())


def _folded_words(name: str) -> list[str]:
    """Split a name into case-folded words without accents or punctuation ("AT&T" -> ["atandt"])."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().replace("&", "and")
    return [word for word in (re.sub(r"[^\w\s-]", "", token).strip("-") for token in plain.split()) if word]


class ClassHierarchy:
    """Type compatibility over a class hierarchy."""

    def __init__(self, superclasses: Mapping[str, frozenset[str]]) -> None:
        self.superclasses = superclasses

    def specific(self, classes: Iterable[str]) -> frozenset[str]:
        """Drop the classes that say nothing about compatibility (kgo:Entity, kgo:Concept)."""
        return frozenset(c for c in classes if c not in (ENTITY, CONCEPT))

    def comparable(self, a: str, b: str) -> bool:
        """Tell whether one class is the other or one of its ancestors."""
        return a == b or a in self.superclasses.get(b, ()) or b in self.superclasses.get(a, ())

    def compatible(self, a: frozenset[str], b: frozenset[str]) -> bool:
        """Tell whether two specific class sets may describe one thing (an empty set fits anything)."""
        return not a or not b or any(self.comparable(x, y) for x in a for y in b)

    def is_person(self, classes: Iterable[str]) -> bool:
        """Tell whether a class set holds kgo:Person or a subclass of it."""
        return any(c == PERSON or PERSON in self.superclasses.get(c, ()) for c in classes)


def resolve_entities(records: Iterable[EntityRecord], superclasses: Mapping[str, frozenset[str]],
                     rules: NameRules) -> Resolution:
    """Compute the merge map of a corpus's entity table (see the module docstring for the rules)."""
    types = ClassHierarchy(superclasses)
    nodes = sorted({record.iri: record for record in records}.values(), key=lambda r: r.iri)
    specific = {node.iri: types.specific(node.classes) for node in nodes}
    person = {node.iri: types.is_person(node.classes) or (not specific[node.iri] and rules.titled(node))
              for node in nodes}
    parent = {node.iri: node.iri for node in nodes}
    members = {node.iri: [node] for node in nodes}

    def find(iri: str) -> str:
        while parent[iri] != iri:
            parent[iri] = parent[parent[iri]]
            iri = parent[iri]
        return iri

    def full_names(cluster: list[EntityRecord]) -> set[str]:
        return {rules.key(m.label, person=True) for m in cluster
                if person[m.iri] and len(rules.person_words(m.label)) > 1}

    def can_join(a: str, b: str) -> bool:
        left, right = members[a], members[b]
        if sum(m.gazetteer for m in left) + sum(m.gazetteer for m in right) > 1:
            return False
        if len(full_names(left) | full_names(right)) > 1:
            return False
        return all(types.compatible(specific[x.iri], specific[y.iri]) for x in left for y in right)

    def join(a: str, b: str) -> bool:
        a, b = find(a), find(b)
        if a == b:
            return True
        if not can_join(a, b):
            return False
        keep, gone = min(a, b), max(a, b)
        parent[gone] = keep
        members[keep] += members.pop(gone)
        return True

    def key_of(node: EntityRecord) -> str:
        return rules.key(node.label, person=person[node.iri])

    # 1. Equal names: typed nodes first (most specific first), then untyped ones, each joining the one
    #    cluster of that name it fits; a node that fits several stays apart.
    by_key: dict[str, list[EntityRecord]] = defaultdict(list)
    for node in nodes:
        by_key[key_of(node)].append(node)
    for key, group in sorted(by_key.items()):
        clusters: list[str] = []
        order = sorted(group, key=lambda n: (not n.gazetteer, not specific[n.iri],
                                             -max((len(types.superclasses.get(c, ())) for c in specific[n.iri]),
                                                  default=0), n.iri))
        for node in order:
            fitting = [c for c in clusters if can_join(c, node.iri)]
            if len(fitting) == 1:
                join(fitting[0], node.iri)
            elif not fitting or node.gazetteer:
                clusters.append(node.iri)
            clusters = sorted({find(c) for c in clusters})

    # 2. Links with exactly one candidate on both sides: an acronym and the name it abbreviates when
    #    one of the two nodes has the other's name as an alias, and a surname and its one full name.
    #    Other aliases do not link: an article's aliases also hold what its coreference resolved
    #    ("the city", "it"), and such words would chain unrelated nodes together.
    names: dict[str, set[str]] = defaultdict(set)
    surnames: dict[str, set[str]] = defaultdict(set)
    for node in nodes:
        names[key_of(node)].add(node.iri)
        words = rules.person_words(node.label)
        if person[node.iri] and specific[node.iri] and len(words) > 1 and _written_like_a_name(node.label):
            surnames[words[-1]].add(node.iri)
    abbreviations: dict[str, set[str]] = defaultdict(set)
    expansions: dict[str, set[str]] = defaultdict(set)
    for node in nodes:
        for alias in sorted(node.aliases):
            for other in names.get(rules.key(alias), ()):
                label = next(m.label for m in members[find(other)] if m.iri == other)
                if acronym_of(alias, node.label) and acronym_of(label, node.label):
                    long, short = find(node.iri), find(other)
                elif acronym_of(node.label, alias) and acronym_of(node.label, label):
                    long, short = find(other), find(node.iri)
                else:
                    continue
                if long != short and can_join(long, short):
                    abbreviations[long].add(short)
                    expansions[short].add(long)
    links: list[tuple[str, str]] = [
        (long, next(iter(shorts))) for long, shorts in abbreviations.items()
        if len(shorts) == 1 and len(expansions[next(iter(shorts))]) == 1
    ]
    for root in sorted({find(node.iri) for node in nodes}):
        cluster = members[root]
        words = {tuple(rules.person_words(m.label)) for m in cluster if person[m.iri]}
        if len(words) == 1 and len(next(iter(words))) == 1:
            surname = next(iter(words))[0]
            full = {find(iri) for iri in surnames.get(surname, ())} - {root}
            if len(full) == 1 and can_join(root, next(iter(full))):
                links.append((root, full.pop()))
    for a, b in sorted(links):
        join(a, b)

    canonical: dict[str, str] = {}
    labels: dict[str, str] = {}
    for root in sorted({find(node.iri) for node in nodes}):
        cluster = members[root]
        if len(cluster) < 2:
            continue
        best = min(cluster, key=lambda m: (not m.gazetteer, -len(rules.key(m.label, person=person[m.iri])),
                                           len(m.label.split()), _punctuation(m.label),
                                           -sum(not c.isascii() for c in m.label), m.iri))
        labels[best.iri] = best.label
        for member in cluster:
            if member.iri != best.iri and not member.gazetteer:
                canonical[member.iri] = best.iri
    return Resolution(canonical, labels)


#: Lower-case words inside personal names ("Charles de Gaulle", "Ludwig van Beethoven").
_NAME_PARTICLES = frozenset("de da di du des del della der den van von la le bin ibn al el y ter".split())


def _written_like_a_name(label: str) -> bool:
    """Tell whether a label is written as a personal name: capitalized words, no possessive."""
    words = label.split()
    return "'s" not in label and "’s" not in label and all(
        word[:1].isupper() or (word in _NAME_PARTICLES and 0 < number < len(words) - 1)
        for number, word in enumerate(words))


def _punctuation(label: str) -> int:
    """Count the characters of a label that are neither letters, digits nor spaces."""
    return sum(not (c.isalnum() or c.isspace()) for c in label)


_LABEL_TOKEN = b"<" + _LABEL.encode() + b">"
_ALT_LABEL_TOKEN = b"<" + _ALT_LABEL.encode() + b">"
_SAME_AS_MIDDLE = b" <" + _SAME_AS.encode() + b"> "
_ALT_LABEL_MIDDLE = b" " + _ALT_LABEL_TOKEN + b" "


class LineRewriter:
    """Apply a merge map to N-Triples lines: merged-away IRIs become canonical, and stay findable.

    A merged-away node's ``rdfs:label`` becomes an ``skos:altLabel`` of the canonical node, next
    to ``<canonical> owl:sameAs <merged-away>``; every other occurrence, as subject or object,
    is the canonical IRI. A concept's ``kgo:head`` becomes the one the resolution chose.
    """

    def __init__(self, resolution: Resolution, entity_namespace: str) -> None:
        self.prefix = b"<" + entity_namespace.encode()
        self.targets = {_token(old): _token(new) for old, new in resolution.canonical.items()}
        self.labels = {_token(iri): str(ox.Literal(label)).encode() for iri, label in resolution.labels.items()}
        self.heads = {_token(iri): _token(iri) + _HEAD_MIDDLE + str(ox.Literal(head)).encode() + b" .\n"
                      for iri, head in resolution.heads.items()}
        self._entity_terms = re.compile(re.escape(self.prefix) + rb"[^>\n]*>")
        self._head_middles = re.compile(re.escape(_HEAD_MIDDLE))

    def __bool__(self) -> bool:
        return bool(self.targets or self.heads)

    def changed_lines(self, block: bytes) -> list[int]:
        """Return where the lines of ``block`` (whole lines) start that this rewriter may change, in order.

        A regular-expression scan of the block for merged-away IRIs and concept heads, so that only
        those few lines go through ``__call__``.
        """
        starts = set()
        if self.targets:
            starts.update(block.rfind(b"\n", 0, match.start()) + 1 for match in self._entity_terms.finditer(block)
                          if match.group() in self.targets)
        if self.heads:
            starts.update(block.rfind(b"\n", 0, match.start()) + 1 for match in self._head_middles.finditer(block))
        return sorted(starts)

    def __call__(self, line: bytes) -> list[bytes] | None:
        """Return the lines that replace ``line``, or None when it stays as it is."""
        if self.heads and _HEAD_MIDDLE in line:
            chosen = self.heads.get(line[:line.index(b" ")])
            return None if chosen is None or chosen == line else [chosen]
        if self.prefix not in line:
            return None
        space = line.index(b" ")
        after_predicate = line.index(b" ", space + 1)
        subject, predicate, obj = line[:space], line[space + 1:after_predicate], line[after_predicate + 1:-3]
        new_subject, new_object = self.targets.get(subject), self.targets.get(obj)
        if new_subject is None and new_object is None:
            return None
        middle = line[space:after_predicate + 1]
        if new_object is not None:
            obj = new_object
        if new_subject is None:
            return [subject + middle + obj + b" .\n"]
        if predicate == _LABEL_TOKEN:
            lines = [new_subject + _SAME_AS_MIDDLE + subject + b" .\n"]
            if obj != self.labels.get(new_subject):
                lines.append(new_subject + _ALT_LABEL_MIDDLE + obj + b" .\n")
            return lines
        if predicate == _ALT_LABEL_TOKEN and obj == self.labels.get(new_subject):
            return []
        return [new_subject + middle + obj + b" .\n"]


def _token(iri: str) -> bytes:
    return b"<" + iri.encode() + b">"


def rewrite_keyed(rewrite: LineRewriter) -> Callable[[bytes], list[bytes] | None]:
    """Wrap a rewriter for lines that start with a graph name (``<graph> <s> <p> <o> .``)."""

    def rewrite_line(line: bytes) -> list[bytes] | None:
        graph, _, triple = line.partition(b" ")
        lines = rewrite(triple)
        return None if lines is None else [graph + b" " + new for new in lines]

    return rewrite_line



#: Words that an acronym leaves out ("Bank of England" is BoE, "BOE").
_ACRONYM_SKIPS = frozenset(("of", "the", "and", "for", "de", "&"))
#: A word shared by more names than this does not pair them up in the duplicate report.
_BLOCK_LIMIT = 300


@dataclass(frozen=True)
class SimilarPair:
    """Two nodes still apart after resolution whose names look alike and whose types fit."""

    first: EntityRecord
    second: EntityRecord
    #: "same name", "acronym", "surname", "similar spelling" or "shared words".
    reason: str
    score: float


def acronym_of(short: str, long: str) -> bool:
    """Tell whether ``short`` is written like an acronym of ``long``'s words ("FCA", "Financial Conduct Authority")."""
    letters = short.replace(".", "").strip()
    if not (1 < len(letters) <= 8 and letters.isalpha() and sum(c.isupper() for c in letters) > 1):
        return False
    return letters.upper() in _initials(long)


def _initials(name: str) -> set[str]:
    """Return a name's initials, with and without its small words ("BOE", "BE" for "Bank of England")."""
    words = [w for w in re.split(r"[\s-]+", name) if w]
    if len(words) < 2:
        return set()
    return {"".join(w[0] for w in words).upper(),
            "".join(w[0] for w in words if w.casefold() not in _ACRONYM_SKIPS).upper()}


def similar_pairs(records: Iterable[EntityRecord], superclasses: Mapping[str, frozenset[str]], rules: NameRules,
                  *, min_score: float = 0.6) -> list[SimilarPair]:
    """List pairs of nodes whose names look alike and whose types are compatible, most alike first.

    Candidates are pairs that share a word, the first four letters of their name key, or an
    acronym, so the work grows with the number of names, not with its square.
    """
    from difflib import SequenceMatcher

    types = ClassHierarchy(superclasses)
    nodes = sorted({r.iri: r for r in records}.values(), key=lambda r: r.iri)
    blocks: dict[str, list[int]] = defaultdict(list)
    facts = []
    for number, node in enumerate(nodes):
        person = types.is_person(node.classes)
        key = rules.key(node.label, person=person)
        words = frozenset(w for w in rules.core_words(node.label, person=person) if w not in _ACRONYM_SKIPS)
        facts.append((key, words, person, types.specific(node.classes)))
        signs = {"w:" + w for w in words} | {"k:" + key[:4]}
        signs |= {"a:" + initials for initials in _initials(node.label)}
        signs.add("a:" + node.label.replace(".", "").strip().upper())
        for sign in signs:
            blocks[sign].append(number)
    seen: set[tuple[int, int]] = set()
    pairs = []
    for sign in sorted(blocks):
        members = blocks[sign]
        if len(members) > _BLOCK_LIMIT:
            continue
        for i, j in itertools.combinations(members, 2):
            if (i, j) in seen:
                continue
            seen.add((i, j))
            (key_a, words_a, person_a, classes_a), (key_b, words_b, person_b, classes_b) = facts[i], facts[j]
            if not key_a or not key_b or not types.compatible(classes_a, classes_b):
                continue
            a, b = nodes[i], nodes[j]
            reason, score = "", 0.0
            if key_a == key_b:
                reason, score = "same name", 1.0
            elif acronym_of(a.label, b.label) or acronym_of(b.label, a.label):
                reason, score = "acronym", 1.0
            elif person_a and person_b and min(len(words_a), len(words_b)) == 1 < max(len(words_a), len(words_b)) and (
                    rules.person_words(a.label)[-1] == rules.person_words(b.label)[-1]):
                reason, score = "surname", 0.9
            else:
                spelling = SequenceMatcher(None, key_a, key_b).ratio()
                overlap = len(words_a & words_b) / len(words_a | words_b) if words_a | words_b else 0.0
                reason, score = ("similar spelling", spelling) if spelling >= overlap else ("shared words", overlap)
            if score >= min_score:
                pairs.append(SimilarPair(a, b, reason, round(score, 3)))
    return sorted(pairs, key=lambda p: (-p.score, p.first.iri, p.second.iri))
