"""Run the per-article work on worker processes of this machine or on a Dask cluster.

Articles are cut into chunks of a few thousand characters and handed out with a bounded number of
chunks in flight, so neither the corpus nor its parse is ever held in memory as a whole. Each worker
loads the spaCy pipeline and the ontology once. Its results travel back as N-Triples bytes (much
cheaper to send than pickled RDF terms) and are yielded in input order, so a parallel build writes
exactly the same files as a build in one process.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import multiprocessing
import os
import pickle
import queue
import signal
import tempfile
import threading
import traceback
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from multiprocessing.context import SpawnProcess
from pathlib import Path
from typing import TYPE_CHECKING

from kgbuild.dataset import SortedDataset
from kgbuild.errors import InputError, KgbuildError
from kgbuild.export import write_format
from kgbuild.pipeline import ArticleGraph, ArticleProcessor, BuildSettings
from kgbuild.sources import Article

if TYPE_CHECKING:
    from distributed import Client, Future

#: A chunk (one task for a worker) closes once its articles hold this many characters ...
CHUNK_CHARS = 20_000
#: ... or this many articles.
CHUNK_ARTICLES = 64
#: Chunks in flight per worker: one being parsed and one waiting, so a worker never idles.
CHUNKS_IN_FLIGHT_PER_WORKER = 2
#: Chunks handed out but not yet passed on, per worker: results come back in any order and are
#: passed on in input order, so the others may finish this many chunks while one is still busy
#: with an older one instead of idling; it also bounds the results held back.
CHUNKS_AHEAD_PER_WORKER = 4
#: How long a stopped worker gets to exit before it is killed, in seconds.
STOP_GRACE_SECONDS = 5.0
#: How often the parent checks that its workers are still alive while it waits, in seconds.
POLL_SECONDS = 0.5
#: Value of ``--dask`` that starts a Dask ``LocalCluster`` on this machine.
LOCAL_CLUSTER = "local"
#: A sorted dataset whose union holds at least this many bytes of N-Triples has its outputs written
#: by two processes at once (``writing_beside``); for a smaller one, starting a process costs more
#: than it saves.
WRITE_BESIDE_BYTES = 64 << 20


def available_cores() -> int:
    """Count the CPU cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class EncodedGraph:
    """An ``ArticleGraph`` without its article: what a worker sends back."""

    sentences: int
    facts: int
    entities: tuple[str, ...]
    ntriples: bytes


def encode_graph(graph: ArticleGraph) -> EncodedGraph:
    """Pack an article's RDF for the trip back to the parent process."""
    return EncodedGraph(graph.sentences, graph.facts, tuple(sorted(graph.entities)), graph.ntriples)


def decode_graph(article: Article, encoded: EncodedGraph) -> ArticleGraph:
    """Unpack a worker's result for ``article``."""
    return ArticleGraph(article, encoded.sentences, encoded.facts, frozenset(encoded.entities), encoded.ntriples)


def chunk_articles(articles: Iterable[Article], max_chars: int = CHUNK_CHARS,
                   max_articles: int = CHUNK_ARTICLES) -> Iterator[list[Article]]:
    """Group a stream of articles into consecutive chunks of bounded size."""
    chunk: list[Article] = []
    chars = 0
    for article in articles:
        chunk.append(article)
        chars += len(article.text)
        if chars >= max_chars or len(chunk) >= max_articles:
            yield chunk
            chunk, chars = [], 0
    if chunk:
        yield chunk


def process_articles_locally(articles: Iterable[Article], settings: BuildSettings,
                             workers: int) -> Iterator[ArticleGraph]:
    """Process articles on ``workers`` processes of this machine, yielding results in input order.

    One worker, or an input that fits in one chunk, is processed in this process: starting
    workers and loading the model in each would take longer than the work itself.
    """
    chunks = chunk_articles(articles)
    head = list(itertools.islice(chunks, 2))
    if workers <= 1 or len(head) < 2:
        processor = ArticleProcessor(settings)
        # Chunk by chunk, so that spaCy never buffers more than a chunk of Docs.
        for chunk in itertools.chain(head, chunks):
            yield from processor.process(chunk)
        return
    with WorkerPool(settings, workers) as pool:
        yield from pool.process(itertools.chain(head, chunks))


class WorkerError(RuntimeError):
    """A worker process failed in a way that cannot be passed back as the original exception."""


@dataclass(frozen=True)
class _Failure:
    """What a worker sends instead of results when processing raised."""

    exception: BaseException | None
    description: str


def _failure(exc: BaseException) -> _Failure:
    """Describe an exception so that the parent can raise it again, pickled if possible."""
    description = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:  # noqa: BLE001 - any exception that does not survive pickling is described instead
        return _Failure(None, description)
    return _Failure(exc, description)


def _raise_failure(failure: _Failure) -> None:
    """Raise a worker's exception in the parent process."""
    if failure.exception is not None:
        raise failure.exception
    raise WorkerError(f"a worker process failed: {failure.description}")


def _worker_main(settings: BuildSettings, tasks: multiprocessing.Queue, results: multiprocessing.Queue) -> None:
    """Load the pipeline once, then process chunks from ``tasks`` until told to stop."""
    # The parent decides when to stop; Ctrl-C reaches the whole process group, and a worker
    # must neither die in the middle of a put nor print a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = multiprocessing.parent_process()
    try:
        processor = ArticleProcessor(settings)
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises it
        results.put((None, _failure(exc)))
        return
    while True:
        try:
            task = tasks.get(timeout=POLL_SECONDS)
        except queue.Empty:
            if parent is not None and not parent.is_alive():
                return
            continue
        if task is None:
            return
        number, chunk = task
        try:
            encoded = [encode_graph(graph) for graph in processor.process(chunk)]
        except Exception as exc:  # noqa: BLE001 - reported to the parent, which raises it
            results.put((number, _failure(exc)))
            continue
        results.put((number, encoded))


@contextmanager
def _sigint_ignored() -> Iterator[None]:
    """Ignore Ctrl-C while child processes start, so that they start with it ignored too."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


class WorkerPool:
    """Worker processes on this machine, each with its own loaded pipeline."""

    def __init__(self, settings: BuildSettings, workers: int) -> None:
        # spawn, not fork: forking a process that runs threads (BLAS, tqdm, Dask) is unsafe.
        context = multiprocessing.get_context("spawn")
        self.workers = workers
        self.outstanding = 0
        self.tasks: multiprocessing.Queue = context.Queue()
        self.results: multiprocessing.Queue = context.Queue()
        self.processes: list[SpawnProcess] = [
            context.Process(target=_worker_main, args=(settings, self.tasks, self.results),
                            name=f"kgbuild-worker-{number}", daemon=True)
            for number in range(1, workers + 1)
        ]
        with _sigint_ignored():
            for process in self.processes:
                process.start()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: object) -> None:
        self.close()

    def process(self, chunks: Iterable[list[Article]]) -> Iterator[ArticleGraph]:
        """Send chunks to the workers and yield the results in the order of the chunks."""
        in_flight = self.workers * CHUNKS_IN_FLIGHT_PER_WORKER
        ahead = self.workers * CHUNKS_AHEAD_PER_WORKER
        sent: dict[int, list[Article]] = {}
        received: dict[int, list[EncodedGraph]] = {}
        chunks = iter(chunks)
        next_number = next_out = 0
        exhausted = False
        while True:
            # A worker's finished chunk is replaced at once, even while an older chunk holds up the output.
            while not exhausted and self.outstanding < in_flight and len(sent) < ahead:
                chunk = next(chunks, None)
                if chunk is None:
                    exhausted = True
                    break
                self.tasks.put((next_number, chunk))
                self.outstanding += 1
                sent[next_number] = chunk
                next_number += 1
            if next_out == next_number:
                return
            if next_out not in received:
                number, result = self._next_result()
                received[number] = result
                self.outstanding -= 1
                continue
            chunk, result = sent.pop(next_out), received.pop(next_out)
            next_out += 1
            for article, encoded in zip(chunk, result):
                yield decode_graph(article, encoded)

    def _next_result(self) -> tuple[int, list[EncodedGraph]]:
        """Wait for the next finished chunk, raising if a worker failed or died."""
        while True:
            try:
                number, result = self.results.get(timeout=POLL_SECONDS)
            except queue.Empty:
                for process in self.processes:
                    if process.exitcode is not None:
                        raise WorkerError(f"worker process {process.name} stopped unexpectedly "
                                          f"(exit code {process.exitcode})") from None
                continue
            if isinstance(result, _Failure):
                _raise_failure(result)
            return number, result

    def close(self) -> None:
        """Stop the workers: politely when all work is done, at once after an error or interrupt."""
        if self.outstanding == 0:
            for _ in self.processes:
                self.tasks.put(None)
        else:
            for process in self.processes:
                if process.is_alive():
                    process.terminate()
        for process in self.processes:
            process.join(STOP_GRACE_SECONDS)
            if process.is_alive():
                process.kill()
                process.join()
        # Unsent tasks must not keep this process from exiting once the workers are gone.
        self.tasks.cancel_join_thread()
        self.tasks.close()
        self.results.close()


# --- Writing outputs in a second process -----------------------------------------------------

#: One output for the writer process: (format, path, title, folder), as ``write_format`` takes them.
WriteJob = tuple[str, Path, str, str]


def _stop_on_sigterm(signum: int, frame: object) -> None:
    """Stop the writer like Ctrl-C stops a build, so that its half-written temporary file is removed."""
    raise KeyboardInterrupt


def _writer_main(dataset: SortedDataset, jobs: list[WriteJob], results: multiprocessing.Queue) -> None:
    """Write each output of ``jobs`` from a finished dataset, then report None or the failure."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        for fmt, path, title, folder in jobs:
            write_format(dataset, path, fmt, title=title, folder=folder)
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises it
        results.put(_failure(exc))
        return
    results.put(None)


@contextmanager
def writing_beside(dataset: SortedDataset, jobs: list[WriteJob]) -> Iterator[None]:
    """Write ``jobs`` from a finished dataset in a second process while the block runs, and wait for it after.

    The block's own writing (the view, the slowest) and these outputs then take one core each,
    after the last article, when the worker processes are gone. An error in either stops both.
    """
    if not jobs:
        yield
        return
    context = multiprocessing.get_context("spawn")
    results: multiprocessing.Queue = context.Queue()
    with _sigint_ignored():
        process = context.Process(target=_writer_main, args=(dataset, jobs, results), name="kgbuild-writer",
                                  daemon=True)
        process.start()
    try:
        yield
        outcome = _writer_outcome(process, results)
    finally:
        if process.is_alive():
            process.terminate()
        process.join(STOP_GRACE_SECONDS)
        if process.is_alive():
            process.kill()
            process.join()
        results.close()
    if outcome is not None:
        _raise_failure(outcome)


def _writer_outcome(process: SpawnProcess, results: multiprocessing.Queue) -> _Failure | None:
    """Wait for the writer's report, raising if it died without one."""
    while True:
        try:
            return results.get(timeout=POLL_SECONDS)
        except queue.Empty:
            if process.exitcode is None:
                continue
        # It has exited: its report, if it made one, is in the pipe by now.
        try:
            return results.get(timeout=POLL_SECONDS)
        except queue.Empty:
            raise WorkerError(f"the writer process stopped unexpectedly (exit code {process.exitcode})") from None


# --- Dask -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ShippedFile:
    """A file that the client sends along to cluster workers, which may not share its file system."""

    name: str
    content: bytes


_worker_processors: dict[tuple[BuildSettings, tuple[ShippedFile, ...]], ArticleProcessor] = {}
_worker_lock = threading.Lock()


def ship_ontology_files(settings: BuildSettings) -> tuple[ShippedFile, ...]:
    """Read the extra ontology files on the client, to be written out again on each worker."""
    try:
        return tuple(ShippedFile(Path(path).name, Path(path).read_bytes()) for path in settings.ontology_files)
    except OSError as exc:
        raise InputError(f"cannot read ontology file ({exc.strerror or exc})", exc.filename or "") from exc


def _unpack_on_worker(settings: BuildSettings, files: tuple[ShippedFile, ...]) -> BuildSettings:
    """Write shipped ontology files to a folder on this worker and point the settings at them."""
    if not files:
        return settings
    digest = hashlib.sha256(b"".join(f.name.encode() + b"\0" + f.content for f in files)).hexdigest()[:16]
    folder = Path(tempfile.gettempdir()) / f"kgbuild-ontology-{digest}"
    folder.mkdir(exist_ok=True)
    paths = []
    for number, shipped in enumerate(files):
        # Numbered, so that files of the same name stay apart and keep their order.
        path = folder / f"{number:03d}-{shipped.name}"
        if not path.exists():
            path.write_bytes(shipped.content)
        paths.append(path)
    return replace(settings, ontology_files=tuple(paths))


def process_chunk_on_dask_worker(settings: BuildSettings, files: tuple[ShippedFile, ...],
                                 chunk: list[Article]) -> list[EncodedGraph]:
    """Process one chunk on a Dask worker, loading the pipeline on the first call only."""
    # A Dask worker may run tasks on several threads; one loaded pipeline serves them in turn.
    with _worker_lock:
        processor = _worker_processors.get((settings, files))
        if processor is None:
            processor = ArticleProcessor(_unpack_on_worker(settings, files))
            _worker_processors[(settings, files)] = processor
        return [encode_graph(graph) for graph in processor.process(chunk)]


def process_articles_on_dask(articles: Iterable[Article], settings: BuildSettings, address: str,
                             workers: int) -> Iterator[ArticleGraph]:
    """Process articles on a Dask cluster (or a ``LocalCluster`` of ``workers`` processes) in input order."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise KgbuildError("--dask needs Dask distributed: pip install 'kgbuild[dask]'") from exc

    files = ship_ontology_files(settings)
    if address == LOCAL_CLUSTER:
        with _sigint_ignored():
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                   host="127.0.0.1", dashboard_address=None,
                                   silence_logs=logging.ERROR)
        with cluster, Client(cluster) as client:
            yield from _process_with_client(client, articles, settings, files)
        return
    try:
        client = Client(address)
    except (OSError, ValueError) as exc:
        raise KgbuildError(f"cannot connect to the Dask scheduler at {address} ({exc})") from exc
    with client:
        yield from _process_with_client(client, articles, settings, files)


def _process_with_client(client: Client, articles: Iterable[Article], settings: BuildSettings,
                         files: tuple[ShippedFile, ...]) -> Iterator[ArticleGraph]:
    """Submit chunks to a Dask client with a bounded number in flight and yield results in order."""
    limit = max(1, sum(client.nthreads().values())) * CHUNKS_IN_FLIGHT_PER_WORKER
    in_flight: deque[tuple[list[Article], Future]] = deque()
    for chunk in chunk_articles(articles):
        # pure=False: two chunks with equal content are still two tasks, never a cached result.
        future = client.submit(process_chunk_on_dask_worker, settings, files, chunk, pure=False)
        in_flight.append((chunk, future))
        if len(in_flight) >= limit:
            yield from _gather_oldest(in_flight)
    while in_flight:
        yield from _gather_oldest(in_flight)


def _gather_oldest(in_flight: deque[tuple[list[Article], Future]]) -> Iterator[ArticleGraph]:
    """Wait for the oldest chunk in flight and yield its articles' results."""
    chunk, future = in_flight.popleft()
    for article, encoded in zip(chunk, future.result()):
        yield decode_graph(article, encoded)
