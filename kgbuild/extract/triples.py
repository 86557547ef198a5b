"""spaCy component that puts the open triples of a parsed doc on ``doc._.triples``."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kgbuild.extract.clauses import doc_triples
from kgbuild.extract.nominal import nominal_triples
from kgbuild.extract.works import work_triples
from kgbuild.extract import sentences as _sentences  # noqa: F401  (registers doc._.datelines)

if not Doc.has_extension("triples"):
    Doc.set_extension("triples", default=None)


class TripleExtractor:
    """Apply the clause rules of :mod:`kgbuild.extract.clauses` (and the noun-phrase rules of
    :mod:`kgbuild.extract.nominal` when ``nominal``) to each parsed doc."""

    def __init__(self, nominal: bool = True, place_nouns: frozenset[str] = frozenset(),
                 work_nouns: frozenset[str] = frozenset()) -> None:
        self.nominal = nominal
        self.place_nouns = place_nouns
        self.work_nouns = work_nouns

    def __call__(self, doc: Doc) -> Doc:
        """Set ``doc._.triples`` to the list of :class:`~kgbuild.extract.clauses.SpanTriple` found."""
        found = doc_triples(doc)
        if self.nominal:
            found.extend(nominal_triples(doc, self.place_nouns))
            found.extend(work_triples(doc, self.work_nouns))
        if doc._.datelines:
            # A dateline ("WASHINGTON (AP) -") states no fact: "WASHINGTON is AP" is not one.
            found = [t for t in found if not any(start <= t.subject.start < end for start, end in doc._.datelines)]
        doc._.triples = found
        return doc


@Language.factory("kgbuild_triples", default_config={"nominal": True, "place_nouns": [], "work_nouns": []},
                  requires=["token.dep", "token.pos", "token.lemma"], assigns=["doc._.triples"])
def make_triple_extractor(nlp: Language, name: str, nominal: bool, place_nouns: list[str],
                          work_nouns: list[str]) -> TripleExtractor:
    """Create the component that finds open triples with clause rules and, if ``nominal``, noun-phrase
    relations; ``place_nouns`` are head nouns of places ("city"), for "the Texas city of Austin", and
    ``work_nouns`` head nouns of creative works ("album"), for "the novel X by Y"."""
    return TripleExtractor(nominal, frozenset(word.casefold() for word in place_nouns),
                           frozenset(word.casefold() for word in work_nouns))
