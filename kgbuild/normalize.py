"""Normalize open triples into facts in ontology terms, with canonical entities and evidence."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Union

from rdflib import Namespace

from kgbuild import __version__
from kgbuild.extract.types import Argument, Extraction, Mention, TextSpan, Triple
from kgbuild.ontology import Ontology, acronym_key, alias_key
from kgbuild.vocab import DEFAULT_BASE_IRI, KGO, XSD

#: Name and version written on every assertion.
EXTRACTOR = f"kgbuild {__version__}"

#: Words stripped from the front of a phrase before it is named or looked up.
_LEADING_WORDS = frozenset(
    "the a an this that these those its their his her our my your some any such".split()
)
#: Pronouns that mean nothing on their own; a fact whose subject or object is one of these and
#: that coreference did not resolve is left out rather than given a node called "it".
_PRONOUNS = frozenset(
    "it its they them their he him his she her we us our i me my you your this that these those "
    "which who whom what itself themselves himself herself one".split()
)
#: spaCy labels of values rather than things; they become literals, never entity nodes.
_VALUE_LABELS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"})

_MONTHS = {
    m: i
    for i, m in enumerate(
        "january february march april may june july august september october november december".split(), 1
    )
}
_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12, "k": 10**3,
           "m": 10**6, "bn": 10**9, "b": 10**9, "tn": 10**12}
_CURRENCIES = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "¥": "CNY", "yuan": "CNY", "dollar": "USD",
               "dollars": "USD", "euro": "EUR", "euros": "EUR", "pound": "GBP", "pounds": "GBP",
               "renminbi": "CNY", "yen": "JPY"}


@dataclass(frozen=True)
class Entity:
    """A node of the graph: a named entity or a concept, with its canonical IRI."""

    iri: str
    label: str
    #: Class IRIs, most specific first as found; kgo:Concept is among them for concepts.
    classes: tuple[str, ...]
    #: "entity" for a named thing, "concept" for a common-noun phrase.
    kind: str
    same_as: tuple[str, ...] = ()
    #: Other names: gazetteer aliases and the forms written in this article.
    aliases: tuple[str, ...] = ()
    #: Head-noun lemma of a concept ("chip" for "advanced AI chips").
    head: str = ""


@dataclass(frozen=True)
class Value:
    """A literal value with its XSD datatype IRI."""

    text: str
    datatype: str = str(XSD.string)


@dataclass(frozen=True)
class Qualifier:
    """A further argument of a fact: kgo:recipient China, kgo:date "2025-01"."""

    property: str
    value: Union[Entity, Value]


@dataclass(frozen=True)
class Relation:
    """The predicate of a fact: an ontology property, or a minted open relation."""

    iri: str
    label: str
    #: True for a minted property that the ontology does not know (a subproperty of kgo:relatedTo).
    open: bool = False


@dataclass(frozen=True)
class Evidence:
    """Where a fact comes from: the article, the sentence and how it was extracted."""

    article_id: str
    sentence: str
    #: Character offsets of the sentence in the article text.
    start: int
    end: int
    relation_text: str
    confidence: float
    pattern: str = ""
    extractor: str = EXTRACTOR


@dataclass(frozen=True)
class Fact:
    """One statement in ontology terms, with its qualifiers and evidence."""

    subject: Entity
    predicate: Relation
    object: Entity
    evidence: Evidence
    qualifiers: tuple[Qualifier, ...] = ()
    negated: bool = False
    modality: str = ""

    @property
    def asserted(self) -> bool:
        """Return True when the plain triple is stated as true (not negated, not hypothetical)."""
        return not self.negated and not self.modality


def slug(text: str) -> str:
    """Return a readable IRI path segment for a label: spaces become "_", unsafe characters %XX."""
    text = unicodedata.normalize("NFC", " ".join(text.split()))
    out = []
    for char in text:
        if char == " ":
            out.append("_")
        elif char.isalnum() or char in "-.~!$&+,;=:@":
            out.append(char)
        else:
            out.extend(f"%{byte:02X}" for byte in char.encode("utf-8"))
    return "".join(out)


def clean_phrase(text: str) -> str:
    """Strip quotes, leading determiners and a trailing possessive from a phrase."""
    text = " ".join(text.replace("\u201c", " ").replace("\u201d", " ").replace('"', " ").split())
    text = re.sub(r"['’]s$", "", text)
    text = re.sub(r"s['’]$", "s", text)
    text = text.strip(" ,;:!?-–—'’‘()[]")
    if text.endswith(".") and not re.search(r"(?:\b[A-Za-z]\.)+$", text):
        text = text.rstrip(".")
    words = text.split()
    while len(words) > 1 and words[0].casefold() in _LEADING_WORDS:
        words.pop(0)
    return " ".join(words)


@dataclass(frozen=True)
class _Context:
    """Per-article lookup tables built once from the extraction's mentions."""

    mentions: tuple[Mention, ...]
    by_offsets: dict[tuple[int, int], int]
    named_by_end: dict[int, tuple[int, ...]]
    text: str


def _context(extraction: Extraction) -> _Context:
    by_offsets: dict[tuple[int, int], int] = {}
    named_by_end: dict[int, list[int]] = {}
    for index, mention in enumerate(extraction.mentions):
        by_offsets.setdefault((mention.span.start, mention.span.end), index)
        if mention.label and mention.label not in _VALUE_LABELS:
            named_by_end.setdefault(mention.span.end, []).append(index)
    return _Context(
        extraction.mentions,
        by_offsets,
        {end: tuple(found) for end, found in named_by_end.items()},
        extraction.article.text,
    )


class _Resolver:
    """Resolves spans of one article to entities; stateless apart from per-article tables."""

    def __init__(self, ontology: Ontology, base_iri: str, context: _Context) -> None:
        self.ontology = ontology
        self.base_iri = base_iri
        self.context = context
        self.namespace = Namespace(base_iri)

    def referent(self, span: TextSpan) -> TextSpan:
        """Return the span that names what ``span`` refers to, following coreference links."""
        context = self.context
        index = context.by_offsets.get((span.start, span.end))
        if index is not None:
            seen = {index}
            root = index
            while context.mentions[root].antecedent is not None and context.mentions[root].antecedent not in seen:
                root = context.mentions[root].antecedent
                seen.add(root)
            if root != index:
                resolved = context.mentions[root]
                return self._named_inside(resolved.span, resolved.label) or resolved.span
        return self._named_inside(span, span.entity_label) or span

    def _named_inside(self, span: TextSpan, label: str) -> TextSpan | None:
        """Return the named-entity mention that ends ``span`` ("Chinese tech giant [Huawei]")."""
        end = span.end
        while end > span.start and not self.context.text[end - 1].isalnum():
            end -= 1
        for index in self.context.named_by_end.get(end, ()):
            mention = self.context.mentions[index]
            if span.start <= mention.span.start:
                head = mention.span.text.split()[-1] if mention.span.text.split() else ""
                return TextSpan(mention.span.text, mention.span.start, mention.span.end, head, mention.label)
        return None

    def resolve(self, span: TextSpan, as_place: bool = False) -> Entity | None:
        """Return the entity or concept a span refers to, or None for an unresolved pronoun."""
        target = self.referent(span)
        text = clean_phrase(target.text)
        if not text or (text.casefold() in _PRONOUNS and not (text.isupper() and len(text) > 1)):
            return None
        surface = clean_phrase(span.text)
        found = self.lookup(text, as_place)
        if found is None and target.head[:1].isupper():
            found = self.lookup(target.head, as_place)
        if found is not None:
            return self._gazetteer_entity(found, (surface, text))
        label = target.entity_label
        if label and label not in _VALUE_LABELS and any(w[:1].isupper() for w in text.split()):
            return self._named_entity(text, target, surface)
        return self._concept(text, target, span)

    def lookup(self, name: str, as_place: bool) -> str | None:
        """Return the gazetteer slug a name stands for in this role, or None."""
        ontology = self.ontology
        key = alias_key(name)
        if not as_place and key in ontology.government_names:
            return ontology.government_names[key]
        acronym = acronym_key(name)
        slugs = ontology.acronyms.get(acronym, ()) if acronym else ontology.names.get(key, ())
        if slugs:
            return slugs[0]
        words = name.split()
        if len(words) > 1 and words[-1].casefold() in ontology.metonym_heads:
            country = self._country(" ".join(words[:-1]))
            if country:
                return country
        if not as_place and key in ontology.demonyms:
            return ontology.demonyms[key]
        return None

    def _country(self, name: str) -> str | None:
        ontology = self.ontology
        key = alias_key(name)
        acronym = acronym_key(name)
        for slug_ in (ontology.acronyms.get(acronym, ()) if acronym else ontology.names.get(key, ())):
            return slug_
        return ontology.demonyms.get(key)

    def _gazetteer_entity(self, found: str, surfaces: tuple[str, ...]) -> Entity:
        entry = self.ontology.gazetteer[found]
        aliases = set(entry.aliases) | {s for s in surfaces if s}
        aliases.discard(entry.label)
        return Entity(
            iri=self.iri("entity", entry.slug),
            label=entry.label,
            classes=entry.classes,
            kind="entity",
            same_as=entry.same_as,
            aliases=tuple(sorted(aliases)),
        )

    def iri(self, kind: str, local: str) -> str:
        """Return the IRI of a minted resource: ``<base>{kind}/{local}``."""
        return str(self.namespace[f"{kind}/{local}"])

    def _named_entity(self, text: str, target: TextSpan, surface: str) -> Entity:
        ontology = self.ontology
        words = text.split()
        classes = []
        for word in (words[-1], words[0], target.head):
            cls = ontology.class_for_head(word)
            if cls and cls not in classes:
                classes.append(cls)
        ner_class = ontology.ner_classes.get(target.entity_label)
        if not classes and ner_class:
            classes.append(ner_class)
        if not classes:
            classes.append(str(KGO.Entity))
        aliases = tuple(sorted({surface} - {text, ""}))
        return Entity(self.iri("entity", slug(text)), text, tuple(classes[:1]), "entity", aliases=aliases)

    def _concept(self, text: str, target: TextSpan, span: TextSpan) -> Entity:
        words = text.split()
        first = words[0]
        sentence_initial = self.context.text[: target.start].rstrip(" \"“'‘").endswith((".", "!", "?", "\n")) or target.start == 0
        if sentence_initial and first[:1].isupper() and first[1:].islower() and alias_key(first) not in self.ontology.demonyms:
            words[0] = first.lower()
        label = " ".join(words)
        head = target.head if target.head.isupper() else target.head.lower()
        classes = [str(KGO.Concept)]
        cls = self.ontology.class_for_head(head)
        if cls:
            classes.append(cls)
        surface = clean_phrase(span.text)
        aliases = tuple(sorted({surface} - {label, ""}))
        return Entity(self.iri("concept", slug(label)), label, tuple(classes), "concept", aliases=aliases, head=head)


def normalize(extraction: Extraction, ontology: Ontology, base_iri: str = DEFAULT_BASE_IRI) -> tuple[Fact, ...]:
    """Turn one article's open triples into facts in ontology terms, in a deterministic order."""
    resolver = _Resolver(ontology, base_iri, _context(extraction))
    facts = [
        fact
        for triple in extraction.triples
        if (fact := normalize_triple(triple, extraction.article.id, resolver)) is not None
    ]
    return tuple(sorted(set(facts), key=_fact_order))


def _fact_order(fact: Fact) -> tuple[object, ...]:
    return (fact.evidence.start, fact.subject.iri, fact.predicate.iri, fact.object.iri, fact.evidence.relation_text,
            fact.evidence.pattern, fact.negated, fact.modality, repr(fact.qualifiers))


def _phrase_lemma(span: TextSpan) -> str:
    """Return a lower-case lemma-like form of a phrase: its words with the last one as its head."""
    words = clean_phrase(span.text).casefold().split()
    if words and span.head:
        words[-1] = span.head.casefold()
    return " ".join(words)


def normalize_triple(triple: Triple, article_id: str, resolver: _Resolver) -> Fact | None:
    """Map one open triple to a fact, or None when its subject or object resolves to nothing."""
    ontology = resolver.ontology
    lemma = triple.relation_lemma.casefold()
    obj: TextSpan | None = triple.object
    arguments = list(triple.arguments)
    match = ontology.match_relation(lemma) if obj is not None else None
    # A light verb with a nominalised relation as its object ("impose [export restrictions] on X")
    # or a relation without object but with a prepositional argument ("smuggled into X").
    for argument in triple.arguments:
        if not argument.marker:
            continue
        combined = " ".join(w for w in (lemma, _phrase_lemma(obj) if obj else "", argument.marker.casefold()) if w)
        candidate = ontology.match_relation(combined)
        if candidate and (match is None or candidate.score > match.score):
            match, obj = candidate, argument.span
            arguments = [a for a in triple.arguments if a is not argument]
            lemma = combined
            break
    if obj is None:
        return None
    subject = resolver.resolve(triple.subject)
    target = resolver.resolve(obj)
    if subject is None or target is None or subject.iri == target.iri:
        return None
    if match is not None:
        relation = Relation(match.property, ontology.property_labels.get(match.property, match.property))
        if match.inverse:
            subject, target = target, subject
    else:
        relation = Relation(resolver.iri("relation", slug(lemma)), lemma, True)
    qualifiers = [q for argument in arguments for q in _qualifiers(argument, resolver)]
    if match is not None and match.qualifier:
        qualifiers.append(Qualifier(str(KGO.qualifier), Value(match.qualifier)))
    sentence = triple.sentence
    evidence = Evidence(
        article_id=article_id,
        sentence=sentence.text,
        start=sentence.start,
        end=sentence.end,
        relation_text=triple.relation.text,
        confidence=round(float(triple.confidence), 4),
        pattern=triple.pattern,
    )
    return Fact(subject, relation, target, evidence, tuple(sorted(set(qualifiers), key=repr)), triple.negated,
                triple.modality)


def _qualifiers(argument: Argument, resolver: _Resolver) -> list[Qualifier]:
    """Return the qualifiers an argument gives a fact ("in January 2025" -> kgo:date)."""
    ontology = resolver.ontology
    span = argument.span
    marker = argument.marker.casefold()
    by_label = ontology.ner_qualifiers.get(span.entity_label)
    if by_label == str(KGO.date):
        return [Qualifier(by_label, parse_date(clean_phrase(span.text)))]
    if by_label == str(KGO.amount):
        return amount_qualifiers(clean_phrase(span.text))
    if by_label is not None and by_label not in ontology.object_properties:
        return [Qualifier(by_label, Value(clean_phrase(span.text)))]
    by_marker = ontology.marker_qualifiers.get(marker)
    as_place = by_marker == str(KGO.place) or (by_marker is None and by_label == str(KGO.place))
    if by_marker is not None or by_label is not None:
        entity = resolver.resolve(span, as_place=as_place)
        if entity is not None and entity.kind == "entity":
            place_ok = any(ontology.is_subclass(c, str(KGO.Place)) for c in entity.classes)
            if as_place and place_ok:
                return [Qualifier(str(KGO.place), entity)]
            if by_marker is not None and by_marker != str(KGO.place):
                return [Qualifier(by_marker, entity)]
    text = " ".join(w for w in (argument.marker, span.text) if w)
    return [Qualifier(str(KGO.argument), Value(" ".join(text.split())))]


def parse_date(text: str) -> Value:
    """Return a date as xsd:date, xsd:gYearMonth or xsd:gYear when it can be read, else as text."""
    lowered = text.casefold().replace(",", " ")
    iso = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", lowered.strip())
    if iso:
        return Value(iso.group(0), str(XSD.date))
    words = lowered.split()
    year = next((w for w in words if re.fullmatch(r"(1[89]|20|21)\d\d", w)), None)
    month = next((_MONTHS[w] for w in words if w in _MONTHS), None)
    day = next((int(w.rstrip("stndrh")) for w in words if re.fullmatch(r"\d{1,2}(st|nd|rd|th)?", w)), None)
    if year and month and day and 1 <= day <= 31:
        return Value(f"{year}-{month:02d}-{day:02d}", str(XSD.date))
    if year and month and len(words) == 2:
        return Value(f"{year}-{month:02d}", str(XSD.gYearMonth))
    if year and len(words) == 1:
        return Value(year, str(XSD.gYear))
    return Value(text)


def amount_qualifiers(text: str) -> list[Qualifier]:
    """Return kgo:amount as written, plus kgo:amountValue and kgo:currency when they can be read."""
    qualifiers = [Qualifier(str(KGO.amount), Value(text))]
    lowered = text.casefold()
    number = re.search(r"(\d[\d,]*(?:\.\d+)?)\s*(thousand|million|billion|trillion|bn|tn|k|m|b)?\b", lowered)
    if number:
        try:
            value = Decimal(number.group(1).replace(",", ""))
        except InvalidOperation:
            return qualifiers
        value *= _SCALES.get(number.group(2) or "", 1)
        qualifiers.append(Qualifier(str(KGO.amountValue), Value(format(value.normalize(), "f"), str(XSD.decimal))))
    currency = next((code for sign, code in sorted(_CURRENCIES.items()) if sign in lowered.split() or
                     (not sign.isalpha() and sign in lowered)), None)
    if currency:
        qualifiers.append(Qualifier(str(KGO.currency), Value(currency)))
    return qualifiers

