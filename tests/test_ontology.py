"""Tests for loading the ontology, its triggers and the gazetteer from Turtle."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgbuild.errors import InputError
from kgbuild.ontology import load_ontology, ontology_folder
from kgbuild.vocab import GAZ, KGO, PREFIXES, WD


@pytest.fixture(scope="module")
def ontology():
    return load_ontology()

#: Prefix lines for the extra Turtle files that tests write.
EXTRA_PREFIXES = "".join(f"@prefix {name}: <{iri}> .\n" for name, iri in {**PREFIXES, "gaz": str(GAZ)}.items())


def test_ontology_folder_holds_the_turtle_files() -> None:
    assert {p.name for p in ontology_folder().glob("*.ttl")} >= {"ontology.ttl", "gazetteer.ttl", "shapes.ttl"}


@pytest.mark.parametrize(("lemma", "prop", "qualifier"), [
    ("impose export restriction on", KGO.restricts, "export"),
    ("further tighten exist export control on", KGO.restricts, "export"),
    ("have reject", KGO.rejects, ""),
    ("be ceo of", KGO.isCEOOf, ""),
    ("hold in", KGO.heldIn, ""),
    ("advocate for", KGO.proposes, ""),
])
def test_relation_phrases_map_to_properties_through_triggers(ontology, lemma: str, prop: str, qualifier: str) -> None:
    match = ontology.match_relation(lemma)
    assert match is not None
    assert (match.property, match.qualifier, match.inverse) == (str(prop), qualifier, False)


def test_passive_trigger_is_inverse(ontology) -> None:
    match = ontology.match_relation("be attend by")
    assert match is not None and match.property == str(KGO.attends) and match.inverse


def test_unknown_relation_has_no_trigger(ontology) -> None:
    assert ontology.match_relation("whistle tune about") is None


def test_trigger_words_must_reach_the_end_of_the_phrase(ontology) -> None:
    # "be" alone must not swallow "be split on" as a copula.
    assert ontology.match_relation("be split on") is None


def test_gazetteer_entries_have_types_aliases_and_wikidata(ontology) -> None:
    usa = ontology.gazetteer["United_States"]
    assert usa.classes == (str(KGO.Country),)
    assert str(WD.Q30) in usa.same_as
    assert "America" in usa.aliases and "Washington" in usa.government_aliases
    assert ontology.acronyms["US"] == ("United_States",)


def test_class_hierarchy_is_read(ontology) -> None:
    assert ontology.is_subclass(str(KGO.Company), str(KGO.Organization))
    assert ontology.is_subclass(str(KGO.Chip), str(KGO.Entity))
    assert not ontology.is_subclass(str(KGO.Country), str(KGO.Organization))
    assert ontology.class_for_head("chip") == str(KGO.Chip)


def test_head_nouns_give_the_entity_labels_they_can_refer_to(ontology) -> None:
    heads = ontology.head_ner_labels()
    assert "ORG" in heads["company"]
    assert "GPE" in heads["country"]
    assert ontology.known_name_labels()["Nvidia"] == ("ORG",)


def test_extra_turtle_adds_triggers_and_entities(tmp_path: Path) -> None:
    extra = tmp_path / "extra.ttl"
    extra.write_text(
        EXTRA_PREFIXES +
        "kgo:tariffs a owl:ObjectProperty ; rdfs:label \"tariffs\" ; kgo:trigger \"slap * tariff on\" .\n"
        "gaz:Acme a kgo:Company ; skos:prefLabel \"Acme\" ; skos:altLabel \"Acme Corp\" .\n",
        encoding="utf-8",
    )
    ontology = load_ontology([extra])
    match = ontology.match_relation("slap new tariff on")
    assert match is not None and match.property == str(KGO.tariffs) and match.qualifier == "new"
    assert ontology.names["acme corp"] == ("Acme",)


def test_bad_turtle_is_a_one_line_input_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix kgo: <https://w3id.org/kgbuild/ontology#> .\nkgo:a kgo:b\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_ontology([bad])
    message = str(caught.value)
    assert message.startswith(f"{bad}: invalid Turtle:") and "\n" not in message


def test_missing_extra_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        load_ontology([tmp_path / "missing.ttl"])


def test_build_uses_extra_gazetteer_entries(tmp_path: Path) -> None:
    from tests.conftest import run_kgbuild

    article = tmp_path / "articles" / "acme.txt"
    article.parent.mkdir()
    article.write_text("Acme Rockets unveiled a new engine in Berlin.\n", encoding="utf-8")
    extra = tmp_path / "extra.ttl"
    extra.write_text(
        EXTRA_PREFIXES +
        "gaz:Acme a kgo:Company ; skos:prefLabel \"Acme\" ; skos:altLabel \"Acme Rockets\" ;\n"
        "    owl:sameAs <http://www.wikidata.org/entity/Q1> .\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = run_kgbuild("build", article.parent, "-o", out, "--ontology", extra, "-q")
    assert result.returncode == 0, result.stderr
    turtle = (out / "graph.ttl").read_text(encoding="utf-8")
    assert "<https://w3id.org/kgbuild/id/entity/Acme>" in turtle
    assert "wd:Q1" in turtle or "<http://www.wikidata.org/entity/Q1>" in turtle


def test_extra_names_reach_the_mention_finder(tmp_path: Path) -> None:
    from kgbuild.pipeline import ArticleProcessor, BuildSettings

    extra = tmp_path / "extra.ttl"
    extra.write_text(EXTRA_PREFIXES + "gaz:Zorblax a kgo:Company ; skos:prefLabel \"Zorblax\" .\n", encoding="utf-8")
    built_in = ArticleProcessor(BuildSettings()).nlp.get_pipe("kgbuild_mentions")
    extended = ArticleProcessor(BuildSettings(ontology_files=(extra,))).nlp.get_pipe("kgbuild_mentions")
    assert "Zorblax" not in built_in.name_labels
    assert extended.name_labels["Zorblax"] == ("ORG",)
    assert extended.head_labels == built_in.head_labels
