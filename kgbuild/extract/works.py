"""Relations of creative works stated around a work noun: who made a work, when and where it came out.

"X is the second studio album by Y, released on 5 May 2009 by Z Records", "the novel X by Y",
"Y's 1963 children's book X", "X is a video game developed and published by Y for the PlayStation",
"X was written and produced by Y". The rules find a work noun (the ontology's head nouns of creative
works, passed in as ``work_nouns``), the name it describes, and the phrases attached to the noun: a
"by" phrase, a possessive owner, and the past participles that modify it with their agents, dates,
labels and platforms. Each becomes a triple whose ``relation_lemma`` reads like a clause ("be novel
by", "be develop by", "be release on"), so the ontology's triggers and the entity types decide the
property (author, developer, record label, publication date ...). Coordinated participles share the
agent of the last one ("developed and published by Y"), in a noun phrase or a passive clause.
docs/extraction.md lists the patterns.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from spacy.tokens import Doc, Span, Token

from kgbuild.extract.clauses import SUBJECT_DEPS, SpanTriple, phrase
from kgbuild.extract.nominal import PLACE_LABELS, VALUE_LABELS, _Names, _score, doc_text_before

#: Starting confidence of the work patterns.
WORK_CONFIDENCE = 0.7
#: The entity label of creative works, whose classes' head nouns are work nouns.
WORK_LABEL = "WORK_OF_ART"
#: Entity labels of those who make a work (people, bands, studios, publishers).
MAKER_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE", "FAC", "PRODUCT", "WORK_OF_ART", ""})
#: Prepositions of a participle whose object is read with the verb ("released on DATE", "released for the PS2").
WORK_MARKERS = frozenset({"by", "in", "on", "for", "through", "under", "to"})


def _work_triple(subject: Span, relation: Sequence[Token], lemma: str, obj: Span, penalty: float = 0.0) -> SpanTriple:
    """Make a work triple with a clause-like lemma."""
    score = round(max(0.01, _score("work_year", subject.sent, penalty) + WORK_CONFIDENCE - 0.6), 2)
    return SpanTriple(subject, sorted(relation, key=lambda t: t.i), obj, [], False, "", "work", score, "", lemma)


def work_noun_lemma(noun: Token, work_nouns: frozenset[str]) -> str:
    """Return the work noun a token heads ("album", "video game"), or "" when it heads none."""
    # The tagger takes "single" for an adjective where it heads a phrase ("a 1967 single credited to").
    if noun.pos_ != "NOUN" and not (noun.pos_ == "ADJ" and noun.dep_ in {"attr", "appos", "dobj", "pobj"}):
        return ""
    lemma = noun.lemma_.casefold()
    if noun.i > 0:
        two = f"{noun.doc[noun.i - 1].lower_} {lemma}"
        if two in work_nouns:
            return two
    return lemma if lemma in work_nouns else ""


def _name_of(token: Token, names: _Names) -> Span | None:
    """Return the name a phrase's head stands for: the name itself, or the name a description sets off ("the writer X")."""
    if token.pos_ == "PROPN" or names.entity[token.i] is not None:
        name = names.name(token)
        if name is not None and len(name) > 1 and name[-1].tag_ == "POS":
            name = name[:-1]
        return name
    if token.pos_ == "NOUN":
        # "artist and songwriter Kylie Ross": the name may hang off a coordinated title.
        queue = [token]
        while queue:
            for child in queue.pop(0).children:
                if child.dep_ in {"appos", "compound"} and child.pos_ == "PROPN" and child.i > token.i:
                    return names.name(child)
                if child.dep_ == "conj" and child.pos_ == "PROPN":
                    return names.name(child)
                if child.dep_ == "conj" and child.pos_ == "NOUN":
                    queue.append(child)
    return None


def _maker(token: Token, names: _Names) -> Span | None:
    """Return the name of a work's maker at ``token``, or None when it names no maker (a value, a place)."""
    name = _name_of(token, names)
    if name is None or not len(name) or names.label(name) not in MAKER_LABELS:
        return None
    return name


def _quoted(token: Token) -> Span | None:
    """Return the quoted title a phrase's head is part of ("\"Your Side\" is a song"), or None."""
    doc = token.doc
    start, end = token.left_edge.i, token.right_edge.i + 1
    if start > 0 and end < len(doc) and doc[start].is_quote and not doc[end - 1].is_quote:
        start += 1
    if end < len(doc) and doc[end - 1].is_quote:
        end -= 1
    if start < 1 or end >= len(doc) or start >= end or not doc[start - 1].is_quote or not doc[end].is_quote:
        return None
    return doc[start:end]


def _work_name(noun: Token, names: _Names) -> Span | None:
    """Return the name a work noun describes: "X is a novel", "X, a novel", "the novel X", "her album, X"."""
    name = names.described(noun)
    if name is not None:
        # "directed by Paul Moss, the episode aired ...": the parse may hang the work on its maker.
        return None if name.root.dep_ == "pobj" and name.root.head.lower_ == "by" else name
    if noun.dep_ == "attr" and noun.head.lemma_ == "be":
        subject = next((c for c in noun.head.children if c.dep_ in SUBJECT_DEPS), None)
        if subject is not None and subject.i < noun.i:
            quoted = _quoted(subject)
            if quoted is not None:
                return quoted
    for child in noun.rights:
        if child.dep_ == "appos" and (child.pos_ == "PROPN" or names.entity[child.i] is not None):
            found = names.name(child)
            if found is not None and names.label(found) not in VALUE_LABELS:
                return found
    return None


def _participles(noun: Token) -> list[list[Token]]:
    """Return the chains of coordinated past participles that modify a noun ("developed and published by")."""
    chains = []
    for child in noun.children:
        # The tagger takes some participles for past tenses ("a game developed by"); the parse keeps them modifiers.
        if child.dep_ == "acl" and child.tag_ in {"VBN", "VBD"}:
            chains.append(_conjoined(child))
    return chains


def _conjoined(verb: Token) -> list[Token]:
    """Return a past participle and the past participles coordinated with it, in order."""
    chain = [verb]
    queue = [verb]
    while queue:
        for child in queue.pop(0).children:
            if child.dep_ == "conj" and child.tag_ == "VBN":
                chain.append(child)
                queue.append(child)
    return sorted(chain, key=lambda t: t.i)


def _as_preps(verb: Token) -> list[Token]:
    """Return the prepositions the parse hangs on a verb's "as" complement that belong to the verb.

    "released as the second single [on 27 May] [by Crest Records]": the date and the label are the release's.
    """
    found = []
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ == "as":
            for noun in prep.children:
                if noun.dep_ == "pobj":
                    found.extend(c for c in noun.children if c.dep_ == "prep" and c.lower_ in WORK_MARKERS)
    return found


def _verb_preps(verb: Token) -> list[Token]:
    """Return a verb's prepositions and agent, with those of its "as" complement."""
    return [c for c in verb.children if c.dep_ in {"prep", "agent"}] + _as_preps(verb)


def _agents(verb: Token, names: _Names) -> list[Span]:
    """Return the by-agents of a participle ("developed [primarily] by Y", "released as a single by Y and Z")."""
    for child in _verb_preps(verb):
        if child.dep_ in {"agent", "prep"} and child.lower_ == "by":
            return [m for m in (_maker(obj, names) for obj in _objects(child)) if m is not None]
    return []


def _objects(prep: Token) -> list[Token]:
    """Return a preposition's object and the objects coordinated with it."""
    obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
    if obj is None:
        return []
    found = [obj]
    queue = [obj]
    while queue:
        for child in queue.pop(0).children:
            if child.dep_ == "conj":
                found.append(child)
                queue.append(child)
    return found


def _date(token: Token, names: _Names) -> Span | None:
    """Return the date entity a preposition's object is part of ("on 5 May 2009", "in 1988")."""
    ent = names.entity[token.i]
    if ent is None or ent.label_ != "DATE" or not any(t.like_num for t in ent):
        return None
    return Span(token.doc, ent.start, ent.end, label="DATE")


def _label(token: Token, names: _Names) -> tuple[Span, Token | None] | None:
    """Return the name a release's "on" or "through" object stands for, with the noun that describes it.

    "on the Atlantic label" -> (Atlantic, label); "on independent label Factory" -> (Factory, label);
    "on Epic Records" -> (Epic Records, None).
    """
    if token.pos_ == "NOUN":
        name = next((names.name(c) for c in token.children if c.dep_ in {"compound", "appos"} and c.pos_ == "PROPN"),
                    None)
        return None if name is None or names.label(name) in VALUE_LABELS | PLACE_LABELS else (name, token)
    name = _maker(token, names)
    if name is None or names.label(name) in PLACE_LABELS:
        return None
    noun = next((c for c in token.children if c.dep_ == "compound" and c.pos_ == "NOUN"), None)
    return name, noun


def _labelled(work: Span, relation: list[Token], lemma: str, found: tuple[Span, Token | None]) -> Iterator[SpanTriple]:
    """Yield the work's release on a label, and the label as the noun describes it ("Factory be label")."""
    name, noun = found
    yield _work_triple(work, relation, lemma, name)
    if noun is not None:
        yield _work_triple(name, [], "be", noun.doc[noun.i : noun.i + 1])


def participle_triples(work: Span, verbs: list[Token], names: _Names) -> Iterator[SpanTriple]:
    """Yield what a chain of participles says of a work: makers ("be V by"), dates, labels and platforms.

    A participle without an agent of its own takes the agent of a later one in the chain: "written and
    performed by Y" says that Y wrote it.
    """
    shared: list[Span] = []
    for verb in reversed(verbs):
        agents = _agents(verb, names)
        if agents:
            shared = agents
        elif shared and not any(c.dep_ in {"dobj", "prep", "agent"} and c.i > verb.i
                                for c in verb.children if c.i < shared[0].start):
            agents = shared
        verb_lemma = verb.lemma_.casefold()
        for agent in agents:
            if not work.start <= agent.start < work.end:
                yield _work_triple(work, [verb], f"be {verb_lemma} by", agent)
        for prep in _verb_preps(verb):
            if prep.dep_ != "prep" or prep.lower_ not in WORK_MARKERS or prep.lower_ == "by":
                continue
            lemma = f"be {verb_lemma} {prep.lower_}"
            for obj in _objects(prep):
                target = _date(obj, names) if prep.lower_ in {"in", "on"} else None
                if target is not None:
                    yield _work_triple(work, [verb, prep], lemma, target)
                    continue
                if prep.lower_ in {"on", "through"}:
                    label = _label(obj, names)
                    if label is not None:
                        yield from _labelled(work, [verb, prep], lemma, label)
                    continue
                target = _maker(obj, names) if obj.pos_ in {"PROPN", "NOUN"} else None
                # "released in Japan" says where, which no work property states.
                if target is not None and not (names.label(target) in PLACE_LABELS and prep.lower_ == "in"):
                    yield _work_triple(work, [verb, prep], lemma, target)


def _verb_object(noun: Token, work: Span, names: _Names) -> Iterator[SpanTriple]:
    """Yield (S, "V", W) and (S, "V P", W) for a verb whose object is a work's phrase: the name, not the noun.

    "He directed the film Thira", "Nala is a character who appears in the 2009 film The Moon": the
    phrase around the work noun ("Walt Disney Pictures' 49th animated feature film The Moon") is no
    name, so the clause rules' object does not resolve to the work.
    """
    if work.start < noun.i:
        # "X is a film": the clause rules read the copula.
        return
    if noun.dep_ == "dobj":
        verb, words = noun.head, [noun.head]
    elif noun.dep_ == "pobj" and noun.head.head.pos_ == "VERB":
        verb, words = noun.head.head, [noun.head.head, noun.head]
    else:
        return
    if verb.tag_ == "VBN" and verb.dep_ in {"acl", "amod"}:
        return
    subject = next((c for c in verb.children if c.dep_ == "nsubj" and c.tag_ not in {"WP", "WDT"}), None)
    if subject is not None:
        doer = _name_of(subject, names) or phrase(subject)
    elif verb.dep_ == "relcl" and verb.head.pos_ in {"NOUN", "PROPN"}:
        doer = names.described(verb.head) if verb.head.pos_ == "NOUN" else names.name(verb.head)
    else:
        return
    if doer is None or doer.start <= noun.i < doer.end:
        return
    lemma = " ".join(t.lemma_.casefold() if t.i == verb.i else t.lower_ for t in words)
    yield _work_triple(doer, words, lemma, work)


def work_phrase(noun: Token, lemma: str, names: _Names) -> Iterator[SpanTriple]:
    """Yield the relations a work noun's phrase states of the work it describes."""
    work = _work_name(noun, names)
    if work is None or names.label(work) in VALUE_LABELS:
        return
    head = lemma.split()[-1]
    # "X, a novel by Y" and "the novel X by Y" (the parse attaches "by" to the name).
    by_children = [c for c in noun.children if c.i > noun.i]
    if work.root.i > noun.i:
        by_children.extend(c for c in work.root.children if c.i >= work.end)
    for child in by_children:
        if child.dep_ == "prep" and child.lower_ == "by":
            for obj in _objects(child):
                maker = _maker(obj, names)
                if maker is not None and not (work.start <= maker.start < work.end):
                    yield _work_triple(work, [noun, child], f"be {head} by", maker)
    for child in noun.children:
        if child.dep_ == "compound" and child.pos_ == "PROPN" and child.i < noun.i:
            # "the 1972 Atari arcade game Pong", "the Beatles song X": a maker's name before the noun.
            maker = _maker(child, names)
            if maker is not None and names.label(maker) in {"PERSON", "ORG"} and maker.end <= noun.i \
                    and not (work.start <= maker.start < work.end) and work.start > noun.i:
                yield _work_triple(work, [noun], f"be {head} by", maker)
        if child.dep_ == "poss" and child.tag_ == "PRP$" and noun.dep_ != "attr" and work.start > noun.i \
                and doc_text_before(work) == ",":
            # "her third studio album, Harbor": coreference names the owner (without the comma the title rule reads it).
            yield _work_triple(work, [noun], f"be {head} of", noun.doc[child.i : child.i + 1])
        if child.dep_ == "poss" and (child.pos_ == "PROPN" or names.entity[child.i] is not None):
            # "Y's 1963 children's book X", "Y's novel, X".
            owner = _maker(child, names)
            if owner is not None and names.label(owner) in {"PERSON", "ORG"} and owner.end <= noun.i \
                    and not (work.start <= owner.start < work.end) and noun.dep_ != "attr":
                yield _work_triple(work, [noun], f"be {head} of", owner)
    for chain in _participles(noun):
        yield from participle_triples(work, chain, names)
    if work.start > noun.i:
        # "the 2009 film X": the noun says what X is, whatever the tagger made of the name.
        yield _work_triple(work, [], "be", noun.doc[noun.i : noun.i + 1])
    yield from _verb_object(noun, work, names)
    prep = noun.head
    if noun.dep_ == "pobj" and prep.head.pos_ == "NOUN" and prep.head.i < prep.i:
        # "X is a character in the novel W": the relation noun's object is the work's name, not the noun.
        described = names.described(prep.head)
        if described is not None and not (described.start <= work.start < described.end):
            yield _work_triple(described, [prep.head, prep], f"be {prep.head.lemma_.casefold()} {prep.lower_}", work)


def quoted_by(ent: Span, names: _Names) -> Iterator[SpanTriple]:
    """Yield (W, "be credit to", Y) for a quoted title followed by its maker: "\"Night Rain\" by Tom Lane"."""
    doc = ent.doc
    after = ent.end + 1
    if ent.start < 1 or after + 1 >= len(doc) or not doc[ent.start - 1].is_quote or not doc[ent.end].is_quote \
            or doc[after].lower_ != "by":
        return
    maker = names.name(doc[after + 1])
    if maker is not None and maker.start == after + 1 and names.label(maker) in {"PERSON", "ORG"}:
        yield _work_triple(ent, [doc[after]], "be credit to", maker)


def possessive_work(ent: Span, names: _Names) -> Iterator[SpanTriple]:
    """Yield (W, "be credit to", Y) for a work's title after a person's possessive: "Y's The Water Garden"."""
    doc = ent.doc
    marker = ent.start - 1
    if marker > 0 and doc[marker].lower_ == "the":
        marker -= 1
    if marker < 1 or doc[marker].tag_ != "POS":
        return
    owner = names.name(doc[marker - 1])
    if owner is not None and names.label(owner) == "PERSON" and owner.end == marker:
        yield _work_triple(ent, [doc[marker]], "be credit to", owner)


#: Entity labels the tagger gives titles of works that the ``work_years`` rule of nominal.py does not read.
TITLE_LABELS = frozenset({"PERSON", "GPE", "LOC", "FAC", "NORP", "EVENT"})


def _whole_name(name: Span, names: _Names) -> Span:
    """Return a name with the proper nouns the parse hangs on its head ("X-Men Legends" from "X")."""
    end = name.end
    while end < len(name.doc) and name.doc[end].pos_ == "PROPN" and names.entity[end] in (None, names.entity[name.start]):
        end += 1
    return name.doc[name.start : end]


def titled_years(names: _Names, nouns: dict[int, list[Token]]) -> Iterator[SpanTriple]:
    """Yield (T, "be", N) and (T, "be release in", Y) for "T (Y)" in a sentence about works of kind N.

    The tagger often takes a title for a person or a place ("her album Duty (2000)", "his debut in the
    film Harvest (2006)"); the sentence's nearest singular work noun says what it is. ``nouns`` are the
    work nouns of the doc by the start of their sentence.
    """
    doc = names.doc
    for token in doc:
        if token.text == "(" and 0 < token.i < len(doc) - 2 and doc[token.i + 2].text == ")":
            # "Night Lights (2004)"
            year, ent = doc[token.i + 1], names.name(doc[token.i - 1])
            if ent is None or ent.end != token.i:
                continue
        elif token.tag_ == "POS" and 0 < token.i < len(doc) - 1:
            # "2004's Night Lights"
            year, ent = doc[token.i - 1], names.name(doc[token.i + 1])
            if ent is None or ent.start != token.i + 1:
                continue
            ent = _whole_name(ent, names)
        else:
            continue
        if not (year.is_digit and len(year.text) == 4):
            continue
        kinds = [n for n in nouns.get(token.sent.start, ()) if not ent.start <= n.i < ent.end and n.tag_ == "NN"]
        if not kinds:
            continue
        kind = min(kinds, key=lambda n: abs(n.i - ent.start))
        yield _work_triple(ent, [], "be", doc[kind.i : kind.i + 1])
        if names.label(ent) in TITLE_LABELS or token.tag_ == "POS":
            # nominal.work_years reads the others.
            yield _work_triple(ent, [], "be release in", Span(doc, year.i, year.i + 1, label="DATE"))


def dated_object(verb: Token, works: dict[int, Span], names: _Names) -> Iterator[SpanTriple]:
    """Yield (W, "be V in", D) for "the band released its second album W in 1996": a verb's work object and date."""
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if obj is None:
        return
    work = works.get(obj.i)
    if work is None and (names.entity[obj.i] is not None and names.entity[obj.i].label_ == WORK_LABEL):
        work = names.entity[obj.i]
    if work is None:
        return
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ in {"in", "on", "through"} and prep.i > obj.i:
            lemma = f"be {verb.lemma_.casefold()} {prep.lower_}"
            for target_token in _objects(prep):
                date = _date(target_token, names) if prep.lower_ != "through" else None
                if date is not None:
                    yield _work_triple(work, [verb, prep], lemma, date)
                elif prep.lower_ != "in":
                    # "released W in 1979 on the independent label Factory".
                    label = _label(target_token, names)
                    if label is not None:
                        yield from _labelled(work, [verb, prep], lemma, label)


def passive_chain(verb: Token, names: _Names) -> Iterator[SpanTriple]:
    """Yield (S, "be V by", Y) for each participle of "S was written and produced by Y", and what the parse hangs
    on an "as" complement ("S was released as a single on DATE by LABEL")."""
    if verb.tag_ != "VBN" or verb.dep_ == "conj" or not any(c.dep_ == "auxpass" for c in verb.children):
        return
    chain = _conjoined(verb)
    single = len(chain) < 2
    if single and not _as_preps(verb):
        return
    subject = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
    if subject is None or subject.pos_ == "PRON" and subject.lower_ not in {"it", "they"}:
        return
    written = _name_of(subject, names) or phrase(subject)
    for triple in participle_triples(written, chain, names):
        # The clause rules read the verb's own arguments; a chain's earlier verbs lack the agent.
        if single or triple.lemma.endswith(" by"):
            yield triple


def work_triples(doc: Doc, work_nouns: frozenset[str]) -> list[SpanTriple]:
    """Find the relations of creative works in a parsed doc; ``work_nouns`` are head nouns of works."""
    found: list[SpanTriple] = []
    if not work_nouns:
        return found
    names = _Names(doc)
    for ent in doc.ents:
        if ent.label_ == WORK_LABEL:
            found.extend(possessive_work(ent, names))
        if ent.label_ not in VALUE_LABELS:
            found.extend(quoted_by(ent, names))
    nouns: dict[int, list[Token]] = {}
    works: dict[int, Span] = {}
    for token in doc:
        lemma = work_noun_lemma(token, work_nouns)
        if lemma:
            nouns.setdefault(token.sent.start, []).append(token)
            work = _work_name(token, names)
            if work is not None:
                # The phrase the noun heads stands for the work: "its second album W" as an object.
                works[token.i] = work
            found.extend(work_phrase(token, lemma, names))
        elif token.tag_ == "VBN":
            found.extend(passive_chain(token, names))
    for token in doc:
        if token.pos_ == "VERB" and token.tag_ != "VBN":
            found.extend(dated_object(token, works, names))
    if nouns:
        found.extend(titled_years(names, nouns))
    # Two rules may read one statement ("her album, Harbor (2011)" types Harbor twice).
    unique = {(t.subject.start, t.subject.end, t.lemma, t.object.start, t.object.end): t for t in reversed(found)
              if t.object is not None}
    return [t for t in found if t.object is not None
            and unique[(t.subject.start, t.subject.end, t.lemma, t.object.start, t.object.end)] is t]
