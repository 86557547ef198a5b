"""Normalize open triples into facts in ontology terms, with canonical entities and evidence."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from decimal import Decimal, InvalidOperation
from typing import Union


from kgbuild import __version__
from kgbuild.coref import Discourse, discourse
from kgbuild.extract.nominal import PATTERN_CONFIDENCE as NOUN_PHRASE_PATTERNS, TIME_MODIFIERS
from kgbuild.extract.types import Argument, Extraction, Mention, TextSpan, Triple
from kgbuild.ontology import Ontology, TriggerMatch, acronym_key, alias_key
from kgbuild.vocab import DEFAULT_BASE_IRI, KGO, XSD, minted_iri

#: Name and version written on every assertion.
EXTRACTOR = f"kgbuild {__version__}"

#: Words stripped from the front of a phrase before it is named or looked up.
_LEADING_WORDS = frozenset(
    "the a an this that these those its their his her our my your whose some any such own".split()
)
#: Pronouns that mean nothing on their own; a fact whose subject or object is one of these and
#: that coreference did not resolve is left out rather than given a node called "it".
_PRONOUNS = frozenset(
    "it its they them their he him his she her we us our i me my you your this that these those "
    "which who whom what itself themselves himself herself one".split()
)
#: spaCy labels of values rather than things; they become literals, never entity nodes.
#: Words after which a phrase lists named examples of itself.
_EXAMPLE_MARKER = re.compile(r"\b(?:like|including|such as)\s")
#: A trailing possessive: "Nvidia's" -> "Nvidia", "countries'" -> "countries".
_POSSESSIVE = re.compile(r"(?:(s)['’]|['’]s)$")
#: A phrase ending in an abbreviation whose final dot belongs to it ("the U.S.").
_ABBREVIATION_END = re.compile(r"(?:\b[A-Za-z]\.)+$")
_VALUE_LABELS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"})
#: spaCy labels of mentions that name a place: the names of kgo:placeNamesOnly gazetteer entries resolve on them.
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
#: Classes whose head nouns name a place by "of": "the city of Austin" is Austin (and "the region of Apulia").
_KINDS_NAMED_BY_OF = (str(KGO.Country), str(KGO.AdministrativeArea), str(KGO.City))
#: Pronouns that document-level coreference resolves when they start a clause's subject, by the
#: kind of thing they refer to.
_PRONOUN_KINDS = {"it": "thing", "its": "thing", "they": "group", "their": "group",
                  "he": "person", "his": "person", "she": "person", "her": "person"}
#: "It" that stands for no thing but for a clause that follows: "it was announced that ...", "it
#: is likely to ...", "it is believed that ...".
_EXPLETIVE_IT = re.compile(
    r"\s+(?:is|was|has been|had been|will be|would be|may be|might be|could be|seems|seemed|appears|appeared)"
    r"(?:\s+\w+ly)?\s+(?:(?:\w+(?:ed|en)|likely|unlikely|clear|unclear|true|known|thought|said|believed)"
    r"\s+(?:that|whether|if)|(?:possible|impossible|important|necessary|difficult|easy|hard)\s+(?:that|to))\b",
    re.IGNORECASE)
#: Modifiers by which a description sets its referent apart from one already named ("the other
#: school", "the second album"): such a description is not the article's topic.
_CONTRASTIVE = frozenset("other another different rival first second third next previous last".split())
#: How many earlier clause subjects a pronoun may continue.
_SUBJECTS_BACK = 6
_PERSON_GENDERS = {"he": "m", "his": "m", "him": "m", "she": "f", "her": "f"}

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
    #: An entity, or a typed literal for a property whose range is a datatype (a date of birth).
    object: Union[Entity, Value]
    evidence: Evidence
    qualifiers: tuple[Qualifier, ...] = ()
    negated: bool = False
    modality: str = ""
    #: For a report ("X said that ..."): the reported clause as written. The object is then the
    #: assertion of a fact read from the clause, or this text when none could be read.
    statement: str = ""

    @property
    def asserted(self) -> bool:
        """Return True when the plain triple is stated as true (not negated, not hypothetical, not a report)."""
        return not self.negated and not self.modality and not self.statement


@lru_cache(maxsize=1 << 16)
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


def relation_slug(lemma: str) -> str:
    """Return the IRI segment of an open relation: its lemma's words joined by "_", letters and digits only."""
    words = ("".join(c for c in word if c.isalnum()) for word in lemma.split())
    return "_".join(w for w in words if w) or "related"


#: A parenthesis that ends a phrase (closed or cut off by the span): an abbreviation or an aside,
#: "British American Tobacco (BAT)", not part of the name.
_TRAILING_ASIDE = re.compile(r"(?<=\w)\s*\([^()]*\)?$")


#: The end of a sentence inside a phrase: a full stop, "!" or "?" (and closing quotes) before a
#: capital or a digit. Whether the word before it is an abbreviation is checked separately.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s+(?=[\"'“‘(]*[A-Z0-9])")
#: A word ending in a full stop that does not end a sentence: "Mr.", "Corp.", "U.S.", "J.".
_ABBREVIATION = re.compile(r"(?:[A-Z][a-z]{0,3}|(?:[A-Za-z]\.)*[A-Za-z])\.$")


def first_sentence(text: str) -> str:
    """Return the text up to the end of its first sentence, so that no label runs across sentences."""
    for end in _SENTENCE_END.finditer(text):
        words = text[:end.start() + 1].split()
        if words and not _ABBREVIATION.fullmatch(words[-1]):
            return text[:end.start() + 1]
    return text


@lru_cache(maxsize=1 << 16)
def clean_phrase(text: str) -> str:
    """Strip quotes, leading determiners, a trailing parenthesis and a trailing possessive from a phrase.

    The phrase is cut at the end of its first sentence, and curly apostrophes become straight ones.
    """
    text = first_sentence(text).replace("’", "'")
    text = " ".join(text.replace("\u201c", " ").replace("\u201d", " ").replace('"', " ").split())
    text = _POSSESSIVE.sub(r"\1", text)
    text = _TRAILING_ASIDE.sub("", text)
    text = text.strip(" ,;:!?-–—'’‘()[]")
    if text.endswith(".") and not _ABBREVIATION_END.search(text):
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
    by_start: dict[int, tuple[int, ...]]
    named_by_end: dict[int, tuple[int, ...]]
    #: Start offsets and indexes of named mentions, in text order.
    named_starts: tuple[int, ...]
    named_indexes: tuple[int, ...]
    #: Start offsets and indexes of MONEY mentions, in text order.
    money_starts: tuple[int, ...]
    money_indexes: tuple[int, ...]
    text: str


def _context(extraction: Extraction) -> _Context:
    by_offsets: dict[tuple[int, int], int] = {}
    by_start: dict[int, list[int]] = {}
    named_by_end: dict[int, list[int]] = {}
    named: list[tuple[int, int]] = []
    money: list[tuple[int, int]] = []
    for index, mention in enumerate(extraction.mentions):
        if mention.label == "MONEY":
            money.append((mention.span.start, index))
        by_offsets.setdefault((mention.span.start, mention.span.end), index)
        by_start.setdefault(mention.span.start, []).append(index)
        if _is_named(mention):
            named_by_end.setdefault(mention.span.end, []).append(index)
            named.append((mention.span.start, index))
    named.sort()
    money.sort()
    return _Context(
        extraction.mentions,
        by_offsets,
        {start: tuple(found) for start, found in by_start.items()},
        {end: tuple(found) for end, found in named_by_end.items()},
        tuple(start for start, _ in named),
        tuple(index for _, index in named),
        tuple(start for start, _ in money),
        tuple(index for _, index in money),
        extraction.article.text,
    )


#: Words after which a noun phrase's modifiers begin: prepositions and relative words.
_PHRASE_BREAKS = frozenset(
    "about above across after against along amid amidst among around as at before behind below beside between "
    "beyond by despite during except for from in inside into like near off on onto outside over past per since "
    "than through throughout to toward towards under unlike until upon versus via with within without that "
    "which who whom whose where when".split()
)
#: Longest concept label, in words other than articles and "of" ("establishment of a world AI
#: cooperation organisation" has five).
MAX_LABEL_WORDS = 6
_NON_CONTENT_WORDS = frozenset({"the", "a", "an", "of"})


def _content_words(text: str) -> int:
    return sum(1 for word in text.split() if word.casefold() not in _NON_CONTENT_WORDS)


def _is_named(mention: Mention) -> bool:
    return bool(mention.label) and mention.label not in _VALUE_LABELS


#: Words left out of an acronym's letters ("Organisation for Economic Co-operation and Development").
_ACRONYM_SKIPPED = frozenset("of and for the on in to at de du des la le von der &".split())
#: Labels of a single word that may be the short form of a longer organization name ("" for untagged).
_SHORT_LABELS = frozenset({"ORG", "PERSON", "PRODUCT", ""})
#: The class of people, whom a bare role noun does not pick out by class alone.
_PERSON = str(KGO.Person)
_ORGANIZATION = str(KGO.Organization)
#: Labels of the names a description sets off.
_APPOSITIVE_LABELS = frozenset({"PERSON", "ORG"})
#: spaCy labels of names that resolve across spelling variants, acronyms and short forms.
_NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW"})


@dataclass(frozen=True)
class _Name:
    """One distinct way a name is written in an article, with what resolution needs to know of it."""

    text: str
    label: str
    first: int
    count: int
    #: The name without a courtesy title ("Merkel" for "Mrs Merkel").
    core: tuple[str, ...]
    #: Letters, digits only, folded case, without a legal form ("glaxosmithkline").
    compact: str
    person: bool
    #: Written after a courtesy title ("Mr Okafor").
    titled: bool = False


def _compact(words: Sequence[str]) -> str:
    return re.sub(r"[\W_]+", "", "".join(words).casefold())


def _initials(words: Sequence[str]) -> set[str]:
    """Return the acronyms a name can have: first letters of its words (from any word on), or its capitals."""
    letters = [part[0].upper() for word in words for part in re.split(r"[-/]", word)
               if part and part.casefold() not in _ACRONYM_SKIPPED and part[0].isalpha()]
    found = {"".join(letters[start:]) for start in range(len(letters) - 1)}
    capitals = "".join(c for c in "".join(words) if c.isupper())
    if len(capitals) > 1:
        found.add(capitals)
    return found


class _Names:
    """Groups the names of one article that denote one thing, and gives each group its full name.

    "Angela Merkel", "Mrs Merkel" and "Merkel"; "GlaxoSmithKline" and "Glaxo SmithKline"; "the UK
    Financial Conduct Authority", "the Financial Conduct Authority" and "the FCA" become one group,
    named by its longest form. The result depends only on the article, never on other articles.
    """

    def __init__(self, mentions: Sequence[Mention], text: str, ontology: Ontology) -> None:
        self.ontology = ontology
        names: dict[str, _Name] = {}
        for mention in mentions:
            written = clean_phrase(mention.span.text)
            # Unlabelled capitalised phrases ("NORTHBRIDGE CAPITAL") join a group only by spelling.
            capitalised = bool(written) and all(w[:1].isupper() or w[:1].isdigit() for w in written.split())
            if mention.label not in _NAME_LABELS and not (not mention.label and capitalised):
                continue
            if not written or not any(c.isupper() for c in written):
                continue
            key = alias_key(written)
            if key in names:
                known = names[key]
                if not known.label and mention.label in _NAME_LABELS:
                    # Tagged here, untagged where first written ("Westmere ..." at a sentence start).
                    known = replace(known, label=mention.label, person=known.person or mention.label == "PERSON")
                names[key] = replace(known, count=known.count + 1)
                continue
            words = written.split()
            titled = bool(words) and alias_key(words[0]) in ontology.honorifics
            before = text[max(0, mention.span.start - 40):mention.span.start].split()[-1:]
            titled_before = bool(before) and alias_key(before[0]) in ontology.honorifics
            core = tuple(words[1:] if titled and len(words) > 1 else words)
            plain = [w for w in core if alias_key(w) not in ontology.legal_forms] or list(core)
            person = mention.label == "PERSON" or titled or titled_before
            names[key] = _Name(written, "PERSON" if person else mention.label, mention.span.start, 1, core,
                               _compact(plain), person, titled or titled_before)
        self.names = names
        self.parent = {key: key for key in names}
        self._group()
        groups: dict[str, list[_Name]] = {}
        for key, name in names.items():
            groups.setdefault(self._find(key), []).append(name)
        #: alias_key(written name) -> (full name, entity label, every written form of the group).
        self.canonical: dict[str, tuple[str, str, tuple[str, ...]]] = {}
        #: A single word -> the one person group whose full name ends with it, for names the tagger missed.
        self.surnames: dict[str, tuple[str, str, tuple[str, ...]]] = {}
        for members in groups.values():
            best = max(members, key=lambda n: (self._length(n), not self._class_after(n), not n.text.isupper(),
                                               n.count, -n.first))
            labels = sorted((-sum(m.count for m in members if m.label == n.label), n.label) for n in members if n.label)
            label = "PERSON" if any(m.person and len(m.core) > 1 for m in members) else (labels or [(0, "")])[0][1]
            full = " ".join(best.core)
            forms = tuple(sorted({m.text for m in members}))
            for member in members:
                self.canonical[alias_key(member.text)] = (full, label, forms)
            if label == "PERSON" and len(best.core) > 1:
                self.surnames.setdefault(best.core[-1], ("", "", ()))
                taken = self.surnames[best.core[-1]]
                self.surnames[best.core[-1]] = (full, label, forms) if not taken[0] else ("", "", ())

    def _length(self, name: _Name) -> int:
        """Count the words that name the thing: not a legal form, nor a lower-case class noun after the name."""
        core = name.core[:-1] if self._class_after(name) else name.core
        return sum(1 for w in core if alias_key(w) not in self.ontology.legal_forms)

    def _class_after(self, name: _Name) -> bool:
        """Tell whether the name ends in a lower-case organization noun ("the Democratic Alliance party")."""
        if len(name.core) < 2 or not name.core[-1].islower() or name.person:
            return False
        cls = self.ontology.class_for_head(name.core[-1])
        return cls is not None and self.ontology.is_subclass(cls, _ORGANIZATION)

    def _find(self, key: str) -> str:
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def _union(self, one: str, other: str) -> None:
        first, second = sorted((self._find(one), self._find(other)))
        self.parent[second] = first

    def _group(self) -> None:
        names = self.names
        ordered = sorted(names.items(), key=lambda item: (item[1].first, item[0]))
        by_compact: dict[str, str] = {}
        for key, name in ordered:
            if name.compact in by_compact:
                self._union(key, by_compact[name.compact])
            else:
                by_compact[name.compact] = key
        # "the Democratic Alliance party", "the Tata group": a lower-case noun after a name is its class.
        for key, name in ordered:
            if self._class_after(name):
                bare = by_compact.get(_compact(name.core[:-1]))
                # "the Trump administration" is not Trump.
                if bare is not None and not names[bare].person:
                    self._union(key, bare)
        # Word -> the names that start or end with it, so that short forms cost one look-up each.
        people: dict[tuple[int, str], list[str]] = {}
        organizations: dict[tuple[int, str], list[str]] = {}
        for key, name in ordered:
            if len(name.core) > 1 and (name.person or name.label == "ORG"):
                for position in (0, -1):
                    word = _compact(name.core[position:][:1]) if name.person else name.core[position].casefold()
                    (people if name.person else organizations).setdefault((position, word), []).append(key)
        self._prefixed(ordered)
        spelled = {self._find(key) for key, name in ordered if len(name.core) > 1}
        for key, name in ordered:
            if len(name.core) != 1 or self._is_place(name.core[0]) or acronym_key(name.core[0]):
                continue
            # A place's name inside an organization's ("Calgary City Council") is a modifier, not a
            # short form; a word already joined to a longer name by its spelling stays there.
            if not self._short_person(key, name, people) and not name.titled and name.label in _SHORT_LABELS \
                    and self._find(key) not in spelled:
                self._short_name(key, name, organizations)
        self._acronyms(ordered)

    def _short_person(self, key: str, name: _Name, people: dict[tuple[int, str], list[str]]) -> bool:
        """Join "Merkel" (or, for a person, "Angela") to the one full name of the article ending (starting) with it.

        Return True when the word is the surname or first name of some full name, joined or not.
        """
        word = _compact(name.core)
        for position in (-1, 0) if name.person else (-1,):
            keys = people.get((position, word), ())
            groups = {self._find(k) for k in keys}
            if len(groups) > 1:
                # Several people share the word (a politician and his brother): news names the first
                # in full, then writes the bare word for him, and names the relative in full each time.
                earlier = {self._find(k) for k in keys if self.names[k].first < name.first}
                if len(earlier) == 1:
                    groups = earlier
            if len(groups) == 1:
                self._union(key, groups.pop())
            if groups:
                return True
        return False

    def _short_name(self, key: str, name: _Name, organizations: dict[tuple[int, str], list[str]]) -> None:
        """Join "Kestrel" (first word) or "the Commission" (last word) to the one longer name that has it.

        A word already joined to a longer name by its spelling ("Atari" and "Atari, Inc.") stays there.
        """
        word = name.core[0].casefold()
        for position in (0, -1):
            groups = {self._find(k) for k in organizations.get((position, word), ())}
            if len(groups) == 1:
                self._union(key, groups.pop())
                return
            if groups:
                return

    def _prefixed(self, ordered: Sequence[tuple[str, _Name]]) -> None:
        """Join "the UK Financial Conduct Authority" to "the Financial Conduct Authority"."""
        by_words = {tuple(w.casefold() for w in n.core): k for k, n in ordered if len(n.core) > 1 and not n.person}
        for key, name in ordered:
            if name.person:
                continue
            for cut in range(1, len(name.core) - 1):
                prefix, rest = name.core[:cut], tuple(w.casefold() for w in name.core[cut:])
                if rest in by_words and self._is_place(" ".join(prefix)):
                    self._union(key, by_words[rest])
                    break

    def _is_place(self, text: str) -> bool:
        ontology = self.ontology
        key = alias_key(clean_phrase(text))
        acronym = acronym_key(text)
        return bool((ontology.acronyms.get(acronym) if acronym else ontology.names.get(key))
                    or key in ontology.demonyms)

    def _acronyms(self, ordered: Sequence[tuple[str, _Name]]) -> None:
        """Join an acronym to the one name of the article whose initials it is ("FCA", "GSK")."""
        expansions: dict[str, list[tuple[int, str]]] = {}
        for key, name in ordered:
            if len(name.core) > 1 or (name.core and not acronym_key(name.core[0])):
                for initials in _initials(name.core):
                    expansions.setdefault(initials, []).append((name.first, key))
        for key, name in ordered:
            acronym = acronym_key(" ".join(name.core)) if len(name.core) == 1 else None
            # Two letters are too often someone else's initials; "X (AB)" is linked by the mention finder.
            if acronym is None or len(acronym) < 3 or acronym in self.ontology.acronyms or acronym not in expansions:
                continue
            groups = {self._find(k) for _, k in expansions[acronym] if k != key}
            if len(groups) == 1:
                self._union(key, groups.pop())
            elif groups:
                # Several names share these initials: the nearest one written before the acronym.
                before = [(first, k) for first, k in expansions[acronym] if first < name.first and k != key]
                if before:
                    self._union(key, max(before)[1])

    def full_name(self, written: str) -> tuple[str, str, tuple[str, ...]] | None:
        """Return the full name, label and written forms of the group a written name belongs to."""
        return self.canonical.get(alias_key(written))

    def ending(self, written: str, person: bool) -> tuple[str, str, tuple[str, ...]] | None:
        """Return the group of the longest tagged name the written phrase ends with, after other words.

        For a person's phrase, a last word that is the surname of one full name will do.
        """
        words = written.split()
        for start in range(1, len(words)):
            if words[start][:1].isupper():
                found = self.canonical.get(alias_key(" ".join(words[start:])))
                if found is not None and found[1]:
                    return found
        return self.person_by_surname(words[-1]) if person and len(words) > 1 else None

    def person_by_surname(self, written: str) -> tuple[str, str, tuple[str, ...]] | None:
        """Return the one person group of the article whose surname this capitalised word is."""
        found = self.surnames.get(written)
        return found if found is not None and found[0] else None


def _is_title(written: str) -> bool:
    """Return True for a phrase written as a title: every word but short ones capitalised ("Two Doors Down")."""
    return bool(written) and written[:1].isupper() and all(w[:1].isupper() or len(w) <= 3 for w in written.split())


class _Resolver:
    """Resolves spans of one article to entities; stateless apart from per-article tables."""

    def __init__(self, ontology: Ontology, base_iri: str, context: _Context, discourse: Discourse) -> None:
        #: What a top-level ``resolve`` gave for each (span, as_place), and how deep ``resolve`` calls are nested now.
        self._resolved: dict[tuple[TextSpan, bool], Entity | None] = {}
        self._depth = 0
        self.ontology = ontology
        self.base_iri = base_iri
        self.context = context
        self.discourse = discourse
        self.names = _Names(context.mentions, context.text, ontology)
        #: Mention index -> the name a pronoun refers to by the document-level rules (None: no rule applies).
        self._pronoun_referents: dict[int, TextSpan | None] = {}
        self._topic: tuple[TextSpan, Entity] | None | bool = False
        self._gender: str | None = None
        #: alias_key of the untagged title the article opens with and describes ("The Hurting is an album").
        self._title = self._topic_title()

    def _base_mention(self, span: TextSpan) -> int | None:
        """Return the mention a span is, or the noun phrase it starts with ("The conference, organised by ...")."""
        context = self.context
        index = context.by_offsets.get((span.start, span.end))
        if index is not None:
            return index
        head = span.head.casefold()
        best: int | None = None
        for start in (span.start, span.start + len(span.text.split(" ", 1)[0]) + 1):
            for candidate in context.by_start.get(start, ()):
                mention = context.mentions[candidate].span
                if mention.end > span.end or (head and head not in mention.text.casefold()):
                    continue
                if best is None or mention.end > context.mentions[best].span.end:
                    best = candidate
            if best is not None:
                return best
        return None

    def referents(self, span: TextSpan) -> list[TextSpan]:
        """Return what ``span`` may name, best first: its coreference antecedent, then the phrase itself."""
        context = self.context
        index = self._base_mention(span)
        base = span if index is None else context.mentions[index].span
        found: list[TextSpan] = []
        if index is not None:
            seen = {index}
            root = index
            alone = self._sets_apart(context.mentions[index]) or self._expletive(context.mentions[index])
            while context.mentions[root].antecedent is not None and context.mentions[root].antecedent not in seen \
                    and not alone:
                root = context.mentions[root].antecedent
                seen.add(root)
            described = self._pronoun_referent(index) or self._described(index, root)
            if described is not None:
                found.append(described)
            elif root != index and not self._unnamed_role(context.mentions[index]):
                # The antecedent may itself be a pronoun or description that refers on ("its" -> "the band").
                resolved = context.mentions[root]
                found.append(self._pronoun_referent(root) or self._described(root, root)
                             or self._named_inside(resolved.span) or resolved.span)
            if context.mentions[index].label and not base.entity_label:
                base = TextSpan(base.text, base.start, base.end, base.head, context.mentions[index].label)
            base = self._with_of_complement(base, span.end)
        found.append(self._named_inside(base) or base)
        return found

    def _both(self, span: TextSpan) -> list[Entity]:
        """Return the two things "both countries" stands for: the last two names of the article of that class."""
        words = clean_phrase(span.text).split()
        if len(words) != 2 or span.text.split()[0].casefold() != "both":
            return []
        described = self.ontology.class_for_head(span.head or words[1])
        if described is None:
            return []
        context = self.context
        last = bisect_left(context.named_starts, span.start)
        found: dict[str, Entity] = {}
        for index in reversed(context.named_indexes[max(0, last - 30):last]):
            mention = context.mentions[index]
            if mention.label in _VALUE_LABELS or mention.span.end > span.start:
                continue
            entity = self.resolve(mention.span)
            if entity is not None and entity.kind == "entity" and entity.classes and \
                    self.ontology.is_subclass(entity.classes[0], described):
                found.setdefault(entity.iri, entity)
                if len(found) == 2:
                    return sorted(found.values(), key=lambda e: e.iri)
        return []

    def _described(self, index: int, root: int) -> TextSpan | None:
        """Return the name a definite description ("the film", "the firm") stands for.

        The article's topic, when the article describes it with the description's head noun ("X is a
        1999 drama film") or its name ends with it, wins; then the name the article last described
        with the head noun ("X, a German band,"); then the nearest earlier name whose class is the
        description's class or a subclass of it; then the nearest whose class is more general (an
        organization of unknown kind for "the firm"). A description already linked to a name with
        its own head noun ("the administration" to "the Trump administration") keeps that link, and
        one linked to a gazetteer entry keeps it unless the article described a name with the head
        noun.
        """
        context = self.context
        ontology = self.ontology
        mention = context.mentions[index]
        words = mention.span.text.split()
        if mention.label or len(words) < 2 or words[0].casefold() not in ("the", "this", "that"):
            return None
        if any(w[:1].isupper() for w in words[1:]) or self._sets_apart(mention):
            return None
        if root != index and mention.span.head.casefold() in context.mentions[root].span.text.casefold():
            # Linked to a phrase with its head noun: to what that phrase describes, if it is a
            # predicate nominative or an apposition ("X is the debut album ... The album").
            described = self.discourse.described_by(context.mentions[root].span.start)
            named = None if described is None else self._named_referent(described)
            return None if named is None else named[0]
        stated = self._stated(mention.span)
        if stated is not None:
            return stated
        described = ontology.class_for_head(mention.span.head)
        if described is None or not ontology.ner_labels_of((described,)) or self._unnamed_role(mention):
            return None
        if root != index:
            entity = self.resolve(context.mentions[root].span)
            if entity is not None and entity.same_as:
                return None
        last = bisect_left(context.named_starts, mention.span.start)
        nearby = [context.mentions[i] for i in context.named_indexes[max(0, last - 15):last]][::-1]
        classes = []
        for candidate in nearby:
            if candidate.label in _VALUE_LABELS or candidate.span.end > mention.span.start:
                continue
            entity = self.resolve(candidate.span)
            if entity is not None and entity.kind == "entity" and entity.classes:
                classes.append((candidate, entity.classes[0]))
        # A name of this or the sentence before that the description fits is its antecedent, even if
        # the tagger gave it only a general class ("... the chief executive of Airbus. The company").
        here = self.discourse.sentence_of(mention.span.start)
        for candidate, cls in classes:
            if self.discourse.sentence_of(candidate.span.start) < here - 1:
                break
            if ontology.is_subclass(cls, described) or ontology.is_subclass(described, cls):
                span = candidate.span
                return TextSpan(span.text, span.start, span.end, span.head, candidate.label)
        for fits in (lambda c: ontology.is_subclass(c, described), lambda c: ontology.is_subclass(described, c)):
            for candidate, cls in classes:
                if fits(cls):
                    span = candidate.span
                    return TextSpan(span.text, span.start, span.end, span.head, candidate.label)
        return None

    def _unnamed_role(self, mention: Mention) -> bool:
        """Tell whether a description is a person's role ("the minister") that the article gave no name.

        Such a role is someone new, not the last person named: "Lisa Su met the minister" does not
        say she met herself. A role the article described a name with ("X, the minister,") was
        taken by :meth:`_described` before this is asked.
        """
        words = mention.span.text.casefold().split()
        if mention.label or len(words) < 2 or words[0] not in ("the", "this", "that"):
            return False
        described = self.ontology.class_for_head(mention.span.head)
        return described is not None and self.ontology.is_subclass(described, _PERSON)

    @staticmethod
    def _sets_apart(mention: Mention) -> bool:
        """Return True for a description that no name before it is: "the other school", "the feeder schools"."""
        words = mention.span.text.casefold().split()
        if mention.label or len(words) < 2 or words[0] not in ("the", "this", "that", "these", "those"):
            return False
        # A plural is not the one thing a name is; "the other school" is another one.
        last = clean_phrase(mention.span.text).casefold().split()[-1:]
        return any(w in _CONTRASTIVE for w in words[1:]) or \
            bool(last) and last[0] != mention.span.head.casefold() and last[0].endswith("s")

    def _expletive(self, mention: Mention) -> bool:
        """Return True for an "it" that stands for the clause after it ("it was announced that ...")."""
        if mention.label or mention.span.text.casefold() != "it":
            return False
        return _EXPLETIVE_IT.match(self.context.text, mention.span.end) is not None

    def _stated(self, description: TextSpan) -> TextSpan | None:
        """Return the name the article last described with this description's head noun ("the film")."""
        if not description.head:
            return None
        if self.discourse.described_by(description.start) is not None:
            # A predicate nominative or an apposition describes its own subject, not an earlier name.
            return None
        head = description.head.casefold()
        topic = self._topic_referent()
        subject = self.discourse.topic()
        if topic is not None and subject is not None and topic[0].end <= description.start and \
                (topic[0].head.casefold() == head or head in self.discourse.heads_of(subject)):
            # The article's topic, described with the head noun or named with it ("The Link River ... the river").
            return topic[0]
        subject = self.discourse.described(description.head, description.start)
        named = None if subject is None or subject.end > description.start else self._named_referent(subject)
        if named is None:
            # "The Link River ... the river": the topic's own name has the head noun.
            if topic is not None and topic[0].head.casefold() == head and topic[0].end <= description.start:
                named = topic
        return None if named is None else named[0]

    def _named_referent(self, span: TextSpan) -> tuple[TextSpan, Entity] | None:
        """Return the name a phrase refers to and its entity, or None when it refers to no named thing."""
        for target in self.referents(span):
            written = clean_phrase(target.text)
            if target.entity_label in _VALUE_LABELS or not any(c.isupper() for c in written):
                continue
            entity = self.resolve(target)
            # A title the tagger missed ("The Hurting", "Two Doors Down") is a name all the same.
            if entity is not None and (entity.kind == "entity" or entity.kind == "concept" and _is_title(written)):
                return target, self._as_described(span, entity)
        return None

    def _as_described(self, span: TextSpan, entity: Entity) -> Entity:
        """Return the entity with the class its description gives ("X is a magazine"), which beats the tagger's."""
        if entity.same_as:
            return entity
        for head in self.discourse.heads_of(span):
            cls = self.ontology.class_for_head(head)
            if cls is not None and self.ontology.is_subclass(cls, str(KGO.Entity)):
                return replace(entity, classes=(cls,))
        return entity

    def _topic_person_named(self, word: str) -> Entity | None:
        """Return the topic person when a name written as one word is part of the topic's name ("Dearle")."""
        if not word[:1].isupper() or len(word) < 3:
            return None
        topic = self._topic_referent()
        if topic is None or not self._fits_pronoun(topic[1], "person") or word not in topic[1].label.split():
            return None
        return topic[1]

    def _topic_title(self) -> str:
        """Return the alias key of a title the tagger missed that the article is about, or "".

        The subject of the first sentence, written as a title and described ("The Hurting is the
        debut studio album by ..."), is a name: the article is about it.
        """
        subject = self.discourse.topic()
        if subject is None or not self.discourse.is_described(subject):
            return ""
        index = self._base_mention(subject)
        if index is None or self.context.mentions[index].label:
            return ""
        written = clean_phrase(self.context.mentions[index].span.text)
        if written.casefold() in _LEADING_WORDS or written.casefold() in _PRONOUNS or not _is_title(written):
            return ""
        return alias_key(written)

    def _topic_referent(self) -> tuple[TextSpan, Entity] | None:
        """Return the name the article is about (the subject of its first sentence) and its entity."""
        if self._topic is False:
            self._topic = None
            subject = self.discourse.topic()
            self._topic = None if subject is None else self._named_referent(subject)
            first = self.context.mentions[0] if self.context.mentions else None
            if self._topic is None and first is not None and first.span.start <= 1 \
                    and first.label not in _VALUE_LABELS:
                # No clause subject in the first sentence: the name that opens the article.
                self._topic = self._named_referent(first.span)
        return self._topic  # type: ignore[return-value]

    def _pronoun_referent(self, index: int) -> TextSpan | None:
        """Return the name a subject pronoun refers to: an earlier clause's subject, else the article's topic.

        "It" and "its" refer to a named thing that is not a person, "they" and "their" to an
        organization, "he", "she", "his" and "her" to a person. None when the pronoun is not a
        clause's subject or neither fits; the mention finder's antecedent then stands.
        """
        if index in self._pronoun_referents:
            return self._pronoun_referents[index]
        self._pronoun_referents[index] = None
        mention = self.context.mentions[index]
        kind = _PRONOUN_KINDS.get(mention.span.text.casefold())
        if kind is None or mention.label or not self.discourse.starts_subject(mention.span.start) \
                or self._expletive(mention):
            return None
        # Lazily and at most a few, as a run-on "sentence" may have many clauses.
        subjects = (n for n in (self._named_referent(s) for s in
                                self.discourse.subjects_before(mention.span.start, _SUBJECTS_BACK)) if n is not None)
        topic = self._topic_referent()
        if kind == "person":
            found = self._person_referent(mention, next(subjects, None), topic)
        else:
            found = next((n[0] for n in subjects if self._fits_pronoun(n[1], kind)), None)
            if found is None and topic is not None and self._fits_pronoun(topic[1], kind):
                found = topic[0]
        self._pronoun_referents[index] = found
        return found

    def _person_referent(self, pronoun: Mention, previous: tuple[TextSpan, Entity] | None,
                         topic: tuple[TextSpan, Entity] | None) -> TextSpan | None:
        """Return the person "he" or "she" refers to.

        The article's first such pronoun gives its topic person's gender: a pronoun of that gender
        refers to the topic, one of the other gender to the last person named other than the topic.
        """
        if topic is None or not self._fits_pronoun(topic[1], "person"):
            return None
        gender = _PERSON_GENDERS[pronoun.span.text.casefold()]
        if gender == self._topic_gender():
            return topic[0]
        if previous is not None and previous[1].iri != topic[1].iri and self._fits_pronoun(previous[1], "person"):
            return previous[0]
        context = self.context
        last = bisect_left(context.named_starts, pronoun.span.start)
        for position in range(last - 1, max(-1, last - 16), -1):
            candidate = context.mentions[context.named_indexes[position]]
            if candidate.label != "PERSON" or candidate.span.end > pronoun.span.start:
                continue
            entity = self.resolve(candidate.span)
            if entity is not None and entity.iri != topic[1].iri and self._fits_pronoun(entity, "person"):
                return TextSpan(candidate.span.text, candidate.span.start, candidate.span.end, candidate.span.head,
                                candidate.label)
        return None

    def _topic_gender(self) -> str:
        """Return the gender of the article's first subject "he" or "she" after its first sentence ("" if none)."""
        if self._gender is None:
            self._gender = ""
            first_end = self.discourse.sentence_starts[1] if len(self.discourse.sentence_starts) > 1 else -1
            for mention in self.context.mentions:
                gender = _PERSON_GENDERS.get(mention.span.text.casefold())
                if gender and 0 <= first_end <= mention.span.start and not mention.label \
                        and self.discourse.starts_subject(mention.span.start):
                    self._gender = gender
                    break
        return self._gender

    def _fits_pronoun(self, entity: Entity, kind: str) -> bool:
        """Return True when a pronoun of this kind ("thing", "group", "person") can refer to the entity."""
        ontology = self.ontology
        cls = entity.classes[0] if entity.classes else str(KGO.Entity)
        person = ontology.is_subclass(cls, str(KGO.Person))
        if kind == "person":
            return person
        if kind == "group":
            return ontology.is_subclass(cls, str(KGO.Organization))
        return not person and not ontology.is_subclass(cls, str(KGO.Group))

    def _with_of_complement(self, base: TextSpan, limit: int) -> TextSpan:
        """Extend "the establishment" by its "of" phrase when the original span has it."""
        context = self.context
        while context.text.startswith(" of ", base.end):
            following = [context.mentions[i].span for i in context.by_start.get(base.end + 4, ())
                         if context.mentions[i].span.end <= limit]
            if not following:
                break
            end = max(f.end for f in following)
            base = TextSpan(context.text[base.start:end], base.start, end, base.head, base.entity_label)
        return base

    def _named_inside(self, span: TextSpan) -> TextSpan | None:
        """Return the named-entity mention that ends ``span`` ("Chinese tech giant [Huawei]")."""
        text = self.context.text
        end = span.end
        # A closing parenthesis holds an abbreviation or an aside, not the name the phrase is
        # about: "British American Tobacco (BAT)" names British American Tobacco.
        opening = text.rfind("(", span.start, end)
        if opening > span.start and ")" not in text[opening:end].rstrip().rstrip(")"):
            end = opening
        while end > span.start and not text[end - 1].isalnum():
            end -= 1
        for index in self.context.named_by_end.get(end, ()):
            mention = self.context.mentions[index]
            if span.start <= mention.span.start and (not span.head or
                                                     span.head.casefold() in mention.span.text.casefold()):
                words = mention.span.text.split()
                return TextSpan(mention.span.text, mention.span.start, mention.span.end, words[-1] if words else "",
                                mention.label)
        return None

    def amounts_inside(self, span: TextSpan) -> list[str]:
        """Return the sums of money written inside a phrase ("the [$500 billion] Project Stargate")."""
        context = self.context
        first = bisect_left(context.money_starts, span.start)
        found = []
        for position in range(first, len(context.money_starts)):
            mention = context.mentions[context.money_indexes[position]].span
            if mention.start >= span.end:
                break
            if mention.end <= span.end:
                found.append(mention.text.strip(" ,;:.!?\"“”'’"))
        return found

    def examples(self, span: TextSpan) -> list[TextSpan]:
        """Return the named examples a phrase lists ("tech giants like [Huawei], [Tesla] and [Amazon]")."""
        marker = _EXAMPLE_MARKER.search(span.text)
        if marker is None:
            return []
        context = self.context
        base = self._base_mention(span)
        lead_end = context.mentions[base].span.end - span.start if base is not None else 0
        # "giants from China including X" lists examples of the giants; "the conference, attended by
        # giants like X" does not list examples of the conference.
        if "," in span.text[lead_end:marker.start()]:
            return []
        after = span.start + marker.end()
        first = bisect_left(context.named_starts, after)
        found = []
        for position in range(first, len(context.named_starts)):
            mention = context.mentions[context.named_indexes[position]]
            if mention.span.start >= span.end:
                break
            if mention.span.end <= span.end:
                found.append(mention.span if mention.span.entity_label else
                             TextSpan(mention.span.text, mention.span.start, mention.span.end, mention.span.head,
                                      mention.label))
        return found

    def appositive_name(self, span: TextSpan) -> TextSpan | None:
        """Return the name a description sets off after itself: "the firm's chief executive, Lisa Su, said".

        The extractor reads the apposition ("Lisa Su" is "the firm's chief executive"); a name the
        description's class does not fit ("The chief executive, Acme Corp,") is not taken.
        """
        if span.entity_label or not span.head[:1].islower():
            return None
        name = self.discourse.described_by(span.start)
        if name is None or name.start < span.end or name.entity_label not in _APPOSITIVE_LABELS:
            return None
        described = self.ontology.class_for_head(span.head)
        labels = self.ontology.ner_labels_of((described,)) if described else ()
        return name if name.entity_label in labels else None

    def resolve_all(self, span: TextSpan, as_place: bool = False) -> list[Entity]:
        """Return the entities a span stands for: the named examples it lists, else its one referent."""
        examples = [e for e in (self.resolve(s, as_place) for s in self.examples(span)) if e is not None]
        if examples:
            return examples
        pair = self._both(span)
        if pair:
            return pair
        entity = self.resolve(span, as_place)
        return [] if entity is None else [entity]

    def resolve(self, span: TextSpan, as_place: bool = False) -> Entity | None:
        """Return the entity or concept a span refers to, or None for a pronoun, a generic noun or a clause."""
        # normalize and entity_mentions of an article resolve many spans more than once. A call
        # that no other resolve call made depends only on the span and the memo tables of the
        # pronoun and topic rules, which only ever fill in, so its result is kept. A nested call
        # is not: it may run while such a table entry is being worked out, and see it unset.
        key = (span, as_place)
        if self._depth == 0 and key in self._resolved:
            return self._resolved[key]
        self._depth += 1
        try:
            found = self._resolve(span, as_place)
        finally:
            self._depth -= 1
        if self._depth == 0:
            self._resolved[key] = found
        return found

    def _resolve(self, span: TextSpan, as_place: bool) -> Entity | None:
        candidates = self.referents(span)
        surface = clean_phrase(span.text)
        if surface.casefold() in _PRONOUNS or not any(c.isupper() for c in surface):
            # "the firm" and "it" are not names of what they stand for.
            surface = ""
        for target in candidates:
            text = clean_phrase(target.text)
            if not text or (text.casefold() in _PRONOUNS and not (text.isupper() and len(text) > 1)):
                continue
            if text.casefold() in self.ontology.generic_nouns:
                continue
            label = target.entity_label
            forms: tuple[str, ...] = (text,)
            group = self.names.full_name(text) if label and label not in _VALUE_LABELS else None
            if group is None and label and label not in _VALUE_LABELS:
                # Modifiers before a name the article writes alone: "fellow Democrat [Sidney Yates]".
                group = self.names.ending(text, label == "PERSON")
            if group is None and not label and text[:1].isupper():
                # A name the tagger did not recognise here but did elsewhere ("Okafor has led the
                # company", "Bohumín" at the start of a sentence).
                group = self.names.full_name(text)
                if group is not None and not group[1]:
                    group = None
                if group is None and " " not in text:
                    group = self.names.person_by_surname(text)
            if group is not None:
                text, label, forms = group[0], group[1], (text, *group[2])
            found = None
            for name in dict.fromkeys((text, *forms, *(self._without_legal_form(f) for f in forms))):
                found = self.lookup(name, as_place)
                if found is not None:
                    break
            if found is None and (as_place or target.entity_label in _PLACE_LABELS):
                found = self._place_only(clean_phrase(target.text))
            if found is None and target.head[:1].isupper():
                # The last word of a longer name stands for that name, not for a country:
                # "Reynolds American" is a company, not the United States.
                found = self.lookup(target.head, as_place, by_demonym=False)
                # Nor does a name of another kind end in one: "Jim Jordan" (a person) is not
                # Jordan, "Bank of China" (an organization) is not China.
                if found is not None and target.entity_label:
                    labels = self.ontology.ner_labels_of(self.ontology.gazetteer[found].classes)
                    if labels and target.entity_label not in labels:
                        found = None
            if found is not None:
                return self._gazetteer_entity(found, (surface, *forms))
            if " " not in text and label in ("PERSON", ""):
                # A word of the topic person's name that no name of the article took ("Dearle" alone).
                topic = self._topic_person_named(text)
                if topic is not None:
                    return topic
            if label and label not in _VALUE_LABELS and any(w[:1].isupper() for w in text.split()) \
                    or not label and self._title and alias_key(text) == self._title:
                # Every member of a group gets the class its full name gives.
                head = text.split()[-1] if group is not None else target.head
                named = TextSpan(target.text, target.start, target.end, head, label)
                return self._named_entity(text, named, surface, forms)
            if target is candidates[-1]:
                return self._concept_of(target, span, as_place)
            if not target.entity_label and _is_title(text):
                # A title the tagger missed ("The Hurting", "Two Doors Down") that a pronoun refers to.
                return self.resolve(target, as_place)
        return None

    def _without_legal_form(self, name: str) -> str:
        """Return a name without its trailing legal form: "Nvidia Corp." -> "Nvidia"."""
        words = name.split()
        while len(words) > 1 and alias_key(words[-1].rstrip(",")) in self.ontology.legal_forms:
            words.pop()
        return " ".join(words).rstrip(",")

    def _concept_of(self, target: TextSpan, span: TextSpan, as_place: bool) -> Entity | None:
        """Return the concept of a common-noun phrase, cut to its head phrase; None when it names nothing."""
        base = self._phrase_at(target)
        if base is not None and base.head.casefold() in self.ontology.generic_nouns \
                and self._compound_head(base.text.split(), base.head) is None:
            # "a lot of chips" is about chips; "the others" names nothing.
            inner = self._of_complement(base, target.end)
            return None if inner is None else self.resolve(inner, as_place)
        named_place = self._place_of_kind(target, base)
        if named_place is not None:
            return self.resolve(named_place, as_place=True)
        phrase = self._head_phrase(target, base)
        if phrase is None:
            return None
        text = clean_phrase(phrase.text)
        if not text or text.casefold() in _PRONOUNS or text.casefold() in self.ontology.generic_nouns:
            return None
        return self._concept(text, phrase, span)

    def _place_of_kind(self, target: TextSpan, base: TextSpan | None) -> TextSpan | None:
        """Return the place "the N of P" names by its kind: "the province of [Ankara]", "the town of [Guilderland]".

        The noun is the kind of a country, an area, a settlement or a region (not of a building, a
        river or an island, which lie in P or by it), and P a name tagged as a place.
        """
        if base is None or not base.text.casefold().startswith("the "):
            return None
        cls = self.ontology.class_for_head(base.head)
        if cls != str(KGO.Place) and not any(self.ontology.is_subclass(cls or "", k) for k in _KINDS_NAMED_BY_OF):
            return None
        inner = self._of_complement(base, target.end)
        return inner if inner is not None and inner.entity_label in _PLACE_LABELS else None

    def _compound_head(self, words: list[str], head: str) -> str | None:
        """Return the two words ending in ``head`` when the ontology knows them as one head noun ("television series")."""
        if head not in words[1:]:
            return None
        at = len(words) - 1 - words[::-1].index(head)
        compound = f"{words[at - 1]} {head}".casefold()
        return compound if self.ontology.class_for_head(compound) else None

    def _phrase_at(self, target: TextSpan) -> TextSpan | None:
        """Return the longest noun phrase the target starts with (its first word may be a determiner)."""
        context = self.context
        head = target.head.casefold()
        best: TextSpan | None = None
        starts = [target.start]
        first_word = target.text.split(" ", 1)[0]
        if first_word.casefold() in _LEADING_WORDS:
            starts.append(target.start + len(first_word) + 1)
        for start in starts:
            for index in context.by_start.get(start, ()):
                mention = context.mentions[index]
                found = mention.span
                if found.end > target.end or found.end <= found.start:
                    continue
                # A phrase that the target goes on past is its head phrase only when what follows
                # modifies it ("talks [between ...]"); "China's AI [messaging]" is a modifier.
                following = context.text[found.end:target.end].split(" ", 2)
                if found.end < target.end and head not in found.text.casefold() and not (
                        context.text[found.end:found.end + 1] in ",(" or
                        (len(following) > 1 and following[1].casefold() in _PHRASE_BREAKS)):
                    continue
                if not mention.label and len(found.text.split()) == 1 and found.text.casefold() in _PRONOUNS:
                    continue
                if best is None or found.end > best.end:
                    best = found
            if best is not None:
                break
        phrase = target if best is None else best
        return self._possessive_phrase(phrase) or self._whole_phrase(phrase) or best

    def _whole_phrase(self, phrase: TextSpan) -> TextSpan | None:
        """Return "Chinese foreign ministry" for a span that is only its last words ("ministry")."""
        context = self.context
        found = [context.mentions[i].span for start in range(max(0, phrase.start - 60), phrase.start)
                 for i in context.by_start.get(start, ()) if context.mentions[i].span.end == phrase.end
                 and not context.mentions[i].label]
        if not found:
            return None
        outer = min(found, key=lambda m: m.start)
        return TextSpan(outer.text, outer.start, outer.end, phrase.head or outer.head, outer.entity_label)

    def _possessive_phrase(self, phrase: TextSpan) -> TextSpan | None:
        """Return "Beijing's invitation" for the "invitation" of a possessive, so the two are one node."""
        text = self.context.text
        marker = re.search(r"(?:['’]s?)\s$", text[max(0, phrase.start - 3):phrase.start])
        if marker is None:
            return None
        owner_end = phrase.start - len(marker.group(0))
        owners = [self.context.mentions[i].span for i in self.context.named_by_end.get(owner_end, ())]
        if not owners:
            return None
        owner = min(owners, key=lambda m: m.start)
        return TextSpan(text[owner.start:phrase.end], owner.start, phrase.end, phrase.head, phrase.entity_label)

    def _of_complement(self, base: TextSpan, limit: int) -> TextSpan | None:
        """Return the noun phrase after "of" that follows ``base`` within ``limit``, if any."""
        context = self.context
        if not context.text.startswith(" of ", base.end):
            return None
        following = [context.mentions[i].span for i in context.by_start.get(base.end + 4, ())
                     if context.mentions[i].span.end <= limit]
        if following:
            return max(following, key=lambda m: m.end)
        end = limit
        return TextSpan(context.text[base.end + 4:end], base.end + 4, end, "", "") if end > base.end + 4 else None

    def _head_phrase(self, target: TextSpan, base: TextSpan | None) -> TextSpan | None:
        """Cut a phrase to its head noun phrase and at most one "of" phrase, of a reader's length."""
        text = self.context.text
        if base is None:
            # No noun phrase starts here: a short phrase is kept as it is, a long one is a clause.
            return target if _content_words(target.text) <= MAX_LABEL_WORDS else None
        phrase = base
        complement = self._of_complement(base, target.end)
        if complement is not None and complement.head:
            joined = text[base.start:complement.end]
            if _content_words(joined) <= MAX_LABEL_WORDS:
                phrase = TextSpan(joined, base.start, complement.end, base.head, base.entity_label)
        words = phrase.text.split()
        if _content_words(phrase.text) > MAX_LABEL_WORDS:
            kept = " ".join(words[-MAX_LABEL_WORDS:])
            phrase = TextSpan(kept, phrase.end - len(kept), phrase.end, phrase.head, phrase.entity_label)
        return phrase

    def lookup(self, name: str, as_place: bool, *, by_demonym: bool = True) -> str | None:
        """Return the gazetteer slug a name stands for in this role, or None.

        ``by_demonym`` lets a demonym alone ("Americans") stand for its country.
        """
        ontology = self.ontology
        key = alias_key(name)
        if not as_place and key in ontology.government_names:
            return ontology.government_names[key]
        acronym = acronym_key(name)
        slugs = ontology.acronyms.get(acronym, ()) if acronym else ontology.names.get(key, ())
        # A phrase in lower case is not a proper name: "turkey" is not Turkey, "china" not China.
        if slugs and (not name.islower() or ontology.gazetteer[slugs[0]].label.islower()):
            return slugs[0]
        words = name.split()
        if len(words) > 1 and words[-1].casefold() in ontology.metonym_heads:
            country = self._country(" ".join(words[:-1]))
            if country:
                return country
        if by_demonym and key in ontology.demonyms:
            # A nationality word in a place's role names its country ("German skeleton racer": citizenship).
            return ontology.demonyms[key]
        return None

    def _place_only(self, name: str) -> str | None:
        """Return the kgo:placeNamesOnly entry a name written where a place is meant stands for, or None."""
        if name.islower():
            return None
        return self.ontology.place_names.get(alias_key(name))

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
        return minted_iri(self.base_iri, f"{kind}/{local}")

    def _named_entity(self, text: str, target: TextSpan, surface: str, forms: tuple[str, ...] = ()) -> Entity:
        ontology = self.ontology
        words = text.split()
        # "X of Y" is an X: "University of Leeds", "Gulf of Mexico", "Prize in Physics", "Award for
        # Best Picture"; Y's words say nothing of it.
        cut = next((i for i, word in enumerate(words[1:-1], 1) if word in _NAME_PREPOSITIONS), 0)
        if cut:
            before = words[:cut]
            candidates = (before[-1], before[0], *([target.head] if target.head in before else []))
        else:
            # A number after a name's head says which one: "World War II", "Apollo 11".
            last = words[-2] if len(words) > 2 and _NAME_NUMBER.fullmatch(words[-1]) else words[-1]
            candidates = (last, words[0], target.head)
        classes = []
        ner_class = ontology.ner_classes.get(target.entity_label)
        for word in candidates:
            cls = ontology.class_for_head(word)
            # A head noun types a name only as a class of named things: "Kestrel Systems" is an
            # organization, not a technology; "... Conference" is a conference whatever the tagger says.
            if cls and cls not in classes and (ner_class is None or ontology.ner_labels_of((cls,))
                                               or cls in ontology.named_classes):
                classes.append(cls)
        if not classes and ner_class:
            classes.append(ner_class)
        if not classes:
            classes.append(str(KGO.Entity))
        aliases = tuple(sorted({surface, *forms} - {text, ""}))
        return Entity(self.iri("entity", slug(text)), text, tuple(classes[:1]), "entity", aliases=aliases)

    def _inside_name(self, offset: int) -> bool:
        """Return True when a named mention covers this character offset."""
        position = bisect_left(self.context.named_starts, offset + 1) - 1
        return position >= 0 and self.context.mentions[self.context.named_indexes[position]].span.end > offset

    def _concept(self, text: str, target: TextSpan, span: TextSpan) -> Entity:
        words = text.split()
        first = words[0]
        at = target.start + max(target.text.find(first), 0)
        before = self.context.text[:at].rstrip(" \"“'‘")
        if (not before or before.endswith((".", "!", "?", "\n"))) and first[:1].isupper() and first[1:].islower() \
                and not self._inside_name(at) and alias_key(first) not in self.ontology.demonyms:
            words[0] = first.lower()
        label = " ".join(words)
        # A phrase the parse gave no head (an object cut out of a longer one) takes its label's head word.
        head = target.head or label_head(label)
        head = self._compound_head(words, head) or (head if head.isupper() else head.lower())
        classes = [str(KGO.Concept)]
        cls = self.ontology.class_for_head(head)
        if cls:
            classes.append(cls)
        surface = clean_phrase(span.text)
        # A longer phrase cut to this head phrase is not another name of it.
        aliases = tuple(sorted({surface} - {label, ""})) if _content_words(surface) <= MAX_LABEL_WORDS else ()
        return Entity(self.iri("concept", slug(label)), label, tuple(classes), "concept", aliases=aliases, head=head)


#: Prepositions after which a name's words no longer say what it is.
_NAME_PREPOSITIONS = frozenset({"of", "for", "in"})
#: A number or Roman numeral that ends a name.
_NAME_NUMBER = re.compile(r"\d+|[IVX]+")


def label_head(label: str) -> str:
    """Return the head word of a noun phrase's label: its last word before "of" ("process of accreditation")."""
    words = label.split()
    if "of" in words[1:]:
        words = words[:words.index("of", 1)]
    return words[-1] if words else ""


def term_key(term: Union[Entity, Value]) -> str:
    """Return a string that identifies a fact's object: an entity's IRI, or a literal in N-Triples form."""
    if isinstance(term, Entity):
        return term.iri
    return f'"{term.text}"^^<{term.datatype}>'


#: The resolver of the article last normalized, with the objects it was made from: normalize and
#: entity_mentions of one article share its per-article tables, which cost as much as resolving.
_last_resolver: tuple[Extraction, Ontology, str, _Resolver] | None = None


def _article_resolver(extraction: Extraction, ontology: Ontology, base_iri: str) -> _Resolver:
    """Return the resolver of an article, made once for consecutive calls about the same article."""
    global _last_resolver
    last = _last_resolver
    if last is not None and last[0] is extraction and last[1] is ontology and last[2] == base_iri:
        return last[3]
    resolver = _Resolver(ontology, base_iri, _context(extraction), discourse(extraction))
    _last_resolver = (extraction, ontology, base_iri, resolver)
    return resolver


def normalize(extraction: Extraction, ontology: Ontology, base_iri: str = DEFAULT_BASE_IRI) -> tuple[Fact, ...]:
    """Turn one article's open triples into facts in ontology terms, in a deterministic order."""
    resolver = _article_resolver(extraction, ontology, base_iri)
    article_id = extraction.article.id
    read = {triple: normalize_triple(triple, article_id, resolver)
            for triple in extraction.triples if triple.pattern != REPORT}
    refined = description_classes([f for found in read.values() for f in found if is_class_statement(f, ontology)],
                                  ontology)
    refined.update(life_classes(read, refined, ontology))
    if refined:
        # Read again, with the described types, the triples that touch a described name: "Mess of
        # Blues is an album" makes "Mess of Blues ... by Jeff Healey" a performer fact.
        for triple, found in read.items():
            if any(f.subject.iri in refined or term_key(f.object) in refined for f in found):
                read[triple] = normalize_triple(triple, article_id, resolver, refined)
    for triple, found in read.items():
        if triple.pattern == "possessive" and triple.object is not None \
                and triple.object.text.casefold() in _PRONOUNS:
            # "Their daughter, Emma": a title owned by a pronoun is worth its typed reading only;
            # when the types reject every reading, coreference found the wrong owner.
            read[triple] = [f for f in found if not f.predicate.open]
    facts = [fact for found in read.values() for fact in found]
    facts.extend(amount_facts(extraction, resolver))
    facts = retyped([f for f in facts if is_class_statement(f, ontology)], refined)
    named = _named_entities(extraction, resolver, refined)
    mentioned = {entity.iri for _, entity, _ in named}
    facts.extend(inferred_facts(facts, resolver, mentioned))
    facts.extend(gazetteer_facts(extraction, resolver, named))
    facts.extend(document_country_facts(extraction, resolver, facts, named))
    facts.extend(document_area_facts(extraction, resolver, facts, named))
    # The article's country and the gazetteer's facts are premises too ("born in Prelate" -> Canadian).
    facts.extend(inferred_facts(facts, resolver, mentioned))
    kept = {assertion_iri(fact, base_iri) for fact in facts}
    read = {triple: [f for f in found if assertion_iri(f, base_iri) in kept] for triple, found in read.items()}
    facts.extend(report_facts(extraction, read, resolver))
    return tuple(sorted(one_per_assertion(facts, base_iri), key=_fact_order))


def one_per_assertion(facts: Sequence[Fact], base_iri: str = DEFAULT_BASE_IRI) -> list[Fact]:
    """Collapse facts that share an assertion IRI into one: the most confident, with all their qualifiers.

    Two rules can read the same fact from one sentence with different confidences (and arguments);
    the assertion IRI does not depend on them, so one node must hold one confidence.
    """
    by_node: dict[str, list[Fact]] = {}
    for fact in set(facts):
        by_node.setdefault(assertion_iri(fact, base_iri), []).append(fact)
    collapsed = []
    for same in by_node.values():
        if len(same) == 1:
            collapsed.append(same[0])
            continue
        same.sort(key=lambda f: (-f.evidence.confidence, _fact_order(f), repr(f)))
        qualifiers = tuple(dict.fromkeys(q for f in same for q in f.qualifiers))
        collapsed.append(replace(same[0], qualifiers=qualifiers))
    return collapsed


def is_class_statement(fact: Fact, ontology: Ontology) -> bool:
    """Return False for a kgo:isA fact whose object is not a class-like noun phrase; True for any other fact.

    "Deepseek is a Chinese AI company" holds; "China is a battle" (an event), "the theme is
    Global Solidarity" (a name, not a class) and "the focus is equitable access" (no "a" or
    "an" before a common noun) do not.
    """
    if fact.predicate.iri != str(KGO.isA):
        return True
    obj, subject = fact.object, fact.subject
    if not isinstance(obj, Entity) or obj.kind != "concept" or obj.head.casefold() in ontology.generic_nouns:
        return False
    cls = ontology.class_for_head(obj.head)
    if cls is not None and ontology.is_subclass(cls, str(KGO.Event)):
        return False
    if subject.kind == "entity":
        return True
    # Between two common nouns, "X is a Y" classifies; "the focus is equitable access" does not.
    return re.search(rf"\b(?:a|an)\s+{re.escape(obj.label)}\b", fact.evidence.sentence, re.IGNORECASE) is not None


#: The extraction pattern of a clause whose object is a statement ("X said that ...").
REPORT = "report"


def assertion_iri(fact: Fact, base_iri: str = DEFAULT_BASE_IRI) -> str:
    """Return the IRI of a fact's assertion node: a hash of the article, sentence, relation and terms."""
    evidence = fact.evidence
    key = "\x1f".join(
        (evidence.article_id, str(evidence.start), evidence.relation_text, evidence.pattern, fact.subject.iri,
         fact.predicate.iri, term_key(fact.object), str(fact.negated), fact.modality)
    )
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]
    return minted_iri(base_iri, f"assertion/{digest}")


def report_facts(extraction: Extraction, read: dict[Triple, list[Fact]], resolver: _Resolver) -> list[Fact]:
    """Return one report per fact read from each reported clause, or one with the clause's text as its object.

    "Huang announced that the company would resume sales" gives the fact (Nvidia sells chips,
    modality "would") and the report (Huang announces -> that fact's assertion). A clause no fact
    can be read from is kept as a quoted statement, never as a node.
    """
    reports = [t for t in extraction.triples if t.pattern == REPORT and t.object is not None]
    facts: list[Fact] = []
    made: dict[Triple, list[Fact]] = {}
    # Later reports first: a report inside another's clause is read before the one that reports it.
    for report in sorted(reports, key=lambda t: (t.relation.start, t.relation.end), reverse=True):
        clause = report.object
        assert clause is not None
        inner = [r for r in reports if r is not report and clause.start <= r.relation.start < clause.end]
        direct = [r for r in inner if not any(o is not r and o.object is not None
                                              and o.object.start <= r.relation.start < o.object.end for o in inner)]
        inside = [r.object for r in inner if r.object is not None]
        nested = [fact for triple, found in read.items() if triple.sentence.start == report.sentence.start
                  and clause.start <= triple.relation.start < clause.end
                  and not any(o.start <= triple.relation.start < o.end for o in inside)
                  for fact in found]
        nested.extend(fact for r in direct for fact in made.get(r, ()))
        statement = " ".join(first_sentence(clause.text).split())
        match = next(iter(resolver.ontology.match_candidates(report.relation_lemma)), None)
        relation = (_relation(match.property, resolver.ontology) if match is not None and not match.inverse else
                    Relation(resolver.iri("relation", relation_slug(report.relation_lemma)),
                             open_relation_label(report, report.relation_lemma), True))
        evidence = Evidence(extraction.article.id, report.sentence.text, report.sentence.start, report.sentence.end,
                            report.relation.text, round(float(report.confidence), 4), REPORT)
        objects: list[Union[Entity, Value]] = [
            Entity(assertion_iri(fact, resolver.base_iri), statement, (str(KGO.Assertion),), "assertion")
            for fact in nested]
        made[report] = [Fact(speaker, relation, obj, evidence, (), report.negated, report.modality, statement)
                        for speaker in resolver.resolve_all(resolver.appositive_name(report.subject) or report.subject)
                        for obj in objects or [Value(statement)]]
        facts.extend(made[report])
    return facts


def description_classes(facts: Sequence[Fact], ontology: Ontology) -> dict[str, str]:
    """Return name IRI -> the class its description states: "Deepseek is a Chinese AI company" -> kgo:Company.

    Only names outside the gazetteer are typed this way. A description narrows the name's class,
    or replaces a class that the entity tagger guessed and that the description does not fall under.
    """
    refined: dict[str, str] = {}
    for fact in facts:
        subject = fact.subject
        if fact.predicate.iri != str(KGO.isA) or not fact.asserted or subject.kind != "entity" or subject.same_as \
                or getattr(fact.object, "kind", "") != "concept":
            continue
        for cls in getattr(fact.object, "classes", ()):
            if not ontology.is_subclass(cls, str(KGO.Entity)):
                continue
            described = refined.get(subject.iri)
            if described is not None:
                if cls != described and ontology.is_subclass(cls, described):
                    refined[subject.iri] = cls
                continue
            guessed = subject.classes[0] if subject.classes else str(KGO.Entity)
            if cls != guessed and (ontology.is_subclass(cls, guessed) or not ontology.is_subclass(guessed, cls)):
                refined[subject.iri] = cls
    return refined


def life_classes(read: dict[Triple, list[Fact]], refined: dict[str, str], ontology: Ontology) -> dict[str, str]:
    """Return name IRI -> kgo:Person for the names the text gives a birth ("born 1974") or a life's full dates.

    Only people are born: "Rachel Proctor (born August 11, 1974)" is a person even where the tagger
    took the name for an organization. A range of years alone ("Pan Am (1927-1991)") says nothing.
    """
    people = {}
    for triple, found in read.items():
        if triple.pattern != "life_dates" or triple.object is None:
            continue
        stated = "born" in triple.relation.text.casefold().split() or \
            parse_date(triple.object.text).datatype == str(XSD.date)
        for fact in found if stated else ():
            subject = fact.subject
            if subject.kind == "entity" and not subject.same_as and subject.iri not in refined and \
                    not any(ontology.is_subclass(c, _PERSON) for c in subject.classes):
                people[subject.iri] = _PERSON
    return people


def retyped(facts: Sequence[Fact], refined: dict[str, str]) -> list[Fact]:
    """Return the facts with the entities in ``refined`` given their new class."""
    if not refined:
        return list(facts)
    return [
        replace(fact, subject=_retype(fact.subject, refined),
                object=_retype(fact.object, refined) if isinstance(fact.object, Entity) else fact.object,
                qualifiers=tuple(replace(q, value=_retype(q.value, refined)) if isinstance(q.value, Entity) else q
                                 for q in fact.qualifiers))
        for fact in facts
    ]


def _retype(entity: Entity, refined: dict[str, str]) -> Entity:
    cls = refined.get(entity.iri)
    return entity if cls is None else replace(entity, classes=(cls,))


def _fact_order(fact: Fact) -> tuple[object, ...]:
    return (fact.evidence.start, fact.subject.iri, fact.predicate.iri, term_key(fact.object), fact.evidence.relation_text,
            fact.evidence.pattern, fact.negated, fact.modality, repr(fact.qualifiers))


@dataclass(frozen=True)
class EntityMention:
    """A place in the article text where an entity or concept node is named or referred to."""

    entity_iri: str
    #: Character offsets into the article text.
    start: int
    end: int
    text: str


def entity_mentions(extraction: Extraction, ontology: Ontology,
                    base_iri: str = DEFAULT_BASE_IRI) -> tuple[EntityMention, ...]:
    """Return every mention of the article resolved to its node, in text order.

    Names, and pronouns or descriptions that coreference links to a name, give the entity they
    stand for; other noun phrases give their concept. Where a phrase and a shorter phrase inside
    it stand for the same node ("Chinese tech giant [Huawei]"), only the shorter one is kept.
    """
    resolver = _article_resolver(extraction, ontology, base_iri)
    by_node: dict[str, list[tuple[int, int]]] = {}
    for mention in extraction.mentions:
        if mention.label in _VALUE_LABELS:
            continue
        entity = resolver.resolve(mention.span)
        if entity is not None and alias_key(clean_phrase(mention.span.text)) in ontology.government_names:
            # "Paris" names the city; only a clause ("Paris said") makes it stand for the government.
            entity = resolver.resolve(mention.span, as_place=True) or entity
        if entity is not None:
            by_node.setdefault(entity.iri, []).append((mention.span.start, mention.span.end))
    text = extraction.article.text
    found = []
    for iri, spans in by_node.items():
        for start, end in set(spans):
            if not any(start <= s and e <= end and (s, e) != (start, end) for s, e in spans):
                found.append(EntityMention(iri, start, end, text[start:end]))
    return tuple(sorted(found, key=lambda m: (m.start, m.end, m.entity_iri)))


def _phrase_lemma(span: TextSpan) -> str:
    """Return a lower-case lemma-like form of a phrase: its words with the last one as its head."""
    words = clean_phrase(span.text).casefold().split()
    if words and span.head:
        words[-1] = span.head.casefold()
    return " ".join(words)


def _split_at_preposition(span: TextSpan) -> tuple[str, TextSpan] | None:
    """Split "host to China's conference" into ("host to", the span of "China's conference")."""
    words = [(m.group(0), m.start()) for m in re.finditer(r"\S+", span.text)]
    head = span.head.casefold()
    for position, (word, _) in enumerate(words[:-2]):
        if head and word.casefold().startswith(head[: max(3, len(head) - 2)]):
            marker = words[position + 1][0]
            if not marker.isalpha() or not marker.islower():
                return None
            lead = clean_phrase(" ".join(w for w, _ in words[: position + 1])).casefold().split()
            lead[-1] = head
            # A word that dates the title says nothing of the relation: "former chief executive of".
            lead = [w for w in lead[:-1] if w not in TIME_MODIFIERS] + lead[-1:]
            offset = words[position + 2][1]
            rest = TextSpan(span.text[offset:], span.start + offset, span.end, "", "")
            return " ".join((*lead, marker)), rest
    return None


#: The lemma of a bare copula ("is", "was", "are").
COPULA = "be"


def _relation_reading(triple: Triple, ontology: Ontology, plain: bool = False
                      ) -> tuple[tuple[TriggerMatch, ...], str, TextSpan | None, tuple[Argument, ...]]:
    """Return the candidate trigger matches (best first), the lemma they were read from, the object and the other arguments.

    ``plain`` reads the relation as written, without a relation noun taken from the object or an argument.
    """
    # A paraphrased relation ("is in" for "Usher Hall in Edinburgh") may carry an inflected "be".
    lemma = re.sub(r"^(?:is|are|was|were)\b", COPULA, triple.relation_lemma.casefold())
    passive = _is_passive(triple)
    if passive and not lemma.startswith("be "):
        lemma = f"be {lemma}"
    obj = triple.object
    arguments = triple.arguments
    candidates = ontology.match_candidates(lemma) if obj is not None else ()
    if obj is not None and lemma == COPULA and triple.pattern in ontology.pattern_properties:
        candidates = (TriggerMatch(ontology.pattern_properties[triple.pattern], False, "", 1, 0, 1),)
    if passive:
        # An active trigger inside a passive phrase would swap who did what.
        candidates = tuple(c for c in candidates if c.start == 0)
    readings: list[tuple[str, TextSpan, tuple[Argument, ...]]] = []
    if plain:
        return candidates, lemma, obj, arguments
    # A light verb with a nominalised relation as its object ("impose [export restrictions] on X"),
    # or a relation without object but with a prepositional argument ("smuggled into X").
    for argument in triple.arguments:
        if argument.marker:
            combined = " ".join(w for w in (lemma, _phrase_lemma(obj) if obj else "", argument.marker.casefold()) if w)
            others = tuple(a for a in triple.arguments if a is not argument)
            readings.append((combined, argument.span, others))
            if obj is not None and len(lemma.split()) > 1 and date_value(argument.span) is not None:
                # A date is what the verb's own reading is about: "It was released [after his death] in 2008".
                readings.append((f"{lemma.rsplit(' ', 1)[0]} {argument.marker.casefold()}", argument.span, others))
    # A relation noun inside the object ("was [host to] the conference").
    if obj is not None:
        split = _split_at_preposition(obj)
        if split is not None:
            readings.append((f"{lemma} {split[0]}", split[1], triple.arguments))
    relation_words = len(lemma.split())
    for combined, new_object, rest in readings:
        # The trigger must span from the relation's own words through to the preposition.
        found = tuple(c for c in ontology.match_candidates(combined)
                      if c.start < relation_words and not (passive and c.start != 0))
        if found and (not candidates or found[0].score > candidates[0].score):
            candidates, lemma, obj, arguments = found, combined, new_object, rest
    if obj is None and not candidates:
        marked = next((a for a in arguments if a.marker), None)
        if marked is not None:
            lemma, obj = f"{lemma} {marked.marker.casefold()}", marked.span
            arguments = tuple(a for a in arguments if a is not marked)
    return candidates, lemma, obj, arguments


def _inverted_copula(triple: Triple, ontology: Ontology) -> Triple | None:
    """Return "Y is the N of X" for "The N of X is Y" when "be N of" is a trigger, else None."""
    if triple.relation_lemma != COPULA or triple.object is None or triple.pattern != "copula":
        return None
    split = _split_at_preposition(triple.subject)
    if split is None or not ontology.match_candidates(f"{COPULA} {split[0]}"):
        return None
    return replace(triple, subject=triple.object, object=split[1], relation_lemma=f"{COPULA} {split[0]}")


def _is_passive(triple: Triple) -> bool:
    """Return True for a passive clause or a past participle ("organised by"), whose subject is the patient."""
    if triple.pattern in {"passive", "compound"}:
        # "compound" is a participle after a hyphen ("the Google-backed startup": backed by Google).
        return True
    first = triple.relation.text.split()[:1]
    return triple.pattern == "participle" and bool(first) and not first[0].endswith("ing")


def normalize_triple(triple: Triple, article_id: str, resolver: _Resolver,
                     refined: dict[str, str] | None = None, plain: bool = False) -> list[Fact]:
    """Map one open triple to facts (one per listed example), or none when an end resolves to nothing.

    ``refined`` gives names the classes their descriptions state (see :func:`description_classes`);
    ``plain`` reads the relation as written (see :func:`_relation_reading`).
    """
    refined = refined or {}
    ontology = resolver.ontology
    inverted = _inverted_copula(triple, ontology) if not plain else None
    if inverted is not None:
        # "The capital of France is Paris" says what "Paris is the capital of France" says.
        typed = [f for f in normalize_triple(inverted, article_id, resolver, refined) if not f.predicate.open]
        if typed:
            return typed
    candidates, lemma, obj, arguments = _relation_reading(triple, ontology, plain)
    if obj is None:
        return []
    # "X is the debut album by Y" read through its relation noun describes X as an album too.
    through_noun = lemma != COPULA and obj is not triple.object and triple.relation_lemma == COPULA
    described = [f for f in normalize_triple(triple, article_id, resolver, refined, True)
                 if f.predicate.iri == str(KGO.isA)] if through_noun else []
    # A name that stands for a government when it acts ("Paris said") is the city where a reading needs a place.
    subject_place, object_place = (any(_needs_place(c, ontology, written_subject) for c in candidates)
                                   for written_subject in (True, False))
    # The class the object's head noun states of the subject ("is a city", "is the debut album by").
    object_class = ontology.class_for_head(triple.object.head) if triple.object is not None else None
    if triple.pattern == "copula" and object_class is not None:
        # "Berlin is a city of 3.7 million people" describes the city, not the government.
        subject_place = subject_place or ontology.is_subclass(object_class, str(KGO.Place))
    # "The firm's chief executive, Lisa Su, said ...": the one who says is the name the description sets off.
    written = resolver.appositive_name(triple.subject) or triple.subject
    subjects = [_retype(s, refined) for s in resolver.resolve_all(written, subject_place)]
    if through_noun and triple.object is not None:
        # The relation noun states the subject's class, which the relation's types need.
        subjects = [_retype(s, {s.iri: object_class}) if object_class and _narrows(s, object_class, ontology) else s
                    for s in subjects]
    value = date_value(obj)
    targets: list[Union[Entity, Value]] = [value] if value is not None else []
    entity_targets: list[Union[Entity, Value]] | None = None
    qualifiers = [q for argument in arguments for q in _qualifiers(argument, resolver)]
    for phrase in (triple.subject, obj):
        qualifiers.extend(q for amount in resolver.amounts_inside(phrase) for q in amount_qualifiers(amount))
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
    dates = [q.value for q in qualifiers if q.property == str(KGO.date) and isinstance(q.value, Value)
             and q.value.datatype in ontology.datatypes.get(str(KGO.Date), ())]
    facts: list[Fact] = []
    for subject in subjects:
        pair_targets = targets
        chosen: list[TriggerMatch] = []
        for target in targets:
            chosen = choose_readings(candidates, subject, target, ontology)
        if not chosen:
            if entity_targets is None:
                entity_targets = [_retype(e, refined) for e in resolver.resolve_all(obj, object_place)]
            pair_targets = entity_targets
        for target in pair_targets:
            if isinstance(target, Entity) and subject.iri == target.iri:
                continue
            chosen = choose_readings(candidates, subject, target, ontology)
            if not chosen:
                relation = Relation(resolver.iri("relation", relation_slug(lemma)),
                                    open_relation_label(triple, lemma), True)
                facts.append(Fact(subject, relation, target, evidence, _ordered(qualifiers), triple.negated,
                                  triple.modality))
                continue
            for match in chosen:
                extra = [Qualifier(str(KGO.qualifier), Value(match.qualifier))] if match.qualifier else []
                head, tail = (target, subject) if match.inverse else (subject, target)
                stated = Fact(head, _relation(match.property, ontology), tail, evidence,  # type: ignore[arg-type]
                              _ordered(qualifiers + extra), triple.negated, triple.modality)
                facts.extend(entailed_facts(stated, ontology))
                date_property = ontology.date_properties.get(match.property)
                for date in dates if date_property else ():
                    dated = Fact(stated.subject, _relation(date_property, ontology), date, evidence, (),  # type: ignore[arg-type]
                                 triple.negated, triple.modality)
                    if fits_property(dated.subject, dated.object, date_property, ontology):
                        facts.append(dated)
    if not plain and triple.object is not None and obj is not triple.object and date_value(obj) is not None \
            and all(f.predicate.open for f in facts):
        # The date reading fitted nothing: the relation is kept as written, with its own object.
        return normalize_triple(triple, article_id, resolver, refined, True)
    if not plain:
        facts.extend(_argument_facts(lemma, arguments, subjects, evidence, triple, resolver))
    return described + facts


def _argument_facts(lemma: str, arguments: Sequence[Argument], subjects: Sequence[Entity], evidence: Evidence,
                    triple: Triple, resolver: _Resolver) -> list[Fact]:
    """Return the events the verb says the subject took part in: "served with the air force [during the war]".

    The verb without its own preposition, with the argument's ("serve during"), is read as a relation of
    its own; only readings whose range is an event and that the subject and the argument fit are kept.
    """
    ontology = resolver.ontology
    verb = lemma.rsplit(" ", 1)[0] if " " in lemma else lemma
    facts: list[Fact] = []
    for argument in arguments:
        if not argument.marker or date_value(argument.span) is not None:
            continue
        # Only an event the subject took part in is read this way ("during the war"); other arguments
        # qualify the relation itself.
        candidates = tuple(c for c in ontology.match_candidates(f"{verb} {argument.marker.casefold()}")
                           if c.start == 0 and c.end == len(verb.split()) + 1 and not c.inverse
                           and ontology.is_subclass(ontology.ranges.get(c.property, ""), str(KGO.Event)))
        if not candidates:
            continue
        for target in resolver.resolve_all(argument.span):
            for subject in subjects:
                for match in choose_readings(candidates, subject, target, ontology) if subject.iri != target.iri else ():
                    head, tail = (target, subject) if match.inverse else (subject, target)
                    facts.extend(entailed_facts(Fact(head, _relation(match.property, ontology), tail, evidence, (),
                                                     triple.negated, triple.modality), ontology))
    return facts


def _narrows(entity: Entity, cls: str, ontology: Ontology) -> bool:
    """Tell whether a described class types a name better than its own: a named entity outside the gazetteer
    whose class is more general than the description's, or one the description does not fall under."""
    if entity.kind != "entity" or entity.same_as or not ontology.is_subclass(cls, str(KGO.Entity)):
        return False
    guessed = entity.classes[0] if entity.classes else str(KGO.Entity)
    return cls != guessed and (ontology.is_subclass(cls, guessed) or not ontology.is_subclass(guessed, cls))


def _needs_place(match: TriggerMatch, ontology: Ontology, written_subject: bool) -> bool:
    """Return True when a reading needs a place at the written subject's (or object's) end."""
    required = ontology.domains.get(match.property) if written_subject != match.inverse else \
        ontology.ranges.get(match.property)
    # A country-valued reading wants the country a name or demonym stands for ("be from German").
    return bool(required) and ontology.is_subclass(required, str(KGO.Place)) \
        and not ontology.is_subclass(required, str(KGO.Country))


def _ordered(qualifiers: Sequence[Qualifier]) -> tuple[Qualifier, ...]:
    return tuple(sorted(set(qualifiers), key=repr))


def _relation(prop: str, ontology: Ontology) -> Relation:
    return Relation(prop, ontology.property_labels.get(prop, prop))


def date_value(span: TextSpan) -> Value | None:
    """Return a date phrase ("13 March 1963", "in 2008") as a typed literal, or None when it is not a date."""
    if span.entity_label not in ("DATE", "TIME") and not re.fullmatch(r"\s*(1[0-9]|20)\d\d\s*", span.text):
        return None
    value = parse_date(span.text.strip(" ,;:.!?\"“”'’()"))
    return None if value.datatype == str(XSD.string) else value


def fits(term: Union[Entity, Value], required: str | None, ontology: Ontology) -> bool:
    """Return True when an entity's classes, or a value's datatype, satisfy a domain or range."""
    if isinstance(term, Value):
        return bool(required) and term.datatype in ontology.datatypes.get(required, frozenset({required}))
    if not required:
        return True
    if ontology.is_datatype(required):
        return False
    return any(ontology.is_subclass(cls, required) for cls in term.classes)


def fits_property(subject: Entity, obj: Union[Entity, Value], prop: str, ontology: Ontology) -> bool:
    """Return True when a subject and object fit a property's domain, range and disjoint domains.

    A Wikidata-aligned property links named entities (or an entity and a value), never a
    common-noun concept such as "a small village".
    """
    if not isinstance(subject, Entity) or not fits(subject, ontology.domains.get(prop), ontology):
        return False
    if prop in ontology.wikidata and (subject.kind != "entity" or getattr(obj, "kind", "entity") != "entity"):
        return False
    if any(ontology.is_subclass(cls, banned) for cls in subject.classes
           for banned in ontology.disjoint_domains.get(prop, ())):
        return False
    if isinstance(obj, Entity) and ontology.is_datatype(ontology.ranges.get(prop, "")):
        return False
    return fits(obj, ontology.ranges.get(prop), ontology) if isinstance(obj, Entity) or prop in ontology.ranges \
        else False


def choose_readings(candidates: Sequence[TriggerMatch], subject: Entity, target: Union[Entity, Value],
                    ontology: Ontology) -> list[TriggerMatch]:
    """Return the readings a subject and object fit: of the best-matching trigger words, the narrowest properties."""
    if not candidates:
        return []
    # Only the best-matching trigger words are read: when "be from" does not fit, "be" does not either.
    best = (candidates[0].score, candidates[0].start, candidates[0].end)
    fitting = []
    for match in candidates:
        head, tail = (target, subject) if match.inverse else (subject, target)
        if (match.score, match.start, match.end) == best and isinstance(head, Entity) \
                and fits_property(head, tail, match.property, ontology):
            fitting.append(match)
    if not fitting:
        return []
    # A super-property of another fitting reading follows from it (entailed_facts states it if aligned).
    fitting = [m for m in fitting if not any(o is not m and ontology.is_subproperty(o.property, m.property)
                                             and o.property != m.property for o in fitting)]
    narrowest = max(ontology.specificity(m.property) for m in fitting)
    return [m for m in fitting if ontology.specificity(m.property) == narrowest]


def entailed_facts(fact: Fact, ontology: Ontology) -> list[Fact]:
    """Return a fact plus the Wikidata-aligned facts it entails through super-properties and inverses, where they fit."""
    facts = [fact]
    prop = fact.predicate.iri
    lineage = (prop, *sorted(ontology.superproperties.get(prop, ())))
    for other in lineage[1:]:
        if other in ontology.wikidata and fits_property(fact.subject, fact.object, other, ontology):
            facts.append(replace(fact, predicate=_relation(other, ontology)))
    if isinstance(fact.object, Entity):
        for source in lineage:
            for inverse in ontology.inverses.get(source, ()):
                for reverse in (inverse, *sorted(ontology.superproperties.get(inverse, ()))):
                    if reverse in ontology.wikidata and fits_property(fact.object, fact.subject, reverse, ontology):
                        facts.append(replace(fact, subject=fact.object, predicate=_relation(reverse, ontology),
                                             object=fact.subject))
    return facts


#: Confidence factor of a fact inferred through a property chain, on top of its premises' confidence.
INFERENCE_FACTOR = 0.9


def inferred_facts(facts: Sequence[Fact], resolver: _Resolver, named: Collection[str] = ()) -> list[Fact]:
    """Return the facts a reader takes from stated ones through the ontology's property chains.

    "Calgary is in Alberta" and "Alberta is in Canada" give Calgary's country; a country is its own
    country (as in Wikidata), and gazetteer entries add what the ontology says of them (kgo:country)
    as premises. A result's object is an entity the article names (``named``, or an end of a
    stated fact): the reader infers what the text implies about what it names, not the gazetteer's
    knowledge of places it never mentions.
    Only asserted facts take part; each result carries the evidence of its first premise.
    """
    ontology = resolver.ontology
    if not ontology.chains:
        return []
    known: dict[tuple[str, str], dict[str, tuple[Fact, Entity]]] = {}
    entities: dict[str, Entity] = {}

    def add(fact: Fact) -> bool:
        if not isinstance(fact.object, Entity) or fact.subject.iri == fact.object.iri:
            return False
        slot = known.setdefault((fact.subject.iri, fact.predicate.iri), {})
        if fact.object.iri in slot:
            return False
        slot[fact.object.iri] = (fact, fact.object)
        return True

    for fact in facts:
        if fact.asserted and isinstance(fact.object, Entity):
            entities.setdefault(fact.subject.iri, fact.subject)
            entities.setdefault(fact.object.iri, fact.object)
            add(fact)
    mentioned = set(named) | set(entities)
    gazetteer_objects: dict[tuple[str, str], list[Entity]] = {}
    for iri, entity in sorted(entities.items()):
        for prop, other in _gazetteer_statements(entity, resolver):
            if other in ontology.gazetteer:
                gazetteer_objects.setdefault((iri, prop), []).append(resolver._gazetteer_entity(other, ()))
        if any(ontology.is_subclass(c, str(KGO.Country)) for c in entity.classes):
            gazetteer_objects.setdefault((iri, str(KGO.country)), []).append(entity)

    def objects(subject: str, prop: str) -> list[tuple[Fact | None, Entity]]:
        stated = [(f, o) for f, o in known.get((subject, prop), {}).values()]
        return stated + [(None, o) for o in gazetteer_objects.get((subject, prop), [])]

    new: list[Fact] = []
    changed = True
    while changed:
        changed = False
        for target, chains in sorted(ontology.chains.items()):
            for first, second in chains:
                for (subject, prop), slot in sorted(known.items()):
                    if prop != first:
                        continue
                    for premise, middle in sorted(slot.values(), key=lambda item: item[1].iri):
                        for other_premise, end in objects(middle.iri, second):
                            confidence = min(premise.evidence.confidence,
                                             other_premise.evidence.confidence if other_premise else 1.0)
                            evidence = replace(premise.evidence, confidence=round(confidence * INFERENCE_FACTOR, 4),
                                               pattern="inference")
                            fact = Fact(premise.subject, _relation(target, ontology), end, evidence)
                            if end.iri in mentioned and fits_property(fact.subject, end, target, ontology) \
                                    and add(fact):
                                # Super-properties only: a reader who infers that Calgary is in Canada
                                # does not go on to say that Canada contains Calgary.
                                new.extend(f for f in entailed_facts(fact, ontology) if f.subject is fact.subject)
                                changed = True
    return new


#: Confidence of a place's country taken from the one country its article names.
DOCUMENT_COUNTRY_CONFIDENCE = 0.5


#: Confidence of a statement the gazetteer makes about two entities an article names.
GAZETTEER_CONFIDENCE = 0.7
#: The common noun "capital", which lets the gazetteer's capital facts into an article.
_CAPITAL_WORD = re.compile(r"\bcapital\b")


def _named_entities(extraction: Extraction, resolver: _Resolver, refined: dict[str, str] | None = None
                    ) -> list[tuple[Mention, Entity, tuple[int, int, str] | None]]:
    """Return each named mention of the article with the entity it stands for and its sentence.

    A name whose head is not a proper noun ("Black", "Interior") is a tagger's slip and is left
    out. The sentence is None when no triple was extracted from it (its text is not at hand).
    """
    sentences = sorted({(t.sentence.start, t.sentence.end, t.sentence.text) for t in extraction.triples})
    starts = [s[0] for s in sentences]
    # A name a noun phrase describes ("the Anatolian province of Ankara": Ankara is from Anatolia)
    # does not act; the subject of a clause does.
    actors = {(t.subject.start, t.subject.end) for t in extraction.triples if t.pattern not in NOUN_PHRASE_PATTERNS}
    text = resolver.context.text
    found = []
    for mention in resolver.context.mentions:
        if not _is_named(mention) or not mention.span.head[:1].isupper():
            continue
        position = bisect_left(starts, mention.span.start + 1) - 1
        inside = position >= 0 and mention.span.end <= sentences[position][1]
        as_place = mention.label in _PLACE_LABELS
        if as_place and alias_key(clean_phrase(mention.span.text)) in resolver.ontology.government_names:
            # A capital stands for its government only where it acts: "Beijing said", "Beijing's
            # invitation" are China; "talks in Beijing", "the suburbs of Berlin" are the city.
            acts = (mention.span.start, mention.span.end) in actors \
                or text[mention.span.end:mention.span.end + 2] in ("'s", "’s")
            as_place = not acts
        entity = resolver.resolve(mention.span, as_place=as_place)
        if entity is not None and entity.kind == "entity":
            found.append((mention, _retype(entity, refined or {}), sentences[position] if inside else None))
    return found


def _gazetteer_statements(entity: Entity, resolver: _Resolver) -> tuple[tuple[str, str], ...]:
    """Return what the gazetteer states of an entity it holds, as (property, object slug); nothing for a name it lacks.

    A name only the text gives may be minted with a gazetteer entry's local name ("Los Angeles"
    and a city of that name elsewhere), but is not that entry: only gazetteer entities carry owl:sameAs.
    """
    prefix = resolver.iri("entity", "")
    if not entity.same_as or not entity.iri.startswith(prefix):
        return ()
    return resolver.ontology.gazetteer_facts.get(entity.iri[len(prefix):], ())


def _demonym_countries(resolver: _Resolver) -> list[Entity]:
    """Return the countries the article names by a nationality word ("Canadian"), which names no other thing."""
    country = str(KGO.Country)
    found = []
    for mention in resolver.context.mentions:
        if mention.label != "NORP":
            continue
        entity = resolver.resolve(mention.span)
        if entity is not None and any(resolver.ontology.is_subclass(c, country) for c in entity.classes):
            found.append(entity)
    return found


def _lead(named: Sequence[tuple[Mention, Entity, tuple[int, int, str] | None]]) -> tuple[int, int, str] | None:
    """Return the article's lead: the first sentence that names something."""
    return min((s for _, _, s in named if s is not None), default=None)


def _place_or_organization(mention: Mention, entity: Entity, ontology: Ontology, organizations: bool = True) -> bool:
    """Tell whether a name is tagged or described as a place (or an organization): "Westmere is a hamlet" is one."""
    labels = _PLACE_LABELS | {"ORG"} if organizations else _PLACE_LABELS
    kinds = (str(KGO.Place), str(KGO.Organization)) if organizations else (str(KGO.Place),)
    return mention.label in labels or any(ontology.is_subclass(c, k) for c in entity.classes for k in kinds)


def gazetteer_facts(extraction: Extraction, resolver: _Resolver,
                    named: Sequence[tuple[Mention, Entity, tuple[int, int, str] | None]]) -> list[Fact]:
    """Return what the gazetteer states between two entities that the article names (Vienna, capital of Austria)."""
    ontology = resolver.ontology
    first: dict[str, tuple[Entity, tuple[int, int, str] | None]] = {}
    for _, entity, sentence in named:
        if first.get(entity.iri, (None, None))[1] is None:
            first[entity.iri] = (entity, sentence)
    # Which city is a country's capital is world knowledge an article rarely means to state unless
    # it speaks of capitals at all; otherwise the capital is only located in its country.
    instead = {} if _CAPITAL_WORD.search(resolver.context.text) else \
        {str(KGO.capitalOf): str(KGO.locatedInAdministrativeArea), str(KGO.capital): ""}
    ends = {iri: entity for iri, (entity, _) in first.items()}
    # A country the article names only by its demonym ("the Canadian province of Alberta") is
    # named all the same: Saskatchewan, named further on, is in it.
    ends.update((e.iri, e) for e in _demonym_countries(resolver) if e.iri not in ends)
    facts = []
    for iri, (entity, sentence) in sorted(first.items()):
        if sentence is None:
            continue
        for prop, other in _gazetteer_statements(entity, resolver):
            prop = instead.get(prop, prop)
            if resolver.iri("entity", other) not in ends or not prop:
                continue
            end = ends[resolver.iri("entity", other)]
            evidence = Evidence(extraction.article.id, sentence[2], sentence[0], sentence[1], "",
                                GAZETTEER_CONFIDENCE, "gazetteer")
            fact = Fact(entity, _relation(prop, ontology), end, evidence)
            if end.iri != iri and fits_property(entity, end, prop, ontology):
                facts.extend(entailed_facts(fact, ontology))
    return facts


#: A blank line: the end of a paragraph.
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")


def _scene(text: str, named: Sequence[tuple[Mention, Entity, tuple[int, int, str] | None]],
           setting: str) -> Callable[[int], bool]:
    """Return a test of whether an offset lies in a paragraph that names the setting (a country, an area).

    A news article moves on ("Separately, the Manchester United striker ..."): a paragraph that does
    not name the setting is another scene, and its places and organizations are not put in it.
    A text of one paragraph is one scene.
    """
    starts = [0] + [m.end() for m in _PARAGRAPH_BREAK.finditer(text)]
    scene = {bisect_right(starts, m.span.start) for m, e, _ in named if e.iri == setting}
    return lambda offset: bisect_right(starts, offset) in scene


def document_country_facts(extraction: Extraction, resolver: _Resolver, facts: Sequence[Fact],
                           named: Sequence[tuple[Mention, Entity, tuple[int, int, str] | None]]) -> list[Fact]:
    """Return the country of each named place and organization when its article names one country, in its lead.

    A reader of "Prelate is a village in Saskatchewan, Canada ..." takes the article's other
    places, and its companies, ministries and schools, to be Canadian too. A country first named
    further down is where something else happened, not the article's setting, so it places
    nothing. Continents, bodies of water, landforms and international organizations, which can
    span countries, are left alone, and so is what the gazetteer or the text already places.
    Places also get the country as the top of their administrative areas (located in).
    """
    ontology = resolver.ontology
    countries = {e.iri: e for _, e, _ in named if any(ontology.is_subclass(c, str(KGO.Country)) for c in e.classes)}
    lead = _lead(named)
    if len(countries) != 1 or not any(s == lead for _, e, s in named if e.iri in countries):
        return []
    (country,) = countries.values()
    placed = {f.subject.iri for f in facts if f.predicate.iri == str(KGO.country) and f.asserted} | set(countries)
    # A place the gazetteer knows keeps its own country: London stays British in an Iranian's biography.
    placed |= {e.iri for _, e, _ in named if any(p == str(KGO.country) for p, _ in _gazetteer_statements(e, resolver))}
    wide = [str(KGO.Continent), str(KGO.BodyOfWater), str(KGO.Landform), str(KGO.InternationalOrganization)]
    in_scene = _scene(resolver.context.text, named, country.iri)
    found = []
    for mention, entity, sentence in named:
        if sentence is None or entity.iri in placed or not _place_or_organization(mention, entity, ontology) \
                or any(ontology.is_subclass(c, w) for c in entity.classes for w in wide) \
                or not in_scene(mention.span.start):
            continue
        placed.add(entity.iri)
        evidence = Evidence(extraction.article.id, sentence[2], sentence[0], sentence[1], "",
                            DOCUMENT_COUNTRY_CONFIDENCE, "document country")
        fact = Fact(entity, _relation(str(KGO.country), ontology), country, evidence)
        if fits_property(entity, country, str(KGO.country), ontology):
            found.append(fact)
        # The country is the top of the place's chain of administrative areas; as with any
        # inference, the country is not said to contain what the article only places in it.
        located = replace(fact, predicate=_relation(str(KGO.locatedInAdministrativeArea), ontology))
        if fits_property(entity, country, located.predicate.iri, ontology):
            found.extend(f for f in entailed_facts(located, ontology) if f.subject is entity)
    return found


def document_area_facts(extraction: Extraction, resolver: _Resolver, facts: Sequence[Fact],
                        named: Sequence[tuple[Mention, Entity, tuple[int, int, str] | None]]) -> list[Fact]:
    """Return the area each unplaced named place lies in when the article's lead places its topic in one area.

    "Westmere is a hamlet in Guilderland, Albany County, New York" sets the scene: the article's
    other places (Albany, a mall, a road) are taken to be in New York too, the widest area below
    the country that the lead names as a container. The country then follows by the chains.
    """
    ontology = resolver.ontology
    located = str(KGO.locatedInAdministrativeArea)
    lead = _lead(named)
    if lead is None:
        return []
    country = str(KGO.Country)
    inside: dict[str, set[str]] = {}
    areas: dict[str, Entity] = {}
    for fact in facts:
        if fact.predicate.iri == located and fact.asserted and isinstance(fact.object, Entity) \
                and not any(ontology.is_subclass(c, country) for c in fact.object.classes):
            inside.setdefault(fact.subject.iri, set()).add(fact.object.iri)
            if fact.evidence.start == lead[0] and any(ontology.is_subclass(c, str(KGO.AdministrativeArea))
                                                      for c in fact.object.classes):
                areas[fact.object.iri] = fact.object
    tops = [a for a in areas if not inside.get(a, set()) & set(areas)]
    if len(tops) != 1:
        return []
    area = areas[tops[0]]
    containers = {a for subject in inside for a in inside[subject]}
    wide = [str(KGO.Continent), str(KGO.BodyOfWater), str(KGO.Landform), str(KGO.InternationalOrganization), country]
    done = set(inside) | containers | {area.iri}
    in_scene = _scene(resolver.context.text, named, area.iri)
    found = []
    for mention, entity, sentence in named:
        if sentence is None or entity.iri in done or not _place_or_organization(mention, entity, ontology, False) \
                or any(ontology.is_subclass(c, w) for c in entity.classes for w in wide) \
                or _gazetteer_statements(entity, resolver) or not in_scene(mention.span.start):
            continue
        done.add(entity.iri)
        evidence = Evidence(extraction.article.id, sentence[2], sentence[0], sentence[1], "",
                            DOCUMENT_COUNTRY_CONFIDENCE, "document area")
        fact = Fact(entity, _relation(located, ontology), area, evidence)
        if fits_property(entity, area, located, ontology):
            found.extend(f for f in entailed_facts(fact, ontology) if f.subject is entity)
    return found


#: Words of a relation phrase that a reader leaves out of its name: auxiliaries, modals, negation.
_AUXILIARIES = frozenset(
    "be am is are was were been being 's 're 'm have has had having do does did will would shall should can "
    "could may might must not n't never also still already just".split()
)


def open_relation_label(triple: Triple, lemma: str) -> str:
    """Return an open relation's name as a reader would say it: its written words without auxiliaries ("born in")."""
    written = triple.relation.text.split()
    # An auxiliary after "to" is part of what is said ("continue to be marked by"); adverbs in -ly are not.
    words = [w for i, w in enumerate(written)
             if (w.casefold() not in _AUXILIARIES or (i and written[i - 1].casefold() == "to"))
             and not (w.casefold().endswith("ly") and len(written) > 1 and w.casefold() not in ("only", "apply", "reply"))]
    base = triple.relation_lemma.casefold().split()
    lemma_words = lemma.split()
    if lemma_words[:1] == ["be"] and base[:1] != ["be"]:
        lemma_words = lemma_words[1:]
    # Words the reading added after the written relation: the preposition of an argument ("born" + "on").
    extra = [w for w in lemma_words[len(base):] if w not in {x.casefold() for x in words}]
    if not words and not extra:
        words = written[-1:]
    # A relation that starts a sentence ("Born in Prelate, he ...") is named in lower case.
    words = [w.lower() if w[:1].isupper() and w[1:].islower() else w for w in words]
    return " ".join(words + extra) or lemma


#: Confidence of a value read from a sum of money written before a name.
AMOUNT_CONFIDENCE = 0.8


def amount_facts(extraction: Extraction, resolver: _Resolver) -> list[Fact]:
    """Return the value a sum of money written before a name gives it: "the $500 billion Project Stargate" -> kgo:cost."""
    context = resolver.context
    sentences = sorted({(t.sentence.start, t.sentence.end, t.sentence.text) for t in extraction.triples})
    facts = []
    for start, index in zip(context.money_starts, context.money_indexes):
        money = context.mentions[index].span
        position = bisect_left(context.named_starts, money.end)
        if position == len(context.named_starts):
            continue
        name = context.mentions[context.named_indexes[position]]
        sentence = next((s for s in sentences if s[0] <= start and name.span.end <= s[1]), None)
        if sentence is None or context.text[money.end:name.span.start].strip():
            continue
        entity = resolver.resolve(name.span)
        written = money.text.strip(" ,;:.!?\"“”'’")
        qualifiers = amount_qualifiers(written)
        amount = next((q.value for q in qualifiers if q.property == str(KGO.amountValue)), None)
        if entity is None or entity.kind != "entity" or not isinstance(amount, Value):
            continue
        evidence = Evidence(extraction.article.id, sentence[2], sentence[0], sentence[1], written, AMOUNT_CONFIDENCE,
                            "amount")
        facts.append(Fact(entity, _relation(str(KGO.cost), resolver.ontology), amount, evidence,
                          _ordered([q for q in qualifiers if q.property != str(KGO.amountValue)])))
    return facts


def _qualifiers(argument: Argument, resolver: _Resolver) -> list[Qualifier]:
    """Return the qualifiers an argument gives a fact ("in January 2025" -> kgo:date)."""
    ontology = resolver.ontology
    span = argument.span
    marker = argument.marker.casefold()
    by_label = ontology.ner_qualifiers.get(span.entity_label)
    if by_label == str(KGO.date):
        return [Qualifier(by_label, parse_date(span.text.strip(" ,;:.!?\"“”'’")))]
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
    year = next((w for w in words if re.fullmatch(r"(1[0-9]|20|21)\d\d", w)), None)
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

