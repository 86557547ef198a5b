"""`kgbuild push` into a real Virtuoso over the SPARQL 1.1 Graph Store HTTP Protocol."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox
import pytest

from kgbuild.pipeline import build
from kgbuild.push import GraphUpload, LocalGraphs, PushError, manifest_iri, push
from kgbuild.store import article_ids, remove
from kgbuild.vocab import DEFAULT_BASE_IRI
from tests.conftest import EXAMPLES, ROOT, run_kgbuild
from tests.integration.conftest import Virtuoso, free_port

DBA = {"KGBUILD_PUSH_USER": "dba", "KGBUILD_PUSH_PASSWORD": "dba"}


@pytest.fixture(scope="module")
def example_nquads(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The example articles built once as N-Quads: one named graph per article, and the ontology graph."""
    out = tmp_path_factory.mktemp("push-example")
    build([EXAMPLES], out, formats=("nq",))
    return (out / "graph.nq").read_text(encoding="utf-8")


@pytest.fixture()
def corpus(example_nquads: str, tmp_path: Path) -> Iterator[object]:
    """Return a function writing the example under a base IRI of its own, so tests do not share graphs."""

    def write(name: str) -> tuple[Path, str]:
        base = f"http://push-test.example/{name}/"
        path = tmp_path / f"{name}.nq"
        path.write_text(example_nquads.replace(DEFAULT_BASE_IRI, base), encoding="utf-8")
        return path, base

    yield write


@pytest.fixture()
def dba(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Log in as Virtuoso's dba through the environment (and keep any real ~/.netrc out of the way)."""
    for name, value in DBA.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("HOME", str(tmp_path))


def endpoint(virtuoso: Virtuoso, path: str = "sparql-graph-crud-auth") -> str:
    """Virtuoso's Graph Store endpoint; the -auth one takes HTTP digest authentication."""
    return f"http://127.0.0.1:{virtuoso.http_port}/{path}"


def local_counts(path: Path) -> dict[str, int]:
    """Count the statements of each named graph of an RDF file."""
    store = ox.Store()
    store.load(path=path)
    return {graph.value: len(list(store.quads_for_pattern(None, None, None, graph))) for graph in store.named_graphs()}


def remote_counts(virtuoso: Virtuoso, base: str) -> dict[str, int]:
    """Count the statements of each remote graph under ``base``, push manifests left out."""
    rows = virtuoso.select(f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                           f"FILTER(STRSTARTS(STR(?g), '{base}')) }} GROUP BY ?g")
    return {row["g"]: int(row["n"]) for row in rows if not row["g"].endswith("/push-manifest")}


def remote_statements(virtuoso: Virtuoso, base: str) -> set[tuple[str, str, str, str]]:
    """Every remote statement under ``base`` (the manifest's too), with the base cut off every term."""
    rows = virtuoso.select(f"SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                           f"FILTER(STRSTARTS(STR(?g), '{base}')) }}")
    return {tuple(row[name].replace(base, "BASE/") for name in "gspo") for row in rows}  # type: ignore[misc]


def test_remote_triple_count_equals_local_and_a_second_push_sends_nothing(
        virtuoso: Virtuoso, corpus: object, tmp_path: Path) -> None:
    path, base = corpus("count")  # type: ignore[operator]
    result = run_kgbuild("push", path, "--to", endpoint(virtuoso), env={**DBA, "HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    local = local_counts(path)
    assert len(local) == 3  # two articles and the ontology terms they use
    assert f"sent 3 graph(s) ({sum(local.values()):,} triples)" in result.stderr
    assert remote_counts(virtuoso, base) == local
    again = run_kgbuild("push", path, "--to", endpoint(virtuoso), env={**DBA, "HOME": str(tmp_path)})
    assert again.returncode == 0, again.stderr
    assert "sent 0 graph(s) (0 triples), skipped 3 unchanged, deleted 0" in again.stderr
    assert remote_counts(virtuoso, base) == local


def test_union_into_one_graph(virtuoso: Virtuoso, corpus: object, dba: None) -> None:
    path, base = corpus("union")  # type: ignore[operator]
    target = base + "everything"
    report = push(path, endpoint(virtuoso), graph=target)
    union = {(q.subject, q.predicate, q.object) for q in ox.parse(path=path, format=ox.RdfFormat.N_QUADS)}
    assert [upload.triples for upload in report.plan.send] == [len(union)]
    assert remote_counts(virtuoso, base) == {target: len(union)}
    assert push(path, endpoint(virtuoso), graph=target).plan.unchanged[0].iri == target


def test_dry_run_lists_the_graphs_and_sends_nothing(virtuoso: Virtuoso, corpus: object, tmp_path: Path) -> None:
    path, base = corpus("dry")  # type: ignore[operator]
    result = run_kgbuild("push", path, "--to", endpoint(virtuoso), "--dry-run", env={**DBA, "HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert sorted(lines[:3]) == sorted(f"PUT    <{graph}> ({count} triples)"
                                       for graph, count in local_counts(path).items())
    assert lines[3] == f"PUT    <{manifest_iri(base)}> (the push manifest)"
    assert remote_counts(virtuoso, base) == {}


def test_repush_after_removing_an_article_deletes_only_its_graph(
        virtuoso: Virtuoso, tmp_path: Path, dba: None) -> None:
    base = "http://push-test.example/removal/"
    store = tmp_path / "store"
    build([EXAMPLES], tmp_path / "out", base_iri=base, formats=("ttl",), store_dir=store)
    first = push(store, endpoint(virtuoso))
    assert len(first.plan.send) == 3
    before = remote_statements(virtuoso, base)
    counts = remote_counts(virtuoso, base)
    gone = sorted(article_ids(ox.Store.read_only(str(store))))[0]
    remove(store, [gone])
    second = push(store, endpoint(virtuoso))
    gone_graph = f"{base}article/{gone}"
    assert second.plan.delete == (gone_graph,)
    assert second.plan.send == ()
    assert len(second.plan.unchanged) == 2
    assert remote_counts(virtuoso, base) == {graph: n for graph, n in counts.items() if graph != gone_graph}
    after = remote_statements(virtuoso, base)
    gone_rows = {row for row in before if row[0] == f"BASE/article/{gone}"}
    manifest = f"BASE/{manifest_iri(base)[len(base):]}"
    assert gone_rows and not any(row[0] == f"BASE/article/{gone}" for row in after)
    # Every other graph is exactly as it was; the manifest no longer lists the removed article.
    assert {row for row in after if row[0] != manifest} == {row for row in before - gone_rows if row[0] != manifest}
    assert {row[1] for row in after if row[0] == manifest} == {f"BASE/{graph[len(base):]}" for graph in counts
                                                              if graph != gone_graph}


def test_interrupted_push_resumed_equals_an_uninterrupted_one(virtuoso: Virtuoso, corpus: object, dba: None) -> None:
    interrupted, base = corpus("interrupted")  # type: ignore[operator]

    def stop_after_the_first(upload: GraphUpload) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        push(interrupted, endpoint(virtuoso), on_sent=stop_after_the_first)
    assert len(remote_counts(virtuoso, base)) == 1
    resumed = push(interrupted, endpoint(virtuoso))
    assert (len(resumed.plan.unchanged), len(resumed.plan.send)) == (1, 2)
    whole, whole_base = corpus("uninterrupted")  # type: ignore[operator]
    push(whole, endpoint(virtuoso))
    statements, expected = remote_statements(virtuoso, base), remote_statements(virtuoso, whole_base)
    # The same statements, and a manifest with one record per graph: the hash of that graph's content.
    manifest = f"BASE/{manifest_iri(base)[len(base):]}"
    assert {row for row in statements if row[0] != manifest} == {row for row in expected if row[0] != manifest}
    assert len(statements) == sum(local_counts(interrupted).values()) + 3
    assert {(row[1], row[3]) for row in statements if row[0] == manifest} == {
        (upload.iri.replace(base, "BASE/"), upload.digest) for upload in LocalGraphs(interrupted).uploads}


def test_wrong_credentials_exit_2_with_one_line(virtuoso: Virtuoso, corpus: object, tmp_path: Path) -> None:
    path, base = corpus("credentials")  # type: ignore[operator]
    result = run_kgbuild("push", path, "--to", endpoint(virtuoso), env={
        "KGBUILD_PUSH_USER": "dba", "KGBUILD_PUSH_PASSWORD": "not-the-password", "HOME": str(tmp_path)})
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"kgbuild: error: {endpoint(virtuoso)} refused the credentials (401 ")
    assert "KGBUILD_PUSH_USER" in result.stderr
    assert remote_counts(virtuoso, base) == {}


def test_credentials_from_netrc(virtuoso: Virtuoso, corpus: object, tmp_path: Path) -> None:
    path, base = corpus("netrc")  # type: ignore[operator]
    netrc = tmp_path / ".netrc"
    netrc.write_text("machine 127.0.0.1 login dba password dba\n")
    netrc.chmod(0o600)
    result = run_kgbuild("push", path, "--to", endpoint(virtuoso), "--quiet", env={"HOME": str(tmp_path)})
    assert (result.returncode, result.stderr) == (0, "")
    assert remote_counts(virtuoso, base) == local_counts(path)


def test_bad_input_exits_2_with_one_line_naming_the_cause(
        virtuoso: Virtuoso, corpus: object, tmp_path: Path) -> None:
    path, _ = corpus("bad")  # type: ignore[operator]
    env = {"HOME": str(tmp_path)}
    closed = f"http://127.0.0.1:{free_port()}/store"
    cases = [
        ((path, "--to", closed, "--retries", "0"), f"cannot reach {closed}: [Errno 111] Connection refused"),
        ((EXAMPLES / "us-ponders-new-approach.txt", "--to", endpoint(virtuoso)), "us-ponders-new-approach.txt: not a graph"),
        # Without a login Virtuoso's plain endpoint lets the manifest be read but refuses to write.
        ((path, "--to", endpoint(virtuoso, "sparql-graph-crud")), "refused PUT of graph <http://push-test.example/bad/"),
        ((path, "--to", "localhost:8890/store"), "--to must be an http:// or https:// URL"),
        ((path, "--to", f"http://dba:dba@127.0.0.1:{virtuoso.http_port}/x"), "credentials do not belong in the URL"),
    ]
    for args, expected in cases:
        result = run_kgbuild("push", *args, env=env)
        assert result.returncode == 2, result.stderr
        assert result.stderr.count("\n") == 1, result.stderr
        assert expected in result.stderr
    turtle = tmp_path / "union.ttl"
    turtle.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n")
    result = run_kgbuild("push", turtle, "--to", endpoint(virtuoso), env=env)
    assert result.returncode == 2
    assert "union.ttl: holds no named graphs" in result.stderr and "--graph IRI" in result.stderr


class GatedGraphStore(BaseHTTPRequestHandler):
    """A Graph Store in memory whose PUT number ``hold_put`` waits for ``release`` and then fails with 503."""

    graphs: dict[str, bytes]
    puts: int
    hold_put: int
    held: threading.Event
    release: threading.Event

    def _graph(self) -> str:
        return parse_qs(urlsplit(self.path).query)["graph"][0]

    def _answer(self, status: int, body: bytes = b"", media_type: str = "text/plain") -> None:
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        graph = self.graphs.get(self._graph())
        self._answer(404) if graph is None else self._answer(200, graph, "application/n-triples")

    def do_PUT(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).puts += 1
        if self.puts == self.hold_put:
            self.held.set()
            self.release.wait(60)
            self._answer(503, b"lost")
            return
        self.graphs[self._graph()] = body
        self._answer(201)

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.graphs[self._graph()] = self.graphs.get(self._graph(), b"") + body
        self._answer(204)

    def do_DELETE(self) -> None:
        self._answer(200 if self.graphs.pop(self._graph(), None) is not None else 404)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class names it so
        """Stay quiet."""


@pytest.fixture()
def gated_store() -> Iterator[object]:
    """Return a function starting a GatedGraphStore on a free port; every one started is stopped afterwards."""
    servers: list[ThreadingHTTPServer] = []

    def start(hold_put: int = 0) -> tuple[str, type[GatedGraphStore]]:
        handler = type("Store", (GatedGraphStore,), {"graphs": {}, "puts": 0, "hold_put": hold_put,
                                                     "held": threading.Event(), "release": threading.Event()})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/store", handler

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_push_interrupted_with_ctrl_c_resumes(corpus: object, gated_store: object, tmp_path: Path) -> None:
    path, base = corpus("ctrl-c")  # type: ignore[operator]
    url, store = gated_store(hold_put=2)  # type: ignore[operator]
    env = {"HOME": str(tmp_path)}
    process = subprocess.Popen([sys.executable, "-m", "kgbuild", "push", str(path), "--to", url], cwd=ROOT,
                               env=dict(os.environ, PYTHONPATH=str(ROOT), **env), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        assert store.held.wait(120), "the second graph never arrived"
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
    finally:
        store.release.set()
        process.kill()
    assert process.returncode == 130, stderr
    assert "interrupted" in stderr
    # The first graph is stored and recorded; the second was cut off.
    assert len([graph for graph in store.graphs if graph != manifest_iri(base)]) == 1
    resumed = run_kgbuild("push", path, "--to", url, env=env)
    assert resumed.returncode == 0, resumed.stderr
    assert "sent 2 graph(s)" in resumed.stderr and "skipped 1 unchanged" in resumed.stderr
    fresh_url, fresh = gated_store()  # type: ignore[operator]
    assert run_kgbuild("push", path, "--to", fresh_url, env=env).returncode == 0
    assert store.graphs == fresh.graphs
    assert len(store.graphs) == 4  # three graphs and the manifest


class FlakyGraphStore(GatedGraphStore):
    """A Graph Store in memory that fails each graph's first PUT with 503."""

    graphs: dict[str, bytes] = {}
    failed: set[str] = set()

    def do_PUT(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self._graph() not in self.failed:
            self.failed.add(self._graph())
            self._answer(503, b"busy")
            return
        self.graphs[self._graph()] = body
        self._answer(201)


def test_5xx_is_retried_with_backoff(corpus: object, dba: None) -> None:
    path, base = corpus("flaky")  # type: ignore[operator]
    server = ThreadingHTTPServer(("127.0.0.1", 0), FlakyGraphStore)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/store"
    try:
        report = push(path, url, backoff=0.01)
        # Each of the three graphs and the manifest failed once and went through on the second try.
        assert report.retries == 4
        assert {graph: body.count(b"\n") for graph, body in FlakyGraphStore.graphs.items()
                if graph != manifest_iri(base)} == local_counts(path)
        FlakyGraphStore.graphs.clear()
        FlakyGraphStore.failed.clear()
        with pytest.raises(PushError, match=r"refused PUT of graph <.*>: 503 .*busy"):
            push(path, url, retries=0)
    finally:
        server.shutdown()
        server.server_close()
