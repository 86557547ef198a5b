"""spaCy component that puts the open triples of a parsed doc on ``doc._.triples``."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kgbuild.extract.clauses import doc_triples

if not Doc.has_extension("triples"):
    Doc.set_extension("triples", default=None)


class TripleExtractor:
    """Apply the clause rules of :mod:`kgbuild.extract.clauses` to each parsed doc."""

    def __call__(self, doc: Doc) -> Doc:
        """Set ``doc._.triples`` to the list of :class:`~kgbuild.extract.clauses.SpanTriple` found."""
        doc._.triples = doc_triples(doc)
        return doc


@Language.factory("kgbuild_triples", requires=["token.dep", "token.pos", "token.lemma"], assigns=["doc._.triples"])
def make_triple_extractor(nlp: Language, name: str) -> TripleExtractor:
    """Create the component that finds open triples with clause rules."""
    return TripleExtractor()
