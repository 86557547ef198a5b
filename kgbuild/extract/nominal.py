"""Relations stated by noun phrases, each paraphrased as a clause for the ontology's triggers.

"Nvidia CEO Jensen Huang" says that Jensen Huang is CEO of Nvidia; "German skeleton racer
Willi Schneider" that he is from Germany; "Mediaș, Transylvania" that Mediaș is in Transylvania.
The rules here find such statements from dependency labels, part-of-speech tags, entity labels
and punctuation, and give each a ``relation_lemma`` that reads like a clause ("be ceo of",
"be from", "be in"), so the ontology maps them to properties as it maps verbal relations.
Subjects and objects are the names themselves, so normalization resolves them to entities.
docs/extraction.md lists the patterns.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from spacy.tokens import Doc, Span, Token

from kgbuild.extract import membership
from kgbuild.extract.clauses import SUBJECT_DEPS, SpanTriple, phrase, trim

#: Entity labels of things that can hold, own or locate something (not values, not people).
OWNER_LABELS = frozenset({"ORG", "GPE", "NORP", "LOC", "FAC"})
#: Entity labels of places.
PLACE_LABELS = frozenset({"GPE", "LOC"})
#: Entity labels that name a value rather than a thing.
VALUE_LABELS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"})
#: Modifiers that date a title rather than name it ("former CEO"): a closed class, left out of the lemma.
TIME_MODIFIERS = frozenset(
    {"former", "ex", "then", "late", "acting", "interim", "outgoing", "incoming", "current", "new", "longtime",
     "future", "previous", "erstwhile"}
)
#: Dependency labels by which a word modifies a noun inside its phrase.
MODIFIER_DEPS = frozenset({"amod", "compound", "nmod", "npadvmod", "nummod"})
#: Dashes between the two dates of a life span.
DASHES = frozenset({"-", "–", "—", "--", "to"})
#: Markers of a date of birth or death inside a parenthesis ("born 1963", "b. 1963", "died 2001").
BIRTH_MARKERS = frozenset({"born", "b."})
DEATH_MARKERS = frozenset({"died", "d."})

#: Entity labels the tagger gives nationality words ("Angolan" GPE, "English" LANGUAGE, "Welsh" ORG).
NATIONALITY_LABELS = frozenset({"NORP", "GPE", "LANGUAGE", "ORG"})
#: Most words of a title between a nationality and a name ("recording artist and songwriter").
TITLE_WORDS = 6

#: Starting confidence of each pattern.
PATTERN_CONFIDENCE = {
    "title": 0.8,
    "apposition": 0.75,
    "possessive": 0.7,
    "place_chain": 0.75,
    "compound": 0.65,
    "demonym": 0.7,
    "class_modifier": 0.65,
    "life_dates": 0.8,
    "work_year": 0.6,
}


class _Names:
    """Entity spans of a doc by token, and the names noun phrases stand for."""

    def __init__(self, doc: Doc, place_nouns: frozenset[str] = frozenset()) -> None:
        self.doc = doc
        self.place_nouns = place_nouns
        self.entity: list[Span | None] = [None] * len(doc)
        for ent in doc.ents:
            for i in range(ent.start, ent.end):
                self.entity[i] = ent

    def name(self, token: Token) -> Span | None:
        """Return the name ``token`` is part of: its entity, or its run of proper nouns; None for values."""
        ent = self.entity[token.i]
        if ent is not None:
            return None if ent.label_ in VALUE_LABELS else ent
        if token.pos_ != "PROPN":
            return None
        start = token.i
        while start > 0 and self.doc[start - 1].pos_ == "PROPN" and self.doc[start - 1].dep_ == "compound" \
                and self.entity[start - 1] is None and self.doc[start - 1].head.i > start - 1:
            start -= 1
        return self.doc[start : token.i + 1]

    def label(self, span: Span) -> str:
        """Return the entity label of a name span ("" for a proper noun outside the entities)."""
        ent = self.entity[span.root.i]
        return "" if ent is None else ent.label_

    def described(self, noun: Token) -> Span | None:
        """Return the name a common noun describes: "the Japanese firm Sony", "Sony, the firm", "X is a firm"."""
        for child in noun.children:
            if child.dep_ == "appos" and child.pos_ == "PROPN":
                return self.name(child)
        head = noun.head
        if noun.dep_ == "appos" and head.pos_ == "PROPN":
            return self.name(head)
        if noun.dep_ == "compound" and head.pos_ == "PROPN" and head.i > noun.i:
            return self.name(head)
        if noun.dep_ == "attr" and head.pos_ == "AUX" and head.lemma_ == "be":
            subject = next((c for c in head.children if c.dep_ in SUBJECT_DEPS), None)
            if subject is not None and subject.pos_ == "VERB":
                # "Zevs (born 1977 in Saverne) is an artist": the parser may take the parenthesis for the subject.
                subject = self._before_parenthesis(subject)
            if subject is not None and (subject.pos_ == "PROPN" or self.entity[subject.i] is not None):
                # The model tags some names as common nouns ("WUIS"); their entity label tells.
                ent = self.entity[subject.i]
                if subject.pos_ == "PROPN" or ent is None:
                    return self.name(subject)
                return None if ent.label_ in VALUE_LABELS else ent
        return None

    def _before_parenthesis(self, clause: Token) -> Token | None:
        """Return the name right before a parenthesis that a clause opens ("Zevs (born ..."), or None."""
        first = clause.left_edge
        ent = self.entity[first.i]
        if ent is not None:
            end = ent.end if ent.start == first.i and ent.label_ not in VALUE_LABELS else first.i
        else:
            end = first.i
            while end < clause.i and self.doc[end].pos_ == "PROPN":
                end += 1
        if end == first.i or end >= clause.i or self.doc[end].text != "(":
            return None
        return self.doc[end - 1]

    def person(self, span: Span) -> bool:
        """Tell whether a name is a person's."""
        return self.label(span) == "PERSON"


def doc_text_before(span: Span) -> str:
    """Return the text of the token before a span ("" at the start)."""
    return span.doc[span.start - 1].text if span.start > 0 else ""


def _score(pattern: str, sentence: Span, penalty: float = 0.0) -> float:
    """Return a pattern's confidence, lower in long sentences."""
    score = PATTERN_CONFIDENCE[pattern] - penalty - 0.004 * max(0, len(sentence) - 15)
    return round(min(0.99, max(0.01, score)), 2)


def _triple(subject: Span, relation: Sequence[Token], lemma: str, obj: Span, pattern: str,
            penalty: float = 0.0, implicit: str = "") -> SpanTriple:
    """Make a nominal triple: a clause-like lemma, the words that state it (or an implicit relation)."""
    return SpanTriple(subject, sorted(relation, key=lambda t: t.i), obj, [], False, "", pattern,
                      _score(pattern, subject.sent, penalty), implicit, lemma)


def _title_lemma(words: Sequence[Token]) -> str:
    """Return the lower-case lemma of a title: its words, the last one as its lemma ("chief executive")."""
    kept = [t for t in words if t.lower_ not in TIME_MODIFIERS and t.pos_ != "DET"]
    if not kept:
        return ""
    return " ".join([t.lower_ for t in kept[:-1]] + [kept[-1].lemma_.lower()])


def _is_title(words: Sequence[Token]) -> bool:
    """Tell whether words can be a title: nouns with their modifiers, no numbers or names of things."""
    return bool(words) and any(t.pos_ in {"NOUN", "PROPN"} for t in words) and all(
        t.pos_ in {"NOUN", "PROPN", "ADJ"} and not t.like_num and t.tag_ not in {"JJS", "RBS"} for t in words)


def _fragment(doc: Doc, start: int, end: int) -> bool:
    """Tell whether tokens start..end form one phrase: exactly one of them has its head outside."""
    return sum(1 for t in doc[start:end] if not start <= t.head.i < end or t.head.i == t.i) == 1


def _unranked(words: Sequence[Token]) -> list[Token]:
    """Return a title's words without ordinals: "her third studio album" is her studio album."""
    return [t for t in words if t.ent_type_ != "ORDINAL" and t.tag_ != "JJS"] \
        if not any(t.tag_ in {"JJS", "RBS"} for t in words) else list(words)


def title_before_name(name: Span, names: _Names, possessive_only: bool = False) -> Iterator[SpanTriple]:
    """Yield (X, "be T of", O) for "O T X": "Nvidia CEO Jensen Huang", "IMF chief economist Gita Gopinath".

    ``possessive_only`` reads only an owner with "'s" or a possessive pronoun ("her debut album Duty"),
    for names the tagger left unlabelled.
    """
    doc = name.doc
    sentence_start = name.sent.start
    start = name.start
    while start > sentence_start and doc[start - 1].pos_ in {"NOUN", "PROPN", "ADJ", "PART"} \
            and doc[start - 1].tag_ != "HYPH":
        start -= 1
    # The title: the words right before the name that are in no entity. Capitalised titles run as
    # far as the next entity ("Foreign Minister"); after a lower-case word, a proper noun is the owner.
    title_end = name.start
    position = title_end
    lower_seen = False
    while position > start:
        token = doc[position - 1]
        ent = names.entity[token.i]
        if ent is not None and ent.label_ != "ORDINAL" or token.tag_ == "POS":
            break
        if token.pos_ == "PROPN" and lower_seen:
            break
        lower_seen = lower_seen or token.is_lower
        position -= 1
    title = _unranked(doc[position:title_end])
    while title and title[0].lower_ in TIME_MODIFIERS:
        title.pop(0)
    while len(title) > 1 and title[-1].pos_ == "PROPN" and title[-1].text.endswith("."):
        # An abbreviated courtesy title ends the title, not the office: "Prime Minister Dr. Mahathir".
        title.pop()
    if position == title_end or not _is_title(title) or position <= sentence_start:
        return
    lemma = _title_lemma(title)
    pronoun = doc[position - 1]
    if pronoun.tag_ == "PRP$" and pronoun.i >= sentence_start and _fragment(doc, pronoun.i, name.end) and lemma:
        # "his wife Sarah Kahn", "its chief executive Tim Cook": coreference names the owner.
        yield _triple(name, title, f"be {lemma} of", doc[pronoun.i : pronoun.i + 1], "possessive", 0.1)
        return
    if position <= start:
        return
    pattern = "title"
    owner_end = position
    if doc[owner_end - 1].tag_ == "POS":
        pattern = "possessive"
        owner_end -= 1
    if owner_end <= start or possessive_only and pattern != "possessive":
        return
    owner = names.name(doc[owner_end - 1])
    if owner is not None and owner.end == owner_end + 1 and owner[-1].tag_ == "POS":
        # The tagger may take the "'s" into the name ("Oliver Stone's").
        owner = owner[:-1]
    if owner is None or owner.end != owner_end or owner.start < start:
        return
    label = names.label(owner)
    if label not in OWNER_LABELS and not (pattern == "possessive" and label == "PERSON"):
        # An unlabelled capitalised word before a title is as often part of it ("Home Minister").
        return
    capitalised = all(t.is_title or t.is_upper for t in title)
    if label == "NORP" and not capitalised:
        # "French President Macron" names an office of France; "German skeleton racer" does not.
        return
    if not _fragment(doc, owner.start, name.end):
        return
    if label in PLACE_LABELS and not capitalised and not names.person(name) and pattern == "title":
        # "US chipmaker Nvidia" says where a company is from, not an office it holds.
        yield _triple(name, [], "be from", owner, "demonym", implicit="is from")
        return
    if lemma:
        yield _triple(name, title, f"be {lemma} of", owner, pattern)


def noun_before_name(name: Span, names: _Names) -> Iterator[SpanTriple]:
    """Yield (X, "be", N) for a common noun right before a name it describes: "her debut album Duty", "the film Jaws"."""
    root = name.root
    noun = root.head
    if root.dep_ != "appos" or noun.pos_ != "NOUN" or noun.i != name.start - 1:
        return
    words = _unranked(_description_title(noun, names))
    words = [t for t in words if t.pos_ in {"NOUN", "ADJ"} and t.ent_type_ != "NORP"]
    if not words or words[-1] is not noun:
        return
    yield _triple(name, [], "be", name.doc[words[0].i : noun.i + 1], "title", implicit="is")


def listed_people(noun: Token, names: _Names) -> Iterator[SpanTriple]:
    """Yield (A, "be fellow N of", B) for each two people a plural noun lists: "four children: A, B and C".

    "X had four children, A, B and C" also gives (A, "be child of", X), and "her albums A and B" (A, "be album of",
    her). Names not tagged as people are no one's fellows.
    """
    listed: list[Span] = []
    queue = [c for c in noun.children if c.dep_ in {"appos", "conj"}]
    while queue:
        token = queue.pop(0)
        name = names.name(token) if token.pos_ == "PROPN" else None
        if name is not None and name not in listed:
            listed.append(name)
        queue.extend(c for c in token.children if c.dep_ in {"appos", "conj"})
    found = [name for name in listed if names.person(name)]
    kin = noun.lemma_.lower()
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    if owner is not None and len(listed) > 1:
        # "her albums Bionic and Burlesque", "its subsidiaries A and B": each is the owner's.
        held = names.name(owner) if owner.pos_ == "PROPN" else noun.doc[owner.i : owner.i + 1]
        if held is not None and len(held) > 1 and held[-1].tag_ == "POS":
            held = held[:-1]
        if held is not None and (owner.tag_ == "PRP$" or names.label(held) in OWNER_LABELS | {"PERSON"}):
            for name in listed:
                yield _triple(name, [noun], f"be {kin} of", held, "possessive")
    if noun.dep_ == "dobj" and noun.head.lemma_ == "have":
        # "he had four children, A, B and C": each is a child of the one who had them.
        holder = next((c for c in noun.head.children if c.dep_ in SUBJECT_DEPS), None)
        if holder is not None and found:
            parent = names.name(holder) or noun.doc[holder.i : holder.i + 1]
            for name in found:
                yield _triple(name, [noun.head, noun], f"be {kin} of", parent, "apposition")
    if len(found) < 2:
        return
    for first in found:
        for second in found:
            if first is not second:
                yield _triple(first, [noun], f"be fellow {kin} of", second, "apposition")


def _description_title(noun: Token, names: _Names) -> list[Token]:
    """Return the words of a description's title: the noun and its modifiers, without time words and demonyms."""
    words = [noun]
    for child in noun.lefts:
        if any(t.tag_ in {"JJS", "RBS"} or t.ent_type_ == "CARDINAL" for t in child.subtree):
            # "the second largest carnival in Europe" ranks a thing; it names no title.
            return []
        if child.ent_type_ == "ORDINAL":
            # "the first prime minister of Ghana" holds the office all the same.
            continue
        if child.dep_ in {"amod", "compound", "nmod"} and names.entity[child.i] is None:
            words.extend(t for t in child.subtree if names.entity[t.i] is None)
    return sorted((t for t in words if t.lower_ not in TIME_MODIFIERS and not t.is_punct), key=lambda t: t.i)


#: Possessive pronouns that stand for an organization ("its chief executive"); "their" is more often people's.
_ORGANIZATION_POSSESSIVES = frozenset({"its"})


def _owner_phrase(noun: Token, names: _Names) -> tuple[list[Token], str, Span] | None:
    """Return the words after a title noun up to its owner, the joining word and the owner.

    "chief executive of Nvidia" -> ([of], "of", Nvidia); "head of research at Banco Santander"
    -> ([of, research, at], "at", Banco Santander); "Apple's chief executive" -> ([], "of", Apple).
    """
    for child in noun.lefts:
        if child.dep_ == "poss" and child.pos_ == "PROPN":
            owner = names.name(child)
            if owner is not None and names.label(owner) in OWNER_LABELS | {"PERSON"}:
                return [], "of", owner
            return None
        if child.dep_ == "poss" and child.lower_ in _ORGANIZATION_POSSESSIVES:
            # "its chief executive": normalization resolves the pronoun to the organization.
            return [], "of", noun.doc[child.i : child.i + 1]
    doc = noun.doc
    for prep in (t for t in noun.subtree if t.dep_ == "prep" and t.i > noun.i):
        obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if obj is None or obj.pos_ != "PROPN":
            continue
        between = list(doc[noun.i + 1 : prep.i + 1])
        # Common nouns in between belong to the title ("head of research at X"); anything else ends it.
        if any(t.is_punct or t.pos_ not in {"ADP", "NOUN", "ADJ"} for t in between):
            return None
        owner = names.name(obj)
        if owner is None or names.label(owner) not in OWNER_LABELS | {"PERSON"}:
            return None
        return between, prep.lower_, owner
    return None


def apposition(appos: Token, names: _Names) -> Iterator[SpanTriple]:
    """Yield (X, "be T of", O) for "X, the T of O", "X, O's T", "O's T, X"."""
    head = appos.head
    if appos.pos_ == "PROPN" and head.pos_ == "NOUN":
        name_token, noun = appos, head
    elif appos.pos_ == "NOUN" and head.pos_ == "PROPN":
        name_token, noun = head, appos
    elif appos.pos_ == "PROPN" and head.pos_ == "PROPN" and names.entity[appos.i] is None \
            and names.entity[head.i] is not None and names.entity[head.i].label_ == "PERSON":
        # "Mark Brown, Canada's Minister for Trade": a capitalised title the tagger takes for a name.
        name_token, noun = head, appos
    else:
        return
    name = names.name(name_token)
    if name is None or not names.label(name) or doc_text_before(name) == "(":
        # An unlabelled word is often no name ("191 mi"); a bracketed name is an abbreviation.
        return
    if name_token is appos and not name.doc[name.start - 1].is_punct:
        # "Ruth's brother David Ross" without a comma is a title before a name, read there.
        return
    pronoun = next((c for c in noun.lefts if c.dep_ == "poss" and c.tag_ == "PRP$"), None)
    if pronoun is not None and names.person(name):
        # "his wife, Helen Park": coreference names the owner, as for "his wife Helen Park".
        title = _description_title(noun, names)
        lemma = _title_lemma(title) if _is_title(title) else ""
        if lemma:
            yield _triple(name, title, f"be {lemma} of", name.doc[pronoun.i : pronoun.i + 1], "possessive", 0.1)
        return
    found = _owner_phrase(noun, names)
    if found is None:
        return
    between, marker, owner = found
    if owner.start <= name.end - 1 and owner.end >= name.start or owner.text == name.text:
        return
    title = _description_title(noun, names)
    if not _is_title(title) or any(t.is_punct for t in between):
        return
    lemma = _title_lemma(title)
    if not lemma:
        return
    words = " ".join(t.lower_ for t in between[:-1])
    full = " ".join(w for w in (lemma, words, marker) if w)
    pattern = "possessive" if not between else "apposition"
    yield _triple(name, [*title, *between], f"be {full}", owner, pattern)


def copula_description(noun: Token, names: _Names) -> Iterator[SpanTriple]:
    """Yield (X, "be T of", O) for "X is O's T" and "X is T of N at O" (one preposition is read later)."""
    name = names.described(noun)
    if name is None or noun.dep_ != "attr":
        return
    found = _owner_phrase(noun, names)
    if found is None:
        return
    between, marker, owner = found
    if len(between) == 1:
        # "X is the chief executive of Nvidia": normalization reads the copula's object itself.
        return
    title = _description_title(noun, names)
    lemma = _title_lemma(title)
    if not _is_title(title) or not lemma or owner.start < name.end:
        return
    words = " ".join(t.lower_ for t in between[:-1])
    yield _triple(name, [*title, *between], f"be {' '.join(w for w in (lemma, words, marker) if w)}", owner,
                  "class_modifier")


def demonym(norp: Span, names: _Names) -> Iterator[SpanTriple]:
    """Yield (X, "be from", N) for a nationality word N modifying X's phrase: "German racer Willi Schneider".

    A nationality the tagger labelled as a place, a language or an organization ("an Angolan shooter",
    "an English actor", "a U.S. businessman") is read for a person only.
    """
    root = norp.root
    if root.dep_ not in {"amod", "compound", "nmod"} or root.head.i <= root.i:
        return
    noun = root.head
    while noun.dep_ in MODIFIER_DEPS and noun.head.i > noun.i and (
            names.entity[noun.i] is None and noun.dep_ == "compound"
            or noun.pos_ == "ADJ" or names.label(noun.doc[noun.i : noun.i + 1]) in NATIONALITY_LABELS):
        # "French President Emmanuel Macron", "a Swedish Christian democratic politician": the
        # nationality modifies the whole phrase.
        noun = noun.head
    name: Span | None = None
    if noun.pos_ == "PROPN":
        name = names.name(noun)
    elif noun.pos_ == "NOUN":
        name = names.described(noun) or _named_by_of(noun, names)
    if name is None or names.label(name) == "NORP" or name.start <= norp.start < name.end:
        return
    before = norp.doc[norp.start - 1] if norp.start > 0 else None
    if norp.label_ != "NORP" and (not names.person(name) or before is not None and before.pos_ == "ADP"
                                  and before.lower_ != "of"):
        # "ambassador to US Husain Haqqani": a place after a preposition is not his nationality
        # ("President of Pakistan Asif Ali Zardari" is of Pakistan).
        return
    if norp.end == name.start and not names.person(name):
        # Right before a name, a nationality word is often part of it ("Norwegian Premier League").
        return
    yield _triple(name, [], "be from", norp, "demonym", implicit="is from")


def nationality_before_title(norp: Span, names: _Names) -> Iterator[SpanTriple]:
    """Yield (X, "be from", N) for people a lower-case title after a nationality names.

    "Australian singer and songwriter Jane Doyle", "the Chilean painters Pedro Soto and Juan Ruiz":
    the parser often breaks such phrases, so the words between are read as written. Names listed
    after a plural title are each of that nationality.
    """
    doc = norp.doc
    sentence_end = norp.sent.end
    position = norp.end
    while position < sentence_end and position - norp.end < TITLE_WORDS and names.entity[position] is None \
            and (doc[position].is_lower and (doc[position].pos_ in {"NOUN", "ADJ", "CCONJ"} or doc[position].tag_ == "VB")
                 or doc[position].text == "-"):
        position += 1
    if position == norp.end or position >= sentence_end or doc[position - 1].pos_ in {"CCONJ", "ADJ"} \
            or doc[position - 1].text == "-":
        return
    first = names.entity[position]
    if first is None or first.start != position or first.label_ != "PERSON":
        return
    people = [first]
    if any(t.tag_ == "NNS" for t in doc[norp.end : position]):
        people.extend(c for c in _listed_after(first, names))
    for person in people:
        yield _triple(person, [], "be from", norp, "demonym", implicit="is from")


def _listed_after(first: Span, names: _Names) -> Iterator[Span]:
    """Yield the people coordinated with a first one by commas and "and": "A, B and C"."""
    doc = first.doc
    position = first.end
    while position + 1 < first.sent.end and doc[position].text in {",", "and"}:
        position += 1 + (doc[position].text == "," and doc[position + 1].text == "and")
        following = names.entity[position] if position < len(doc) else None
        if following is None or following.start != position or following.label_ != "PERSON":
            return
        yield following
        position = following.end


#: Personal pronouns that stand for a person as the subject of a description ("He is the son of ...").
PERSONAL_PRONOUNS = frozenset({"he", "she"})


def _people_after(start: int, names: _Names) -> list[Span]:
    """Return the people named from token ``start`` on, each after an optional title: "the actor Paul Reed and Mary Reed".

    A name the tagger took for an organization counts when a person is listed with it ("Arthur Hale and Mary Hale").
    """
    doc = names.doc
    end = doc[start].sent.end if start < len(doc) else start
    found: list[Span] = []
    position = start
    while position < end:
        position = _after_title(position, end, names)
        ent = names.entity[position] if position < end else None
        if ent is None or ent.start != position or ent.label_ not in {"PERSON", "ORG"}:
            break
        found.append(ent)
        position = ent.end
        if position < end and doc[position].text == ",":
            position += 1
        if position < end and doc[position].lower_ == "and":
            position += 1
        elif position == ent.end:
            break
    return found if any(ent.label_ == "PERSON" for ent in found) else []


def _after_title(position: int, end: int, names: _Names) -> int:
    """Return where a name starts after a determiner, a nationality and lower-case title words ("the Mexican singer and actress")."""
    doc = names.doc
    first = position
    last_word = position
    while position < end and position - first <= TITLE_WORDS:
        token = doc[position]
        ent = names.entity[position]
        if ent is not None and ent.label_ == "NORP" and ent.start == position:
            position = ent.end
            continue
        if ent is not None or not (token.pos_ == "DET" and position == first or token.is_lower and (
                token.pos_ in {"NOUN", "ADJ"} or token.tag_ == "VB" or token.lower_ == "and" and position > first)):
            break
        position += 1
        if token.lower_ != "and":
            last_word = position
    return last_word if position < end and names.entity[position] is None else position


def _description_subject(noun: Token, names: _Names) -> Span | None:
    """Return who a description of a person is about: the name it describes, a personal pronoun it is
    said of ("He is the son of ..."), or the subject of a clause it is set off at the end of
    ("He was born in Leeds, the son of ...")."""
    doc = noun.doc
    name = names.described(noun)
    if name is not None and (names.person(name) or noun.dep_ != "appos" or names.label(name) not in PLACE_LABELS):
        # Set off after a place, the description is of the clause's subject: "born in Leeds, the son of".
        return name if names.person(name) else None
    head = noun.head
    if noun.dep_ == "attr" and head.lemma_ == "be":
        subject = next((c for c in head.children if c.dep_ in SUBJECT_DEPS), None)
        if subject is not None and subject.lower_ in PERSONAL_PRONOUNS:
            return doc[subject.i : subject.i + 1]
    if noun.dep_ == "appos" and noun.i > 0 and doc[noun.left_edge.i - 1].text == "," \
            and noun.right_edge.i + 2 >= noun.sent.end:
        verb = noun.sent.root
        subject = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
        if subject is not None and subject.i < noun.i and (subject.lower_ in PERSONAL_PRONOUNS or (
                names.entity[subject.i] is not None and names.entity[subject.i].label_ == "PERSON")):
            return names.name(subject) if subject.pos_ == "PROPN" else doc[subject.i : subject.i + 1]
    return None


def relative_of(noun: Token, names: _Names) -> Iterator[SpanTriple]:
    """Yield (X, "be N of", Y) for a person X described as "the N of" people Y, each after an optional title.

    "He is the son of the actor Paul Reed", "Tom Reed, the eldest son of Erik Reed and Mary Reed",
    "He was born in Leeds, the son of Arthur Hale": the parser often breaks such phrases at the title.
    """
    doc = noun.doc
    if noun.pos_ != "NOUN" or not noun.is_lower or noun.i + 2 >= len(doc) or doc[noun.i + 1].lower_ != "of" \
            or doc[noun.i + 1].head.i != noun.i or noun.dep_ not in {"attr", "appos"}:
        return
    people = _people_after(noun.i + 2, names)
    if not people:
        return
    subject = _description_subject(noun, names)
    # A rank belongs to a kinship title: "the youngest son of".
    title = sorted([noun, *(c for c in noun.lefts if c.dep_ in {"amod", "compound"} and names.entity[c.i] is None)],
                   key=lambda t: t.i)
    lemma = _title_lemma(title)
    if subject is None or not lemma:
        return
    for person in people:
        if not subject.start <= person.start < subject.end:
            yield _triple(subject, [*title, doc[noun.i + 1]], f"be {lemma} of", person, "apposition")


def fronted_description(sentence: Span, names: _Names) -> Iterator[SpanTriple]:
    """Yield (X, "be N of", O) for a description that opens a sentence about X: "A native of Syracuse, Wallace ...",
    "The daughter of the painter Ann Lee, she ..."."""
    doc = sentence.doc
    subject = next((c for c in sentence.root.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    if subject is None or subject.left_edge.i < sentence.start + 4 or doc[subject.left_edge.i - 1].text != ",":
        return
    start = sentence.start + (doc[sentence.start].pos_ == "DET")
    noun = doc[start]
    if noun.pos_ != "NOUN" or not noun.is_lower or doc[start + 1].lower_ != "of":
        return
    if subject.lower_ in PERSONAL_PRONOUNS:
        written = doc[subject.i : subject.i + 1]
    else:
        written = names.name(subject) if subject.pos_ == "PROPN" else None
        if written is None or not names.person(written) and names.entity[subject.i] is not None:
            return
    comma = subject.left_edge.i - 1
    owners = [p for p in _people_after(start + 2, names) if p.end <= comma]
    if not owners:
        position = start + 2 + (doc[start + 2].pos_ == "DET")
        place = names.entity[position]
        if place is not None and place.start == position and place.label_ in PLACE_LABELS and place.end <= comma:
            owners = [place]
    for owner in owners:
        yield _triple(written, [noun, doc[start + 1]], f"be {noun.lemma_.lower()} of", owner, "apposition")


def titled_object(obj: Token, names: _Names) -> Iterator[SpanTriple]:
    """Yield (S, V, X) for a verb whose object is a person named after a title: "Anna married the painter Erik Holt"."""
    verb = obj.head
    if obj.dep_ != "dobj" or obj.pos_ != "NOUN" or not obj.is_lower or verb.pos_ != "VERB":
        return
    appos = next((c for c in obj.children if c.dep_ == "appos" and c.i > obj.i), None)
    name = None if appos is None else names.name(appos)
    if name is None or not names.person(name) or name.start != obj.i + 1:
        return
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None:
        return
    written = names.name(subject) if subject.pos_ == "PROPN" else doc_span(subject)
    if written is not None:
        yield _triple(written, [verb], verb.lemma_.lower(), name, "apposition")


def doc_span(token: Token) -> Span:
    """Return a one-token span."""
    return token.doc[token.i : token.i + 1]


def _named_by_of(noun: Token, names: _Names) -> Span | None:
    """Return the place a noun of places introduces with "of": "the Texas city of [Austin]"."""
    prep = next((c for c in noun.rights if c.dep_ == "prep" and c.lower_ == "of"), None)
    obj = None if prep is None else next((c for c in prep.children if c.dep_ == "pobj"), None)
    if obj is None or obj.pos_ != "PROPN" or noun.lemma_.casefold() not in names.place_nouns:
        return None
    name = names.name(obj)
    return name if name is not None and names.label(name) in PLACE_LABELS | {"FAC"} else None


def place_of_kind(noun: Token, names: _Names) -> Iterator[SpanTriple]:
    """Yield (X, "be K in", P) for "the P K of X": "the Texas city of Austin"."""
    named = _named_by_of(noun, names)
    if named is None:
        return
    for child in noun.lefts:
        if child.dep_ not in {"compound", "nmod", "amod"} or child.pos_ != "PROPN":
            continue
        place = names.name(child)
        if place is not None and names.label(place) in PLACE_LABELS:
            yield _triple(named, [noun], f"be {noun.lemma_.lower()} in", place, "compound")


def place_chains(names: _Names) -> Iterator[SpanTriple]:
    """Yield (A, "be in", B) for each place before a later one in "A, B, C" ("Vancouver, British Columbia, Canada")."""
    doc = names.doc
    chains: list[list[Span]] = []
    chain: list[Span] = []
    for ent in doc.ents:
        linked = bool(chain) and ent.label_ in PLACE_LABELS and _separated(chain[-1], ent) \
            and ent.sent.start == chain[0].sent.start and _linked(chain, ent, names)
        if linked:
            chain.append(ent)
            continue
        chains.append(chain)
        chain = [ent] if ent.label_ in PLACE_LABELS else []
    chains.append(chain)
    chains = [c for c in chains if len(c) > 1]
    partners: dict[int, list[Span]] = {}
    for index in range(len(chains) - 1):
        first, second = chains[index], chains[index + 1]
        joint = [t.lower_ for t in doc[first[-1].end : second[0].start] if t.text != ","]
        if joint in (["and"], ["or"]) and len(first) == len(second) and index not in partners:
            # "Gloucester, Massachusetts and Brooklyn, New York": two chains of the same length, not a list.
            partners[index], partners[index + 1] = second, first
    for index, found in enumerate(chains):
        yield from _chain_triples(found, names, partners.get(index))


def _separated(before: Span, ent: Span) -> bool:
    """Tell whether only a comma stands between two places, or a comma and "in" ("Tennessee, in the southern United States")."""
    between = before.doc[before.end : ent.start]
    if [t.text for t in between] == [","]:
        return True
    words = [t for t in between if t.ent_iob_ != "I" and t.ent_iob_ != "B"]
    return len(between) >= 2 and between[0].text == "," and between[1].lower_ == "in" and all(
        t.pos_ in {"DET", "ADJ"} for t in words[2:])


def _linked(chain: list[Span], ent: Span, names: _Names) -> bool:
    """Tell whether the parse attaches a place to the chain before it (not a new subject or a possessor)."""
    root = ent.root
    if root.dep_ == "poss" or root.head.i >= ent.start:
        return False
    if root.head.i >= chain[0].start:
        return True
    # The parse may attach the place to an earlier place of the sentence ("Gloucester, Massachusetts
    # and Brooklyn, New York": New York to Gloucester).
    earlier = names.entity[root.head.i]
    return earlier is not None and earlier.label_ in PLACE_LABELS and earlier.sent.start == ent.sent.start


def _chain_triples(chain: list[Span], names: _Names, partner: list[Span] | None = None) -> Iterator[SpanTriple]:
    """Yield the "be in" triples of a chain of places, unless it is a list ("Paris, London and Berlin").

    ``partner`` is the chain coordinated with this one ("A, B and C, D"), whose members may be conjuncts.
    """
    if len(chain) < 2:
        return
    doc = chain[0].doc
    end = chain[-1].end
    if end < len(doc) and doc[end].text == "(":
        # Look past an aside: "Austria (then a state of the Empire), and the Dutch Republic".
        end = next((t.i + 1 for t in doc[end : min(len(doc), end + 30)] if t.text == ")"), end)
    after = doc[end] if end < len(doc) else None
    before = doc[chain[0].start - 1] if chain[0].start > 0 else None
    for token in (after, before):
        if token is not None and (token.dep_ == "cc" or token.tag_ == "POS") and partner is None:
            return
    if after is not None and after.text == "," and after.i + 1 < len(doc) and doc[after.i + 1].dep_ == "cc" \
            and partner is None:
        return
    inside = {i for place in chain + (partner or []) for i in range(place.start, place.end)}
    for place in chain:
        # A member coordinated with something outside the chain is an item of a list
        # ("Britain, France, Austria (...), and the Dutch Republic").
        if any((c.dep_ == "cc" and partner is None) or (c.dep_ == "conj" and c.i not in inside)
               for c in place.root.children):
            return
    for i, inner in enumerate(chain):
        for j in range(i + 1, len(chain)):
            yield _triple(inner, [], "be in", chain[j], "place_chain", 0.1 * (j - i - 1), implicit="is in")
    holder = _placed_in(chain[0], names)
    if holder is not None:
        # "Brookston is a city in Saint Louis County, Minnesota": the clause rules place it in the
        # county; the chain places it in Minnesota too.
        for j in range(1, len(chain)):
            yield _triple(holder, [], "be in", chain[j], "place_chain", 0.1 * j, implicit="is in")


def _placed_in(place: Span, names: _Names) -> Span | None:
    """Return the name a phrase places "in" a place: "[X] is a city in P", "[X], a facility located in P"."""
    prep = place.root.head
    if place.root.dep_ != "pobj" or prep.lower_ != "in":
        return None
    anchor = prep.head
    if anchor.tag_ == "VBN" and anchor.dep_ == "acl":
        anchor = anchor.head
    if anchor.pos_ == "NOUN":
        return names.described(anchor)
    if anchor.pos_ == "PROPN" and names.label(names.name(anchor) or place) not in VALUE_LABELS:
        return names.name(anchor)
    return None


def place_of_place(names: _Names) -> Iterator[SpanTriple]:
    """Yield (P, "be in", Q) for a place named with its container: "the Kotayk Province of Armenia"."""
    doc = names.doc
    for ent in doc.ents:
        if ent.label_ not in PLACE_LABELS or ent.end + 1 >= len(doc) or doc[ent.end].lower_ != "of":
            continue
        of = doc[ent.end]
        if not ent.start <= of.head.i < ent.end:
            continue
        container = names.entity[ent.end + 1]
        if container is None or container.label_ not in PLACE_LABELS or container.start != ent.end + 1:
            continue
        if not any(t.pos_ == "PROPN" and t.lemma_.casefold() not in names.place_nouns for t in ent):
            # "the Province of Rieti" names Rieti; only "the Kotayk Province of Armenia" names two places.
            continue
        yield _triple(ent, [of], "be in", container, "place_chain", implicit="is in")


def hyphen_participle(participle: Token, names: _Names) -> Iterator[SpanTriple]:
    """Yield (N, "be V in", P) for "a P-Ved N" ("a Paris-based bank"); "by" for a non-place ("Google-backed")."""
    doc = participle.doc
    noun = participle.head
    if participle.tag_ != "VBN" or noun.i <= participle.i or noun.pos_ not in {"NOUN", "PROPN"} \
            or participle.i < 2 or doc[participle.i - 1].tag_ != "HYPH":
        return
    place = names.name(doc[participle.i - 2])
    if place is None or place.end != participle.i - 1 or names.label(place) not in OWNER_LABELS | {"PERSON", "PRODUCT"}:
        return
    label = names.label(place)
    # "-based" always places its noun ("a Rotterdam-based group"), whatever the tagger made of the name.
    marker = "in" if label in PLACE_LABELS | {"FAC"} or participle.lemma_.lower() == "base" else "by"
    if noun.pos_ == "PROPN":
        subject = names.name(noun)
    else:
        subject = names.described(noun) or phrase(noun)
        while len(subject) > 1 and subject[-1].tag_ == "POS":
            subject = subject[:-1]
    if subject is None or not len(subject) or subject.start <= place.start < subject.end and subject.root.i == place.root.i:
        return
    yield _triple(subject, [participle], f"be {participle.lemma_.lower()} {marker}", place, "compound")


def appositive_participle(participle: Token, names: _Names) -> Iterator[SpanTriple]:
    """Yield (X, "be V P", O) for "X, a company based in O": the participle describes the name, not the noun."""
    noun = participle.head
    if participle.tag_ != "VBN" or noun.pos_ != "NOUN" or noun.dep_ == "attr":
        return
    name = names.described(noun)
    if name is None:
        return
    for prep in participle.children:
        if prep.dep_ not in {"prep", "agent"}:
            continue
        obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
        owner = None if obj is None or obj.pos_ != "PROPN" else names.name(obj)
        if owner is not None:
            yield _triple(name, [participle, prep], f"be {participle.lemma_.lower()} {prep.lower_}", owner,
                          "class_modifier")


def place_description(noun: Token, names: _Names) -> Iterator[SpanTriple]:
    """Yield (X, "be in", P) for "X is a town in P", "X, a village on the Y River": a description of a place locates its name."""
    if noun.dep_ not in {"attr", "appos"} or noun.lemma_.casefold() not in names.place_nouns:
        return
    name = names.described(noun)
    if name is None:
        return
    for prep in noun.children:
        if prep.dep_ != "prep" or prep.lower_ not in {"in", "on"}:
            continue
        obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
        place = None if obj is None else names.name(obj)
        if place is not None and names.label(place) in PLACE_LABELS and place.start > name.end:
            yield _triple(name, [noun, prep], f"be {prep.lower_}", place, "class_modifier")


def year_modifier(year: Token, names: _Names) -> Iterator[SpanTriple]:
    """Yield (X, "be release in", Y) for a year modifying the class noun of a name ("X is a 2002 film")."""
    noun = year.head
    if year.ent_type_ != "DATE" or not (year.is_digit and len(year.text) == 4) or noun.pos_ != "NOUN" \
            or noun.i <= year.i or year.dep_ not in MODIFIER_DEPS:
        return
    name = names.described(noun)
    if name is not None:
        yield _triple(name, [], "be release in", Span(year.doc, year.i, year.i + 1, label="DATE"), "class_modifier",
                      implicit="is from")


def _year(span: Span) -> int | None:
    """Return the four-digit year written in a span, if any."""
    return next((int(t.text) for t in span if t.is_digit and len(t.text) == 4), None)


def life_dates(name: Span, names: _Names) -> Iterator[SpanTriple]:
    """Yield birth and death from a parenthesis after a person's name: "(born 3 July 1954 in Paris)", "(1920 - 1990)"."""
    doc = name.doc
    # The tokenizer keeps "(;" together where a pronunciation was left out of the text.
    if name.end >= len(doc) or not (doc[name.end].text.startswith("(") and doc[name.end].is_punct):
        return
    close = next((t.i for t in doc[name.end + 1 : min(len(doc), name.end + 40)] if t.text == ")"), None)
    if close is None:
        return
    inside = doc[name.end + 1 : close]
    markers = [t for t in inside if t.lower_ in BIRTH_MARKERS | DEATH_MARKERS]
    if markers:
        for number, marker in enumerate(markers):
            end = markers[number + 1].i if number + 1 < len(markers) else close
            lemma = "be bear in" if marker.lower_ in BIRTH_MARKERS else "die in"
            # "born in Paris" with the participle attached to the name is read by the clause rules.
            clause_read = marker.dep_ == "acl" and name.start <= marker.head.i < name.end
            yield from _life_event(name, doc[marker.i + 1 : end], lemma, [marker], clause_read)
        return
    dashes = [t for t in inside if t.text in DASHES]
    if len(dashes) != 1 or not all(t.is_digit or t.ent_type_ or t.text in DASHES or t.is_punct or t.lower_ == "in"
                                   or t.pos_ == "PROPN" for t in inside):
        return
    dash = dashes[0]
    born, died = doc[inside.start : dash.i], doc[dash.i + 1 : close]
    first, last = _year(born), _year(died)
    # A life lasts between 15 and 110 years; other ranges are terms of office, seasons or reigns.
    if first is None or last is None or not 15 <= last - first <= 110:
        return
    yield from _life_event(name, born, "be bear in", [], False, "born")
    yield from _life_event(name, died, "die in", [], False, "died")


def _life_event(name: Span, part: Span, lemma: str, marker: list[Token], clause_read: bool,
                implicit: str = "") -> Iterator[SpanTriple]:
    """Yield the date and the first place of a birth or death ("3 July 1954 in Paris", "1954, Paris, France")."""
    doc = name.doc
    date = next((e for e in part.ents if e.label_ == "DATE" and _year(e) is not None), None)
    if date is None:
        # The model may take a whole range for one date ("March 31, 1866 – 1932"): read the part's own words.
        end = next((t.i for t in part if t.ent_type_ in PLACE_LABELS or t.lower_ == "in"), part.end)
        date = trim(doc[part.start : end])
        date = date if len(date) and _year(date) is not None and all(
            t.like_num or t.is_punct or t.ent_type_ == "DATE" for t in date) else None
    elif date.start > part.start and all(t.like_num for t in doc[part.start : date.start]):
        # "26 May 1991" with the day outside the date entity.
        date = doc[part.start : date.end]
    if date is not None:
        date = Span(doc, date.start, date.end, label="DATE")
        yield _triple(name, marker, lemma, date, "life_dates", implicit=implicit)
    place = next((e for e in part.ents if e.label_ in PLACE_LABELS), None)
    if place is None:
        # A place the tagger did not label, named after "in": "(18 December 1931 in Brno - ...)".
        place = next((_proper_run(t.i + 1, part.end, doc) for t in part if t.lower_ == "in"), None)
    if place is not None and place.start == part.start and implicit and date is not None and date.start > place.end:
        # "(San Fernando, Chile, August 29, 1869 - Santiago, Chile, July 23, 1925)": the place comes first.
        yield _triple(name, marker, lemma, place, "life_dates", implicit=implicit)
    elif place is not None and place.start > part.start and doc[place.start - 1].lower_ in {"in", ","} \
            and not (clause_read and doc[place.start - 1].lower_ == "in"):
        words = marker + ([doc[place.start - 1]] if doc[place.start - 1].lower_ == "in" else [])
        yield _triple(name, words, lemma, place, "life_dates", implicit=implicit)


def _proper_run(start: int, end: int, doc: Doc) -> Span | None:
    """Return the run of proper nouns from ``start`` (before ``end``) as a place, or None."""
    stop = start
    while stop < end and doc[stop].pos_ == "PROPN" and not doc[stop].ent_type_ and stop - start < 4:
        stop += 1
    return Span(doc, start, stop, label="GPE") if stop > start else None


#: Entity labels of a title that a year in brackets dates as a release ("The Wooden Horse (1950)").
WORK_LABELS = frozenset({"WORK_OF_ART", "PRODUCT", "ORG", ""})


def work_years(names: _Names) -> Iterator[SpanTriple]:
    """Yield (W, "be release in", Y) for a work's title followed by its year: "The Wooden Horse (1950)"."""
    doc = names.doc
    for token in doc:
        if token.text != "(" or token.i < 1 or token.i + 2 >= len(doc):
            continue
        year = doc[token.i + 1]
        if not (year.is_digit and len(year.text) == 4) or doc[token.i + 2].text not in {")", *DASHES}:
            continue
        before = doc[token.i - 1]
        title: Span | None
        if before.is_quote:
            # A quoted title: "I'm Caught Up" (1979).
            opening = next((t.i for t in reversed(doc[max(0, before.i - 25) : before.i]) if t.is_quote), None)
            title = None if opening is None else trim(doc[opening + 1 : before.i])
        else:
            title = names.name(before) if before.pos_ == "PROPN" or names.entity[before.i] is not None else None
        if title is None or not len(title) or names.label(title) not in WORK_LABELS \
                or not any(t.pos_ == "PROPN" or t.is_title for t in title):
            continue
        yield _triple(title, [], "be release in", Span(doc, year.i, year.i + 1, label="DATE"), "work_year",
                      implicit="released in")


def nominal_triples(doc: Doc, place_nouns: frozenset[str] = frozenset()) -> list[SpanTriple]:
    """Find every relation stated by a noun phrase in a parsed doc; ``place_nouns`` are head nouns of places."""
    names = _Names(doc, place_nouns)
    triples: list[SpanTriple] = []
    for ent in doc.ents:
        label = ent.label_
        if label not in VALUE_LABELS:
            triples.extend(noun_before_name(ent, names))
        if label in {"PERSON", "ORG", "WORK_OF_ART"}:
            # The model often takes a person's name after a title for an organization's.
            triples.extend(title_before_name(ent, names))
        if label in {"PERSON", "ORG"}:
            triples.extend(life_dates(ent, names))
        if label in NATIONALITY_LABELS and (label in {"NORP", "GPE"} or len(ent) == 1):
            triples.extend(demonym(ent, names))
            if label == "NORP":
                triples.extend(nationality_before_title(ent, names))
    for sentence in doc.sents:
        triples.extend(fronted_description(sentence, names))
    triples.extend(place_chains(names))
    triples.extend(place_of_place(names))
    triples.extend(work_years(names))
    triples.extend(membership.membership_triples(doc, names))
    for token in doc:
        dep = token.dep_
        if token.pos_ == "PROPN" and dep != "compound" and names.entity[token.i] is None:
            # A title the tagger left unlabelled, owned by someone: "her third studio album Duty".
            unlabelled = names.name(token)
            if unlabelled is not None:
                triples.extend(title_before_name(unlabelled, names, possessive_only=True))
                triples.extend(noun_before_name(unlabelled, names))
        if dep == "appos":
            triples.extend(apposition(token, names))
        elif dep == "attr" and token.pos_ == "NOUN":
            triples.extend(copula_description(token, names))
        if dep in {"attr", "appos"} and token.pos_ == "NOUN":
            triples.extend(place_description(token, names))
            triples.extend(relative_of(token, names))
        elif dep == "dobj" and token.pos_ == "NOUN":
            triples.extend(titled_object(token, names))
        if token.tag_ == "NNS":
            triples.extend(listed_people(token, names))
        if token.tag_ == "VBN" and dep in {"amod", "acl", "compound"}:
            triples.extend(hyphen_participle(token, names) if dep != "acl" else appositive_participle(token, names))
        elif token.pos_ == "NOUN" and dep != "compound":
            triples.extend(place_of_kind(token, names))
        elif token.like_num and token.ent_type_ == "DATE":
            triples.extend(year_modifier(token, names))
    return triples
