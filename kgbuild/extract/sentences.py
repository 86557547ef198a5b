"""spaCy component that starts a new sentence after every line break and in run-on text."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

#: Tokens that end a sentence in running text.
SENTENCE_FINAL = frozenset({".", "!", "?", "…"})


class NewlineSentenceStarter:
    """Mark sentence starts before the parser runs: after each line break, and in run-on text.

    Headings and paragraphs in an article are separated by newlines; without this the
    parser may glue a heading onto the first sentence of the next paragraph. Text that runs
    for ``max_run_on_tokens`` tokens without a full stop (scraped tables, lists, garbage) is
    cut there, because the parser's memory, the clause rules' time and the size of each
    fact's evidence grow with the length of a sentence.
    """

    def __init__(self, max_run_on_tokens: int = 200) -> None:
        self.max_run_on_tokens = max_run_on_tokens

    def __call__(self, doc: Doc) -> Doc:
        """Set ``is_sent_start`` on tokens that follow a line break or end a long run-on stretch."""
        follows_break = False
        run = 0
        for token in doc:
            run += 1
            if not token.is_space and (follows_break or run > self.max_run_on_tokens):
                token.is_sent_start = True
                follows_break = False
                run = 1
            if "\n" in token.text:
                follows_break = True
            elif token.text in SENTENCE_FINAL:
                run = 0
        return doc


@Language.factory("kgbuild_newline_sentences", default_config={"max_run_on_tokens": 200})
def make_newline_sentence_starter(nlp: Language, name: str, max_run_on_tokens: int) -> NewlineSentenceStarter:
    """Create the component that starts a sentence after each line break and in run-on text."""
    return NewlineSentenceStarter(max_run_on_tokens)
