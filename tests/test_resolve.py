"""Tests of kgbuild.resolve: one node per real-world thing across articles."""

from __future__ import annotations

import itertools
import random
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from kgbuild import dataset as dataset_module
from kgbuild import parallel
from kgbuild.dataset import SortedDataset
from kgbuild.export import load_graph, write_format
from kgbuild.pipeline import build
from kgbuild.query import query
from kgbuild.store import open_graph
from kgbuild.resolve import (
    EntityRecord,
    EntityTable,
    LineRewriter,
    NameRules,
    Resolution,
    acronym_of,
    resolve_entities,
    similar_pairs,
)
from tests.conftest import ROOT
from kgbuild.ontology import load_ontology
from kgbuild.vocab import KGO

ID = "https://w3id.org/kgbuild/id/"
E = ID + "entity/"
ENTITY, PERSON, ORGANIZATION, COMPANY, GOVERNMENT, PLACE, COUNTRY, CITY = (
    str(KGO[name]) for name in ("Entity", "Person", "Organization", "Company", "GovernmentBody", "Place",
                                "Country", "City"))
#: The class hierarchy the hand-made tables use, as the ontology graph of a build states it.
SUPERCLASSES = {
    PERSON: frozenset({ENTITY}), ORGANIZATION: frozenset({ENTITY}), PLACE: frozenset({ENTITY}),
    COMPANY: frozenset({ORGANIZATION, ENTITY}), GOVERNMENT: frozenset({ORGANIZATION, ENTITY}),
    COUNTRY: frozenset({PLACE, ENTITY}), CITY: frozenset({PLACE, ENTITY}),
}
RULES = NameRules.of(load_ontology())
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
ALT_LABEL = "http://www.w3.org/2004/02/skos/core#altLabel"
SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
MENTIONED_IN = str(KGO.mentionedIn)


def record(label: str, *classes: str, aliases: tuple[str, ...] = (), gazetteer: bool = False,
           iri: str | None = None) -> EntityRecord:
    return EntityRecord(iri or E + label.replace(" ", "_"), label, frozenset(aliases), frozenset(classes), gazetteer)


def merged(records: list[EntityRecord]) -> dict[str, str]:
    """Return the merge map by label: merged-away label -> canonical label."""
    labels = {r.iri: r.label for r in records}
    resolution = resolve_entities(records, SUPERCLASSES, RULES)
    return {labels[old]: labels[new] for old, new in resolution.canonical.items()}


# --- the merge map, on hand-made tables ---------------------------------------------------------

def test_a_surname_joins_the_one_full_name_with_it() -> None:
    table = [record("Christine Lagarde", PERSON), record("Lagarde", PERSON), record("Mrs Lagarde", PERSON)]
    assert merged(table) == {"Lagarde": "Christine Lagarde", "Mrs Lagarde": "Christine Lagarde"}


def test_a_titled_name_without_a_type_is_a_person() -> None:
    table = [record("Christine Lagarde", PERSON), record("Lagarde", ENTITY, aliases=("Mrs Lagarde",))]
    assert merged(table) == {"Lagarde": "Christine Lagarde"}


def test_two_full_names_with_one_surname_stay_apart_and_so_does_the_surname() -> None:
    table = [record("Tim Smith", PERSON), record("Anna Smith", PERSON), record("Smith", PERSON),
             record("Mr Smith", PERSON)]
    # "Smith" and "Mr Smith" are one name; neither joins a full name.
    assert merged(table) in ({"Mr Smith": "Smith"}, {"Smith": "Mr Smith"})
    assert set(merged(table)) <= {"Smith", "Mr Smith"}


def test_a_regnal_name_is_not_a_surname() -> None:
    table = [record("Michael I. Carol", PERSON), record("Carol II", PERSON), record("Rob James", PERSON),
             record("James IV", PERSON), record("William Charles DeMott II", PERSON), record("DeMott", PERSON)]
    assert merged(table) == {"DeMott": "William Charles DeMott II"}


def test_a_full_name_is_written_like_one() -> None:
    table = [record("relatively new actors Jai", PERSON), record("Jai", PERSON), record("List of Taito", PERSON),
             record("Taito", PERSON), record("Charles de Gaulle", PERSON), record("Gaulle", PERSON)]
    assert merged(table) == {"Gaulle": "Charles de Gaulle"}


def test_the_canonical_name_has_the_least_punctuation_and_keeps_accents() -> None:
    table = [record("World War I.", ENTITY), record("World War I", ENTITY), record("Duran", PERSON),
             record("Durán", PERSON)]
    assert merged(table) == {"World War I.": "World War I", "Duran": "Durán"}


def test_an_untyped_surname_without_a_title_is_not_taken_for_a_person() -> None:
    assert merged([record("Michael Jordan", PERSON), record("Jordan", ENTITY)]) == {}


@pytest.mark.parametrize("variant", ["GLAXOSMITHKLINE", "Glaxo SmithKline", "GlaxoSmithKline plc",
                                     "The GlaxoSmithKline Group", "GlaxoSmithKline, Inc."])
def test_organization_names_match_across_case_spacing_punctuation_and_legal_suffixes(variant: str) -> None:
    assert RULES.key(variant) == RULES.key("GlaxoSmithKline")
    table = [record("GlaxoSmithKline", COMPANY), record(variant, ORGANIZATION, iri=E + "variant")]
    assert merged(table) == {variant: "GlaxoSmithKline"}


def test_an_alias_links_an_acronym_to_its_expansion() -> None:
    table = [record("Financial Conduct Authority", GOVERNMENT, aliases=("FCA",)), record("FCA", ORGANIZATION)]
    assert merged(table) == {"FCA": "Financial Conduct Authority"}


def test_a_person_never_merges_with_an_organization() -> None:
    table = [record("Mercury", PERSON), record("Mercury", COMPANY, iri=E + "Mercury_company"),
             record("Acme", COMPANY, aliases=("Jane Acme",)), record("Jane Acme", PERSON)]
    assert merged(table) == {}


def test_gazetteer_entries_keep_their_iris_and_win() -> None:
    table = [record("European Union", ORGANIZATION, aliases=("EU",), gazetteer=True), record("EU", ENTITY),
             record("Georgia", COUNTRY, gazetteer=True), record("Georgia", PLACE, gazetteer=True, iri=E + "Georgia_US")]
    assert merged(table) == {"EU": "European Union"}


def test_aliases_that_are_not_acronyms_link_nothing() -> None:
    # An article's aliases hold what its coreference resolved ("the city", "it"); they must not
    # chain every city of the corpus through a node called "City".
    table = [record("Lahore", CITY, aliases=("city", "it")), record("Tallinn", CITY, aliases=("City", "It")),
             record("City", PLACE), record("It", ENTITY), record("Rome", CITY, aliases=("Italy",)),
             record("Italy", COUNTRY, gazetteer=True)]
    assert merged(table) == {}


def test_an_acronym_that_abbreviates_two_names_links_neither() -> None:
    table = [record("World Health Organization", ORGANIZATION, aliases=("WHO",)),
             record("Wildlife Habitat Organization", ORGANIZATION, aliases=("WHO",)), record("WHO", ORGANIZATION)]
    assert merged(table) == {}


def test_a_name_that_fits_two_things_joins_neither() -> None:
    table = [record("Georgia", COUNTRY, gazetteer=True),
             record("Georgia", CITY, gazetteer=True, iri=E + "Georgia_city"),
             record("Georgia", ENTITY, iri=E + "Georgia_untyped")]
    assert resolve_entities(table, SUPERCLASSES, RULES).canonical == {}


def test_the_canonical_node_has_the_fullest_plain_name() -> None:
    table = [record("Acme Robotics Group", COMPANY), record("Acme Robotics", ORGANIZATION),
             record("Acme Robotics Inc", COMPANY)]
    assert merged(table) == {"Acme Robotics Group": "Acme Robotics", "Acme Robotics Inc": "Acme Robotics"}


def test_the_map_does_not_depend_on_the_order_of_the_table() -> None:
    table = [record("Christine Lagarde", PERSON), record("Lagarde", PERSON), record("Tim Smith", PERSON),
             record("Anna Smith", PERSON), record("Smith", PERSON), record("Acme", COMPANY),
             record("ACME Inc", ENTITY), record("Acme", PERSON, iri=E + "Acme_person"),
             record("Financial Conduct Authority", GOVERNMENT, aliases=("FCA",)), record("FCA", ENTITY)]
    expected = resolve_entities(table, SUPERCLASSES, RULES)
    shuffler = random.Random(13)
    for _ in range(20):
        shuffled = table[:]
        shuffler.shuffle(shuffled)
        assert resolve_entities(shuffled, SUPERCLASSES, RULES) == expected


# --- the duplicate report -----------------------------------------------------------------------

def test_the_duplicate_report_lists_alike_names_of_compatible_types() -> None:
    table = [record("Bank of England", GOVERNMENT), record("BoE", ORGANIZATION), record("Tim Smith", PERSON),
             record("Anna Smith", PERSON), record("Smith", PERSON), record("Nvidia", COMPANY),
             record("Nvida", COMPANY), record("European Central Bank", ORGANIZATION),
             record("Central Bank", ORGANIZATION), record("Boston", CITY), record("Boston Dynamics", COMPANY),
             record("Apple", PERSON), record("Apple", COMPANY, iri=E + "Apple_company")]
    found = {(p.first.label, p.second.label): p.reason for p in similar_pairs(table, SUPERCLASSES, RULES)}
    assert found == {
        ("Bank of England", "BoE"): "acronym",
        ("Anna Smith", "Smith"): "surname",
        ("Smith", "Tim Smith"): "surname",
        ("Nvida", "Nvidia"): "similar spelling",
        ("Central Bank", "European Central Bank"): "similar spelling",
    }


@pytest.mark.parametrize(("short", "long", "expected"), [
    ("FCA", "Financial Conduct Authority", True), ("F.C.A.", "Financial Conduct Authority", True),
    ("BOE", "Bank of England", True), ("WHO", "World Health Organization", True),
    ("Fca", "Financial Conduct Authority", False), ("FCA", "Financial Authority", False), ("A", "Apple", False),
])
def test_acronym_of(short: str, long: str, expected: bool) -> None:
    assert acronym_of(short, long) is expected


# --- applying the map to sorted lines -----------------------------------------------------------

def line(subject: str, predicate: str, obj: str) -> bytes:
    return f"{subject} <{predicate}> {obj} .\n".encode()


def test_rewriting_keeps_merged_away_iris_and_labels_findable() -> None:
    resolution = Resolution({E + "Lagarde": E + "Christine_Lagarde"}, {E + "Christine_Lagarde": "Christine Lagarde"})
    rewrite = LineRewriter(resolution, E)
    old, new = f"<{E}Lagarde>", f"<{E}Christine_Lagarde>"
    assert rewrite(line(old, LABEL, '"Lagarde"')) == [line(new, SAME_AS, old), line(new, ALT_LABEL, '"Lagarde"')]
    assert rewrite(line(old, ALT_LABEL, '"Christine Lagarde"')) == []
    assert rewrite(line(old, ALT_LABEL, '"Mrs Lagarde said"')) == [line(new, ALT_LABEL, '"Mrs Lagarde said"')]
    assert rewrite(line(f"<{ID}assertion/1>", "http://www.w3.org/1999/02/22-rdf-syntax-ns#subject", old)) == [
        line(f"<{ID}assertion/1>", "http://www.w3.org/1999/02/22-rdf-syntax-ns#subject", new)]
    # A literal that happens to hold the IRI's text is text, not the node.
    assert rewrite(line(f"<{ID}assertion/1>", LABEL, f'"see {old}"')) is None
    assert rewrite(line(new, LABEL, '"Christine Lagarde"')) is None


def test_the_rewriter_finds_the_lines_it_may_change_in_a_block() -> None:
    resolution = Resolution({E + "Lagarde": E + "Christine_Lagarde"}, {E + "Christine_Lagarde": "Christine Lagarde"})
    rewrite = LineRewriter(resolution, E)
    old = f"<{E}Lagarde>"
    lines = [line(f"<{E}Acme>", LABEL, '"Acme"'), line(old, LABEL, '"Lagarde"'),
             line(f"<{E}Lagarde_Group>", LABEL, '"Lagarde Group"'), line(f"<{ID}assertion/1>", LABEL, f'"see {old}"')]
    block = b"".join(lines)
    starts = rewrite.changed_lines(block)
    # The merged-away IRI's own line, and the literal that holds its text (which the rewriter keeps).
    assert [block[start:block.index(b"\n", start) + 1] for start in starts] == [lines[1], lines[3]]
    assert [rewrite(block[start:block.index(b"\n", start) + 1]) is None for start in starts] == [False, True]


def article_ntriples(article: str, entities: list[tuple[str, str, str]]) -> bytes:
    """N-Triples of one article graph: (slug, label, class) entities, each mentioned in it."""
    lines = [line(f"<{E}{slug}>", LABEL, f'"{label}"') + line(f"<{E}{slug}>", MENTIONED_IN, f"<{ID}article/{article}>")
             + line(f"<{E}{slug}>", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", f"<{cls}>")
             for slug, label, cls in entities]
    return b"".join(lines)


def resolved_files(graphs: list[tuple[str, bytes]]) -> tuple[bytes, bytes]:
    ontology = b"".join(line(f"<{sub}>", "http://www.w3.org/2000/01/rdf-schema#subClassOf", f"<{sup}>")
                        for sub, sups in SUPERCLASSES.items() for sup in sups)
    with SortedDataset(by_graph=True, entities=EntityTable(E, RULES)) as dataset:
        for name, ntriples in graphs:
            dataset.add_graph(ox.NamedNode(ID + "article/" + name), ntriples)
        dataset.add_graph(ox.NamedNode(ID + "ontology"), ontology)
        dataset.finish()
        return dataset.triples_path.read_bytes(), dataset.quads_path.read_bytes()


def test_the_dataset_rewrites_the_union_and_each_graph_sorted_and_distinct(monkeypatch: pytest.MonkeyPatch) -> None:
    graphs = [("a", article_ntriples("a", [("Christine_Lagarde", "Christine Lagarde", PERSON)])),
              ("b", article_ntriples("b", [("Lagarde", "Lagarde", PERSON), ("Acme", "Acme", COMPANY)])),
              ("c", article_ntriples("c", [("Lagarde", "Lagarde", PERSON), ("ACME_Inc", "ACME Inc", COMPANY)]))]
    union, quads = resolved_files(graphs)
    lines = union.splitlines(keepends=True)
    assert lines == sorted(set(lines))
    assert f"<{E}Lagarde>".encode() not in b"".join(l.split(b" ", 1)[0] for l in lines)
    mentions = [l for l in lines if f"<{MENTIONED_IN}>".encode() in l]
    assert sum(l.startswith(f"<{E}Christine_Lagarde>".encode()) for l in mentions) == 3
    assert line(f"<{E}Christine_Lagarde>", SAME_AS, f"<{E}Lagarde>") in lines
    assert line(f"<{E}Acme>", ALT_LABEL, '"ACME Inc"') in lines
    graph_b = [l for l in quads.splitlines() if l.endswith(f"<{ID}article/b> .".encode())]
    assert graph_b == sorted(graph_b)
    assert any(l.startswith(f"<{E}Christine_Lagarde> <{ALT_LABEL}>".encode()) for l in graph_b)
    # The same with every run spilled to disk, and with the graphs in every order.
    monkeypatch.setattr(dataset_module, "RUN_BYTES", 200)
    for order in itertools.permutations(graphs):
        assert resolved_files(list(order)) == (union, quads)


def test_the_entity_table_reads_labels_aliases_types_links_and_the_hierarchy() -> None:
    table = EntityTable(E, RULES)
    table.add_ntriples(line(f"<{E}US>", LABEL, '"United States"') + line(f"<{E}US>", ALT_LABEL, '"the \\"US\\""')
                       + line(f"<{E}US>", SAME_AS, "<http://www.wikidata.org/entity/Q30>")
                       + line(f"<{COUNTRY}>", "http://www.w3.org/2000/01/rdf-schema#subClassOf", f"<{PLACE}>")
                       + line(f"<{PLACE}>", "http://www.w3.org/2000/01/rdf-schema#subClassOf", f"<{ENTITY}>")
                       + line(f"<{ID}concept/x>", LABEL, '"x"'))
    assert table.records() == [EntityRecord(E + "US", "United States", frozenset({'the "US"'}), frozenset(), True)]
    assert table.superclasses()[COUNTRY] == frozenset({PLACE, ENTITY})


# --- whole builds with the real pipeline ----------------------------------------------------------

ARTICLES = {
    "a/ecb.txt": "Central bank raises rates\n\nChristine Lagarde, president of the European Central Bank, raised "
                 "interest rates on Thursday. Tim Smith founded Acme Robotics in Boston.\n",
    "b/budget.txt": "Budget row\n\nMrs Lagarde warned investors about inflation. Anna Smith joined Acme "
                    "Robotics Inc. last year.\n",
    "c/merger.txt": "Merger talks\n\nMr Smith criticised the merger. The Acme Robotics Group hired 300 engineers.\n",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("resolve-corpus")
    for name, text in ARTICLES.items():
        (root / name).parent.mkdir(exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def resolved(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("resolve-out")
    report = build([corpus / "a", corpus / "b", corpus / "c"], out, formats=("nt", "nq"), workers=1)
    assert report.merged >= 2
    return out


def graph_of(path: Path) -> ox.Store:
    store = ox.Store()
    store.load(path=path)
    return store


def ask(store: ox.Store, query: str) -> bool:
    return bool(store.query(query, prefixes={"kgo": str(KGO), "owl": "http://www.w3.org/2002/07/owl#",
                                             "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
                                             "skos": "http://www.w3.org/2004/02/skos/core#"}))


def test_two_articles_that_name_one_person_differently_give_one_node(resolved: Path) -> None:
    graph = graph_of(resolved / "graph.nt")
    persons = {row["p"].value for row in graph.query(
        'SELECT DISTINCT ?p WHERE { ?p rdfs:label ?l FILTER (CONTAINS(?l, "Lagarde")) }',
        prefixes={"rdfs": "http://www.w3.org/2000/01/rdf-schema#"})}
    assert persons == {E + "Christine_Lagarde"}
    articles = list(graph.quads_for_pattern(ox.NamedNode(E + "Christine_Lagarde"), ox.NamedNode(MENTIONED_IN), None))
    assert len(articles) == 2
    # The merged-away IRI is still findable, and its label is an alternative label.
    canonical = ox.NamedNode(E + "Christine_Lagarde")
    old = [q.object for q in graph.quads_for_pattern(canonical, ox.NamedNode(SAME_AS), None)]
    assert len(old) == 1 and old[0].value.startswith(E) and "Lagarde" in old[0].value
    assert not list(graph.quads_for_pattern(old[0], None, None))
    # Facts, assertion nodes and mention nodes (itsrdf:taIdentRef) point to the canonical node.
    assert {q.predicate.value for q in graph.quads_for_pattern(None, None, old[0])} == {SAME_AS}
    assert ask(graph, f"ASK {{ ?mention <http://www.w3.org/2005/11/its/rdf#taIdentRef> <{E}Christine_Lagarde> ; "
                      f"<http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#anchorOf> ?text "
                      f"FILTER (?text != \"Christine Lagarde\") }}")
    assert ask(graph, f"ASK {{ <{E}Christine_Lagarde> skos:altLabel ?alias FILTER (CONTAINS(?alias, \"Lagarde\")) }}")


def test_two_people_with_one_surname_stay_apart(resolved: Path) -> None:
    graph = graph_of(resolved / "graph.nt")
    for name in ("Tim_Smith", "Anna_Smith"):
        assert ask(graph, f"ASK {{ <{E}{name}> rdfs:label ?l }}")
        assert not ask(graph, f"ASK {{ <{E}{name}> owl:sameAs ?other }}"), name
    assert not ask(graph, f"ASK {{ ?smith rdfs:label \"Smith\" ; owl:sameAs ?other }}")


def test_organization_variants_across_articles_give_one_node(resolved: Path) -> None:
    graph = graph_of(resolved / "graph.nt")
    assert ask(graph, f"ASK {{ <{E}Acme_Robotics> owl:sameAs <{E}Acme_Robotics_Inc>, <{E}Acme_Robotics_Group> }}")


def test_input_order_and_workers_do_not_change_a_byte(corpus: Path, resolved: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    build([corpus / "c", corpus / "b", corpus / "a"], tmp_path / "reversed", formats=("nt", "nq"), workers=1)
    # One article per chunk, so that two worker processes really share the work.
    monkeypatch.setattr(parallel, "CHUNK_ARTICLES", 1)
    build([corpus / "b", corpus / "a", corpus / "c"], tmp_path / "workers", formats=("nt", "nq"), workers=2)
    for out in ("reversed", "workers"):
        for name in ("graph.nt", "graph.nq"):
            assert (tmp_path / out / name).read_bytes() == (resolved / name).read_bytes(), (out, name)


def test_an_incremental_store_build_gives_the_fresh_build_resolved(corpus: Path, resolved: Path,
                                                                   tmp_path: Path) -> None:
    store = tmp_path / "store"
    build([corpus / "a"], tmp_path / "first", formats=("nt",), workers=1, store_dir=store)
    assert b"Mrs_Lagarde" not in (tmp_path / "first" / "graph.nt").read_bytes()
    report = build([corpus / "b", corpus / "c"], tmp_path / "second", formats=("nt", "nq"), workers=1,
                   store_dir=store)
    assert report.merged >= 2
    for name in ("graph.nt", "graph.nq"):
        assert (tmp_path / "second" / name).read_bytes() == (resolved / name).read_bytes(), name
    # Exporting the store resolves it the same way; exporting a resolved output changes nothing.
    write_format(load_graph(store), tmp_path / "export.nq", "nq")
    write_format(load_graph(resolved / "graph.nq"), tmp_path / "again.nq", "nq")
    for exported in ("export.nq", "again.nq"):
        assert (tmp_path / exported).read_bytes() == (resolved / "graph.nq").read_bytes(), exported


def test_querying_an_incremental_store_answers_as_its_resolved_export(corpus: Path, resolved: Path,
                                                                      tmp_path: Path) -> None:
    store = tmp_path / "store"
    build([corpus / "a"], tmp_path / "first", formats=("nt",), workers=1, store_dir=store)
    build([corpus / "b", corpus / "c"], tmp_path / "second", formats=("nt",), workers=1, store_dir=store)
    lagarde = 'SELECT DISTINCT ?p WHERE { ?p rdfs:label ?l FILTER (CONTAINS(?l, "Lagarde")) } ORDER BY ?p'
    assert [row["p"].value for row in query(store, lagarde)] == [E + "Christine_Lagarde"]
    # The store itself still holds each article's own IRIs.
    raw = open_graph(store)
    assert len({q.subject for q in raw.quads_for_pattern(None, ox.NamedNode(LABEL), None)
                if "Lagarde" in q.subject.value}) > 1
    del raw
    for sparql in (lagarde, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                   "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
                   f"SELECT ?o WHERE {{ <{E}Christine_Lagarde> owl:sameAs ?o }} ORDER BY ?o"):
        on_store = [[str(term) for term in row] for row in query(store, sparql)]
        on_export = [[str(term) for term in row] for row in query(resolved / "graph.nq", sparql)]
        assert on_store == on_export, sparql


def test_the_duplicate_report_script_prints_pairs_and_node_shares(resolved: Path) -> None:
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "duplicates.py"), str(resolved / "graph.nt")],
                            capture_output=True, text=True, check=True, timeout=120)
    assert "surname" in result.stdout and "'Tim Smith'" in result.stdout
    assert "concept nodes:" in result.stdout and "nodes in no fact" in result.stdout
