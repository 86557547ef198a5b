"""A dataset as sorted, distinct N-Triples and N-Quads in temporary files: what every exporter reads.

A build adds each article's graph as it arrives; the lines go into sorted runs on disk once a run
holds ``RUN_BYTES``, and ``finish`` merges the runs (``heapq.merge``). So memory stays bounded by
the run size however large the corpus is, most of the sorting happens while the workers are still
parsing, and the exporters stream the merged files instead of holding the graph:

- ``triples_path``: the union of all graphs as sorted, distinct N-Triples lines. Sorted lines
  keep each subject's triples together, which the Turtle writer and the view rely on. Its line
  count is the build's triple count.
- ``quads_path`` (with ``by_graph=True``, for N-Quads and TriG): the default graph's own triples
  first, then each named graph by name, each graph's lines sorted.

A store whose default graph holds the union of its named graphs (``kgbuild.store`` keeps one so)
exports the same as the file it was loaded from: default-graph triples that a named graph also
states are not repeated in ``quads_path``.
"""

from __future__ import annotations

import hashlib
import heapq
import itertools
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

import pyoxigraph as ox

from kgbuild.errors import OutputError
from kgbuild.resolve import EntityTable, LineRewriter, Resolution, rewrite_keyed

#: A sorted run is written to disk once its lines hold this many bytes.
RUN_BYTES = 16 << 20
#: Files are read in blocks of this many bytes, cut at line ends.
BLOCK_BYTES = 1 << 20

_NTRIPLES = ox.RdfFormat.N_TRIPLES


class _Sorter:
    """Collect lines (each ending in a newline) and give them back sorted and distinct."""

    def __init__(self, folder: Path, name: str) -> None:
        self.folder = folder
        self.name = name
        self.lines: list[bytes] = []
        self.size = 0
        self.runs: list[Path] = []

    def add(self, lines: list[bytes], size: int) -> None:
        """Add lines that hold ``size`` bytes in all."""
        self.lines += lines
        self.size += size
        if self.size >= RUN_BYTES:
            self._spill()

    def _spill(self) -> None:
        run = self.folder / f"{self.name}-{len(self.runs):05d}"
        with temporary_files(self.folder):
            run.write_bytes(b"".join(sorted(set(self.lines))))
        self.runs.append(run)
        self.lines, self.size = [], 0

    def merged(self, files: ExitStack) -> Iterator[bytes]:
        """Yield every line once, in byte order; run files opened on the way are closed by ``files``."""
        if not self.runs:
            return iter(sorted(set(self.lines)))
        if self.lines:
            self._spill()
        return _distinct(heapq.merge(*(files.enter_context(run.open("rb")) for run in self.runs)))

    def rewrite(self, changed_lines: Callable[[bytes], list[int]],
                rewrite_line: Callable[[bytes], list[bytes] | None]) -> None:
        """Pass the lines that ``changed_lines`` finds in a block through ``rewrite_line`` (None keeps a line, a list replaces it).

        Run by run and block by block, without merging: the lines kept stay in order in their run,
        and the lines written are sorted into new runs, so ``merged`` gives the rewritten lines
        sorted and distinct again.
        """
        if self.lines:
            self._spill()
        written = _Sorter(self.folder, f"{self.name}-rewritten")
        kept_runs = []
        with temporary_files(self.folder):
            for number, run in enumerate(self.runs):
                kept = self.folder / f"{self.name}-kept-{number:05d}"
                with kept.open("wb") as out:
                    for block in read_blocks(run):
                        out.write(_rewritten(block, changed_lines(block), rewrite_line, written))
                run.unlink()
                kept_runs.append(kept)
            if written.lines:
                written._spill()
        self.runs = kept_runs + written.runs


def _rewritten(block: bytes, starts: list[int], rewrite_line: Callable[[bytes], list[bytes] | None],
               written: _Sorter) -> bytes:
    """Return ``block`` without the lines at ``starts`` that ``rewrite_line`` replaces; add their replacements to ``written``."""
    pieces: list[bytes] = []
    last = 0
    for start in starts:
        end = block.index(b"\n", start) + 1
        lines = rewrite_line(block[start:end])
        if lines is not None:
            pieces.append(block[last:start])
            last = end
            if lines:
                written.add(lines, sum(map(len, lines)))
    if not pieces:
        return block
    pieces.append(block[last:])
    return b"".join(pieces)


def _distinct(lines: Iterable[bytes]) -> Iterator[bytes]:
    """Drop adjacent repeats from sorted lines."""
    previous = None
    for line in lines:
        if line != previous:
            yield line
            previous = line


def _minus(lines: Iterable[bytes], removed: Iterator[bytes]) -> Iterator[bytes]:
    """Yield the sorted ``lines`` that the sorted ``removed`` does not hold."""
    other = next(removed, None)
    for line in lines:
        while other is not None and other < line:
            other = next(removed, None)
        if line != other:
            yield line


def read_blocks(path: Path) -> Iterator[bytes]:
    """Yield a file in blocks of about ``BLOCK_BYTES`` that end at line ends (the last one gets a newline)."""
    with path.open("rb") as handle:
        rest = b""
        while block := handle.read(BLOCK_BYTES):
            block = rest + block
            cut = block.rfind(b"\n") + 1
            rest = block[cut:]
            if cut:
                yield block[:cut]
        if rest:
            yield rest + b"\n"


def subject_line_groups(path: Path) -> Iterator[list[bytes]]:
    """Yield the lines of an N-Triples file sorted by subject (``triples_path``) in runs that share a subject."""
    group: list[bytes] = []
    subject = None
    for block in read_blocks(path):
        # A subject is an IRI or a blank node label: it never holds a space.
        for line_subject, run in itertools.groupby(block.splitlines(keepends=True),
                                                   key=lambda line: line[:line.index(b" ")]):
            if line_subject != subject and group:
                yield group
                group = []
            subject = line_subject
            group += run
    if group:
        yield group


Subject = tuple[ox.NamedNode | ox.BlankNode, dict[str, list]]


def parse_subjects(groups: Iterable[list[bytes]], batch_lines: int = 5_000) -> Iterator[Subject]:
    """Parse runs of N-Triples lines, one run per subject, into (subject, values by predicate IRI).

    The runs are parsed a few thousand lines at a time, so only the lines a caller wants become
    terms, and never all of them at once.
    """
    batch: list[list[bytes]] = []
    size = 0
    for group in groups:
        batch.append(group)
        size += len(group)
        if size >= batch_lines:
            yield from parse_grouped(b"".join(line for run in batch for line in run), map(len, batch))
            batch, size = [], 0
    yield from parse_grouped(b"".join(line for run in batch for line in run), map(len, batch))


def parse_grouped(ntriples: bytes | BinaryIO, group_sizes: Iterable[int]) -> Iterator[Subject]:
    """Parse N-Triples made of consecutive runs of lines, one run per subject, whose sizes are given."""
    # One line is one triple, so the parsed triples split into the runs by their sizes.
    triples = ox.parse(ntriples, format=_NTRIPLES)
    for size in group_sizes:
        props: dict[str, list] = defaultdict(list)
        for quad in itertools.islice(triples, size):
            props[quad.predicate.value].append(quad.object)
        yield quad.subject, props


@contextmanager
def temporary_files(folder: Path) -> Iterator[None]:
    """Turn a failure to write the temporary files (a full disk, say) into an error that says what to do."""
    try:
        yield
    except OSError as exc:
        raise OutputError(f"cannot write temporary sort files ({exc.strerror or exc}); set TMPDIR to a folder "
                          "with more free space", folder) from exc


class SortedDataset:
    """Graphs added one by one, sorted and merged on disk for streaming export; use it as a context."""

    def __init__(self, *, by_graph: bool = False, entities: EntityTable | None = None) -> None:
        self.by_graph = by_graph
        #: With an entity table, the entities it collects are resolved across graphs (kgbuild.resolve).
        self._entities = entities
        #: The merge map applied by ``finish`` (empty without an entity table).
        self.resolution = Resolution()
        with temporary_files(Path(tempfile.gettempdir())):
            self.folder = Path(tempfile.mkdtemp(prefix="kgbuild-"))
        self._default = _Sorter(self.folder, "default")
        self._named = _Sorter(self.folder, "named")
        self._keyed = _Sorter(self.folder, "keyed")
        self.triples_path = self.folder / "union.nt"
        self.quads_path = self.folder / "dataset.nq"
        #: Distinct triples of the union of all graphs, known once ``finish`` has run.
        self.triples = 0
        self.finished = False

    def __enter__(self) -> SortedDataset:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Delete the temporary files."""
        shutil.rmtree(self.folder, ignore_errors=True)

    def __getstate__(self) -> dict:
        """Send a finished dataset to another process as the names of its files, to read but not remove."""
        if not self.finished:
            raise TypeError("only a finished SortedDataset can be sent to another process")
        return {**self.__dict__, "_entities": None}

    def add_graph(self, graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph, ntriples: bytes) -> None:
        """Add the triples of one graph (or part of it), given as N-Triples."""
        if self.finished:
            raise RuntimeError("the dataset is finished; no graphs can be added")
        if self._entities is not None:
            self._entities.add_ntriples(ntriples)
        lines, size = ntriples.splitlines(keepends=True), len(ntriples)
        if isinstance(graph, ox.DefaultGraph):
            self._default.add(lines, size)
            return
        self._named.add(lines, size)
        if self.by_graph:
            label = str(graph).encode() + b" "
            self._keyed.add([label + line for line in lines], size + len(label) * len(lines))

    def add_store(self, store: ox.Store) -> None:
        """Add every graph of a store, one graph at a time."""
        for graph in [ox.DefaultGraph(), *store.named_graphs()]:
            # Through a file, so that even a large default graph is read in blocks.
            dump = self.folder / "graph.nt"
            store.dump(output=str(dump), format=_NTRIPLES, from_graph=graph)
            for block in read_blocks(dump):
                self.add_graph(graph, block)
            dump.unlink()

    def finish(self) -> SortedDataset:
        """Merge everything added into ``triples_path`` (and ``quads_path``); count the triples."""
        if self.finished:
            return self
        self.finished = True
        if self._entities is not None:
            self._resolve(self._entities)
        with temporary_files(self.folder), ExitStack() as files, self.triples_path.open("wb") as out:
            buffer: list[bytes] = []
            for line in _distinct(heapq.merge(self._default.merged(files), self._named.merged(files))):
                buffer.append(line)
                if len(buffer) >= 10_000:
                    out.writelines(buffer)
                    self.triples += len(buffer)
                    buffer.clear()
            out.writelines(buffer)
            self.triples += len(buffer)
        if self.by_graph:
            with temporary_files(self.folder), ExitStack() as files, self.quads_path.open("wb") as out:
                out.writelines(_minus(self._default.merged(files), self._named.merged(files)))
                for line in self._keyed.merged(files):
                    graph, triple = line.split(b" ", 1)
                    out.write(triple[:-3] + b" " + graph + b" .\n")
        for sorter in (self._default, self._named, self._keyed):
            for run in sorter.runs:
                run.unlink()
            sorter.lines, sorter.runs = [], []
        return self

    def _resolve(self, entities: EntityTable) -> None:
        """Compute the merge map of the entities and rewrite every sorted line by it."""
        self.resolution = entities.resolution()
        rewrite = LineRewriter(self.resolution, entities.entity_namespace)
        if not rewrite:
            return
        self._default.rewrite(rewrite.changed_lines, rewrite)
        self._named.rewrite(rewrite.changed_lines, rewrite)
        if self.by_graph:
            self._keyed.rewrite(rewrite.changed_lines, rewrite_keyed(rewrite))

    @classmethod
    def of_store(cls, store: ox.Store, *, by_graph: bool = False,
                 entities: EntityTable | None = None) -> SortedDataset:
        """Return the finished dataset of a store's graphs (the caller closes it)."""
        dataset = cls(by_graph=by_graph, entities=entities)
        try:
            # A parser names blank nodes at random; canonical names keep the export byte-identical.
            dataset.add_store(with_canonical_blank_nodes(store) if has_blank_nodes(store) else store)
            return dataset.finish()
        except BaseException:
            dataset.close()
            raise


_BLANK_NODE_ASK = """ASK {
  { ?s ?p ?o FILTER (isBlank(?s) || isBlank(?o)) }
  UNION
  { GRAPH ?g { ?s ?p ?o } FILTER (isBlank(?g) || isBlank(?s) || isBlank(?o)) }
}"""


def has_blank_nodes(store: ox.Store) -> bool:
    """Tell whether any quad of ``store`` has a blank node (text such as "_:" inside an IRI does not count)."""
    return bool(store.query(_BLANK_NODE_ASK))


def with_canonical_blank_nodes(store: ox.Store, rounds: int = 8) -> ox.Store:
    """Return a copy of ``store`` whose blank nodes are named by a hash of their surroundings.

    A parser names blank nodes at random, so the same file would export differently on each
    load. Each blank node gets a colour from its quads, refined with its neighbours' colours
    (Weisfeiler-Leman style) until the colouring is stable; blank nodes that still share a
    colour are interchangeable in all but rare, highly symmetric graphs.
    """
    quads = list(store)
    touching: dict[ox.BlankNode, list[ox.Quad]] = {}
    for quad in quads:
        for term in {quad.subject, quad.object, quad.graph_name}:
            if isinstance(term, ox.BlankNode):
                touching.setdefault(term, []).append(quad)
    colour = {node: "" for node in touching}
    for _ in range(rounds):
        refined = {
            node: hashlib.sha256("\n".join(sorted(
                " ".join(_masked(term, node, colour) for term in (q.subject, q.predicate, q.object, q.graph_name))
                for q in node_quads
            )).encode()).hexdigest()
            for node, node_quads in touching.items()
        }
        settled = len(set(refined.values())) == len(set(colour.values()))
        colour = refined
        if settled:
            break
    names: dict[ox.BlankNode, ox.BlankNode] = {}
    taken: dict[str, int] = {}
    for node in sorted(touching, key=lambda node: colour[node]):
        stem = "b" + colour[node][:20]
        taken[stem] = taken.get(stem, 0) + 1
        names[node] = ox.BlankNode(stem if taken[stem] == 1 else f"{stem}x{taken[stem]}")
    renamed = ox.Store()
    renamed.extend(ox.Quad(names.get(q.subject, q.subject), q.predicate, names.get(q.object, q.object),
                           names.get(q.graph_name, q.graph_name)) for q in quads)
    return renamed


def _masked(term: object, node: ox.BlankNode, colour: dict[ox.BlankNode, str]) -> str:
    """Write a term for a blank node's signature: itself as '@', other blank nodes by colour."""
    if term == node:
        return "@"
    if isinstance(term, ox.BlankNode):
        return "_:" + colour[term]
    return "" if isinstance(term, ox.DefaultGraph) else str(term)


@contextmanager
def sorted_dataset(source: ox.Store | SortedDataset, *, by_graph: bool = False) -> Iterator[SortedDataset]:
    """Give a finished dataset for ``source``: itself if it is one, else a temporary one of the store.

    A store that holds kgbuild article graphs (a ``--store``, or a TriG or N-Quads build output) is
    resolved across its articles as a build resolves them, so exporting a store gives what the
    build would have written; a graph that is resolved already stays as it is.
    """
    if isinstance(source, SortedDataset):
        if by_graph and not source.by_graph:
            raise ValueError("this dataset was made without by_graph=True, so it has no graph-by-graph order")
        yield source.finish()
        return
    with SortedDataset.of_store(source, by_graph=by_graph, entities=_article_entities(source)) as dataset:
        yield dataset


def _article_entities(store: ox.Store) -> EntityTable | None:
    """Return an entity table for the entities minted under the base IRI of the store's article graphs, if any."""
    from kgbuild.ontology import load_ontology
    from kgbuild.store import article_base_iris

    bases = article_base_iris(store)
    if len(bases) != 1:
        return None
    return EntityTable.of(bases.pop(), load_ontology())

