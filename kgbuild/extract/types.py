"""What the extraction stage gives: open triples over character spans of an article."""

from __future__ import annotations

from dataclasses import dataclass, field

from kgbuild.sources import Article


@dataclass(frozen=True)
class TextSpan:
    """A piece of the article text; ``start`` and ``end`` are character offsets into it."""

    text: str
    start: int
    end: int
    #: Lemma of the syntactic head ("chip" for "advanced AI chips").
    head: str = ""
    #: spaCy NER label covering the head, if any ("GPE", "ORG", "DATE", "MONEY", ...).
    entity_label: str = ""


@dataclass(frozen=True)
class Argument:
    """An argument beyond the object: "to China", "in January 2025", "for $1 billion"."""

    span: TextSpan
    #: The preposition or adverbial marker that introduced it ("to", "in"); "" for none.
    marker: str = ""


@dataclass(frozen=True)
class Triple:
    """One open-IE extraction: subject, relation phrase, object and further arguments."""

    subject: TextSpan
    #: The relation as written, with auxiliaries, particles and prepositions
    #: ("has imposed export restrictions on").
    relation: TextSpan
    #: The relation's lemmas without auxiliaries, lower-cased ("impose export restriction on").
    relation_lemma: str
    object: TextSpan | None
    sentence: TextSpan
    confidence: float
    arguments: tuple[Argument, ...] = ()
    negated: bool = False
    #: "" for a plain assertion, otherwise the marker that makes it hypothetical or
    #: reported ("could", "may", "if", "plan to", ...).
    modality: str = ""
    #: Name of the rule that produced it ("svo", "passive", "copula", "attribute", "apposition", ...).
    pattern: str = ""


@dataclass(frozen=True)
class Mention:
    """A mention of a thing: a named entity, a noun chunk or a pronoun."""

    span: TextSpan
    #: spaCy NER label, or "" for a common-noun phrase or pronoun.
    label: str = ""
    #: Index into ``Extraction.mentions`` of the mention this one refers back to, if known.
    antecedent: int | None = None


@dataclass(frozen=True)
class Extraction:
    """Everything the extraction stage found in one article."""

    article: Article
    sentence_count: int
    triples: tuple[Triple, ...] = ()
    mentions: tuple[Mention, ...] = field(default_factory=tuple)
