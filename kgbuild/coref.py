"""Document-level coreference: an article's clause subjects by sentence, and what it says its names are.

"The Dark Forest is a 1999 drama film. The film stars Tom Hanks. It was filmed in Toronto."
Both "the film" and "it" refer to The Dark Forest: the first sentence's subject is the article's
topic, the predicate nominative gives it the description head "film", and "it" is the subject of a
sentence whose previous sentence is about the same thing. This module finds, once per article and
in one pass over its triples, the structure those rules need; normalization
(``kgbuild.normalize._Resolver``) decides what each pronoun and description stands for with it.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from kgbuild.extract.types import Extraction, TextSpan

#: Extraction patterns whose subject is the subject of a clause as written.
CLAUSE_PATTERNS = frozenset({"svo", "passive", "copula", "attribute", "report"})
#: Extraction patterns that say what a name is: "X is a German band", "X, a German band,".
DESCRIPTION_PATTERNS = frozenset({"copula", "apposition"})


@dataclass(frozen=True)
class Description:
    """A statement of what something is: "X is a 1999 drama film" gives X the head noun "film"."""

    #: Where the statement is made: from the start of the described phrase to the end of the description.
    start: int
    end: int
    #: Head-noun lemma of the description, lower case.
    head: str
    #: The phrase described, as written.
    subject: TextSpan


@dataclass(frozen=True)
class Discourse:
    """Clause subjects by sentence and the descriptions of an article, in text order."""

    #: Start offsets of the sentences that gave triples, in text order.
    sentence_starts: tuple[int, ...]
    #: Clause subjects in text order, their start offsets and the index of the sentence each is in.
    subjects: tuple[TextSpan, ...]
    subject_starts: tuple[int, ...]
    subject_sentences: tuple[int, ...]
    #: Head noun -> its descriptions in text order, and where each is made.
    descriptions: dict[str, tuple[Description, ...]]
    description_starts: dict[str, tuple[int, ...]]
    #: Start offset of a description ("the debut album" in "X is the debut album by Y") -> what it describes.
    describing: dict[int, TextSpan]
    #: Start offset of a described phrase -> the head nouns of its descriptions, in text order.
    subject_heads: dict[int, tuple[str, ...]]

    def is_described(self, subject: TextSpan) -> bool:
        """Return True when the article says what this phrase is ("X is an album", "X, an album,")."""
        return subject.start in self.subject_heads

    def heads_of(self, subject: TextSpan) -> tuple[str, ...]:
        """Return the head nouns the article describes a phrase with ("album" for "X is the debut album")."""
        return self.subject_heads.get(subject.start, ())

    def described_by(self, start: int) -> TextSpan | None:
        """Return what the description starting at this offset describes ("X" for "X is [the debut album]")."""
        return self.describing.get(start)

    def sentence_of(self, offset: int) -> int:
        """Return the index of the sentence an offset is in (-1 before the first)."""
        return bisect_right(self.sentence_starts, offset) - 1

    def starts_subject(self, offset: int) -> bool:
        """Return True when a clause subject starts at this offset ("It was filmed", "Its members")."""
        position = bisect_left(self.subject_starts, offset)
        return position < len(self.subjects) and self.subjects[position].start == offset

    def subjects_before(self, offset: int, limit: int) -> list[TextSpan]:
        """Return at most ``limit`` clause subjects a pronoun at ``offset`` may continue, most salient first.

        Those of its own sentence before it, nearest first ("The firm was sold, and it ..."), then
        those of the sentence before, in text order: the main clause's subject leads.
        """
        here = self.sentence_of(offset)
        own = bisect_left(self.subject_sentences, here)
        before = bisect_left(self.subject_sentences, here - 1)
        position = bisect_left(self.subject_starts, offset)
        found = [s for s in self.subjects[max(own, position - limit):position][::-1] if s.end <= offset]
        return (found + list(self.subjects[before:min(own, before + limit)]))[:limit]

    def topic(self) -> TextSpan | None:
        """Return the subject of the article's first sentence: what the article is about."""
        if not self.subjects or self.subject_sentences[0] != 0:
            return None
        return self.subjects[0]

    def described(self, head: str, before: int) -> TextSpan | None:
        """Return the phrase most recently described with this head noun before an offset."""
        key = head.casefold()
        position = bisect_left(self.description_starts.get(key, ()), before) - 1
        # A statement is not about the description it makes: "X is the debut album" is about X.
        while position >= 0 and self.descriptions[key][position].end > before:
            position -= 1
        return self.descriptions[key][position].subject if position >= 0 else None


def discourse(extraction: Extraction) -> Discourse:
    """Return the clause subjects and descriptions of an article, found in one pass over its triples."""
    starts = sorted({t.sentence.start for t in extraction.triples})
    subjects: dict[tuple[int, int], TextSpan] = {}
    descriptions: dict[str, list[Description]] = {}
    describing: dict[int, TextSpan] = {}
    for triple in extraction.triples:
        subject = triple.subject
        if triple.pattern in CLAUSE_PATTERNS and subject.end > subject.start:
            subjects.setdefault((subject.start, subject.end), subject)
        if triple.pattern in DESCRIPTION_PATTERNS and triple.object is not None and triple.object.head \
                and not triple.negated and not triple.modality:
            head = triple.object.head.casefold()
            describing.setdefault(triple.object.start, subject)
            end = max(subject.end, triple.object.end)
            descriptions.setdefault(head, []).append(Description(min(subject.start, triple.object.start), end, head,
                                                                 subject))
    ordered = sorted(subjects.values(), key=lambda s: (s.start, s.end))
    # Two subjects starting together ("The film" and "The film, directed by X"): the shorter one.
    kept: list[TextSpan] = []
    for subject in ordered:
        if not kept or kept[-1].start != subject.start:
            kept.append(subject)
    subject_heads: dict[int, tuple[str, ...]] = {}
    for description in sorted((d for found in descriptions.values() for d in found), key=lambda d: d.start):
        subject_heads[description.subject.start] = (*subject_heads.get(description.subject.start, ()), description.head)
    ordered_descriptions = {head: tuple(sorted(found, key=lambda d: (d.start, d.subject.end)))
                            for head, found in descriptions.items()}
    return Discourse(
        tuple(starts),
        tuple(kept),
        tuple(s.start for s in kept),
        tuple(bisect_right(starts, s.start) - 1 for s in kept),
        ordered_descriptions,
        {head: tuple(d.start for d in found) for head, found in ordered_descriptions.items()},
        describing,
        subject_heads,
    )
