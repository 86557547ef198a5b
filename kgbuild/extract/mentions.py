"""spaCy component ``kgbuild_mentions``: entity, noun-phrase and pronoun mentions with coreference links."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from spacy.attrs import ENT_TYPE, LOWER, ORTH, POS, TAG
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.strings import hash_string
from spacy.symbols import PRON, PROPN
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

#: The same words and tags as the string hashes that ``Doc.to_array`` gives (see ``_Tokens``).
_PRONOUN_IDS = frozenset(map(hash_string, (*PERSON_PRONOUNS, *THING_PRONOUNS, *PLURAL_PRONOUNS)))
_DEFINITE_IDS = frozenset(map(hash_string, DEFINITE_DETERMINERS))
_RELATIVE_PRONOUN_TAG_IDS = frozenset(map(hash_string, RELATIVE_PRONOUN_TAGS))
_SINGULAR_NOUN_TAG_IDS = frozenset(map(hash_string, ("NN", "NNP")))
_PLURAL_NOUN_TAG_IDS = frozenset(map(hash_string, ("NNS", "NNPS")))
_OPENING_ID, _CLOSING_ID = hash_string("("), hash_string(")")

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
        tokens = _Tokens(doc)
        spans = _Spans(self._mention_spans(doc, tokens))
        mentions: list[Mention] = []
        acronyms: dict[str, int] = {}
        sentence_of = [0] * len(doc)
        if doc.has_annotation("SENT_START") or doc.has_annotation("DEP"):
            for number, sentence in enumerate(doc.sents):
                sentence_of[sentence.start:sentence.end] = [number] * len(sentence)
        for index, span in enumerate(spans.spans):
            label = spans.labels[index]
            antecedent = self._antecedent(index, spans, tokens, acronyms, sentence_of)
            root = spans.roots[index]
            text_span = TextSpan(spans.texts[index], span.start_char, span.end_char, spans.root_lemmas[index],
                                 label or root.ent_type_)
            mentions.append(Mention(text_span, label, antecedent))
            self._remember_acronym(span, index, tokens, acronyms)
        doc._.mentions = tuple(mentions)
        return doc

    def _mention_spans(self, doc: Doc, tokens: _Tokens) -> list[tuple[Span, str]]:
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
        for i, (lower, pos) in enumerate(zip(tokens.lower, tokens.pos)):
            if lower in _PRONOUN_IDS and pos == PRON:
                found.setdefault((i, i + 1), "")
        return [(doc[start:end], label) for (start, end), label in sorted(found.items())]

    def _label(self, span: Span, label: str) -> str:
        """Return the entity label, corrected when the span is a known name of another kind."""
        allowed = self.name_labels.get(span.text, self.name_labels.get(_without_determiner(span).text))
        if allowed is None or label in allowed:
            return label
        return allowed[0] if allowed else ""

    def _antecedent(self, index: int, spans: _Spans, tokens: _Tokens, acronyms: Mapping[str, int],
                    sentence_of: Sequence[int]) -> int | None:
        span, label, text = spans.spans[index], spans.labels[index], spans.texts[index]
        if text in acronyms:
            return acronyms[text]
        if label:
            return None
        start, end = spans.starts[index], spans.ends[index]
        if end - start == 1:
            if tokens.tag[start] in _RELATIVE_PRONOUN_TAG_IDS and span[0].head.dep_ == "relcl":
                return _mention_with_root(span[0].head.head.i, index, spans)
            if tokens.lower[start] in _PRONOUN_IDS:
                return self._pronoun_antecedent(span[0], index, spans, tokens, sentence_of)
            return None
        if end - start > 1 and tokens.lower[start] in _DEFINITE_IDS and not any(
                tokens.pos[i] == PROPN or tokens.ent_type[i] for i in range(start, end)):
            return self._description_antecedent(index, spans, tokens, sentence_of)
        return None

    def _candidates(self, index: int, spans: _Spans, sentence_of: Sequence[int]) -> Iterable[int]:
        """Yield earlier mentions, nearest first, within the sentence window."""
        starts, ends = spans.starts, spans.ends
        here = sentence_of[starts[index]]
        for earlier in range(index - 1, max(index - 1 - self.max_mentions_back, -1), -1):
            if here - sentence_of[starts[earlier]] > self.max_sentences_back:
                return
            if ends[earlier] <= starts[index]:
                yield earlier

    def _pronoun_antecedent(self, pronoun: Token, index: int, spans: _Spans, tokens: _Tokens,
                            sentence_of: Sequence[int]) -> int | None:
        fits = self._pronoun_fit(pronoun.lower_, spans, tokens)
        subject = _clause_subject(pronoun)
        if subject is not None and subject.i < pronoun.i:
            for earlier in self._candidates(index, spans, sentence_of):
                if spans.starts[earlier] <= subject.i < spans.ends[earlier] and fits(earlier):
                    return earlier
        for earlier in self._candidates(index, spans, sentence_of):
            if fits(earlier):
                return earlier
        return None

    def _pronoun_fit(self, pronoun: str, spans: _Spans, tokens: _Tokens):  # type: ignore[no-untyped-def]
        """Return a test of whether a mention (by its index) can be what this pronoun refers to."""
        labels, roots = spans.labels, spans.root_indexes

        def person(index: int) -> bool:
            return labels[index] == "PERSON"

        def thing(index: int) -> bool:
            label = labels[index]
            if label in VALUE_LABELS or label == "PERSON" or tokens.pos[roots[index]] == PRON:
                return False
            return bool(label) or (tokens.tag[roots[index]] in _SINGULAR_NOUN_TAG_IDS
                                   and tokens.lower[spans.starts[index]] in _DEFINITE_IDS)

        def plural(index: int) -> bool:
            label = labels[index]
            if label in VALUE_LABELS or tokens.pos[roots[index]] == PRON:
                return False
            return tokens.tag[roots[index]] in _PLURAL_NOUN_TAG_IDS or label in ("NORP",)

        if pronoun in PERSON_PRONOUNS:
            return person
        if pronoun in THING_PRONOUNS:
            return thing
        return plural

    def _description_antecedent(self, index: int, spans: _Spans, tokens: _Tokens,
                                sentence_of: Sequence[int]) -> int | None:
        head = spans.root_lemmas[index].casefold()
        allowed = self.head_labels.get(head, ())
        labels = spans.labels
        for earlier in self._candidates(index, spans, sentence_of):
            label = labels[earlier]
            named = bool(label) or PROPN in tokens.pos[spans.starts[earlier]:spans.ends[earlier]]
            if named and spans.root_lemmas[earlier].casefold() == head and label not in VALUE_LABELS:
                return earlier
        for earlier in self._candidates(index, spans, sentence_of):
            label = labels[earlier]
            if label and label in allowed:
                return earlier
        return None

    def _remember_acronym(self, span: Span, index: int, tokens: _Tokens, acronyms: dict[str, int]) -> None:
        """Map "AI" to "artificial intelligence" when the text says "artificial intelligence (AI)"."""
        orth = tokens.orth
        if span.end + 2 < len(orth) and orth[span.end] == _OPENING_ID and orth[span.end + 2] == _CLOSING_ID:
            short = span.doc[span.end + 1].text
            initials = "".join(t.text[0] for t in span if t.is_alpha and t.lower_ not in DEFINITE_DETERMINERS)
            if short.isupper() and initials.upper() == short:
                acronyms.setdefault(short, index)


class _Tokens:
    """The token attributes that antecedent search compares, read out of a doc at once.

    Words and tags are string hashes, parts of speech symbol ids. spaCy makes a new ``Token``
    object on each access, which costs more than the comparisons.
    """

    def __init__(self, doc: Doc) -> None:
        columns = doc.to_array([ORTH, LOWER, POS, TAG, ENT_TYPE]).T.tolist() if len(doc) else [[]] * 5
        self.orth, self.lower, self.pos, self.tag, self.ent_type = columns


class _Spans:
    """The mention spans of a doc with their labels, token offsets and syntactic roots."""

    def __init__(self, found: Sequence[tuple[Span, str]]) -> None:
        self.spans = [span for span, _ in found]
        self.labels = [label for _, label in found]
        self.starts = [span.start for span in self.spans]
        self.ends = [span.end for span in self.spans]
        self.texts = [span.text for span in self.spans]
        self.roots = [span.root for span in self.spans]
        self.root_indexes = [root.i for root in self.roots]
        self.root_lemmas = [root.lemma_ for root in self.roots]


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


def _mention_with_root(token: int, index: int, spans: _Spans) -> int | None:
    """Return the earlier mention whose syntactic root is the token at index ``token``, if any."""
    for earlier in range(index - 1, -1, -1):
        if spans.root_indexes[earlier] == token:
            return earlier
    return None


def _without_determiner(span: Span) -> Span:
    return span[1:] if len(span) > 1 and span[0].lower_ in DEFINITE_DETERMINERS else span
