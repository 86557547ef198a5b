"""Load the ontology, triggers, gazetteer and shapes from Turtle into lookup tables."""

from __future__ import annotations

import functools
import importlib.resources
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kgbuild.errors import InputError
from kgbuild.vocab import GAZ, KGO, SH, WDT, XSD

#: The files of the built-in ontology, read in this order.
ONTOLOGY_FILES = ("ontology.ttl", "gazetteer.ttl", "places.ttl", "shapes.ttl")

#: A slot in a trigger pattern: any run of words.
WILDCARD = "*"

_CLASS_TYPES = {str(OWL.Class), str(RDFS.Class)}
_PROPERTY_TYPES = {str(OWL.ObjectProperty), str(OWL.DatatypeProperty), str(RDF.Property)}
_XSD_PREFIX = str(XSD)


@dataclass(frozen=True)
class Trigger:
    """A lemma pattern of a relation phrase and the property it stands for."""

    pattern: tuple[str, ...]
    property: str
    #: True when the written subject is the property's object ("be attend by").
    inverse: bool = False

    @property
    def literal_count(self) -> int:
        """Return how many words of the pattern must match exactly."""
        return sum(1 for word in self.pattern if word != WILDCARD)


@dataclass(frozen=True)
class GazetteerEntry:
    """A well-known entity: its IRI slug, canonical label, classes, names and Wikidata links."""

    slug: str
    label: str
    classes: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    same_as: tuple[str, ...] = ()
    government_aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    #: True when the names stand for the entry only where a place is meant (kgo:placeNamesOnly).
    place_names_only: bool = False


@dataclass(frozen=True)
class TriggerMatch:
    """The result of matching a relation phrase against the triggers."""

    property: str
    inverse: bool
    #: The word a wildcard captured just before a noun ("export"), or "".
    qualifier: str
    #: Number of exactly matched words; higher is a more specific match.
    score: int
    #: Word positions in the phrase where the match starts and ends (exclusive).
    start: int = 0
    end: int = 0


_SPACES = re.compile(r"\s+")


@functools.lru_cache(maxsize=1 << 16)
def alias_key(name: str) -> str:
    """Return the case-insensitive lookup key of a name: no dots, one space, folded case."""
    return _SPACES.sub(" ", name.replace(".", "").replace("’", "'")).strip().casefold()


def acronym_key(name: str) -> str | None:
    """Return the case-sensitive key of an all-capital acronym ("U.S." -> "US"), else None."""
    compact = name.replace(".", "").strip()
    if 1 < len(compact) <= 6 and compact.isalpha() and compact.isupper():
        return compact
    return None


@dataclass
class Ontology:
    """Everything normalization needs from the ontology, as plain lookup tables of IRI strings."""

    #: Every parsed triple of every file but those of kgo:placeNamesOnly gazetteer entries, as N-Triples
    #: lines (kept picklable for worker processes).
    ntriples: tuple[str, ...]
    #: Class IRI -> its label.
    class_labels: dict[str, str]
    #: Class IRI -> all its superclasses within the ontology, itself excluded.
    superclasses: dict[str, frozenset[str]]
    #: Property IRI -> its label.
    property_labels: dict[str, str]
    #: Property IRI -> True for object properties.
    object_properties: frozenset[str]
    #: First exact word of a pattern -> the triggers starting their exact words with it.
    triggers_by_word: dict[str, tuple[Trigger, ...]]
    #: Extraction pattern -> the property its bare copula maps to ("attribute" -> kgo:hasQuality).
    pattern_properties: dict[str, str]
    #: Head-noun lemma -> class IRI.
    head_classes: dict[str, str]
    #: spaCy entity label -> class IRI.
    ner_classes: dict[str, str]
    #: Class IRI -> the spaCy labels declared on it.
    class_ner_labels: dict[str, tuple[str, ...]]
    #: spaCy entity label -> qualifier property IRI for arguments of that label.
    ner_qualifiers: dict[str, str]
    #: Preposition -> qualifier property IRI.
    marker_qualifiers: dict[str, str]
    #: Head nouns that, after a country name or demonym, mean the country ("government").
    metonym_heads: frozenset[str]
    gazetteer: dict[str, GazetteerEntry]
    #: alias_key(name) -> gazetteer slug; acronym_key(name) -> slug (case-sensitive). A name that
    #: two entries share ("Georgia", the country and the US state) is in neither table.
    names: dict[str, tuple[str, ...]]
    acronyms: dict[str, tuple[str, ...]]
    #: alias_key(name) -> slug of the country whose government the name stands for.
    government_names: dict[str, str]
    #: alias_key(demonym) -> slug.
    demonyms: dict[str, str]
    #: The SHACL shapes, as N-Triples lines.
    shapes: tuple[str, ...]
    #: Property IRI -> its rdfs:domain / rdfs:range (a class, or a datatype for value properties).
    domains: dict[str, str] = field(default_factory=dict)
    ranges: dict[str, str] = field(default_factory=dict)
    #: Property IRI -> classes whose members are never its subject (kgo:disjointDomain).
    disjoint_domains: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Datatype IRI -> the literal datatypes it admits (kgo:Date -> xsd:date, xsd:gYearMonth, xsd:gYear).
    datatypes: dict[str, frozenset[str]] = field(default_factory=dict)
    #: Property IRI -> its inverse properties (owl:inverseOf either way; a symmetric property is its own).
    inverses: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Property IRI -> all its super-properties within the ontology, itself excluded.
    superproperties: dict[str, frozenset[str]] = field(default_factory=dict)
    #: Property IRI -> the Wikidata direct property it is equivalent to.
    wikidata: dict[str, str] = field(default_factory=dict)
    #: Property IRI -> the date property a date argument of its facts gives (kgo:dateProperty).
    date_properties: dict[str, str] = field(default_factory=dict)
    #: Property IRI -> the pairs of properties whose chain implies it (owl:propertyChainAxiom).
    chains: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    #: Gazetteer slug -> (property IRI, gazetteer slug) statements made about the entry in Turtle.
    gazetteer_facts: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    #: alias_key(name) -> slug of the kgo:placeNamesOnly entry it names, for names no other entry has.
    place_names: dict[str, str] = field(default_factory=dict)
    #: Lemmas of nouns that name no particular thing ("kind", "lot"), folded case.
    generic_nouns: frozenset[str] = frozenset()
    #: Courtesy titles before a person's name ("Mrs"), folded case, without a dot.
    honorifics: frozenset[str] = frozenset()
    #: Legal-form words after an organization's name ("Corp"), folded case, without a dot.
    legal_forms: frozenset[str] = frozenset()
    #: Classes of named things that no spaCy label maps to (kgo:namedClass true): "the Nobel Prize" is an award.
    named_classes: frozenset[str] = frozenset()
    _trigger_cache: dict[str, tuple[TriggerMatch, ...]] = field(default_factory=dict, repr=False, compare=False)
    _labels_cache: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict, repr=False, compare=False)

    def __repr__(self) -> str:
        return (f"Ontology({len(self.class_labels)} classes, {len(self.property_labels)} properties, "
                f"{len(self.gazetteer)} gazetteer entries)")

    def is_subclass(self, cls: str, ancestor: str) -> bool:
        """Return True when ``cls`` is ``ancestor`` or one of its subclasses."""
        return cls == ancestor or ancestor in self.superclasses.get(cls, frozenset())

    def match_relation(self, lemma: str) -> TriggerMatch | None:
        """Return the most specific trigger matching a relation's lemmas, or None."""
        candidates = self.match_candidates(lemma)
        return candidates[0] if candidates else None

    def match_candidates(self, lemma: str) -> tuple[TriggerMatch, ...]:
        """Return every trigger reading of a relation's lemmas, best match first (one per property and direction)."""
        if lemma not in self._trigger_cache:
            self._trigger_cache[lemma] = self._triggers(tuple(lemma.split()))
        return self._trigger_cache[lemma]

    def _triggers(self, words: tuple[str, ...]) -> tuple[TriggerMatch, ...]:
        best: dict[tuple[str, bool], tuple[tuple[int, int, int], TriggerMatch]] = {}
        for start, word in enumerate(words):
            for trigger in self.triggers_by_word.get(word, ()):
                for end, captured in _match_at(trigger.pattern, words, start):
                    # Words after the match may only be a particle or preposition ("sell to");
                    # "be" must not swallow "be split on".
                    if len(words) - end > 1:
                        continue
                    leftover = len(words) - (end - start)
                    match = TriggerMatch(trigger.property, trigger.inverse, captured, trigger.literal_count, start, end)
                    # Most exact words first, then fewest words left over, then ending at the
                    # phrase's end (where the preposition is).
                    rank = (-trigger.literal_count, leftover, -end)
                    key = (trigger.property, trigger.inverse)
                    if key not in best or rank < best[key][0]:
                        best[key] = (rank, match)
        ordered = sorted(best.items(), key=lambda item: (item[1][0], self.specificity(item[0][0]) * -1, item[0]))
        return tuple(match for _, (_, match) in ordered)

    def class_depth(self, cls: str) -> int:
        """Return how many ontology classes are above ``cls`` (kgo:Entity is 0, kgo:Country 2)."""
        return len(self.superclasses.get(cls, ()))

    def specificity(self, prop: str) -> int:
        """Return how narrow a property's domain and range are: the sum of their class depths."""
        return sum(self.class_depth(c) + 1 if c in self.class_labels else 0
                   for c in (self.domains.get(prop), self.ranges.get(prop)) if c)

    def is_subproperty(self, prop: str, ancestor: str) -> bool:
        """Return True when ``prop`` is ``ancestor`` or one of its sub-properties."""
        return prop == ancestor or ancestor in self.superproperties.get(prop, frozenset())

    def is_datatype(self, iri: str) -> bool:
        """Return True when ``iri`` is a datatype (an XSD type or one declared rdfs:Datatype)."""
        return iri in self.datatypes or iri.startswith(_XSD_PREFIX)

    def class_for_head(self, head: str) -> str | None:
        """Return the class whose head nouns include this lemma, if any."""
        return self.head_classes.get(head.casefold())

    def head_ner_labels(self) -> dict[str, tuple[str, ...]]:
        """Return head-noun lemma -> spaCy labels whose entities such a noun can refer back to."""
        labels_of_class: dict[str, set[str]] = {}
        for label, cls in self.ner_classes.items():
            labels_of_class.setdefault(cls, set()).add(label)
        result: dict[str, tuple[str, ...]] = {}
        for head, cls in self.head_classes.items():
            found: set[str] = set()
            for candidate, labels in labels_of_class.items():
                if self.is_subclass(cls, candidate) or self.is_subclass(candidate, cls):
                    found |= labels
            if found:
                result[head] = tuple(sorted(found))
        return dict(sorted(result.items()))

    def known_name_labels(self) -> dict[str, tuple[str, ...]]:
        """Return gazetteer name -> the spaCy labels its entity can have ("Nvidia" -> ("ORG",))."""
        result: dict[str, tuple[str, ...]] = {}
        for _, entry in sorted(self.gazetteer.items()):
            if entry.place_names_only:
                # A place-only name never relabels a mention: "Houston" may be a person.
                continue
            labels = self.ner_labels_of(entry.classes)
            for name in (entry.label, *entry.aliases, *entry.government_aliases):
                result.setdefault(name, labels)
        return dict(sorted(result.items()))

    def mention_tables(self) -> dict[str, dict[str, tuple[str, ...]]]:
        """Return the mention finder's tables, as keyword arguments of ``kgbuild.extract.load_pipeline``."""
        return {"head_labels": self.head_ner_labels(), "name_labels": self.known_name_labels()}

    def ner_labels_of(self, classes: Iterable[str]) -> tuple[str, ...]:
        """Return the spaCy labels declared on the nearest of ``classes`` and their ancestors."""
        key = tuple(classes)
        if key not in self._labels_cache:
            self._labels_cache[key] = self._nearest_ner_labels(key)
        return self._labels_cache[key]

    def _nearest_ner_labels(self, classes: tuple[str, ...]) -> tuple[str, ...]:
        for cls in classes:
            chain = sorted((cls, *self.superclasses.get(cls, ())), key=lambda c: -len(self.superclasses.get(c, ())))
            for candidate in chain:
                if self.class_ner_labels.get(candidate):
                    return self.class_ner_labels[candidate]
        return ()


def _match_at(pattern: tuple[str, ...], words: tuple[str, ...], start: int) -> Iterable[tuple[int, str]]:
    """Yield (end, captured qualifier) for each way ``pattern`` matches ``words`` from ``start``."""
    if WILDCARD not in pattern:
        # Most patterns are plain words: one slice comparison instead of the walk below.
        end = start + len(pattern)
        return ((end, ""),) if words[start:end] == pattern else ()

    def walk(p: int, w: int, captured: str) -> Iterable[tuple[int, str]]:
        if p == len(pattern):
            yield w, captured
            return
        if pattern[p] == WILDCARD:
            for stop in range(w, len(words) + 1):
                yield from walk(p + 1, stop, words[stop - 1] if stop > w else captured)
            return
        if w < len(words) and words[w] == pattern[p]:
            yield from walk(p + 1, w + 1, captured)

    if pattern[0] == WILDCARD or any(word not in words for word in _literal_words(pattern)):
        # A word of the pattern that the phrase lacks: no match, and no need to try every span of the wildcards.
        return ()
    return walk(0, start, "")


@functools.cache
def _literal_words(pattern: tuple[str, ...]) -> frozenset[str]:
    """Return the words a pattern must match exactly (not its wildcards)."""
    return frozenset(pattern) - {WILDCARD}


def ontology_folder() -> Path:
    """Return the folder of the built-in ontology files (source checkout or installed package)."""
    checkout = Path(__file__).resolve().parent.parent / "ontology"
    if checkout.is_dir():
        return checkout
    return Path(str(importlib.resources.files("kgbuild._ontology")))


def parse_turtle(path: Path) -> list[ox.Triple]:
    """Parse a Turtle file, raising InputError with the parser's message on one line."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read ontology file ({exc.strerror or exc})", path) from exc
    try:
        return list(ox.parse(data, format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri()))
    except (SyntaxError, ValueError) as exc:
        message = " ".join(str(exc).split())
        raise InputError(f"invalid Turtle: {message}", path) from exc


def load_ontology(extra: Sequence[Path] = ()) -> Ontology:
    """Read the built-in ontology files plus the user's extra Turtle files into an Ontology."""
    paths = [ontology_folder() / name for name in ONTOLOGY_FILES] + [Path(p) for p in extra]
    try:
        stamps = tuple((str(p.resolve()), p.stat().st_mtime_ns, p.stat().st_size) for p in paths)
    except OSError:
        return _load_ontology(tuple(extra))
    # A build reads the ontology in several stages; the files are read once per process.
    return _cached_ontology(stamps, tuple(extra))


@functools.lru_cache(maxsize=4)
def _cached_ontology(stamps: tuple[tuple[str, int, int], ...], extra: tuple[Path, ...]) -> Ontology:
    """Return the ontology of files whose paths, times and sizes are ``stamps``."""
    return _load_ontology(extra)


def _load_ontology(extra: Sequence[Path]) -> Ontology:
    folder = ontology_folder()
    triples: list[ox.Triple] = []
    shape_triples: list[ox.Triple] = []
    for name in ONTOLOGY_FILES:
        parsed = parse_turtle(folder / name)
        (shape_triples if name == "shapes.ttl" else triples).extend(parsed)
    for path in extra:
        parsed = parse_turtle(Path(path))
        triples.extend(t for t in parsed if not _is_shape_triple(t))
        shape_triples.extend(t for t in parsed if _is_shape_triple(t))
    return build_ontology(triples, shape_triples)


def _is_shape_triple(triple: ox.Triple) -> bool:
    return triple.predicate.value.startswith(str(SH))


def build_ontology(triples: Sequence[ox.Triple], shape_triples: Sequence[ox.Triple] = ()) -> Ontology:
    """Turn parsed ontology and gazetteer triples into lookup tables."""
    values: dict[tuple[str, str], list[str]] = {}
    for triple in triples:
        if isinstance(triple.subject, ox.NamedNode):
            values.setdefault((triple.subject.value, triple.predicate.value), []).append(triple.object.value)

    def get(subject: str, predicate: object) -> list[str]:
        return sorted(set(values.get((subject, str(predicate)), [])))

    # Gazetteer entries declare no classes, properties, datatypes or chains: those passes skip them.
    schema = [t for t in triples if not t.subject.value.startswith(str(GAZ))]

    subjects = sorted({s for s, _ in values})
    rdf_type = str(RDF.type)
    types = {s: set(values.get((s, rdf_type), ())) for s in subjects}
    classes = sorted(s for s in subjects if types[s] & _CLASS_TYPES)
    properties = sorted(s for s in subjects if types[s] & _PROPERTY_TYPES)

    parents = {s: set(get(s, RDFS.subClassOf)) for s in classes}
    superclasses = {cls: frozenset(_ancestors(cls, parents)) for cls in classes}

    triggers: dict[str, list[Trigger]] = {}
    for prop in properties:
        for predicate, inverse in ((KGO.trigger, False), (KGO.inverseTrigger, True)):
            for text in get(prop, predicate):
                pattern = tuple(text.casefold().split())
                if not pattern or pattern[0] == WILDCARD:
                    continue
                triggers.setdefault(pattern[0], []).append(Trigger(pattern, prop, inverse))
    pattern_properties = {pattern: prop for prop in sorted(properties) for pattern in get(prop, KGO.patternTrigger)}
    inverses: dict[str, set[str]] = {}
    for prop in properties:
        for other in get(prop, OWL.inverseOf):
            inverses.setdefault(prop, set()).add(other)
            inverses.setdefault(other, set()).add(prop)
        if str(OWL.SymmetricProperty) in types[prop]:
            inverses.setdefault(prop, set()).add(prop)
    # "P rdfs:subPropertyOf [ owl:inverseOf Q ]": P's facts are Q's reversed, not the other way round;
    # normalization states P from Q where P's domain and range fit.
    for prop, inverse in _sub_inverses(schema):
        inverses.setdefault(prop, set()).add(inverse)
        inverses.setdefault(inverse, set()).add(prop)
    property_parents = {p: {q for q in get(p, RDFS.subPropertyOf) if not q.startswith("_:")} for p in properties}
    wikidata = {p: w for p in properties for w in get(p, OWL.equivalentProperty) if w.startswith(str(WDT))}

    head_classes: dict[str, str] = {}
    ner_classes: dict[str, str] = {}
    # Deeper classes win a shared head noun or label, so "company" types as Company, not Organization.
    for cls in sorted(classes, key=lambda c: (len(superclasses[c]), c)):
        for head in get(cls, KGO.headNoun):
            head_classes[head.casefold()] = cls
        for label in get(cls, KGO.nerLabel):
            ner_classes.setdefault(label, cls)
    ner_qualifiers: dict[str, str] = {}
    marker_qualifiers: dict[str, str] = {}
    for prop in properties:
        for label in get(prop, KGO.nerLabel):
            ner_qualifiers.setdefault(label, prop)
        for marker in get(prop, KGO.argumentMarker):
            marker_qualifiers.setdefault(marker.casefold(), prop)
    metonym_heads = frozenset(h.casefold() for c in classes for h in get(c, KGO.metonymHead))

    gazetteer: dict[str, GazetteerEntry] = {}
    namespace = str(GAZ)
    pref_label, rdfs_label, alt_label, same_as = str(SKOS.prefLabel), str(RDFS.label), str(SKOS.altLabel), str(OWL.sameAs)
    for subject in subjects:
        if not subject.startswith(namespace):
            continue
        slug = subject[len(namespace):]
        labels = get(subject, pref_label) or get(subject, rdfs_label) or [slug.replace("_", " ")]
        gazetteer[slug] = GazetteerEntry(
            slug=slug,
            label=labels[0],
            classes=tuple(sorted(types[subject] - _CLASS_TYPES)),
            aliases=tuple(sorted(set(get(subject, alt_label) + labels[1:]))),
            same_as=tuple(get(subject, same_as)),
            government_aliases=tuple(get(subject, KGO.governmentAlias)),
            demonyms=tuple(get(subject, KGO.demonym)),
            place_names_only="true" in values.get((subject, str(KGO.placeNamesOnly)), ()),
        )
    names: dict[str, set[str]] = {}
    acronyms: dict[str, set[str]] = {}
    government_names: dict[str, str] = {}
    demonyms: dict[str, str] = {}
    # Place-only entries are data, not vocabulary: validation and the ontology graph need none of them.
    place_only = {namespace + slug for slug, entry in gazetteer.items() if entry.place_names_only}
    # One entry per real-world thing: a place-only entry whose Wikidata item another entry has is left out.
    items = {item for entry in gazetteer.values() if not entry.place_names_only for item in entry.same_as}
    for slug in [s for s, e in gazetteer.items() if e.place_names_only and items.intersection(e.same_as)]:
        del gazetteer[slug]
    place_names: dict[str, set[str]] = {}
    for slug, entry in sorted(gazetteer.items()):
        if entry.place_names_only:
            for name in (entry.label, *entry.aliases):
                place_names.setdefault(alias_key(name), set()).add(slug)
            continue
        for name in (entry.label, *entry.aliases):
            acronym = acronym_key(name)
            if acronym:
                acronyms.setdefault(acronym, set()).add(slug)
            else:
                names.setdefault(alias_key(name), set()).add(slug)
        for name in entry.government_aliases:
            government_names.setdefault(alias_key(name), slug)
        for name in entry.demonyms:
            demonyms.setdefault(alias_key(name), slug)

    return Ontology(
        ntriples=tuple(sorted({str(t) + " ." for t in triples if t.subject.value not in place_only})),
        class_labels={c: (get(c, RDFS.label) or [c])[0] for c in classes},
        superclasses=superclasses,
        property_labels={p: (get(p, RDFS.label) or [p])[0] for p in properties},
        object_properties=frozenset(p for p in properties if str(OWL.ObjectProperty) in types[p]),
        triggers_by_word={w: tuple(ts) for w, ts in sorted(triggers.items())},
        pattern_properties=dict(sorted(pattern_properties.items())),
        head_classes=dict(sorted(head_classes.items())),
        ner_classes=dict(sorted(ner_classes.items())),
        class_ner_labels={c: tuple(get(c, KGO.nerLabel)) for c in classes if get(c, KGO.nerLabel)},
        ner_qualifiers=dict(sorted(ner_qualifiers.items())),
        marker_qualifiers=dict(sorted(marker_qualifiers.items())),
        metonym_heads=metonym_heads,
        gazetteer=gazetteer,
        names={k: tuple(v) for k, v in sorted(names.items()) if len(v) == 1},
        acronyms={k: tuple(v) for k, v in sorted(acronyms.items()) if len(v) == 1},
        government_names=government_names,
        demonyms=demonyms,
        shapes=tuple(sorted({str(t) + " ." for t in shape_triples})),
        domains={p: get(p, RDFS.domain)[0] for p in properties if get(p, RDFS.domain)},
        ranges={p: get(p, RDFS.range)[0] for p in properties if get(p, RDFS.range)},
        disjoint_domains={p: tuple(get(p, KGO.disjointDomain)) for p in properties if get(p, KGO.disjointDomain)},
        datatypes=_datatypes(schema, subjects, types),
        chains=_chains(schema, properties),
        inverses={p: tuple(sorted(found)) for p, found in sorted(inverses.items())},
        superproperties={p: frozenset(_ancestors(p, property_parents)) for p in properties},
        wikidata=wikidata,
        date_properties={p: get(p, KGO.dateProperty)[0] for p in properties if get(p, KGO.dateProperty)},
        gazetteer_facts=_gazetteer_facts(values, gazetteer, properties),
        # A name another entry has, or two place-only entries share, stands for none of them.
        place_names={k: next(iter(v)) for k, v in sorted(place_names.items())
                     if len(v) == 1 and k not in names and k not in government_names and k not in demonyms},
        generic_nouns=frozenset(w.casefold() for c in classes for w in get(c, KGO.genericNoun)),
        honorifics=frozenset(alias_key(w) for c in classes for w in get(c, KGO.honorific)),
        legal_forms=frozenset(alias_key(w) for c in classes for w in get(c, KGO.legalForm)),
        named_classes=frozenset(c for c in classes if "true" in get(c, KGO.namedClass)),
    )


def _sub_inverses(triples: Sequence[ox.Triple]) -> list[tuple[str, str]]:
    """Return (P, Q) for each "P rdfs:subPropertyOf [ owl:inverseOf Q ]"."""
    inverse_of = {t.subject: t.object.value for t in triples
                  if isinstance(t.subject, ox.BlankNode) and t.predicate.value == str(OWL.inverseOf)}
    return sorted((t.subject.value, inverse_of[t.object]) for t in triples
                  if isinstance(t.subject, ox.NamedNode) and t.predicate.value == str(RDFS.subPropertyOf)
                  and isinstance(t.object, ox.BlankNode) and t.object in inverse_of)


def _gazetteer_facts(values: dict[tuple[str, str], list[str]], gazetteer: dict[str, GazetteerEntry],
                     properties: Sequence[str]) -> dict[str, tuple[tuple[str, str], ...]]:
    """Return slug -> (property, slug) links between gazetteer entries, in one pass over the triples."""
    namespace, known = str(GAZ), set(properties)
    found: dict[str, set[tuple[str, str]]] = {slug: set() for slug in gazetteer}
    for (subject, predicate), objects in values.items():
        if predicate in known and subject.startswith(namespace) and subject[len(namespace):] in found:
            found[subject[len(namespace):]].update((predicate, o[len(namespace):]) for o in objects
                                                   if o.startswith(namespace))
    return {slug: tuple(sorted(links)) for slug, links in found.items()}


def _rdf_lists(triples: Sequence[ox.Triple], predicate: str) -> dict[str, list[list[str]]]:
    """Return subject IRI -> the RDF lists (of IRIs) it has as objects of ``predicate``."""
    by_subject: dict[object, dict[str, list[object]]] = {}
    for triple in triples:
        by_subject.setdefault(triple.subject, {}).setdefault(triple.predicate.value, []).append(triple.object)
    result: dict[str, list[list[str]]] = {}
    for subject, predicates in by_subject.items():
        if not isinstance(subject, ox.NamedNode):
            continue
        for head in predicates.get(predicate, ()):
            items: list[str] = []
            item = head
            while isinstance(item, ox.BlankNode) and str(RDF.first) in by_subject.get(item, {}):
                items.extend(f.value for f in by_subject[item][str(RDF.first)] if isinstance(f, ox.NamedNode))
                item = by_subject[item][str(RDF.rest)][0]
            result.setdefault(subject.value, []).append(items)
    return result


def _chains(triples: Sequence[ox.Triple], properties: Sequence[str]) -> dict[str, tuple[tuple[str, str], ...]]:
    """Return property -> its two-step property chains, sorted."""
    lists = _rdf_lists(triples, str(OWL.propertyChainAxiom))
    return {p: tuple(sorted((c[0], c[1]) for c in lists[p] if len(c) == 2)) for p in properties if p in lists}


def _datatypes(triples: Sequence[ox.Triple], subjects: Sequence[str], types: dict[str, set[str]]) -> dict[str, frozenset[str]]:
    """Return each declared rdfs:Datatype with the datatypes of its owl:unionOf (or itself)."""
    by_subject: dict[object, dict[str, list[object]]] = {}
    for triple in triples:
        by_subject.setdefault(triple.subject, {}).setdefault(triple.predicate.value, []).append(triple.object)

    def members(node: object) -> list[str]:
        found: list[str] = []
        for union in by_subject.get(node, {}).get(str(OWL.unionOf), []):
            item = union
            while isinstance(item, ox.BlankNode) and str(RDF.first) in by_subject.get(item, {}):
                found.extend(f.value for f in by_subject[item][str(RDF.first)] if isinstance(f, ox.NamedNode))
                item = by_subject[item][str(RDF.rest)][0]
        return found

    result: dict[str, frozenset[str]] = {}
    for subject in subjects:
        if str(RDFS.Datatype) not in types[subject]:
            continue
        node = ox.NamedNode(subject)
        found = members(node)
        for equivalent in by_subject.get(node, {}).get(str(OWL.equivalentClass), []):
            found.extend(members(equivalent))
        result[subject] = frozenset(found or [subject])
    return result


def _ancestors(cls: str, parents: dict[str, set[str]]) -> set[str]:
    seen: set[str] = set()
    stack = list(parents.get(cls, ()))
    while stack:
        parent = stack.pop()
        if parent not in seen and parent != cls:
            seen.add(parent)
            stack.extend(parents.get(parent, ()))
    return seen
