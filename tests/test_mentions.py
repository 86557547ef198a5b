"""Tests for the kgbuild_mentions spaCy component: mentions and within-article coreference."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language

from kgbuild.extract import DEFAULT_MODEL
from kgbuild.extract.mentions import MentionFinder


@pytest.fixture(scope="module")
def nlp() -> Language:
    pipeline = spacy.load(DEFAULT_MODEL)
    pipeline.add_pipe("kgbuild_mentions")
    return pipeline


def antecedents(nlp: Language, text: str) -> dict[str, str]:
    """Return mention text -> the text of its antecedent, for mentions that have one."""
    mentions = nlp(text)._.mentions
    return {m.span.text: mentions[m.antecedent].span.text for m in mentions if m.antecedent is not None}


def test_definite_description_refers_to_named_entity_of_fitting_kind(nlp: Language) -> None:
    links = antecedents(nlp, "Nvidia CEO Jensen Huang said on Monday that the company would resume sales to China.")
    assert links["the company"] == "Nvidia"


def test_definite_description_refers_to_earlier_phrase_with_same_head(nlp: Language) -> None:
    links = antecedents(nlp, "The Trump administration imposed new curbs. Later, the administration retreated.")
    assert links["the administration"] in ("Trump administration", "The Trump administration")


def test_pronoun_prefers_the_subject_of_its_clause(nlp: Language) -> None:
    links = antecedents(nlp, "The U.S. has restricted chips to China and is pursuing its own investment plans.")
    assert links["its"] in ("U.S.", "The U.S.")


def test_acronym_refers_to_its_expansion(nlp: Language) -> None:
    links = antecedents(nlp, "The World Trade Organization (WTO) met in Geneva. Later the WTO issued a ruling.")
    assert links["WTO"] == "The World Trade Organization"


def test_known_names_get_the_label_of_their_class(nlp: Language) -> None:
    mentions = nlp("Analysts said Nvidia chips were smuggled.")._.mentions
    assert [m.label for m in mentions if m.span.text == "Nvidia"] == ["ORG"]


def test_mentions_are_in_text_order_and_antecedents_point_back(nlp: Language) -> None:
    mentions = nlp("Huawei said it would build chips. The company did not say where.")._.mentions
    starts = [m.span.start for m in mentions]
    assert starts == sorted(starts)
    assert all(m.antecedent is None or m.antecedent < i for i, m in enumerate(mentions))
    texts = {m.span.text: m for m in mentions}
    assert mentions[texts["it"].antecedent].span.text == "Huawei"


def test_component_settings_are_constructor_arguments(nlp: Language) -> None:
    finder = MentionFinder(nlp, head_labels={"firm": ["ORG"]}, name_labels={}, max_sentences_back=1)
    doc = finder(nlp("Acme Corp grew. The firm hired."))
    links = {m.span.text: doc._.mentions[m.antecedent].span.text for m in doc._.mentions if m.antecedent is not None}
    assert links.get("The firm") == "Acme Corp"


def test_pronoun_in_a_sentence_without_a_verb_terminates(nlp: Language) -> None:
    mentions = nlp("Tesla. Its shares.")._.mentions
    assert [m.span.text for m in mentions if m.span.text == "Its"] == ["Its"]
