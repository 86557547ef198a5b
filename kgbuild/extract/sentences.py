"""spaCy component that starts a new sentence after every line break."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


class NewlineSentenceStarter:
    """Mark the first token after a line break as a sentence start, before the parser runs.

    Headings and paragraphs in an article are separated by newlines; without this the
    parser may glue a heading onto the first sentence of the next paragraph.
    """

    def __call__(self, doc: Doc) -> Doc:
        """Set ``is_sent_start`` on tokens that follow a line break."""
        follows_break = False
        for token in doc:
            if follows_break and not token.is_space:
                token.is_sent_start = True
                follows_break = False
            if "\n" in token.text:
                follows_break = True
        return doc


@Language.factory("kgbuild_newline_sentences")
def make_newline_sentence_starter(nlp: Language, name: str) -> NewlineSentenceStarter:
    """Create the component that starts a sentence after each line break."""
    return NewlineSentenceStarter()
