"""spaCy component that starts a new sentence after every line break, after a dateline and in run-on text."""

from __future__ import annotations

import re
from bisect import bisect_left

from spacy.language import Language
from spacy.tokens import Doc

#: Tokens that end a sentence in running text.
SENTENCE_FINAL = frozenset({".", "!", "?", "…"})
#: A news dateline at the start of a line: a place in capitals, optionally a region, a date and the
#: agency in parentheses, then a dash ("LONDON, March 3 (Reuters) - ", "SAN FRANCISCO -- ").
DATELINE = re.compile(
    r"[A-Z][A-Z.'’/-]+(?: [A-Z][A-Z.'’/-]+){0,3}"  # the place, in capitals ("PARIS/BERLIN")
    r"(?:, ?[A-Z0-9][A-Za-z0-9.'’-]*(?: [A-Za-z0-9.'’-]+){0,2})*"  # region, country or date
    r"(?: ?\([A-Za-z][A-Za-z .&/-]{0,40}\))?"  # the agency
    r"(?: (?:--|[-–—]) | ?[–—] ?)(?=[\"“'‘]?[A-Z0-9])"  # a dash (a hyphen only between spaces)
)
#: A dateline at the start of the text or of a line (group 1).
_LINE_DATELINE = re.compile(rf"^[ \t]*({DATELINE.pattern})", re.MULTILINE)

if not Doc.has_extension("datelines"):
    Doc.set_extension("datelines", default=())


class NewlineSentenceStarter:
    """Mark sentence starts before the parser runs: after each line break, after a dateline, and in run-on text.

    Headings and paragraphs in an article are separated by newlines; without this the
    parser may glue a heading onto the first sentence of the next paragraph. A news dateline
    ("LONDON, March 3 (Reuters) -") is a fragment of its own, or the parser takes the place
    for the subject of the sentence that follows it. Text that runs
    for ``max_run_on_tokens`` tokens without a full stop (scraped tables, lists, garbage) is
    cut there, because the parser's memory, the clause rules' time and the size of each
    fact's evidence grow with the length of a sentence.
    """

    def __init__(self, max_run_on_tokens: int = 200) -> None:
        self.max_run_on_tokens = max_run_on_tokens

    def __call__(self, doc: Doc) -> Doc:
        """Set ``is_sent_start`` on tokens that follow a line break or a dateline, or end a long run-on stretch."""
        follows_break = False
        run = 0
        self._split_datelines(doc)
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

    @staticmethod
    def _split_datelines(doc: Doc) -> None:
        """Start a sentence after each dateline at the start of the text or of a line; list them in ``doc._.datelines``.

        ``doc._.datelines`` holds the (start, end) token range of each dateline.
        """
        found_lines = []
        starts: list[int] = []
        for found in _LINE_DATELINE.finditer(doc.text):
            starts = starts or [token.idx for token in doc]
            after = bisect_left(starts, found.end())
            if after < len(doc) and starts[after] == found.end():
                doc[after].is_sent_start = True
                found_lines.append((bisect_left(starts, found.start(1)), after))
        doc._.datelines = tuple(found_lines)


@Language.factory("kgbuild_newline_sentences", default_config={"max_run_on_tokens": 200})
def make_newline_sentence_starter(nlp: Language, name: str, max_run_on_tokens: int) -> NewlineSentenceStarter:
    """Create the component that starts a sentence after each line break and in run-on text."""
    return NewlineSentenceStarter(max_run_on_tokens)
