"""Clause rules over a spaCy dependency parse that find open triples (in the spirit of ClausIE).

Each verb or copula that heads a clause gives one triple per combination of split subject
and object conjuncts. Noun phrases give triples of their own: appositions ("X, a Y": X is Y),
possessives ("China's AI ecosystem": China has AI ecosystem), titles ("author Bill Bryson":
Bill Bryson is author) and locative modifiers ("Usher Hall in Edinburgh": Usher Hall is in
Edinburgh). docs/extraction.md describes the rules and their measured quality.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

#: Dependency labels of a clause's subject.
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass"})
#: Dependency labels of a verb's object or a copula's complement.
OBJECT_DEPS = frozenset({"dobj", "attr", "acomp", "oprd"})
#: Dependency labels under which a verb heads a clause of its own.
CLAUSE_DEPS = frozenset({"ROOT", "conj", "ccomp", "advcl", "relcl", "acl", "parataxis", "pcomp", "xcomp"})
#: Children that are left out of a noun phrase's span: they are extracted separately.
DETACHED_DEPS = frozenset({"relcl", "conj", "cc", "preconj", "parataxis"})
#: Markers that turn an adverbial clause into a condition.
CONDITION_MARKERS = frozenset({"if", "unless", "whether"})
#: Governing verbs that assert, rather than qualify, the verb they take as complement.
ASPECTUAL_VERBS = frozenset({"begin", "start", "continue", "keep", "resume", "cease", "stop", "finish"})
#: Verbs that present their complement clause as true (Kiparsky and Kiparsky, 1970): not reported speech.
FACTIVE_VERBS = frozenset(
    {"know", "reveal", "show", "find", "discover", "realize", "realise", "learn", "notice", "regret", "confirm", "prove"}
)
#: Entity labels of arguments that say when or how much, which stay arguments, not objects.
CIRCUMSTANCE_LABELS = frozenset({"DATE", "TIME"})
#: Words of a span that are not worth starting or ending it with.
EDGE_POS = frozenset({"PUNCT", "CCONJ", "SPACE"})
#: Prepositions that place a thing somewhere ("the factory in Shanghai").
LOCATIVE_PREPOSITIONS = frozenset({"in", "at", "near", "outside", "inside"})
#: Determiners that leave a noun object open to being part of a light-verb relation.
INDEFINITE_DETERMINERS = frozenset({"a", "an", "no", "some", "any"})
#: Entity labels of places.
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
#: Relative pronouns that stand for the noun a relative clause modifies.
RELATIVE_TAGS = frozenset({"WDT", "WP"})


@dataclass
class SpanTriple:
    """A triple over tokens of a parsed doc, as the ``kgbuild_triples`` component finds it."""

    subject: Span
    relation: list[Token]
    object: Span | None
    arguments: list[tuple[str, Span]]
    negated: bool
    modality: str
    pattern: str
    confidence: float
    #: Relation word of a noun-phrase pattern that has no relation tokens ("is", "has").
    implicit_relation: str = ""
    #: Lemma that paraphrases a noun-phrase relation as a clause ("be ceo of"); "" to read it off the tokens.
    lemma: str = ""

    def relation_text(self) -> str:
        """Return the relation as written: contiguous tokens keep their spacing, gaps become a space."""
        if not self.relation:
            return self.implicit_relation
        parts: list[str] = []
        previous: Token | None = None
        for token in self.relation:
            if previous is not None:
                parts.append(previous.whitespace_ if token.i == previous.i + 1 else " ")
            parts.append(token.text)
            previous = token
        return "".join(parts)


def phrase(token: Token, without: Token | None = None) -> Span:
    """Return the noun phrase headed by ``token``: its subtree without detached parts (and ``without``)."""
    doc = token.doc
    start, end = token.left_edge.i, token.right_edge.i + 1
    for child in token.children:
        detached = child.dep_ in DETACHED_DEPS or (child.dep_ == "appos" and _comma_before(child))
        if detached or (without is not None and child.i == without.i):
            if child.i > token.i:
                end = min(end, child.left_edge.i)
            else:
                start = max(start, child.right_edge.i + 1)
    return trim(doc[start:end])


def clause_span(token: Token) -> Span:
    """Return the whole subtree of ``token`` without a leading complementizer."""
    doc = token.doc
    start, end = token.left_edge.i, token.right_edge.i + 1
    if doc[start].dep_ == "mark" and doc[start].head.i == token.i:
        start += 1
    return trim(doc[start:end])


def subtree(token: Token) -> Span:
    """Return the whole subtree of ``token``, trimmed."""
    return trim(token.doc[token.left_edge.i : token.right_edge.i + 1])


def _merge(relation: list[Token], tokens: Iterable[Token]) -> list[Token]:
    """Add tokens to a relation, keeping it in text order without repeats."""
    return sorted({*relation, *tokens}, key=lambda t: t.i)


def trim(span: Span) -> Span:
    """Drop punctuation, conjunctions and spaces from both ends of a span, except paired quotes or brackets."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end:
        first, last = doc[start], doc[end - 1]
        paired = end - start > 1 and (
            (first.is_quote and last.is_quote) or (first.is_left_punct and last.is_right_punct and not first.is_quote)
        )
        if (first.pos_ in EDGE_POS or first.dep_ == "case") and not paired:
            start += 1
        elif last.pos_ in EDGE_POS and not paired and not (last.text == ")" and "(" in doc[start:end].text):
            end -= 1
        else:
            break
    return doc[start:end]


def conjuncts(token: Token) -> list[Token]:
    """Return ``token`` and the tokens coordinated with it ("chips and technologies")."""
    found = [token]
    for child in token.children:
        if child.dep_ == "conj" and child.pos_ != "VERB":
            found.extend(conjuncts(child))
    return found


def _comma_before(token: Token) -> bool:
    """Tell whether ``token``'s phrase is set off by a comma, dash or bracket before it."""
    left = token.left_edge.i
    return left > 0 and token.doc[left - 1].text in {",", "-", "--", "(", "—"}


def _relative_antecedent(verb: Token) -> Token:
    """Return the noun a relative or participial clause is about; through a copula, the copula's subject."""
    noun = verb.head
    if noun.dep_ == "attr":
        for child in noun.head.children:
            if child.dep_ in SUBJECT_DEPS:
                return child
    return noun


def _find_subject(verb: Token, depth: int = 0) -> tuple[Token | None, str]:
    """Return the subject of ``verb``'s clause and how it was found ("" when it is its own)."""
    for child in verb.children:
        if child.dep_ in SUBJECT_DEPS:
            if child.tag_ in RELATIVE_TAGS and verb.dep_ == "relcl":
                return _relative_antecedent(verb), "relative"
            return child, ""
    if depth > 4:
        return None, ""
    dep = verb.dep_
    if dep == "conj" and verb.head.pos_ in {"VERB", "AUX"}:
        subject, _ = _find_subject(verb.head, depth + 1)
        return subject, "shared"
    if dep == "xcomp" or (dep == "ccomp" and verb.tag_ == "VB"):
        # Object control: in "help countries build", "countries" is who builds.
        controller = next((c for c in verb.head.children if c.dep_ == "dobj" and c.i < verb.i), None)
        if controller is not None:
            return controller, "control"
    if dep in {"xcomp", "advcl", "pcomp"}:
        governor = verb.head.head if dep == "pcomp" else verb.head
        if governor.pos_ in {"VERB", "AUX"}:
            subject, _ = _find_subject(governor, depth + 1)
            return subject, "control"
    if dep == "acl" and verb.tag_ in {"VBG", "VBN"} and verb.head.pos_ in {"NOUN", "PROPN"}:
        return _relative_antecedent(verb), "participle"
    if dep == "relcl" and verb.head.pos_ in {"NOUN", "PROPN"}:
        return _relative_antecedent(verb), "relative"
    return None, ""


def _verb_chain(verb: Token) -> list[Token]:
    """Return ``verb`` and the open complements it governs ("sought to obtain", "been able to improve")."""
    chain = [verb]
    current = verb
    while True:
        nxt: Token | None = None
        for child in current.children:
            if child.dep_ == "xcomp" and child.pos_ in {"VERB", "AUX"} and not _has_subject(child):
                nxt = child
                break
            if child.dep_ == "acomp":
                for grandchild in child.children:
                    if grandchild.dep_ == "xcomp" and grandchild.pos_ in {"VERB", "AUX"}:
                        chain.append(child)
                        nxt = grandchild
                        break
        if nxt is None or len(chain) > 6:
            return chain
        chain.append(nxt)
        current = nxt


def _has_subject(verb: Token) -> bool:
    """Tell whether ``verb`` has a subject of its own."""
    return any(child.dep_ in SUBJECT_DEPS for child in verb.children)


def is_clause_head(token: Token) -> bool:
    """Tell whether ``token`` is a verb or copula that heads a clause (not an xcomp in a chain)."""
    if token.pos_ not in {"VERB", "AUX"} or token.dep_ not in CLAUSE_DEPS:
        return False
    if token.dep_ == "xcomp":
        head = token.head
        if head.pos_ in {"VERB", "AUX"} and not _has_subject(token):
            return False
        if head.dep_ == "acomp":
            return False
    return True


def _relation_tokens(chain: list[Token]) -> list[Token]:
    """Collect auxiliaries, negations, particles and the verbs of a chain, in text order."""
    tokens: list[Token] = []
    for verb in chain:
        tokens.append(verb)
        tokens.extend(child for child in verb.children if child.dep_ in {"aux", "auxpass", "neg", "prt"})
    first, last = min(t.i for t in tokens), chain[-1].i
    # Adverbs inside the verb group belong to the relation ("have sharply improved").
    for verb in chain:
        tokens.extend(child for child in verb.children if child.dep_ == "advmod" and first < child.i < last)
    return sorted(set(tokens), key=lambda t: t.i)


def _modality(chain: list[Token], clause_head: Token) -> str:
    """Return the modal, conditional or reporting marker that qualifies the clause, or ""."""
    for verb in chain:
        for child in verb.children:
            if child.dep_ == "aux" and child.tag_ == "MD":
                return child.lower_
    for verb in chain[:-1]:
        if verb.pos_ == "VERB" and verb.lemma_ not in ASPECTUAL_VERBS:
            return f"{verb.lemma_.lower()} to"
    for child in clause_head.children:
        if child.dep_ == "mark" and child.lower_ in CONDITION_MARKERS:
            return child.lower_
    governor = clause_head.head
    if clause_head.dep_ == "ccomp" and governor.pos_ == "VERB" and governor.lemma_.lower() not in FACTIVE_VERBS:
        return governor.lemma_.lower()
    return ""


def _negated(chain: list[Token], objects: list[Token]) -> bool:
    """Tell whether the clause is negated ("not", "never", "no chips")."""
    for verb in chain:
        for child in verb.children:
            if child.dep_ == "neg" or child.lower_ == "never":
                return True
    return any(child.dep_ == "det" and child.lower_ == "no" for obj in objects for child in obj.children)


def _prepositional_object(prep: Token) -> Token | None:
    """Return the object of a preposition (a noun, or a clause for "by acquiring")."""
    for child in prep.children:
        if child.dep_ in {"pobj", "pcomp"}:
            return child
    return None


def _light_verb_preposition(obj: Token) -> Token | None:
    """Return the preposition that a short, indefinite noun object hands its complement to, if any.

    "imposed export restrictions on chips" and "took a hard line on exports" qualify;
    definite, possessed or long objects ("the draft of ...", "China's proposals for ...") do not.
    """
    if obj.dep_ != "dobj" or obj.pos_ != "NOUN":
        return None
    for child in obj.lefts:
        if child.dep_ == "poss" or (child.dep_ == "det" and child.lower_ not in INDEFINITE_DETERMINERS):
            return None
    prep = next((c for c in obj.rights if c.dep_ == "prep"), None)
    if prep is None or prep.lower_ in {"of", "as", "like", "including"} or prep.i - obj.left_edge.i > 4:
        return None
    if any(t.pos_ in {"PUNCT", "VERB"} for t in obj.doc[obj.i + 1 : prep.i]):
        return None
    return prep


def _is_circumstance(token: Token) -> bool:
    """Tell whether a prepositional object says when, which keeps it out of the relation."""
    return token.ent_type_ in CIRCUMSTANCE_LABELS


def clause_triples(verb: Token) -> Iterator[SpanTriple]:
    """Yield the triples of the clause headed by ``verb``."""
    subject_token, subject_source = _find_subject(verb)
    if subject_token is None or subject_token.pos_ in {"PUNCT", "SPACE"}:
        return
    chain = _verb_chain(verb)
    last = chain[-1]
    relation = _relation_tokens(chain)
    passive = any(child.dep_ in {"nsubjpass", "auxpass"} for child in verb.children)
    if verb.dep_ == "acl" and verb.tag_ == "VBN":
        passive = True

    object_token: Token | None = None
    clause_object: Token | None = None
    second_object: Token | None = None
    preps: list[Token] = []
    extras: list[Token] = []
    for owner in chain:
        for child in owner.children:
            dep = child.dep_
            if dep in OBJECT_DEPS and owner is last and object_token is None:
                object_token = child
            elif dep in OBJECT_DEPS or dep == "dative":
                second_object = child
            elif dep in {"prep", "agent"} and _prepositional_object(child) is None:
                if child.i == owner.i + 1:
                    # A stranded preposition belongs to the verb ("referred to as").
                    relation = _merge(relation, [child])
            elif dep in {"prep", "agent"}:
                preps.append(child)
            elif dep in {"npadvmod", "tmod"}:
                extras.append(child)
            elif dep == "ccomp" and owner is last:
                clause_object = child
    if object_token is not None and clause_object is not None and last.i < clause_object.i < object_token.i:
        # An object comes before the verb's complement clause ("told him that ..."); a noun after
        # it is the parser's misreading of an apposition to the clause ("said it had agreed to buy
        # Vopak, its biggest deal").
        object_token = None
    if object_token is not None and object_token.tag_ in RELATIVE_TAGS and verb.dep_ == "relcl":
        object_token = verb.head
    preps.sort(key=lambda t: t.i)

    pattern = "passive" if passive else ("copula" if last.lemma_ == "be" else "svo")
    if pattern == "copula" and object_token is not None and object_token.dep_ == "acomp":
        # "The offer is fair" describes a quality of the offer; it does not say what the offer is.
        pattern = "attribute"
    if subject_source == "participle" or (subject_source == "relative" and not passive):
        # A passive relative clause stays passive: "Acme, which was acquired by Siemens," is Siemens's act.
        pattern = subject_source
    if pattern == "svo" and object_token is None and clause_object is not None:
        # "said that ...", "warned ...": the object is a statement, read as facts of its own.
        pattern = "report"
    arguments: list[tuple[str, Span]] = []
    objects: list[Span] = []
    folded_prep: Token | None = None
    direct_object: Token | None = None
    if object_token is not None:
        direct_object = object_token
        noun_prep = _light_verb_preposition(object_token)
        noun_prep_object = None if noun_prep is None else _prepositional_object(noun_prep)
        if noun_prep is not None and noun_prep_object is not None and not _is_circumstance(noun_prep_object):
            # Light-verb construction: "impose restrictions on X" relates the subject to X.
            relation = _merge(relation, object_token.doc[object_token.left_edge.i : noun_prep.i + 1])
            object_token = noun_prep_object
        objects = [phrase(conjunct) for conjunct in conjuncts(object_token)]
    elif clause_object is not None:
        objects = [clause_span(clause_object)]
        # The complementizer stays with the reporting verb ("say that").
        relation = _merge(relation, [c for c in clause_object.children if c.dep_ == "mark" and c.lower_ == "that"])
    else:
        for prep in preps:
            prep_object = _prepositional_object(prep)
            if prep.i > last.i and prep_object is not None and not _is_circumstance(prep_object):
                folded_prep = prep
                relation = _merge(relation, [prep])
                objects = [phrase(c) if c.pos_ != "VERB" else clause_span(c) for c in conjuncts(prep_object)]
                break
    if second_object is not None:
        arguments.append(("", phrase(second_object)))
    for prep in preps:
        if prep is folded_prep:
            continue
        prep_object = _prepositional_object(prep)
        if prep_object is None:
            continue
        span = clause_span(prep_object) if prep_object.pos_ in {"VERB", "AUX"} else subtree(prep_object)
        if len(span):
            arguments.append((prep.lower_, span))
    for extra in extras:
        span = subtree(extra)
        if len(span):
            arguments.append(("", span))
    if not objects and not arguments:
        return

    negated = _negated(chain, [] if direct_object is None else [direct_object])
    modality = _modality(chain, verb)
    subjects = [phrase(conjunct, without=verb) for conjunct in conjuncts(subject_token)]
    confidence = _confidence(pattern, subject_source, verb, relation, objects, arguments, max(map(len, subjects)))
    for subject in subjects:
        if not len(subject):
            continue
        for obj in objects or [None]:
            if obj is not None and not len(obj):
                continue
            yield SpanTriple(subject, relation, obj, list(arguments), negated, modality, pattern, confidence)


#: Starting confidence of each pattern: simpler, more reliable patterns start higher.
PATTERN_CONFIDENCE = {
    "svo": 0.9,
    "report": 0.9,
    "copula": 0.85,
    "attribute": 0.85,
    "passive": 0.9,
    "relative": 0.75,
    "participle": 0.6,
    "apposition": 0.7,
    "possessive": 0.3,
    "nominal": 0.45,
    "title": 0.6,
}


def _confidence(
    pattern: str,
    subject_source: str,
    verb: Token,
    relation: list[Token],
    objects: list[Span],
    arguments: list[tuple[str, Span]],
    subject_length: int,
) -> float:
    """Score a triple: lower for borrowed subjects, embedded clauses, long sentences and parts."""
    score = PATTERN_CONFIDENCE[pattern]
    score -= 0.01 * max(0, subject_length - 6)
    if subject_source in {"shared", "control"}:
        score -= 0.1
    if verb.dep_ in {"ccomp", "advcl", "pcomp", "parataxis"}:
        score -= 0.05
    if not objects:
        score -= 0.1
    sentence_length = len(verb.sent)
    score -= 0.004 * max(0, sentence_length - 15)
    score -= 0.02 * max(0, len(relation) - 3)
    score -= 0.03 * max(0, len(arguments) - 1)
    return round(min(0.99, max(0.01, score)), 2)


def noun_phrase_triples(token: Token) -> Iterator[SpanTriple]:
    """Yield apposition ("X, a Y": X is Y) and possessive ("X's Y": X has Y) triples."""
    dep = token.dep_
    if dep == "appos" and _comma_before(token) and token.head.pos_ in {"NOUN", "PROPN"} and token.pos_ in {"NOUN", "PROPN"}:
        subject, obj = phrase(token.head), phrase(token)
        if token.head.pos_ == "NOUN" and token.pos_ == "PROPN":
            # A name in apposition to a description is what the description is about.
            subject, obj = obj, subject
        if len(subject) and len(obj):
            score = PATTERN_CONFIDENCE["apposition"] - 0.004 * max(0, len(token.sent) - 15)
            yield SpanTriple(subject, [], obj, [], False, "", "apposition", round(max(0.01, score), 2), "is")
    elif dep == "poss" and token.pos_ == "PROPN" and token.head.pos_ in {"NOUN", "PROPN"}:
        owner = trim(token.doc[token.left_edge.i : token.i + 1])
        head = token.head
        owned = trim(token.doc[token.right_edge.i + 1 : head.i + 1])
        if len(owner) and len(owned):
            score = PATTERN_CONFIDENCE["possessive"] - 0.004 * max(0, len(token.sent) - 15)
            yield SpanTriple(owner, [], owned, [], False, "", "possessive", round(max(0.01, score), 2), "has")


def title_triples(name: Token) -> Iterator[SpanTriple]:
    """Yield "X is T" for a name preceded by a common-noun title ("author Bill Bryson")."""
    titles = [c for c in name.lefts if c.dep_ == "compound" and c.pos_ == "NOUN" and c.is_lower]
    if not titles or name.ent_type_ not in {"PERSON", "ORG"}:
        return
    last_title = max(t.i for t in titles)
    doc = name.doc
    start = phrase(name).start
    title = trim(doc[start : last_title + 1])
    person = trim(doc[last_title + 1 : name.i + 1])
    if len(title) and len(person) and all(t.pos_ == "PROPN" for t in person) and not any(t.like_num for t in title):
        score = PATTERN_CONFIDENCE["title"] - 0.004 * max(0, len(name.sent) - 15)
        yield SpanTriple(person, [], title, [], False, "", "title", round(max(0.01, score), 2), "is")


def nominal_prep_triples(prep: Token) -> Iterator[SpanTriple]:
    """Yield "X is in Y" for a noun modified by a locative phrase ("Usher Hall in Edinburgh")."""
    noun = prep.head
    if noun.pos_ not in {"NOUN", "PROPN"} or prep.lower_ not in LOCATIVE_PREPOSITIONS:
        return
    place = _prepositional_object(prep)
    if place is None or place.ent_type_ not in PLACE_LABELS:
        return
    subject = trim(noun.doc[phrase(noun).start : prep.i])
    if not len(subject) or subject.root.i != noun.i:
        return
    score = PATTERN_CONFIDENCE["nominal"] - 0.004 * max(0, len(prep.sent) - 15)
    for conjunct in conjuncts(place):
        yield SpanTriple(subject, [], phrase(conjunct), [], False, "", "nominal", round(max(0.01, score), 2), f"is {prep.lower_}")


def doc_triples(doc: Doc) -> list[SpanTriple]:
    """Find every triple in a parsed doc, in text order."""
    triples: list[SpanTriple] = []
    for token in doc:
        if is_clause_head(token):
            triples.extend(clause_triples(token))
        elif token.dep_ in {"appos", "poss"}:
            triples.extend(noun_phrase_triples(token))
        elif token.dep_ == "prep" and token.head.pos_ in {"NOUN", "PROPN"}:
            triples.extend(nominal_prep_triples(token))
        if token.pos_ == "PROPN" and token.dep_ != "compound":
            triples.extend(title_triples(token))
    return triples
