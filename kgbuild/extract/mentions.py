"""spaCy component ``kgbuild_mentions``: entity, noun-phrase and pronoun mentions with coreference links."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from kgbuild.extract.types import Mention, TextSpan

#: Determiners that make a noun phrase a definite description ("the company").
DEFINITE_DETERMINERS = ("the", "this", "that", "these", "those")
#: Personal pronouns that refer back, by the kind of referent they take.
PERSON_PRONOUNS = ("he", "him", "his", "himself", "she", "her", "hers", "herself")
THING_PRONOUNS = ("it", "its", "itself")
PLURAL_PRONOUNS = ("they", "them", "their", "theirs", "themselves")
#: spaCy labels of values, which nothing refers back to.
VALUE_LABELS = ("DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL")
#: Penn tags of relative pronouns ("that", "which", "who"), which refer to the noun their clause modifies.
RELATIVE_PRONOUN_TAGS = ("WDT", "WP")
_SUBJECT_DEPS = ("nsubj", "nsubjpass")

if not Doc.has_extension("mentions"):
    Doc.set_extension("mentions", default=None)


@Language.factory(
    "kgbuild_mentions",
    default_config={"head_labels": None, "name_labels": None, "max_sentences_back": 4, "max_mentions_back": 60},
)
def make_mention_finder(
    nlp: Language,
    name: str,
    head_labels: dict[str, list[str]] | None,
    name_labels: dict[str, list[str]] | None,
    max_sentences_back: int,
    max_mentions_back: int,
) -> MentionFinder:
    """Create the component; label tables default to the ones the built-in ontology implies."""
    if head_labels is None or name_labels is None:
        from kgbuild.ontology import load_ontology

        ontology = load_ontology()
        head_labels = ontology.head_ner_labels() if head_labels is None else head_labels
        name_labels = ontology.known_name_labels() if name_labels is None else name_labels
    return MentionFinder(nlp, head_labels, name_labels, max_sentences_back, max_mentions_back)


class MentionFinder:
    """Finds mentions in a doc and links pronouns, definite descriptions and acronyms to antecedents."""

    def __init__(
        self,
        nlp: Language,
        head_labels: Mapping[str, Sequence[str]],
        name_labels: Mapping[str, Sequence[str]],
        max_sentences_back: int = 4,
        max_mentions_back: int = 60,
    ) -> None:
        #: Head-noun lemma -> entity labels it can refer back to ("company" -> ORG).
        self.head_labels = {head.casefold(): tuple(labels) for head, labels in head_labels.items()}
        #: Known name -> the entity labels it may carry ("Nvidia" -> ORG); corrects the tagger.
        self.name_labels = {name: tuple(labels) for name, labels in name_labels.items()}
        self.max_sentences_back = max_sentences_back
        #: Antecedents are searched among at most this many earlier mentions, so that run-on
        #: text (one "sentence" of thousands of words) costs linear, not quadratic, time.
        self.max_mentions_back = max_mentions_back
        self.matcher = PhraseMatcher(nlp.vocab)
        for known in sorted(self.name_labels):
            self.matcher.add(known, [nlp.make_doc(known)])

    def __call__(self, doc: Doc) -> Doc:
        """Set ``doc._.mentions`` to the doc's mentions in text order."""
        spans = self._mention_spans(doc)
        mentions: list[Mention] = []
        acronyms: dict[str, int] = {}
        sentence_of = [0] * len(doc)
        if doc.has_annotation("SENT_START") or doc.has_annotation("DEP"):
            for number, sentence in enumerate(doc.sents):
                sentence_of[sentence.start:sentence.end] = [number] * len(sentence)
        for index, (span, label) in enumerate(spans):
            antecedent = self._antecedent(index, spans, mentions, acronyms, sentence_of)
            mentions.append(Mention(_text_span(span, label), label, antecedent))
            self._remember_acronym(span, index, spans, acronyms)
        doc._.mentions = tuple(mentions)
        return doc

    def _mention_spans(self, doc: Doc) -> list[tuple[Span, str]]:
        """Return (span, label) for entities, known names, noun chunks and pronouns, in text order."""
        found: dict[tuple[int, int], str] = {}
        for ent in doc.ents:
            found[(ent.start, ent.end)] = self._label(ent, ent.label_)
        for match_id, start, end in self.matcher(doc):
            covered = any(s <= start and end <= e for s, e in found if found[(s, e)])
            if not covered:
                labels = self.name_labels[doc.vocab.strings[match_id]]
                found[(start, end)] = labels[0] if labels else ""
        if doc.has_annotation("DEP"):
            for chunk in doc.noun_chunks:
                found.setdefault((chunk.start, chunk.end), "")
        for token in doc:
            if token.lower_ in (*PERSON_PRONOUNS, *THING_PRONOUNS, *PLURAL_PRONOUNS) and token.pos_ == "PRON":
                found.setdefault((token.i, token.i + 1), "")
        return [(doc[start:end], label) for (start, end), label in sorted(found.items())]

    def _label(self, span: Span, label: str) -> str:
        """Return the entity label, corrected when the span is a known name of another kind."""
        allowed = self.name_labels.get(span.text, self.name_labels.get(_without_determiner(span).text))
        if allowed is None or label in allowed:
            return label
        return allowed[0] if allowed else ""

    def _antecedent(self, index: int, spans: Sequence[tuple[Span, str]], mentions: Sequence[Mention],
                    acronyms: Mapping[str, int], sentence_of: Sequence[int]) -> int | None:
        span, label = spans[index]
        if span.text in acronyms:
            return acronyms[span.text]
        if label:
            return None
        if len(span) == 1 and span[0].tag_ in RELATIVE_PRONOUN_TAGS and span[0].head.dep_ == "relcl":
            return _mention_with_root(span[0].head.head, index, spans)
        if len(span) == 1 and span[0].lower_ in (*PERSON_PRONOUNS, *THING_PRONOUNS, *PLURAL_PRONOUNS):
            return self._pronoun_antecedent(span[0], index, spans, sentence_of)
        if len(span) > 1 and span[0].lower_ in DEFINITE_DETERMINERS and not any(t.pos_ == "PROPN" or t.ent_type_ for t in span):
            return self._description_antecedent(span, index, spans, sentence_of)
        return None

    def _candidates(self, index: int, spans: Sequence[tuple[Span, str]],
                    sentence_of: Sequence[int]) -> Iterable[int]:
        """Yield earlier mentions, nearest first, within the sentence window."""
        here = sentence_of[spans[index][0].start]
        for earlier in range(index - 1, max(index - 1 - self.max_mentions_back, -1), -1):
            span = spans[earlier][0]
            if here - sentence_of[span.start] > self.max_sentences_back:
                return
            if span.end <= spans[index][0].start:
                yield earlier

    def _pronoun_antecedent(self, pronoun: Token, index: int, spans: Sequence[tuple[Span, str]],
                            sentence_of: Sequence[int]) -> int | None:
        fits = self._pronoun_fit(pronoun.lower_)
        subject = _clause_subject(pronoun)
        if subject is not None and subject.i < pronoun.i:
            for earlier in self._candidates(index, spans, sentence_of):
                span, label = spans[earlier]
                if span.start <= subject.i < span.end and fits(span, label):
                    return earlier
        for earlier in self._candidates(index, spans, sentence_of):
            span, label = spans[earlier]
            if fits(span, label):
                return earlier
        return None

    def _pronoun_fit(self, pronoun: str):  # type: ignore[no-untyped-def]
        """Return a test of whether a mention can be what this pronoun refers to."""

        def person(span: Span, label: str) -> bool:
            return label == "PERSON"

        def thing(span: Span, label: str) -> bool:
            if label in VALUE_LABELS or label == "PERSON" or span.root.pos_ == "PRON":
                return False
            return bool(label) or (span.root.tag_ in ("NN", "NNP") and span[0].lower_ in DEFINITE_DETERMINERS)

        def plural(span: Span, label: str) -> bool:
            if label in VALUE_LABELS or span.root.pos_ == "PRON":
                return False
            return span.root.tag_ in ("NNS", "NNPS") or label in ("NORP",)

        if pronoun in PERSON_PRONOUNS:
            return person
        if pronoun in THING_PRONOUNS:
            return thing
        return plural

    def _description_antecedent(self, span: Span, index: int, spans: Sequence[tuple[Span, str]],
                                sentence_of: Sequence[int]) -> int | None:
        head = span.root.lemma_.casefold()
        allowed = self.head_labels.get(head, ())
        for earlier in self._candidates(index, spans, sentence_of):
            candidate, label = spans[earlier]
            named = bool(label) or any(t.pos_ == "PROPN" for t in candidate)
            if named and candidate.root.lemma_.casefold() == head and label not in VALUE_LABELS:
                return earlier
        for earlier in self._candidates(index, spans, sentence_of):
            candidate, label = spans[earlier]
            if label and label in allowed:
                return earlier
        return None

    def _remember_acronym(self, span: Span, index: int, spans: Sequence[tuple[Span, str]],
                          acronyms: dict[str, int]) -> None:
        """Map "AI" to "artificial intelligence" when the text says "artificial intelligence (AI)"."""
        doc = span.doc
        if span.end + 2 < len(doc) and doc[span.end].text == "(" and doc[span.end + 2].text == ")":
            short = doc[span.end + 1].text
            initials = "".join(t.text[0] for t in span if t.is_alpha and t.lower_ not in DEFINITE_DETERMINERS)
            if short.isupper() and initials.upper() == short:
                acronyms.setdefault(short, index)


def _clause_subject(token: Token) -> Token | None:
    """Return the explicit subject of the clause a token belongs to, following conjoined verbs."""
    verb = token
    # spaCy makes a new Token object on each access, so compare positions, not identity.
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    while True:
        subjects = [child for child in verb.children if child.dep_ in _SUBJECT_DEPS]
        if subjects:
            return subjects[0]
        if verb.dep_ == "conj" and verb.head.i != verb.i:
            verb = verb.head
            continue
        return None


def _mention_with_root(token: Token, index: int, spans: Sequence[tuple[Span, str]]) -> int | None:
    """Return the earlier mention whose syntactic root is ``token``, if any."""
    for earlier in range(index - 1, -1, -1):
        if spans[earlier][0].root.i == token.i:
            return earlier
    return None


def _without_determiner(span: Span) -> Span:
    return span[1:] if len(span) > 1 and span[0].lower_ in DEFINITE_DETERMINERS else span


def _text_span(span: Span, label: str) -> TextSpan:
    return TextSpan(span.text, span.start_char, span.end_char, span.root.lemma_, label or span.root.ent_type_)
