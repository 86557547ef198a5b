"""Tests for normalization: entity resolution, relation mapping, qualifiers and IRIs."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgbuild.extract.types import Argument, Extraction, Mention, TextSpan, Triple
from kgbuild.normalize import Entity, Value, clean_phrase, entity_mentions, normalize, parse_date, slug
from kgbuild.ontology import load_ontology
from kgbuild.sources import make_article
from kgbuild.vocab import DEFAULT_BASE_IRI, KGO, WD, XSD

ENTITY = DEFAULT_BASE_IRI + "entity/"
CONCEPT = DEFAULT_BASE_IRI + "concept/"


def span(text: str, phrase: str, head: str = "", label: str = "", nth: int = 0) -> TextSpan:
    """Return the span of the nth occurrence of ``phrase`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return TextSpan(phrase, start, start + len(phrase), head, label)


def triple(text: str, subject: TextSpan, relation: str, lemma: str, obj: TextSpan | None,
           arguments: tuple[Argument, ...] = (), **kwargs: object) -> Triple:
    return Triple(subject, span(text, relation), lemma, obj, TextSpan(text, 0, len(text)), 0.9, arguments,
                  **kwargs)


RESTRICT = "In response, the U.S. has imposed export restrictions on advanced AI chips to China in January 2025."


def restrict_extraction() -> Extraction:
    text = RESTRICT
    t = triple(text, span(text, "the U.S.", "U.S.", "GPE"), "has imposed export restrictions on",
               "impose export restriction on", span(text, "advanced AI chips", "chip"),
               (Argument(span(text, "China", "China", "GPE"), "to"),
                Argument(span(text, "January 2025", "January", "DATE"), "in")))
    return Extraction(make_article(text), 1, (t,))


def test_export_restriction_becomes_restricts_with_qualifiers(ontology) -> None:
    (fact,) = normalize(restrict_extraction(), ontology)
    assert fact.subject.iri == ENTITY + "United_States"
    assert fact.subject.same_as == (str(WD.Q30),)
    assert fact.predicate.iri == str(KGO.restricts) and not fact.predicate.open
    assert fact.object == Entity(CONCEPT + "advanced_AI_chips", "advanced AI chips",
                                 (str(KGO.Concept), str(KGO.Chip)), "concept", head="chip")
    qualifiers = {q.property: q.value for q in fact.qualifiers}
    assert qualifiers[str(KGO.recipient)].iri == ENTITY + "China"
    assert qualifiers[str(KGO.qualifier)] == Value("export")
    assert qualifiers[str(KGO.date)] == Value("2025-01", str(XSD.gYearMonth))
    assert fact.evidence.sentence == RESTRICT and fact.asserted


def test_light_verb_with_nominal_object_and_on_argument(ontology) -> None:
    text = "Washington tightened export controls on Nvidia chips."
    t = triple(text, span(text, "Washington", "Washington", "GPE"), "tightened", "tighten",
               span(text, "export controls", "control"), (Argument(span(text, "Nvidia chips", "chip"), "on"),))
    (fact,) = normalize(Extraction(make_article(text), 1, (t,)), ontology)
    assert fact.subject.iri == ENTITY + "United_States"
    assert fact.predicate.iri == str(KGO.restricts)
    assert fact.object.label == "Nvidia chips"
    assert Value("export") in [q.value for q in fact.qualifiers]


@pytest.mark.parametrize("name", ["the United States", "U.S.", "US", "America", "the U.S.", "United States'"])
def test_aliases_of_the_united_states_are_one_node(ontology, name: str) -> None:
    text = f"{name} sanctioned Huawei."
    t = triple(text, span(text, name, name.split()[-1], "GPE"), "sanctioned", "sanction",
               span(text, "Huawei", "Huawei", "ORG"))
    (fact,) = normalize(Extraction(make_article(text), 1, (t,)), ontology)
    assert fact.subject.iri == ENTITY + "United_States"
    assert fact.object.iri == ENTITY + "Huawei" and fact.object.classes == (str(KGO.Company),)


def test_capital_is_the_government_as_actor_but_a_city_as_place(ontology) -> None:
    text = "Beijing hosted talks in Beijing."
    t = triple(text, span(text, "Beijing", "Beijing", "GPE"), "hosted", "host", span(text, "talks", "talk"),
               (Argument(span(text, "Beijing", "Beijing", "GPE", nth=1), "in"),))
    (fact,) = normalize(Extraction(make_article(text), 1, (t,)), ontology)
    assert fact.subject.iri == ENTITY + "China"
    (place,) = [q.value for q in fact.qualifiers if q.property == str(KGO.place)]
    assert place.iri == ENTITY + "Beijing"


def test_passive_trigger_swaps_subject_and_object(ontology) -> None:
    text = "The summit was attended by Tesla."
    t = triple(text, span(text, "The summit", "summit"), "was attended by", "be attend by",
               span(text, "Tesla", "Tesla", "ORG"))
    facts = normalize(Extraction(make_article(text), 1, (t,)), ontology)
    (fact,) = [f for f in facts if f.predicate.iri == str(KGO.attends)]
    assert (fact.subject.iri, fact.predicate.iri, fact.object.label) == (ENTITY + "Tesla", str(KGO.attends), "summit")


def test_unknown_relation_is_kept_as_open_relation(ontology) -> None:
    text = "Tesla whistled a tune about Amazon."
    t = triple(text, span(text, "Tesla", "Tesla", "ORG"), "whistled", "whistle", span(text, "a tune", "tune"))
    (fact,) = normalize(Extraction(make_article(text), 1, (t,)), ontology)
    assert fact.predicate.open
    assert fact.predicate.iri == DEFAULT_BASE_IRI + "relation/whistle"
    # The IRI comes from the lemmas; the label is the relation as a reader would say it.
    assert fact.predicate.label == "whistled"


def test_negated_and_hypothetical_facts_keep_their_marking(ontology) -> None:
    text = "China did not ban Tesla and could ban Amazon."
    negated = triple(text, span(text, "China", "China", "GPE"), "did not ban", "ban",
                     span(text, "Tesla", "Tesla", "ORG"), negated=True)
    modal = triple(text, span(text, "China", "China", "GPE"), "could ban", "ban",
                   span(text, "Amazon", "Amazon", "ORG"), modality="could")
    facts = normalize(Extraction(make_article(text), 1, (negated, modal)), ontology)
    assert sorted((f.object.label, f.negated, f.modality, f.asserted) for f in facts) == [
        ("Amazon", False, "could", False), ("Tesla", True, "", False)]


def test_coreference_resolves_definite_description_to_its_antecedent(ontology) -> None:
    text = "Nvidia CEO Jensen Huang said the company would sell chips."
    nvidia = Mention(span(text, "Nvidia", "Nvidia", "ORG"), "ORG")
    company = Mention(span(text, "the company", "company"), "", antecedent=0)
    t = triple(text, span(text, "the company", "company"), "would sell", "sell", span(text, "chips", "chip"))
    extraction = Extraction(make_article(text), 1, (t,), (nvidia, company))
    (fact,) = normalize(extraction, ontology)
    assert fact.subject.iri == ENTITY + "Nvidia"
    # "the company" is a description of Nvidia, not another of its names.
    assert "company" not in fact.subject.aliases


def test_unresolved_pronoun_is_left_out(ontology) -> None:
    text = "It sold chips."
    t = triple(text, span(text, "It", "it"), "sold", "sell", span(text, "chips", "chip"))
    assert normalize(Extraction(make_article(text), 1, (t,)), ontology) == ()


@pytest.mark.parametrize(("text", "names", "subject", "expected"), [
    ("Chinese tech giant Huawei develops chips.", [("Chinese", "NORP"), ("Huawei", "ORG")],
     ("Chinese tech giant Huawei", "Huawei"), "Huawei"),
    # An abbreviation in parentheses does not name the phrase; the parse may cut the span inside
    # the parenthesis, as spaCy's does here.
    ("British American Tobacco (BAT) develops chips.", [("British American Tobacco", "ORG"), ("BAT", "ORG")],
     ("British American Tobacco (BAT", "BAT"), "British_American_Tobacco"),
])
def test_the_named_entity_that_ends_a_phrase_is_its_referent(ontology, text: str, names: list[tuple[str, str]],
                                                             subject: tuple[str, str], expected: str) -> None:
    mentions = tuple(Mention(span(text, name, name.split()[-1], label), label) for name, label in names)
    t = triple(text, span(text, *subject, "ORG"), "develops", "develop", span(text, "chips", "chip"))
    (fact,) = [f for f in normalize(Extraction(make_article(text), 1, (t,), mentions), ontology)
               if f.predicate.iri == str(KGO.develops)]
    assert fact.subject.iri == ENTITY + expected
    assert fact.subject.label == expected.replace("_", " ")


@pytest.mark.parametrize("name", ["Reynolds American", "Anglo American"])
def test_a_name_ending_in_a_demonym_is_not_the_country(ontology, name: str) -> None:
    text = f"{name} raised its prices."
    t = triple(text, span(text, name, name.split()[-1], "ORG"), "raised", "raise", span(text, "its prices", "price"))
    (fact,) = normalize(Extraction(make_article(text), 1, (t,)), ontology)
    assert fact.subject.iri == ENTITY + name.replace(" ", "_")


@pytest.mark.parametrize(("pattern", "complement", "head", "property"), [
    ("attribute", "fair", "fair", KGO.hasQuality), ("copula", "a fair offer", "offer", KGO.isA),
])
def test_a_quality_is_not_a_class(ontology, pattern: str, complement: str, head: str, property) -> None:
    text = f"The deal was {complement}."
    t = triple(text, span(text, "The deal", "deal"), "was", "be", span(text, complement, head), pattern=pattern)
    (fact,) = normalize(Extraction(make_article(text), 1, (t,)), ontology)
    assert fact.predicate.iri == str(property)
    assert fact.evidence.pattern == pattern


def test_unknown_named_entity_is_typed_from_ner_and_head(ontology) -> None:
    text = "The Global AI Summit was held in Paris."
    t = triple(text, span(text, "The Global AI Summit", "Summit", "EVENT"), "was held in", "be hold in",
               span(text, "Paris", "Paris", "GPE"))
    (fact,) = [f for f in normalize(Extraction(make_article(text), 1, (t,)), ontology) if f.predicate.iri == str(KGO.heldIn)]
    assert fact.subject.iri == ENTITY + "Global_AI_Summit"
    assert fact.subject.classes == (str(KGO.Event),)
    assert fact.predicate.iri == str(KGO.heldIn)


def test_same_thing_in_two_articles_gets_the_same_iri(ontology) -> None:
    first = restrict_extraction()
    text = "America restricted advanced AI chips."
    t = triple(text, span(text, "America", "America", "GPE"), "restricted", "restrict",
               span(text, "advanced AI chips", "chip"))
    (a,) = normalize(first, ontology)
    (b,) = normalize(Extraction(make_article(text), 1, (t,)), ontology)
    assert (a.subject.iri, a.object.iri) == (b.subject.iri, b.object.iri)


def test_base_iri_is_used_for_minted_iris(ontology) -> None:
    (fact,) = normalize(restrict_extraction(), ontology, "http://example.org/kg/")
    assert fact.subject.iri == "http://example.org/kg/entity/United_States"


def test_normalize_is_deterministic(ontology) -> None:
    assert normalize(restrict_extraction(), ontology) == normalize(restrict_extraction(), ontology)


@pytest.mark.parametrize(("text", "expected"), [
    ("the U.S.", "U.S."), ("Nvidia's", "Nvidia"), ("“World AI Conference,”", "World AI Conference"),
    ("its older H20 chips", "older H20 chips"), ("countries'", "countries"),
    ("British American Tobacco (BAT)", "British American Tobacco"), ("the Commerce Department (DOC",
                                                                     "Commerce Department"),
])
def test_clean_phrase(text: str, expected: str) -> None:
    assert clean_phrase(text) == expected


def test_slug_is_readable_and_safe() -> None:
    assert slug("advanced AI chips") == "advanced_AI_chips"
    assert slug("Washington, D.C.") == "Washington,_D.C."
    assert slug('a "b"/c') == "a_%22b%22%2Fc"


@pytest.mark.parametrize(("text", "value", "datatype"), [
    ("January 2025", "2025-01", XSD.gYearMonth), ("July 28, 2025", "2025-07-28", XSD.date),
    ("2024", "2024", XSD.gYear), ("this weekend", "this weekend", XSD.string),
])
def test_parse_date(text: str, value: str, datatype: str) -> None:
    assert parse_date(text) == Value(value, str(datatype))


def test_description_gives_an_unknown_name_its_class(ontology) -> None:
    text = "Deepseek is a Chinese AI company. Deepseek released a model."
    isa = triple(text, span(text, "Deepseek", "Deepseek", "ORG"), "is", "be",
                 span(text, "a Chinese AI company", "company"))
    released = triple(text, span(text, "Deepseek", "Deepseek", "ORG", nth=1), "released", "release",
                      span(text, "a model", "model"))
    facts = normalize(Extraction(make_article(text), 2, (isa, released)), ontology)
    assert {f.subject.classes for f in facts} == {(str(KGO.Company),)}


def test_amount_inside_a_phrase_is_a_qualifier(ontology) -> None:
    text = "The U.S. launched the $500 billion Project Stargate."
    mentions = (Mention(span(text, "U.S.", "U.S.", "GPE"), "GPE"),
                Mention(span(text, "$500 billion", "billion", "MONEY"), "MONEY"),
                Mention(span(text, "Project Stargate", "Stargate", "ORG"), "ORG"))
    t = triple(text, span(text, "The U.S.", "U.S.", "GPE"), "launched", "launch",
               span(text, "the $500 billion Project Stargate", "Stargate", "ORG"))
    (fact,) = [f for f in normalize(Extraction(make_article(text), 1, (t,), mentions), ontology)
               if f.predicate.iri == str(KGO.launches)]
    assert fact.object.label == "Project Stargate"
    values = {q.property: q.value for q in fact.qualifiers}
    assert values[str(KGO.amount)] == Value("$500 billion")
    assert values[str(KGO.amountValue)] == Value("500000000000", str(XSD.decimal))
    assert values[str(KGO.currency)] == Value("USD")


# ---------------------------------------------------------------- resolution within an article, noise

NEWS = Path(__file__).resolve().parent / "data" / "news"


@pytest.fixture(scope="module")
def nlp():
    from kgbuild.extract import load_pipeline

    return load_pipeline()


def news_facts(nlp, ontology, name: str):
    from kgbuild.extract import extract_doc

    article = make_article((NEWS / name).read_text(encoding="utf-8"))
    return normalize(extract_doc(nlp(article.text), article), ontology)


def nodes_of(facts) -> dict[str, Entity]:
    found = {}
    for fact in facts:
        for term in (fact.subject, fact.object, *(q.value for q in fact.qualifiers)):
            if isinstance(term, Entity):
                found[term.iri] = term
    return found


@pytest.mark.parametrize(("name", "label", "forms"), [
    ("regulator-fines-lender.txt", "Helen Carter", {"Helen Carter", "Ms Carter", "Carter"}),
    ("regulator-fines-lender.txt", "Mark Ellison", {"Mark Ellison", "Mr Ellison", "Ellison"}),
    ("regulator-fines-lender.txt", "North Bridge Capital",
     {"NorthBridge Capital", "North Bridge Capital", "NORTHBRIDGE CAPITAL"}),
    ("regulator-fines-lender.txt", "UK Financial Conduct Authority", {"Financial Conduct Authority", "FCA"}),
    ("chipmaker-ceo-probe.txt", "Daniel Okafor", {"Daniel Okafor", "Mr Okafor", "Okafor"}),
    ("chipmaker-ceo-probe.txt", "Kestrel Systems", {"Kestrel Systems", "Kestrel"}),
    ("chipmaker-ceo-probe.txt", "US Federal Trade Commission",
     {"US Federal Trade Commission", "Federal Trade Commission", "FTC"}),
    # The bare surname is the man named in full before it, not his brother named in full after it.
    ("opposition-leader-arrested.txt", "David Mwangi", {"David Mwangi", "Mwangi"}),
    ("opposition-leader-arrested.txt", "Democratic Alliance", {"Democratic Alliance", "Democratic Alliance party"}),
])
def test_one_node_per_real_thing_in_an_unseen_article(nlp, ontology, name: str, label: str, forms: set[str]) -> None:
    nodes = nodes_of(news_facts(nlp, ontology, name))
    named = [e for e in nodes.values() if {e.label, *e.aliases} & forms]
    assert [e.label for e in named] == [label]
    assert named[0].iri == ENTITY + slug(label)
    assert len({named[0].label, *named[0].aliases} & forms) >= 2


def test_a_description_takes_the_name_of_the_sentence_before_over_an_older_better_typed_one(nlp, ontology) -> None:
    # "... said Guillaume Faury, the chief executive of Airbus. The company, which is based in Leiden":
    # Airbus, typed only as an organization, not Boeing, a company of the gazetteer two sentences back.
    facts = news_facts(nlp, ontology, "planemaker-hires-engineer.txt")
    based = {(f.subject.label, f.object.label) for f in facts if f.predicate.iri == str(KGO.headquartersLocation)}
    assert based == {("Airbus", "Leiden")}


def test_a_relative_with_the_same_surname_stays_apart(nlp, ontology) -> None:
    nodes = nodes_of(news_facts(nlp, ontology, "opposition-leader-arrested.txt"))
    mwangis = sorted((e.label, e.aliases) for e in nodes.values() if "Mwangi" in e.label)
    assert mwangis == [("David Mwangi", ("Mwangi",)), ("Peter Mwangi", ())]


def test_definite_descriptions_pick_the_nearest_name_of_their_class(nlp, ontology) -> None:
    facts = news_facts(nlp, ontology, "regulator-fines-lender.txt")
    # "the authority would publish its review": the regulator, not the lender named just before.
    assert any(f.subject.label == "UK Financial Conduct Authority" and "review" in f.object.label for f in facts)
    # "Carter, who joined the company": the lender, not the regulator.
    joined = [f for f in facts if f.evidence.sentence.startswith("Carter, who joined")]
    assert {f.object.label for f in joined if f.subject.label == "Helen Carter"} >= {"North Bridge Capital"}


def test_no_noise_concepts_in_unseen_articles(nlp, ontology) -> None:
    for name in ("regulator-fines-lender.txt", "chipmaker-ceo-probe.txt"):
        for node in nodes_of(news_facts(nlp, ontology, name)).values():
            if node.kind != "concept":
                continue
            words = [w for w in node.label.split() if w.casefold() not in {"the", "a", "an", "of"}]
            assert len(words) <= 6, node.label
            assert node.label.casefold() not in ontology.generic_nouns, node.label
            assert ". " not in node.label


def test_a_label_stops_at_the_end_of_its_sentence() -> None:
    text = "it was unable to estimate the amount, which it previously set at $500m. It intends to adjust it"
    assert clean_phrase(text) == "it was unable to estimate the amount, which it previously set at $500m"
    assert clean_phrase("Mr. Huang of Nvidia Corp. Holdings") == "Mr. Huang of Nvidia Corp. Holdings"
    assert clean_phrase("the U.S. Treasury") == "U.S. Treasury"
    assert clean_phrase("China’s push") == "China's push"

MENTIONS_TEXT = "Chinese tech giant Huawei said the company will grow. It hired staff in Shenzhen. They left."


def mentions_extraction() -> Extraction:
    text = MENTIONS_TEXT
    mentions = (
        Mention(span(text, "Chinese", "Chinese", "NORP"), "NORP"),
        Mention(span(text, "Chinese tech giant Huawei", "Huawei", "ORG")),
        Mention(span(text, "Huawei", "Huawei", "ORG"), "ORG"),
        Mention(span(text, "the company", "company"), "", 1),
        Mention(span(text, "It", "it"), "", 3),
        Mention(span(text, "staff", "staff")),
        Mention(span(text, "Shenzhen", "Shenzhen", "GPE"), "GPE"),
        Mention(span(text, "They", "they")),
    )
    return Extraction(make_article(text), 3, (), mentions)


def test_entity_mentions_resolve_names_and_what_refers_back_to_them(ontology) -> None:
    found = entity_mentions(mentions_extraction(), ontology)
    assert [(m.entity_iri, m.start, m.end, m.text) for m in found] == [
        (ENTITY + "China", 0, 7, "Chinese"),
        # "Chinese tech giant Huawei" names Huawei too; only the shorter mention inside it is kept.
        (ENTITY + "Huawei", 19, 25, "Huawei"),
        (ENTITY + "Huawei", 31, 42, "the company"),
        (ENTITY + "Huawei", 54, 56, "It"),
        (CONCEPT + "staff", 63, 68, "staff"),
        (ENTITY + "Shenzhen", 72, 80, "Shenzhen"),
    ]  # the unresolved "They" names nothing
    for mention in found:
        assert MENTIONS_TEXT[mention.start:mention.end] == mention.text
    assert entity_mentions(mentions_extraction(), ontology, "https://example.org/kg/")[0].entity_iri == \
        "https://example.org/kg/entity/China"


def test_a_reported_clause_is_the_nested_fact_and_never_a_node(nlp, ontology) -> None:
    from kgbuild.normalize import assertion_iri

    facts = news_facts(nlp, ontology, "regulator-fines-lender.txt")
    by_iri = {assertion_iri(f): f for f in facts}
    warned = [f for f in facts if f.subject.label == "Mark Ellison" and f.statement.startswith("lenders must")]
    assert warned and all(not f.asserted and f.evidence.pattern == "report" for f in warned)
    (nested,) = [by_iri[f.object.iri] for f in warned]
    assert (nested.subject.label, nested.object.label, nested.modality) == ("lenders", "customers", "must")
    # "Some analysts said others in the sector could face similar fines": no fact can be read
    # ("others" names nothing), so the report keeps the clause as a quoted statement.
    (quoted,) = [f for f in facts if f.statement.startswith("others in the sector")]
    assert quoted.object == Value("others in the sector could face similar fines")
    assert not any(isinstance(n, Entity) and n.kind == "concept" and " could " in n.label for n in nodes_of(facts).values())


@pytest.mark.parametrize(("sentence", "subject", "obj", "holds"), [
    ("Kestrel is a chip designer.", "Kestrel", "chip designer", True),
    ("Kestrel is a battle.", "Kestrel", "battle", False),
    ("The focus is equitable access.", "focus", "equitable access", False),
    ("The deal is a fair offer.", "deal", "fair offer", True),
])
def test_is_a_holds_only_for_a_class_like_noun_phrase(ontology, sentence: str, subject: str, obj: str,
                                                      holds: bool) -> None:
    text = sentence
    label = "ORG" if subject[0].isupper() else ""
    t = triple(text, span(text, subject, subject.split()[-1], label), "is", "be",
               span(text, obj, obj.split()[-1]), pattern="copula")
    facts = normalize(Extraction(make_article(text), 1, (t,)), ontology)
    assert any(f.predicate.iri == str(KGO.isA) for f in facts) is holds


@pytest.mark.parametrize(("phrase", "head", "label"), [
    ("a lot of chips", "lot", "chips"),
    ("others", "other", None),
    ("some people", "people", None),
])
def test_generic_nouns_are_not_nodes(ontology, phrase: str, head: str, label: str | None) -> None:
    text = f"Nvidia sold {phrase}."
    chunks = (Mention(span(text, "Nvidia", "Nvidia", "ORG"), "ORG"), Mention(span(text, phrase.split(" of ")[0], head)),
              *((Mention(span(text, "chips", "chip")),) if " of " in phrase else ()))
    t = triple(text, span(text, "Nvidia", "Nvidia", "ORG"), "sold", "sell", span(text, phrase, head))
    facts = normalize(Extraction(make_article(text), 1, (t,), chunks), ontology)
    assert [f.object.label for f in facts if f.predicate.iri == str(KGO.sells)] == ([label] if label else [])


def test_both_stands_for_the_last_two_names_of_its_class(ontology) -> None:
    text = "China and the United States met in Geneva. Both countries invest in chips."
    names = (Mention(span(text, "China", "China", "GPE"), "GPE"),
             Mention(span(text, "the United States", "States", "GPE"), "GPE"),
             Mention(span(text, "Geneva", "Geneva", "GPE"), "GPE"))
    t = triple(text, span(text, "Both countries", "country"), "invest in", "invest in", span(text, "chips", "chip"))
    facts = normalize(Extraction(make_article(text), 2, (t,), names), ontology)
    assert sorted(f.subject.iri for f in facts if f.predicate.iri == str(KGO.investsIn)) == [
        ENTITY + "China", ENTITY + "United_States"]


def test_a_head_noun_alone_is_the_node_of_its_whole_phrase(ontology) -> None:
    text = "The Chinese foreign ministry released a plan. It said the ministry would act."
    chunk = Mention(span(text, "The Chinese foreign ministry", "ministry"))
    t = triple(text, span(text, "ministry", "ministry"), "released", "release", span(text, "a plan", "plan"))
    (fact,) = [f for f in normalize(Extraction(make_article(text), 2, (t,), (chunk,)), ontology)
               if f.object.label == "plan"]
    assert fact.subject.label == "Chinese foreign ministry"


def test_one_fact_read_twice_from_a_sentence_is_one_assertion_with_the_highest_confidence(ontology) -> None:
    text = "Tesla whistled a tune before the show."
    subject, obj = span(text, "Tesla", "Tesla", "ORG"), span(text, "a tune", "tune")
    plain = Triple(subject, span(text, "whistled"), "whistle", obj, TextSpan(text, 0, len(text)), 0.66,
                   pattern="svo")
    argued = Triple(subject, span(text, "whistled"), "whistle", obj, TextSpan(text, 0, len(text)), 0.76,
                    (Argument(span(text, "the show", "show"), "before"),), pattern="svo")
    for order in ((plain, argued), (argued, plain)):
        (fact,) = normalize(Extraction(make_article(text), 1, order), ontology)
        assert fact.evidence.confidence == 0.76
        assert [q.value for q in fact.qualifiers] == [Value("before the show")]


def test_a_concept_without_a_parsed_head_takes_the_head_word_of_its_label(ontology) -> None:
    text = "The schools are in the process of accreditation by an agency."
    t = triple(text, span(text, "The schools", "school"), "are", "be",
               span(text, "in the process of accreditation by an agency", "in"), pattern="attribute")
    concepts = [term for fact in normalize(Extraction(make_article(text), 1, (t,)), ontology)
                for term in (fact.subject, fact.object) if isinstance(term, Entity) and term.kind == "concept"]
    assert concepts and all(concept.head for concept in concepts)
    assert {c.label: c.head for c in concepts}.get("process of accreditation by an agency") == "process"


@pytest.mark.parametrize(("text", "subject", "relation", "obj"), [
    ("Airbus, which is based in Leiden, employs 150,000 people.", "Airbus", "headquarters location", "Leiden"),
    ("Siemens bought Kestrel Systems, which was founded by Anna Berg in 1970.",
     "Kestrel Systems", "founded by", "Anna Berg"),
    # A possessive pronoun as a title's owner is resolved like any pronoun.
    ("Shell reported higher profits. Its chief executive, Wael Sawan, said the results were strong.",
     "Wael Sawan", "employer", "Shell"),
    ("Shell reported higher profits. Wael Sawan, its chief executive, said the results were strong.",
     "Shell", "chief executive officer", "Wael Sawan"),
])
def test_relative_clauses_and_possessive_owners_keep_their_direction(nlp, ontology, text: str, subject: str, relation: str,
                                                       obj: str) -> None:
    from kgbuild.extract import extract_doc

    article = make_article(text)
    facts = normalize(extract_doc(nlp(article.text), article), ontology)
    read = {(f.subject.label, f.predicate.label, getattr(f.object, "label", "")) for f in facts}
    assert (subject, relation, obj) in read
    assert (obj, relation, subject) not in read
    assert not any(s == obj and o == subject and r in ("acquires", "founded by") for s, r, o in read)


def test_joining_a_thing_of_unknown_kind_is_no_cooperation(nlp, ontology) -> None:
    from kgbuild.extract import extract_doc

    article = make_article("Marcus Webb joined the club's academy at the age of seven.")
    facts = normalize(extract_doc(nlp(article.text), article), ontology)
    assert [(f.subject.label, f.predicate.label) for f in facts] == [("Marcus Webb", "joined")]


@pytest.mark.parametrize(("relation", "lemma", "date", "person"), [
    ("born", "be bear in", "August 11, 1974", True),   # only people are born
    ("", "be bear in", "August 11, 1974", True),       # a life's full dates
    ("", "be bear in", "1927", False),                  # a range of years may be a company's
])
def test_a_name_tagged_as_an_organization_with_a_birth_is_a_person(ontology, relation: str, lemma: str, date: str,
                                                                   person: bool) -> None:
    text = f"Rhea Tamsin Voss ({relation} {date}) is a country music artist."
    subject = span(text, "Rhea Tamsin Voss", "Voss", "ORG")
    t = Triple(subject, span(text, relation) if relation else TextSpan("", subject.end, subject.end), lemma,
               span(text, date, date.split()[0], "DATE"), TextSpan(text, 0, len(text)), 0.8, pattern="life_dates")
    facts = normalize(Extraction(make_article(text), 1, (t,)), ontology)
    (voss,) = {f.subject for f in facts if f.subject.label == "Rhea Tamsin Voss"}
    assert (voss.classes == (str(KGO.Person),)) is person
    assert any(f.predicate.iri == str(KGO.dateOfBirth) for f in facts) is person


def test_the_article_country_stays_in_the_paragraphs_that_name_it(nlp, ontology) -> None:
    # A Nigerian story that moves on to an English footballer and a British company.
    facts = news_facts(nlp, ontology, "village-attack.txt")
    countries = {(f.subject.label, f.object.label) for f in facts if f.predicate.iri == str(KGO.country)}
    assert ("Zaria", "Nigeria") in countries
    assert not {s for s, o in countries if o == "Nigeria"} & {"Manchester", "Aston Villa", "Manchester United"}
    assert not [f for f in facts if f.predicate.iri == str(KGO.citizenship) and f.object.label == "Nigeria"]


def test_a_title_owned_by_a_pronoun_gives_no_open_fact_to_a_wrong_owner(nlp, ontology) -> None:
    # "Their daughter, Emma, plays for Arsenal": "their" is the couple, not the company of the article.
    facts = news_facts(nlp, ontology, "planemaker-hires-engineer.txt")
    emma = [(f.predicate.label, getattr(f.object, "label", "")) for f in facts if f.subject.label == "Emma"]
    assert emma and all(label != "Airbus" for _, label in emma)


def test_a_capital_described_as_a_city_is_the_city(nlp, ontology) -> None:
    from kgbuild.extract import extract_doc

    article = make_article("Berlin is a city of 3.7 million people. Berlin said it would send tanks.")
    facts = normalize(extract_doc(nlp(article.text), article), ontology)
    described = {f.subject.label for f in facts if f.predicate.iri == str(KGO.isA)}
    actors = {f.subject.label for f in facts if f.evidence.sentence.startswith("Berlin said")}
    assert described == {"Berlin"} and actors == {"Germany"}
