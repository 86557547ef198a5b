"""The SPARQL endpoint, exercised by real SPARQL clients over HTTP on 127.0.0.1."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, POST, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from kgbuild.serve import ServeSettings, SparqlServer, make_server
from kgbuild.store import open_store, replace_article

ROOT = Path(__file__).resolve().parent.parent.parent
DATA = ROOT / "tests" / "data"
TRIG = DATA / "mini.trig"
KGO = "https://w3id.org/kgbuild/ontology#"
ID = "https://w3id.org/kgbuild/id/"
COUNTRIES = "SELECT ?country ?label WHERE { ?country a kgo:Country ; rdfs:label ?label } ORDER BY ?label"
# Five-fold cross product of 81 triples: billions of rows to count, far past any timeout.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o }"
TIMEOUT = 2.0


def start(source: Path, settings: ServeSettings) -> tuple[SparqlServer, threading.Thread]:
    """Start an endpoint on a free port in a background thread."""
    server = make_server(source, "127.0.0.1", 0, settings)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


@pytest.fixture(scope="module")
def endpoint() -> Iterator[SparqlServer]:
    """An endpoint over the TriG fixture with a short timeout and a small result limit."""
    server, thread = start(TRIG, ServeSettings(timeout=TIMEOUT, max_result_bytes=4000, workers=2))
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def http(url: str, data: bytes | None = None, headers: dict[str, str] | None = None,
         method: str | None = None) -> tuple[int, dict[str, str], bytes]:
    """Make a request and return status, headers and body, also for error statuses."""
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def get(endpoint: SparqlServer, sparql: str, accept: str = "") -> tuple[int, dict[str, str], bytes]:
    """GET a query."""
    headers = {"Accept": accept} if accept else {}
    return http(endpoint.url + "?" + urllib.parse.urlencode({"query": sparql}), headers=headers)


def test_sparqlwrapper_select_with_get_and_post(endpoint: SparqlServer) -> None:
    for method in ("GET", POST):
        client = SPARQLWrapper(endpoint.url)
        client.setMethod(method)
        client.setQuery("PREFIX kgo: <https://w3id.org/kgbuild/ontology#>\n" + COUNTRIES)
        client.setReturnFormat(JSON)
        bindings = client.query().convert()["results"]["bindings"]
        assert [b["label"]["value"] for b in bindings] == ["China", "United States"]


def test_sparqlwrapper_xml_csv_ask_and_construct(endpoint: SparqlServer) -> None:
    client = SPARQLWrapper(endpoint.url)
    client.setQuery(COUNTRIES)
    client.setReturnFormat(XML)
    document = client.query().convert()
    literals = [node.firstChild.data for node in document.getElementsByTagName("literal")]
    assert literals == ["China", "United States"]
    client.setReturnFormat(CSV)
    assert client.query().convert().decode().splitlines()[1:] == [
        f"{ID}entity/China,China", f"{ID}entity/United_States,United States"]
    client.setQuery("ASK { ?s kgo:develops ?o }")
    client.setReturnFormat(JSON)
    assert client.query().convert()["boolean"] is True
    client.setQuery("CONSTRUCT WHERE { ?s kgo:develops ?o }")
    client.setReturnFormat(TURTLE)
    graph = rdflib.Graph().parse(data=client.query().convert(), format="turtle")
    assert set(graph) == {(rdflib.URIRef(f"{ID}entity/Huawei"), rdflib.URIRef(f"{KGO}develops"),
                           rdflib.URIRef(f"{ID}concept/AI_computing_systems"))}


def test_rdflib_sparqlstore_with_json_results(endpoint: SparqlServer) -> None:
    store = SPARQLStore(endpoint.url, returnFormat="json")
    graph = rdflib.Graph(store=store)
    rows = list(graph.query(
        "SELECT ?who WHERE { ?who <https://w3id.org/kgbuild/ontology#restricts> ?what }"))
    assert [str(row[0]) for row in rows] == [f"{ID}entity/United_States"]
    triples = list(graph.triples((rdflib.URIRef(f"{ID}entity/Huawei"), rdflib.RDFS.label, None)))
    assert [str(o) for _, _, o in triples] == ["Huawei"]


def test_direct_post_and_content_negotiation(endpoint: SparqlServer) -> None:
    status, headers, body = http(endpoint.url, data=COUNTRIES.encode(),
                                 headers={"Content-Type": "application/sparql-query",
                                          "Accept": "text/tab-separated-values;q=0.9, text/csv;q=0.5"})
    assert status == 200
    assert headers["Content-Type"].startswith("text/tab-separated-values")
    assert body.decode().splitlines()[0] == "?country\t?label"
    status, headers, body = get(endpoint, COUNTRIES, "application/sparql-results+xml")
    assert headers["Content-Type"].startswith("application/sparql-results+xml")
    status, headers, body = get(endpoint, COUNTRIES, "*/*")
    assert json.loads(body)["head"]["vars"] == ["country", "label"]
    status, headers, body = get(endpoint, COUNTRIES, "image/png")
    assert status == 406
    assert b"application/sparql-results+json" in body
    status, headers, body = get(endpoint, "DESCRIBE <https://w3id.org/kgbuild/id/entity/Huawei>",
                                "application/n-triples")
    assert headers["Content-Type"].startswith("application/n-triples")
    assert b'<http://www.w3.org/2000/01/rdf-schema#label> "Huawei" .' in body


def test_malformed_query_gets_400_with_position(endpoint: SparqlServer) -> None:
    status, _, body = get(endpoint, "SELECT ?s WHERE {\n ?s ?p")
    assert status == 400
    assert body.startswith(b"SPARQL syntax error at line 2, column ")
    client = SPARQLWrapper(endpoint.url)
    client.setQuery("SELECT ?s WHERE { ?s ")
    with pytest.raises(QueryBadFormed):
        client.query()


def test_updates_are_refused(endpoint: SparqlServer) -> None:
    insert = f"INSERT DATA {{ <{ID}entity/China> <{KGO}restricts> <{ID}entity/Huawei> }}"
    for data, content_type in [
        (urllib.parse.urlencode({"update": insert}).encode(), "application/x-www-form-urlencoded"),
        (insert.encode(), "application/sparql-update"),
        (urllib.parse.urlencode({"query": insert}).encode(), "application/x-www-form-urlencoded"),
    ]:
        status, _, body = http(endpoint.url, data=data, headers={"Content-Type": content_type})
        assert status == 403
        assert b"read-only" in body
    client = SPARQLWrapper(endpoint.url)
    client.setMethod(POST)
    client.setQuery(insert)
    with pytest.raises(urllib.error.HTTPError) as caught:
        client.query()
    assert caught.value.code == 403
    status, _, body = get(endpoint, "ASK { ?s kgo:restricts <https://w3id.org/kgbuild/id/entity/Huawei> }",
                          "application/sparql-results+json")
    assert json.loads(body)["boolean"] is False


def test_a_runaway_query_is_stopped_and_the_endpoint_recovers(endpoint: SparqlServer) -> None:
    started = time.monotonic()
    status, _, body = get(endpoint, RUNAWAY)
    elapsed = time.monotonic() - started
    assert status == 503
    assert b"was stopped" in body
    # The worker running it was killed: the answer came at the deadline, not when the query ended.
    assert elapsed < TIMEOUT + 20
    for _ in range(3):
        status, _, body = get(endpoint, COUNTRIES, "text/csv")
        assert status == 200
        assert body.decode().splitlines()[1] == f"{ID}entity/China,China"
    # The killed worker was replaced: the pool holds two live workers and no slow query.
    assert len(endpoint.pool.workers) == 2
    assert endpoint.pool.slow == {}
    assert all(_running(worker.pid) for worker in endpoint.pool.workers)


def _running(pid: int) -> bool:
    """Tell whether a process exists and has not exited (a zombie has exited)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _wait_for(condition: object, what: str, give_up: float = 120) -> None:
    """Poll ``condition()`` until it holds; fail, naming ``what``, if it never does."""
    deadline = time.monotonic() + give_up
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.05)


@pytest.fixture()
def busy_endpoint() -> Iterator[SparqlServer]:
    """An endpoint with room for two slow queries, whose timeout no test query reaches by itself."""
    server, thread = start(TRIG, ServeSettings(timeout=300, workers=2, slow_after=0.2, max_slow=2))
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def _run_in_background(endpoint: SparqlServer, sparql: str) -> tuple[threading.Thread, list[int]]:
    """Send a query from another thread; its status lands in the returned list when it is answered."""
    statuses: list[int] = []
    thread = threading.Thread(target=lambda: statuses.append(get(endpoint, sparql)[0]), daemon=True)
    thread.start()
    return thread, statuses


def test_cheap_queries_are_answered_while_slow_ones_run(busy_endpoint: SparqlServer) -> None:
    pool = busy_endpoint.pool
    slow = [_run_in_background(busy_endpoint, RUNAWAY) for _ in range(2)]
    _wait_for(lambda: len(pool.slow) == 2, "both runaway queries to be counted as slow")
    slow_pids = [worker.pid for worker in pool.slow]
    for _ in range(10):
        status, _, body = get(busy_endpoint, COUNTRIES, "text/csv")
        assert status == 200
        assert body.decode().splitlines()[1] == f"{ID}entity/China,China"
    # Both slow queries are still running, at the lowest CPU priority, beside two fresh workers.
    assert all(thread.is_alive() and not statuses for thread, statuses in slow)
    assert sorted(worker.pid for worker in pool.slow) == sorted(slow_pids)
    assert all(_running(pid) and os.getpriority(os.PRIO_PROCESS, pid) == 19 for pid in slow_pids)
    assert len(pool.workers) == 4 and pool.idle.qsize() == 2


def test_slow_work_past_the_bound_is_refused_with_retry_after(busy_endpoint: SparqlServer) -> None:
    pool = busy_endpoint.pool
    slow = [_run_in_background(busy_endpoint, RUNAWAY) for _ in range(2)]
    _wait_for(lambda: len(pool.slow) == 2, "both runaway queries to be counted as slow")
    status, headers, body = get(busy_endpoint, RUNAWAY.replace("?o }", "?o . ?x ?y ?z }"))
    assert status == 503
    assert b"2 slow queries were already running" in body
    assert int(headers["Retry-After"]) >= 1
    # The refused query's worker was replaced; cheap work still goes through, the slow two run on.
    assert get(busy_endpoint, "ASK { ?s kgo:develops ?o }", "application/sparql-results+json")[0] == 200
    assert all(thread.is_alive() and not statuses for thread, statuses in slow)
    assert len(pool.slow) == 2 and pool.idle.qsize() == 2


def test_result_size_is_limited(endpoint: SparqlServer) -> None:
    status, _, body = get(endpoint, "SELECT * WHERE { ?s ?p ?o }")
    assert status == 422
    assert b"limit of 4000 bytes" in body
    status, _, _ = get(endpoint, "SELECT * WHERE { ?s ?p ?o } LIMIT 5")
    assert status == 200


def test_requests_that_are_not_sparql(endpoint: SparqlServer) -> None:
    assert http(endpoint.url)[0] == 400
    assert http(endpoint.url + "?query=")[0] == 400
    status, _, body = http(endpoint.url, data=b"hello", headers={"Content-Type": "text/plain"})
    assert status == 415
    assert http(endpoint.url.replace("/sparql", "/robots.txt"))[0] == 404
    with socket.create_connection(endpoint.server_address[:2], timeout=10) as raw:
        raw.sendall(b"BREW /coffee HTTP/1.1\r\nHost: x\r\n\r\n")
        assert raw.recv(100).startswith(b"HTTP/1.1 501 ")
    assert get(endpoint, "ASK {}", "application/sparql-results+json")[0] == 200


def test_cors_preflight_and_headers(endpoint: SparqlServer) -> None:
    status, headers, _ = http(endpoint.url, method="OPTIONS", headers={
        "Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST"})
    assert status == 204
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert get(endpoint, "ASK {}")[1]["Access-Control-Allow-Origin"] == "*"


def test_graph_view_and_query_page_are_self_contained(endpoint: SparqlServer) -> None:
    root = endpoint.url[: -len("sparql")]
    status, headers, body = http(root)
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    view = body.decode()
    assert "Huawei" in view and "advanced AI chips" in view
    status, _, body = http(root + "query")
    page = body.decode()
    assert status == 200
    assert "<textarea" in page and "81 statements" in page
    for remote in (re.findall(r"<(?:script|link|img)[^>]*>", view + page)):
        assert "src=" not in remote and "href=" not in remote


def test_serves_a_store_and_binds_localhost_by_default(tmp_path: Path) -> None:
    store = open_store(tmp_path / "store")
    loaded = ox.Store()
    loaded.load(path=TRIG)
    graph = ox.NamedNode(f"{ID}article/aaaaaaaaaaaaaaaa")
    replace_article(store, graph, loaded.quads_for_pattern(None, None, None, graph))
    del store
    server = make_server(tmp_path / "store", port=0, settings=ServeSettings(workers=1))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        assert server.server_address[0] == "127.0.0.1"
        status, _, body = get(server, "SELECT ?label WHERE { ?c a kgo:Country ; rdfs:label ?label } ORDER BY ?label",
                              "text/csv")
        assert status == 200
        assert body.decode().split() == ["label", "China", "United", "States"]
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_a_store_is_served_resolved_across_its_articles(tmp_path: Path) -> None:
    from kgbuild.pipeline import build
    from tests.test_resolve import ARTICLES

    for name, text in ARTICLES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    # Two builds into one store: "Christine Lagarde" in one article, "Mrs Lagarde" in the next.
    build([tmp_path / "a"], tmp_path / "first", formats=("nt",), workers=1, store_dir=tmp_path / "store")
    build([tmp_path / "b", tmp_path / "c"], tmp_path / "second", formats=("nt",), workers=1,
          store_dir=tmp_path / "store")
    server = make_server(tmp_path / "store", port=0, settings=ServeSettings(workers=1))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        status, _, body = get(server, 'SELECT DISTINCT ?p WHERE { ?p rdfs:label ?l FILTER (CONTAINS(?l, "Lagarde")) }',
                              "text/csv")
        assert status == 200
        assert body.decode().split() == ["p", f"{ID}entity/Christine_Lagarde"]
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_a_query_past_the_memory_limit_costs_only_its_worker() -> None:
    server, thread = start(TRIG, ServeSettings(workers=1, timeout=300, max_query_memory=50_000_000))
    try:
        # Sorting a four-fold cross product needs gigabytes; the worker stops at its 50 MB.
        status, _, body = get(server, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l } ORDER BY ?a ?l")
        assert status == 500
        assert b"more than this endpoint's 50 MB of memory" in body
        assert get(server, COUNTRIES, "text/csv")[0] == 200
        assert len(server.pool.workers) == 1
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_a_large_file_is_served_from_a_temporary_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    server, thread = start(TRIG, ServeSettings(workers=2, in_memory_bytes=0))
    try:
        (scratch,) = tmp_path.glob("kgbuild-serve-*")
        assert (scratch / "store" / "CURRENT").is_file()
        status, _, body = get(server, COUNTRIES, "text/csv")
        assert status == 200
        assert body.decode().splitlines()[1:] == [f"{ID}entity/China,China", f"{ID}entity/United_States,United States"]
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    assert list(tmp_path.glob("kgbuild-serve-*")) == []


def test_request_body_over_the_limit_is_refused_unread(endpoint: SparqlServer) -> None:
    with socket.create_connection(endpoint.server_address[:2], timeout=10) as raw:
        raw.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                    b"Content-Length: 2000000\r\n\r\n")
        assert raw.recv(100).startswith(b"HTTP/1.1 413 ")


def test_protocol_dataset_parameters(endpoint: SparqlServer) -> None:
    query = urllib.parse.urlencode({"query": COUNTRIES, "default-graph-uri": f"{ID}article/bbbbbbbbbbbbbbbb"})
    status, _, body = http(f"{endpoint.url}?{query}", headers={"Accept": "text/csv"})
    assert status == 200
    assert body.decode().splitlines()[1:] == [f"{ID}entity/China,China"]


def _processes_mentioning(text: str) -> list[int]:
    """Return the ids of running processes whose command line contains ``text``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if text.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def test_serve_command_answers_and_stops_its_workers_on_ctrl_c(tmp_path: Path) -> None:
    graph = tmp_path / "served.trig"
    graph.write_bytes(TRIG.read_bytes())
    process = subprocess.Popen([sys.executable, "-m", "kgbuild", "serve", str(graph), "--port", "0"],
                               cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)), start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stderr is not None
        banner = process.stderr.readline()
        url = re.search(r"(http://127\.0\.0\.1:\d+/sparql)", banner)
        assert url, banner
        status, _, body = http(url[1] + "?" + urllib.parse.urlencode({"query": "ASK { ?s kgo:develops ?o }"}))
        assert (status, json.loads(body)["boolean"]) == (200, True)
        assert len(_processes_mentioning(str(graph))) == 4  # the server, the loader and its two workers
        # Ctrl-C in a terminal signals the whole process group: the server, the loader and the workers.
        os.killpg(process.pid, signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 130
    assert "Traceback" not in stderr
    assert _processes_mentioning(str(graph)) == []
