"""kgbuild.push without a server: what a push plans, where credentials come from, which sources it refuses."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kgbuild.push import (
    GraphStore,
    GraphUpload,
    LocalGraphs,
    PushError,
    credentials,
    make_plan,
    manifest_body,
    manifest_iri,
)

DATA = Path(__file__).resolve().parent / "data"
BASE = "https://w3id.org/kgbuild/id/"


def upload(name: str, digest: str) -> GraphUpload:
    """A graph to send, named under BASE."""
    return GraphUpload(BASE + name, ox.DefaultGraph(), 1, digest)


def test_a_graph_is_skipped_only_when_the_manifest_records_exactly_its_hash() -> None:
    uploads = [upload("article/a", "1"), upload("article/b", "2"), upload("article/c", "3"), upload("ontology", "4")]
    records = {BASE + "article/a": {"1"}, BASE + "article/b": {"1", "2"}, BASE + "article/c": {"9"},
               BASE + "article/gone": {"5"}, manifest_iri(BASE): {"6"}}
    plan = make_plan(manifest_iri(BASE), uploads, records)
    assert [u.iri for u in plan.unchanged] == [BASE + "article/a"]
    # b's record is ambiguous (an update was interrupted), c changed, the ontology graph is new.
    assert [u.iri for u in plan.send] == [BASE + "article/b", BASE + "article/c", BASE + "ontology"]
    assert plan.delete == (BASE + "article/gone",)
    assert plan.lines()[-1] == f"PUT    <{manifest_iri(BASE)}> (the push manifest)"


def test_nothing_to_do_writes_no_manifest() -> None:
    plan = make_plan(manifest_iri(BASE), [upload("article/a", "1")], {BASE + "article/a": {"1"}})
    assert (plan.send, plan.delete) == ((), ())
    assert plan.lines() == [f"skip   <{BASE}article/a> (unchanged, 1 triples)"]


def test_manifest_names_and_records() -> None:
    assert manifest_iri(BASE) == BASE + "push-manifest"
    assert manifest_iri("http://example.org/g") == "http://example.org/g/push-manifest"
    body = manifest_body({BASE + "article/b": "2", BASE + "article/a": "1"}).decode()
    assert body == (f'<{BASE}article/a> <https://w3id.org/kgbuild/ontology#contentHash> "1" .\n'
                    f'<{BASE}article/b> <https://w3id.org/kgbuild/ontology#contentHash> "2" .\n')
    assert len(list(ox.parse(body.encode(), format=ox.RdfFormat.N_TRIPLES))) == 2


def test_credentials_come_from_the_environment_before_netrc(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("KGBUILD_PUSH_USER", raising=False)
    monkeypatch.delenv("KGBUILD_PUSH_PASSWORD", raising=False)
    assert credentials("store.example") is None
    netrc = tmp_path / ".netrc"
    netrc.write_text("machine store.example login alice password secret\n")
    netrc.chmod(0o600)
    assert credentials("store.example") == ("alice", "secret")
    assert credentials("other.example") is None
    monkeypatch.setenv("KGBUILD_PUSH_USER", "bob")
    monkeypatch.setenv("KGBUILD_PUSH_PASSWORD", "hunter2")
    assert credentials("store.example") == ("bob", "hunter2")
    netrc.write_text("foo bar\n")
    monkeypatch.delenv("KGBUILD_PUSH_USER")
    with pytest.raises(PushError, match="cannot read ~/.netrc"):
        credentials("store.example")


@pytest.mark.parametrize(("url", "message"), [
    ("localhost:3030/ds", "must be an http:// or https:// URL"),
    ("file:///tmp/x", "must be an http:// or https:// URL"),
    ("http://user:pw@localhost:3030/ds", "credentials do not belong in the URL"),
])
def test_urls_that_are_refused(url: str, message: str) -> None:
    with pytest.raises(PushError, match=message):
        GraphStore(url)


def test_sources_without_article_graphs_need_graph(tmp_path: Path) -> None:
    turtle = tmp_path / "union.ttl"
    turtle.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n")
    with pytest.raises(PushError, match="holds no named graphs"):
        LocalGraphs(turtle)
    (only,) = LocalGraphs(turtle, "http://example.org/g").uploads
    assert (only.iri, only.triples) == ("http://example.org/g", 1)
    mixed = tmp_path / "mixed.trig"
    mixed.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n"
                     "<http://example.org/g1> { <http://example.org/a> <http://example.org/b> <http://example.org/d> }\n")
    with pytest.raises(PushError, match="statements outside any named graph"):
        LocalGraphs(mixed)
    blank = tmp_path / "blank.trig"
    blank.write_text("_:g { <http://example.org/a> <http://example.org/b> <http://example.org/c> }\n")
    with pytest.raises(PushError, match="blank node"):
        LocalGraphs(blank)


def test_each_named_graph_is_one_upload_with_a_stable_hash() -> None:
    first, second = LocalGraphs(DATA / "mini.trig"), LocalGraphs(DATA / "mini.trig")
    assert [u.iri for u in first.uploads] == [f"{BASE}article/aaaaaaaaaaaaaaaa", f"{BASE}article/bbbbbbbbbbbbbbbb"]
    assert first.uploads == second.uploads
    body = first.body(first.uploads[0])
    assert body.count(b"\n") == first.uploads[0].triples
    assert body.splitlines() == sorted(set(body.splitlines()))
