"""Membership, parts and participation stated by noun phrases, each paraphrased as a clause.

"former Bluebirds member Jane Moss" says that Jane Moss is a member of the Bluebirds; "Ann Lee of
the rock band The Quills" that she belongs to the band; "the Battle of Verdun during World War I"
that the battle was part of the war. Like :mod:`kgbuild.extract.nominal`, the rules read
dependency labels, part-of-speech tags and entity labels, and give each statement a lemma that
reads like a clause ("be member of", "be of", "take place during"). The ontology's triggers map
the lemmas to properties, and the two ends' types choose between them: "be of" is a membership
only when the object is a musical group, "take place during" a part of a conflict only when both
ends are conflicts. docs/extraction.md lists the patterns.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Span, Token

from kgbuild.extract import nominal
from kgbuild.extract.clauses import SUBJECT_DEPS, SpanTriple, trim

#: Nouns that "member" makes a kind of membership: "a European Union member state".
MEMBER_KINDS = frozenset({"state", "country", "nation", "organization", "organisation", "company", "club",
                          "association", "party", "team"})
#: Dependency labels of a name that modifies a noun before it ("Bluebirds member").
COMPOUND_DEPS = frozenset({"compound", "nmod"})
#: Dependency labels of the names a verb's clause is about: its subject, objects and prepositional objects.
CLAUSE_DEPS = SUBJECT_DEPS | {"dobj", "pobj", "attr"}
#: Nouns of a part of an organization: "the business school of X", "a command of the Y Navy".
UNIT_NOUNS = frozenset({"school", "faculty", "college", "department", "command", "wing", "chapter", "campus",
                        "house", "chamber", "institute", "section", "committee", "fleet", "squadron"})
#: Entity labels of the organizations that have such parts (and of their parts).
UNIT_LABELS = frozenset({"ORG", "FAC", ""})
#: Nouns of a sports club, which a league name can modify: "Premier League side Everton".
TEAM_NOUNS = frozenset({"side", "club", "team", "franchise", "outfit"})
#: Adverbs that date a membership rather than deny it: "(formerly of Sunset Drive)".
TIME_ADVERBS = frozenset({"formerly", "previously", "once", "originally", "later", "then", "briefly"})


def _owner_names(noun: Token, member: Token, names: nominal._Names) -> list[Span]:
    """Return the names that modify "member" or its kind noun from the left: "[European Union] member state"."""
    owners: list[Span] = []
    for word in (member, noun):
        for child in word.lefts:
            if child.dep_ not in COMPOUND_DEPS or child.i >= member.i or child.pos_ != "PROPN":
                continue
            owner = names.name(child)
            if owner is not None and owner not in owners and names.label(owner) not in nominal.VALUE_LABELS | {"PERSON", "NORP"}:
                owners.append(owner)
    return owners


def _with_conjuncts(name: Span, names: nominal._Names) -> list[Span]:
    """Return a name and the names coordinated with it: "Greece and Cyprus"."""
    found = [name]
    queue = [c for c in name.root.children if c.dep_ == "conj"]
    while queue:
        token = queue.pop(0)
        other = names.name(token)
        if other is not None and other not in found:
            found.append(other)
        queue.extend(c for c in token.children if c.dep_ == "conj")
    return found


def member_noun(member: Token, names: nominal._Names) -> Iterator[SpanTriple]:
    """Yield (X, "be member of", O) for "former O member X", "X, an O member", "X is an O member state"."""
    noun = member
    if member.dep_ == "compound" and member.head.i > member.i and member.head.lemma_.lower() in MEMBER_KINDS:
        noun = member.head
    elif member.dep_ == "compound" and member.head.pos_ == "NOUN":
        return
    owners = _owner_names(noun, member, names)
    if not owners:
        return
    described = names.described(noun)
    if described is None:
        return
    for name in _with_conjuncts(described, names):
        for owner in owners:
            if owner.start < name.end and name.start < owner.end:
                continue
            yield nominal._triple(name, [member], "be member of", owner, "apposition")


def _group_name(obj: Token, names: nominal._Names) -> tuple[Span | None, Span | None]:
    """Return the name a preposition's object stands for, and the group noun that introduces it ("the band X")."""
    if obj.pos_ == "PROPN" or names.entity[obj.i] is not None:
        return names.name(obj), None
    if obj.pos_ != "NOUN":
        return None, None
    appos = next((c for c in obj.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None)
    if appos is None:
        return None, None
    words = [t for t in obj.lefts if t.dep_ in {"amod", "compound", "nmod"} and names.entity[t.i] is None]
    return names.name(appos), obj.doc[words[0].i if words else obj.i : obj.i + 1]


def person_of_group(person: Span, names: nominal._Names) -> Iterator[SpanTriple]:
    """Yield (P, "be of", G) for "P of the band G", "P and Q of G", "P (formerly of G)"; types decide the membership."""
    doc = person.doc
    root = person.root
    if root.dep_ == "conj":
        return
    members = [m for m in _with_conjuncts(person, names) if names.person(m)]
    last = max(members, key=lambda m: m.end)
    prep = next((c for m in members for c in m.root.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    if prep is None or not last.end <= prep.i <= last.end + 2:
        return
    if any(not (t.text == "(" or t.lower_ in TIME_ADVERBS) for t in doc[last.end : prep.i]):
        return
    obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
    group, noun = (None, None) if obj is None else _group_name(obj, names)
    if group is None or names.label(group) in nominal.VALUE_LABELS | {"PERSON", "GPE", "NORP"}:
        return
    if noun is not None:
        # "the rock band The Quills": the noun says what the group is, which decides the reading.
        yield nominal._triple(group, [], "be", noun, "title", implicit="is")
    for member in members:
        yield nominal._triple(member, [prep], "be of", group, "apposition", 0.05)


def _event_phrase(token: Token, limit: int) -> Span | None:
    """Return the phrase a token heads, cut before ``limit`` (the "during" after it), if it holds a name."""
    doc = token.doc
    start = token.left_edge.i
    end = min(token.right_edge.i + 1, limit) if token.i < limit else token.right_edge.i + 1
    span = trim(doc[start:end])
    if not len(span) or not any(t.pos_ == "PROPN" for t in span) or span.root.pos_ not in {"PROPN", "NOUN"}:
        return None
    return span


def during_conflict(during: Token, names: nominal._Names) -> Iterator[SpanTriple]:
    """Yield (E, "take place during", W) for "the Battle of X during W", and (E, "take part during", W) for the
    names of the clause: "He was wounded at [E] during W", "He served with [the Air Force] during W"."""
    obj = next((c for c in during.children if c.dep_ == "pobj"), None)
    if obj is None or obj.pos_ != "PROPN":
        return
    war = names.name(obj)
    if war is None or names.label(war) != "EVENT":
        # Only a named event dates a part or a participation: "during the Christmas season" does not.
        return
    head = during.head
    candidates: list[Token] = []
    if head.pos_ in {"PROPN", "NOUN"}:
        candidates.append(head)
    elif head.pos_ in {"VERB", "AUX"}:
        for child in head.children:
            if child.dep_ in CLAUSE_DEPS:
                candidates.append(child)
            elif child.dep_ == "prep" and child is not during:
                candidates.extend(c for c in child.children if c.dep_ == "pobj")
    for candidate in candidates:
        event = _event_phrase(candidate, during.i)
        if event is None or event.start <= war.start < event.end:
            continue
        # A noun the war dates is an event of it; a name the clause is about took part in it (types decide).
        lemma = "take place during" if candidate is head else "take part during"
        yield nominal._triple(event, [during], lemma, war, "apposition", 0.05)


def team_of_league(noun: Token, names: nominal._Names) -> Iterator[SpanTriple]:
    """Yield (X, "be side of", L) for "L side X": "Premier League side Everton", "NHL team the Oilers"."""
    if noun.dep_ != "compound" or noun.head.pos_ != "PROPN" or noun.head.i <= noun.i:
        return
    team = names.name(noun.head)
    owner = next((names.name(c) for c in noun.lefts if c.dep_ in COMPOUND_DEPS and c.pos_ == "PROPN"), None)
    if team is None or owner is None or team.start <= noun.i or owner.end > noun.i:
        return
    if names.label(team) in nominal.VALUE_LABELS | {"PERSON", "GPE", "NORP"} or names.label(owner) in {"PERSON", "GPE"}:
        return
    yield nominal._triple(team, [noun], f"be {noun.lower_} of", owner, "title")


def organization_of(org: Span, names: nominal._Names) -> Iterator[SpanTriple]:
    """Yield (X, "be of", Y) for "the Chicago Bears of the National Football League"; types decide (a team's league)."""
    doc = org.doc
    if org.end + 1 >= len(doc) or doc[org.end].lower_ != "of" or doc[org.end].head.i != org.root.i:
        return
    obj = next((c for c in doc[org.end].children if c.dep_ == "pobj"), None)
    other = None if obj is None or obj.pos_ != "PROPN" else names.name(obj)
    if other is not None and names.label(other) == "ORG":
        yield nominal._triple(org, [doc[org.end]], "be of", other, "apposition", 0.05)


def unit_of(noun: Token, names: nominal._Names) -> Iterator[SpanTriple]:
    """Yield (X, "be component of", O) for "X is the business school of O", "X, a command of the O"."""
    if noun.dep_ not in {"attr", "appos"} and not (noun.dep_ == "compound" and noun.head.pos_ == "PROPN"):
        return
    prep = next((c for c in noun.rights if c.dep_ == "prep" and c.lower_ == "of"), None)
    obj = None if prep is None else next((c for c in prep.children if c.dep_ == "pobj"), None)
    if obj is None or obj.pos_ != "PROPN" or any(c.dep_ == "poss" for c in noun.children):
        return
    owner = names.name(obj)
    name = names.described(noun)
    if owner is None or name is None or names.label(owner) not in UNIT_LABELS or names.label(name) not in UNIT_LABELS:
        return
    if owner.start < name.end and name.start < owner.end:
        return
    yield nominal._triple(name, [noun, prep], "be component of", owner, "apposition")


def membership_triples(doc: Doc, names: nominal._Names) -> list[SpanTriple]:
    """Find the memberships, parts and participations stated by noun phrases in a parsed doc."""
    triples: list[SpanTriple] = []
    for ent in doc.ents:
        if ent.label_ == "PERSON":
            triples.extend(person_of_group(ent, names))
        elif ent.label_ == "ORG":
            triples.extend(organization_of(ent, names))
    for token in doc:
        if token.lemma_.lower() == "member" and token.pos_ == "NOUN":
            triples.extend(member_noun(token, names))
        elif token.pos_ == "NOUN" and token.lemma_.lower() in TEAM_NOUNS:
            triples.extend(team_of_league(token, names))
        elif token.pos_ == "NOUN" and token.lemma_.lower() in UNIT_NOUNS:
            triples.extend(unit_of(token, names))
        elif token.lower_ == "during" and token.dep_ == "prep":
            triples.extend(during_conflict(token, names))
    return triples
