"""A read-only SPARQL 1.1 Protocol endpoint over a graph file or store, with the HTML view at ``/``."""

from __future__ import annotations

import contextlib
import html
import math
import os
import pickle
import queue
import resource
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

import kgbuild
from kgbuild.errors import InputError
from kgbuild.query import describe_syntax_error, update_syntax_error
from kgbuild.store import one_line, open_graph, resolved_view
from kgbuild.vocab import PREFIXES

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878

#: Niceness of a worker whose query has turned slow: cheap queries get the CPU first.
SLOW_NICENESS = 19

#: Largest request body read; a SPARQL query is text, so this is generous.
MAX_REQUEST_BYTES = 1_000_000

#: Media types offered for SELECT and ASK results, in order of preference.
RESULTS_MEDIA_TYPES: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}

#: Media types offered for CONSTRUCT and DESCRIBE results, in order of preference.
GRAPH_MEDIA_TYPES: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}

_CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Content-Type",
    "Access-Control-Max-Age": "86400",
}


@dataclass(frozen=True)
class ServeSettings:
    """Limits of the endpoint."""

    timeout: float = 10.0
    max_result_bytes: int = 10_000_000
    workers: int = 2
    slow_after: float = 0.5
    max_slow: int = 4
    #: Graph files up to this size are held in memory and shared by forking; larger ones are loaded
    #: into a temporary on-disk store that every worker opens read-only.
    in_memory_bytes: int = 20_000_000
    #: Memory a worker may take for a query, beyond what it holds when it starts (0: no limit).
    max_query_memory: int = 1_000_000_000


@dataclass(frozen=True)
class QueryRequest:
    """One SPARQL query as it reaches a worker."""

    sparql: str
    accept: str = ""
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    max_result_bytes: int = ServeSettings.max_result_bytes


@dataclass(frozen=True)
class Response:
    """What the endpoint answers: status, media type and body."""

    status: int
    content_type: str
    body: bytes
    retry_after: int | None = None

    @classmethod
    def text(cls, status: int, message: str, retry_after: int | None = None) -> Response:
        """Build a plain-text response, used for every error."""
        return cls(status, "text/plain; charset=utf-8", (message.rstrip("\n") + "\n").encode("utf-8"), retry_after)


# ---------------------------------------------------------------- running one query (in a worker)


class ResultTooLarge(Exception):
    """Raised by ``BoundedBuffer`` when a result grows past the limit."""


class BoundedBuffer:
    """A write-only byte buffer that refuses to grow past ``limit`` bytes."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> int:
        """Append bytes, or raise ``ResultTooLarge`` (which stops the engine's serializer)."""
        self.size += len(data)
        if self.size > self.limit:
            raise ResultTooLarge
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        """Nothing to flush: the bytes stay in memory."""

    def getvalue(self) -> bytes:
        """Return everything written."""
        return b"".join(self.parts)


def execute(store: ox.Store, request: QueryRequest) -> Response:
    """Run a query read-only and serialize its results in the best format the client accepts."""
    default_graph = [ox.NamedNode(iri) for iri in request.default_graphs] or None
    named_graphs = [ox.NamedNode(iri) for iri in request.named_graphs] or None
    try:
        result = store.query(request.sparql, prefixes=PREFIXES, default_graph=default_graph,
                             named_graphs=named_graphs)
    except SyntaxError as exc:
        if update_syntax_error(request.sparql) is None:
            return Response.text(HTTPStatus.FORBIDDEN, "This endpoint is read-only: SPARQL UPDATE is refused.")
        return Response.text(HTTPStatus.BAD_REQUEST, describe_syntax_error(exc))
    except (OSError, RuntimeError, ValueError) as exc:
        return Response.text(HTTPStatus.INTERNAL_SERVER_ERROR, f"Query failed: {one_line(str(exc))}")
    offered: dict[str, Any] = GRAPH_MEDIA_TYPES if isinstance(result, ox.QueryTriples) else RESULTS_MEDIA_TYPES
    media_type = negotiate(request.accept, list(offered))
    if media_type is None:
        return Response.text(HTTPStatus.NOT_ACCEPTABLE,
                             f"Cannot answer in {request.accept!r}; available: {', '.join(offered)}")
    buffer = BoundedBuffer(request.max_result_bytes)
    try:
        if isinstance(result, ox.QueryTriples):
            ox.serialize(result, buffer, offered[media_type], prefixes=PREFIXES)
        else:
            result.serialize(buffer, offered[media_type])
    except ResultTooLarge:
        return Response.text(HTTPStatus.UNPROCESSABLE_ENTITY,
                             f"The result is larger than this endpoint's limit of {request.max_result_bytes} "
                             "bytes; narrow the query or add a LIMIT.")
    except (OSError, RuntimeError, ValueError) as exc:
        return Response.text(HTTPStatus.INTERNAL_SERVER_ERROR, f"Query failed: {one_line(str(exc))}")
    charset = "; charset=utf-8" if media_type.startswith("text/") or media_type.endswith(("json", "xml")) else ""
    return Response(HTTPStatus.OK, media_type + charset, buffer.getvalue())


def negotiate(accept: str, offered: list[str]) -> str | None:
    """Pick the offered media type the Accept header likes best (the first offered on a tie or no header)."""
    if not accept.strip():
        return offered[0]
    # Higher quality wins, then an exact type over a wildcard, then the server's order.
    candidates: list[tuple[float, bool, int, str]] = []
    for item in accept.split(","):
        pattern, _, parameters = item.partition(";")
        pattern = pattern.strip().lower()
        quality = _quality(parameters)
        for index, choice in enumerate(offered):
            if quality > 0 and _media_matches(pattern, choice):
                candidates.append((quality, "*" not in pattern, -index, choice))
    return max(candidates)[3] if candidates else None


def _quality(parameters: str) -> float:
    """Read the q= weight from an Accept item's parameters (1 when absent, 0 when unreadable)."""
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "q":
            try:
                return float(value)
            except ValueError:
                return 0.0
    return 1.0


def _media_matches(pattern: str, media_type: str) -> bool:
    """Tell whether an Accept pattern such as ``*/*`` or ``text/*`` covers a media type."""
    if pattern in ("*/*", "*"):
        return True
    kind, _, subtype = pattern.partition("/")
    if subtype == "*":
        return media_type.startswith(kind + "/")
    return pattern == media_type


# ---------------------------------------------------------------- worker processes


def _send(sock: socket.socket, message: object) -> None:
    """Send one length-prefixed pickled message."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    sock.sendall(struct.pack("!Q", len(data)) + data)


def _receive(sock: socket.socket) -> Any:
    """Receive one length-prefixed pickled message; raise EOFError if the peer is gone."""
    header = _receive_exactly(sock, 8)
    return pickle.loads(_receive_exactly(sock, struct.unpack("!Q", header)[0]))


def _receive_exactly(sock: socket.socket, size: int) -> bytes:
    """Read exactly ``size`` bytes from a socket."""
    chunks = bytearray()
    while len(chunks) < size:
        chunk = sock.recv(min(size - len(chunks), 1 << 20))
        if not chunk:
            raise EOFError("worker connection closed")
        chunks += chunk
    return bytes(chunks)


def worker_main(sock: socket.socket, source: ox.Store | Path, memory_budget: int) -> None:
    """Serve queries from the parent over a socket until it closes; the process can be killed any time."""
    try:
        store = source if isinstance(source, ox.Store) else open_graph(source)
    except InputError as exc:
        _send(sock, ("error", str(exc)))
        return
    limit_memory(memory_budget)
    _send(sock, ("ready", 0))
    while True:
        try:
            request = _receive(sock)
        except EOFError:
            return
        _send(sock, execute(store, request))


def limit_memory(budget: int) -> None:
    """Let this process's private memory grow by at most ``budget`` bytes from now on (0: no limit).

    Past the limit an allocation fails and the process ends (Oxigraph aborts), as a killed worker does.
    """
    if budget <= 0:
        return
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmData:"):
                limit = int(line.split()[1]) * 1024 + budget
                resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


def loader_main(fd: int, graph_path: str, in_memory_bytes: int, memory_budget: int) -> None:
    """Load the graph once, then fork a worker for each socket the server sends, until the server goes away.

    A graph file of at most ``in_memory_bytes`` is loaded into this process's memory and the workers,
    forked from it, share it copy-on-write. A larger one is loaded once into a temporary on-disk store,
    which the workers open read-only, as they open a store directory: they share the operating system's
    page cache and hold no copy of the graph.
    """
    # Ctrl-C in a terminal reaches the whole process group; the server stops the loader and the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    control = socket.socket(fileno=fd)
    path = Path(graph_path)
    source: ox.Store | Path = path
    scratch = None
    try:
        if not path.is_dir() and (not path.is_file() or path.stat().st_size <= in_memory_bytes):
            try:
                source = open_graph(path)
            except InputError as exc:
                _send(control, ("error", str(exc)))
                return
        else:
            # A larger file is loaded into a store; a store directory is served resolved across its
            # articles, as its export is, from a resolved copy (none when nothing merges).
            scratch = Path(tempfile.mkdtemp(prefix="kgbuild-serve-"))
            error = _load_in_child(path, scratch / "store")
            if error is not None:
                _send(control, ("error", error))
                return
            if (scratch / "store").exists():
                source = scratch / "store"
        _send(control, ("ready", 0))
        _fork_workers(control, source, memory_budget)
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


def _load_in_child(path: Path, store_dir: Path) -> str | None:
    """Load a graph file, or a store's resolved view, into a new on-disk store in a child process; return the error, if any.

    The child exits when the store is written, so RocksDB's threads never live in the loader, which
    stays a single-threaded process that is safe to fork.
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        message = ""
        try:
            if path.is_dir():
                store = resolved_view(open_graph(path), into=store_dir)
            else:
                store = open_graph(path, load_into=store_dir)
            if store_dir.exists():
                store.flush()
            del store
        except InputError as exc:
            message = str(exc)
        except BaseException as exc:  # noqa: BLE001 - reported to the server as one line
            message = f"{path}: cannot load: {one_line(str(exc))}"
        os.write(write_end, message.encode("utf-8"))
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as reader:
        message = reader.read().decode("utf-8")
    _, status = os.waitpid(pid, 0)
    if message:
        return message
    return None if status == 0 else f"{path}: the process loading it stopped ({status})"


def _fork_workers(control: socket.socket, source: ox.Store | Path, memory_budget: int) -> None:
    """Fork a worker for each socket received on ``control``; kill those still running when it closes."""
    children: set[int] = set()
    try:
        while True:
            message, fds, _, _ = socket.recv_fds(control, 16, 1)
            if not message or not fds:
                return
            pid = os.fork()
            if pid == 0:
                control.close()
                worker_main(socket.socket(fileno=fds[0]), source, memory_budget)
                os._exit(0)
            os.close(fds[0])
            children.add(pid)
            control.sendall(struct.pack("!Q", pid))
            children -= _reaped()
    finally:
        # The server is gone (or closed us): its workers go with it.
        for pid in children - _reaped():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def _reaped() -> set[int]:
    """Collect the exit status of every child that has ended, and return their ids."""
    ended: set[int] = set()
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return ended
        if pid == 0:
            return ended
        ended.add(pid)


class Worker:
    """A process forked by the loader, holding or opening the graph, that runs one query at a time."""

    def __init__(self, sock: socket.socket, pid: int) -> None:
        self.sock = sock
        self.pid = pid

    def wait_ready(self) -> None:
        """Wait until the worker has its graph open."""
        status, detail = _receive(self.sock)
        if status != "ready":
            self.kill()
            raise InputError(detail)

    def send(self, request: QueryRequest) -> None:
        """Hand the worker a query."""
        _send(self.sock, request)

    def answer(self, until: float) -> Response | None:
        """Return the query's response, or None if it has not come by the monotonic time ``until``."""
        # poll, not select: select cannot watch descriptors numbered past 1023, which a busy server reaches.
        poller = select.poll()
        poller.register(self.sock, select.POLLIN)
        ready = poller.poll(max(until - time.monotonic(), 0) * 1000)
        return _receive(self.sock) if ready else None

    def lower_priority(self) -> None:
        """Let every other process have the CPU first (the lowest scheduling priority)."""
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, self.pid, SLOW_NICENESS)

    def kill(self) -> None:
        """Stop the process at once, whatever it is doing (the loader, its parent, collects it)."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        self.sock.close()


class Loader:
    """The process that loads the graph once and forks the workers."""

    def __init__(self, graph_path: Path, in_memory_bytes: int, memory_budget: int) -> None:
        parent_end, child_end = socket.socketpair()
        package_root = str(Path(kgbuild.__file__).resolve().parent.parent)
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")])))
        code = ("import sys; from kgbuild.serve import loader_main; "
                "loader_main(int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))")
        self.process = subprocess.Popen(
            [sys.executable, "-c", code, str(child_end.fileno()), str(graph_path), str(in_memory_bytes),
             str(memory_budget)],
            pass_fds=[child_end.fileno()], env=env, stdin=subprocess.DEVNULL,
        )
        child_end.close()
        self.sock = parent_end
        self.lock = threading.Lock()
        status, detail = _receive(self.sock)
        if status != "ready":
            self.close()
            raise InputError(detail)

    def fork(self) -> Worker:
        """Start a worker and wait until it can take queries."""
        parent_end, child_end = socket.socketpair()
        try:
            with self.lock:
                socket.send_fds(self.sock, [b"f"], [child_end.fileno()])
                pid = struct.unpack("!Q", _receive_exactly(self.sock, 8))[0]
        finally:
            child_end.close()
        worker = Worker(parent_end, pid)
        worker.wait_ready()
        return worker

    def close(self) -> None:
        """Stop the loader, which kills any worker still running."""
        self.sock.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class WorkerPool:
    """Workers for cheap queries, and a bounded number of slow queries running on to the timeout beside them.

    A query still running after a tenth of ``slow_after`` gets a spare: a worker forked from the loader
    joins the pool, so the queries behind it do not wait (at most ``size`` spares at once). A query still
    running after ``slow_after`` seconds is slow: it leaves the pool, its spare (or a fresh worker) takes its
    place, and it runs on at the lowest CPU priority until it answers or the timeout kills it. At most
    ``max_slow`` queries are slow at once; a query that turns slow when those places are taken is stopped
    and refused with 503 and ``Retry-After``. A query that ends before it is slow leaves its spare behind
    and its own worker is stopped, so the pool goes back to ``size`` workers.
    """

    def __init__(self, graph_path: Path, settings: ServeSettings) -> None:
        self.size = max(settings.workers, 1)
        self.slow_after = settings.slow_after
        self.spare_after = settings.slow_after / 10
        self.max_slow = settings.max_slow
        self.max_query_memory = settings.max_query_memory
        self.idle: queue.Queue[Worker] = queue.Queue()
        self.workers: set[Worker] = set()
        self.slow: dict[Worker, float] = {}
        self.spares = 0
        self.lock = threading.Lock()
        self.closed = False
        self.loader = Loader(graph_path, settings.in_memory_bytes, settings.max_query_memory)
        try:
            for _ in range(self.size):
                self._add_worker()
        except BaseException:
            self.close()
            raise

    def _add_worker(self) -> None:
        """Fork a worker and make it available."""
        worker = self.loader.fork()
        with self.lock:
            self.workers.add(worker)
            if self.closed:
                worker.kill()
                return
        self.idle.put(worker)

    def _add_spare(self) -> bool:
        """Fork a spare worker unless there are ``size`` spares already; tell whether one was added."""
        with self.lock:
            if self.spares >= self.size or self.closed:
                return False
            self.spares += 1
        try:
            self._add_worker()
        except (EOFError, OSError, InputError):
            with self.lock:
                self.spares -= 1
            return False
        return True

    def _fill_place(self, spared: bool) -> None:
        """A worker has left the pool: its spare keeps the place, or a fresh worker is forked for it."""
        if spared:
            with self.lock:
                self.spares -= 1
            return
        # If the loader is gone, the endpoint is shutting down and needs no new worker.
        with contextlib.suppress(EOFError, OSError, InputError):
            self._add_worker()

    def _retire(self, worker: Worker) -> None:
        """Kill a worker that has left the pool."""
        worker.kill()
        with self.lock:
            self.workers.discard(worker)
            self.slow.pop(worker, None)

    def _take_slow_place(self, worker: Worker, deadline: float) -> bool:
        """Let a query run on as slow, at the lowest CPU priority, if one of the ``max_slow`` places is free."""
        with self.lock:
            if len(self.slow) >= self.max_slow:
                return False
            self.slow[worker] = deadline
        worker.lower_priority()
        return True

    def retry_after(self) -> int:
        """Seconds until the first slow query ends (or is killed), as a ``Retry-After`` value."""
        with self.lock:
            first = min(self.slow.values(), default=time.monotonic())
        return max(1, math.ceil(first - time.monotonic()))

    def run(self, request: QueryRequest, timeout: float) -> Response:
        """Run a query on an idle worker, stopping it if it runs past ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        try:
            worker = self.idle.get(timeout=timeout)
        except queue.Empty:
            return Response.text(HTTPStatus.SERVICE_UNAVAILABLE,
                                 f"All workers stayed busy for {timeout:g} s; try again later.", retry_after=1)
        started = time.monotonic()
        spared = False
        try:
            worker.send(request)
            response = worker.answer(min(deadline, started + self.spare_after))
            if response is None:
                spared = self._add_spare()
                response = worker.answer(min(deadline, started + self.slow_after))
            if response is not None:
                if spared:
                    self._retire(worker)
                    self._fill_place(spared)
                else:
                    self.idle.put(worker)
                return response
            if time.monotonic() < deadline and self._take_slow_place(worker, deadline):
                self._fill_place(spared)
                response = worker.answer(deadline)
                self._retire(worker)
            else:
                refused = time.monotonic() < deadline
                self._retire(worker)
                self._fill_place(spared)
                if refused:
                    return Response.text(
                        HTTPStatus.SERVICE_UNAVAILABLE,
                        f"The query ran longer than {self.slow_after:g} s while {self.max_slow} slow queries were "
                        "already running, and was stopped; try again later.", retry_after=self.retry_after())
        except (EOFError, OSError):
            with self.lock:
                was_slow = worker in self.slow
            self._retire(worker)
            if not was_slow:
                self._fill_place(spared)
            return Response.text(HTTPStatus.INTERNAL_SERVER_ERROR,
                                 "The query worker died, as it does when a query needs more than this endpoint's "
                                 f"{self.max_query_memory // 1_000_000} MB of memory; it has been replaced.")
        if response is None:
            return Response.text(HTTPStatus.SERVICE_UNAVAILABLE,
                                 f"The query ran past this endpoint's limit of {timeout:g} s and was stopped.")
        return response

    def close(self) -> None:
        """Stop every worker and the loader."""
        with self.lock:
            self.closed = True
            workers, self.workers = list(self.workers), set()
        for worker in workers:
            worker.kill()
        self.loader.close()


# ---------------------------------------------------------------- HTTP


class SparqlServer(ThreadingHTTPServer):
    """An HTTP server answering SPARQL at /sparql through a worker pool."""

    daemon_threads = True
    #: Connections the kernel queues before the server accepts them; with the default of 5 a burst of
    #: clients sees dropped connection attempts, which TCP retries only after a second.
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], pool: WorkerPool, settings: ServeSettings,
                 source: Path, query_page: bytes) -> None:
        super().__init__(address, SparqlHandler)
        self.pool = pool
        self.settings = settings
        self.source = source
        self.query_page = query_page
        self._view_page: bytes | None = None
        self._view_lock = threading.Lock()

    def view_page(self) -> bytes:
        """Return the interactive HTML view of the graph, rendered on first use."""
        with self._view_lock:
            if self._view_page is None:
                from kgbuild.export.graphview import build_view
                from kgbuild.export.html import render_html, view_data

                view = build_view(open_graph(self.source))
                self._view_page = render_html(view_data(view, self.source.name)).encode("utf-8")
            return self._view_page

    @property
    def url(self) -> str:
        """The address of the endpoint."""
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/sparql"

    def server_close(self) -> None:
        """Stop listening and stop the workers."""
        super().server_close()
        self.pool.close()


class SparqlHandler(BaseHTTPRequestHandler):
    """Answers the SPARQL 1.1 Protocol's query operation; refuses updates."""

    server: SparqlServer
    server_version = f"kgbuild/{kgbuild.__version__}"
    protocol_version = "HTTP/1.1"

    def do_OPTIONS(self) -> None:
        """Answer a CORS preflight."""
        self._respond(Response(HTTPStatus.NO_CONTENT, "text/plain", b""))

    def do_GET(self) -> None:
        """Serve the HTML page at / and queries at /sparql?query=..."""
        url = urlsplit(self.path)
        if url.path in ("/", "/index.html"):
            self._respond(Response(HTTPStatus.OK, "text/html; charset=utf-8", self.server.view_page()))
        elif url.path == "/query":
            self._respond(Response(HTTPStatus.OK, "text/html; charset=utf-8", self.server.query_page))
        elif url.path == "/sparql":
            self._respond(self._answer(parse_qs(url.query, keep_blank_values=True)))
        else:
            self._respond(Response.text(HTTPStatus.NOT_FOUND, "Not found: the SPARQL endpoint is /sparql."))

    def do_POST(self) -> None:
        """Serve queries POSTed URL-encoded or directly as application/sparql-query."""
        url = urlsplit(self.path)
        if url.path != "/sparql":
            self._respond(Response.text(HTTPStatus.NOT_FOUND, "Not found: the SPARQL endpoint is /sparql."))
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_REQUEST_BYTES:
            self.close_connection = True
            self._respond(Response.text(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                                        f"Requests are limited to {MAX_REQUEST_BYTES} bytes."))
            return
        body = self.rfile.read(length).decode("utf-8", errors="replace")
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = parse_qs(url.query, keep_blank_values=True)
        if content_type == "application/x-www-form-urlencoded":
            for name, values in parse_qs(body, keep_blank_values=True).items():
                params.setdefault(name, []).extend(values)
        elif content_type == "application/sparql-query":
            params["query"] = [body]
        elif content_type == "application/sparql-update":
            params["update"] = [body]
        else:
            self._respond(Response.text(
                HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                "POST a query as application/x-www-form-urlencoded (query=...) or as application/sparql-query.",
            ))
            return
        self._respond(self._answer(params))

    def _answer(self, params: dict[str, list[str]]) -> Response:
        """Check the protocol parameters and run the query."""
        if "update" in params:
            return Response.text(HTTPStatus.FORBIDDEN, "This endpoint is read-only: SPARQL UPDATE is refused.")
        queries = params.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            return Response.text(HTTPStatus.BAD_REQUEST,
                                 "Send exactly one SPARQL query: GET /sparql?query=... or POST it.")
        request = QueryRequest(
            sparql=queries[0],
            accept=self.headers.get("Accept", ""),
            default_graphs=tuple(params.get("default-graph-uri", [])),
            named_graphs=tuple(params.get("named-graph-uri", [])),
            max_result_bytes=self.server.settings.max_result_bytes,
        )
        return self.server.pool.run(request, self.server.settings.timeout)

    def _respond(self, response: Response) -> None:
        """Write a response with CORS headers."""
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self.send_header("Vary", "Accept")
        if response.retry_after is not None:
            self.send_header("Retry-After", str(response.retry_after))
        for name, value in _CORS_HEADERS.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class names it so
        """Log one line per request on stderr."""
        sys.stderr.write(f"kgbuild serve: {self.address_string()} {format % args}\n")


def query_page(graph_name: str, quads: int) -> bytes:
    """Return the page served at /query: a query box that shows results as a table, with no remote assets."""
    return _QUERY_PAGE.replace("{{title}}", html.escape(graph_name)).replace(
        "{{quads}}", f"{quads:,}").encode("utf-8")


def make_server(source: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
                settings: ServeSettings = ServeSettings()) -> SparqlServer:
    """Load the graph into worker processes and bind the endpoint (port 0 picks a free port)."""
    source = Path(source)
    pool = WorkerPool(source, settings)
    try:
        quads = pool.run(QueryRequest("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "text/csv"), settings.timeout)
        count = int(quads.body.decode("utf-8").split()[-1]) if quads.status == HTTPStatus.OK else 0
        return SparqlServer((host, port), pool, settings, source, query_page(source.name, count))
    except BaseException:
        pool.close()
        raise


def serve(source: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
          settings: ServeSettings = ServeSettings()) -> None:
    """Serve a graph file or store as a read-only SPARQL endpoint until interrupted."""
    try:
        server = make_server(source, host, port, settings)
    except OSError as exc:
        raise InputError(f"cannot listen on {host}:{port} ({exc.strerror or exc})") from exc
    root = server.url[: -len("sparql")]
    print(f"kgbuild: SPARQL endpoint at {server.url}; graph view at {root}, query page at {root}query",
          file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()


_QUERY_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{title}} - kgbuild SPARQL</title>
<style>
body{font:15px/1.4 system-ui,sans-serif;margin:2em auto;max-width:70em;padding:0 1em}
textarea{width:100%;height:10em;font:13px monospace}
table{border-collapse:collapse;margin-top:1em}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left}
#status{color:#555}
</style></head><body>
<h1>{{title}}</h1>
<p>{{quads}} statements (<a href="./">graph view</a>). SPARQL endpoint: <code>/sparql</code> (GET or POST, read-only).
The prefixes kgo:, rdf:, rdfs:, owl:, skos:, prov:, schema:, wd: and xsd: are predeclared.</p>
<form id="form" action="sparql" method="get">
<textarea name="query" id="query">SELECT ?subject ?relation ?object WHERE {
  ?assertion a kgo:Assertion ; rdf:subject ?subject ; rdf:predicate ?relation ; rdf:object ?object .
} LIMIT 50</textarea>
<button type="submit">Run</button> <span id="status"></span></form>
<div id="results"></div>
<script>
document.getElementById("form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const status = document.getElementById("status"), out = document.getElementById("results");
  status.textContent = "running...";
  out.textContent = "";
  const response = await fetch("sparql", {method: "POST",
    headers: {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
    body: document.getElementById("query").value});
  const text = await response.text();
  if (!response.ok || !response.headers.get("Content-Type").includes("json")) {
    status.textContent = response.status + " " + response.statusText;
    const pre = document.createElement("pre"); pre.textContent = text; out.append(pre); return;
  }
  const data = JSON.parse(text);
  if ("boolean" in data) { status.textContent = String(data.boolean); return; }
  const table = document.createElement("table"), head = table.insertRow();
  for (const name of data.head.vars) { const th = document.createElement("th"); th.textContent = name; head.append(th); }
  for (const row of data.results.bindings) {
    const tr = table.insertRow();
    for (const name of data.head.vars) { tr.insertCell().textContent = row[name] ? row[name].value : ""; }
  }
  status.textContent = data.results.bindings.length + " rows";
  out.append(table);
});
</script></body></html>
"""
