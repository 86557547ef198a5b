"""The build: read articles, extract, normalize, collect RDF and write the outputs."""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph

from kgbuild.dataset import SortedDataset
from kgbuild.errors import InputError, OutputError
from kgbuild.export import write_format
from kgbuild.ontology import load_ontology
from kgbuild.resolve import EntityTable
from kgbuild.sources import SUFFIXES, Article, Skipped, expand_paths, read_articles
from kgbuild.store import article_ids, open_store, replace_article
from kgbuild.vocab import DEFAULT_BASE_IRI

if TYPE_CHECKING:
    from kgbuild.normalize import Fact

# kgbuild.extract, .normalize and .graph import spaCy (seconds), so they are imported where they
# are used, to keep `kgbuild --help` and the other commands quick; kgbuild.parallel imports this
# module, so it is imported where it is used too.

#: Output formats that ``build`` writes by default, as ``graph.<ext>`` in the output folder.
DEFAULT_FORMATS: tuple[str, ...] = ("ttl", "html")
#: Output formats that keep the named graphs apart, so the dataset must sort graph by graph.
GRAPH_FORMATS = frozenset(("nq", "trig"))


@dataclass
class BuildReport:
    """What a build read, skipped and produced."""

    articles: int = 0
    sentences: int = 0
    facts: int = 0
    entities: int = 0
    triples: int = 0
    seconds: float = 0.0
    skipped: list[Skipped] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    #: Articles already in the ``--store`` with the same content hash, so not parsed again.
    unchanged: int = 0
    #: Entity IRIs merged into another across articles (kgbuild.resolve).
    merged: int = 0

    def summary(self) -> str:
        """Return the one-line summary printed at the end of a build."""
        line = (
            f"{self.articles} articles, {self.sentences} sentences, {self.entities} entities, "
            f"{self.facts} facts, {self.triples} triples in {self.seconds:.1f} s"
        )
        if self.merged:
            line += f"; {self.merged} entity nodes merged across articles"
        if self.unchanged:
            line += f"; {self.unchanged} unchanged articles already in the store"
        if self.skipped:
            line += f"; {len(self.skipped)} inputs skipped"
        return line


def check_writable_folder(folder: Path) -> None:
    """Fail before any work if the output folder cannot be created or written."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the output folder ({exc.strerror or exc})", folder) from exc
    if not folder.is_dir():
        raise OutputError("output path exists and is not a folder", folder)
    probe = folder / ".kgbuild-write-test"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise OutputError(f"output folder is not writable ({exc.strerror or exc})", folder) from exc


def check_inputs(paths: Sequence[Path]) -> None:
    """Fail before any work if an input is missing or there are no article files at all."""
    if not any(True for _ in expand_paths(paths)):
        where = ", ".join(str(p) for p in paths)
        raise InputError(f"no article files ({', '.join(SUFFIXES)}) found", where)


def _articles_only(items: Iterable[Article | Skipped], report: BuildReport) -> Iterator[Article]:
    """Pass articles through and record every skipped input in the report."""
    for item in items:
        if isinstance(item, Skipped):
            report.skipped.append(item)
        else:
            yield item


@dataclass(frozen=True)
class BuildSettings:
    """What a worker needs to turn articles into RDF; small and picklable."""

    model: str | None = None
    base_iri: str = DEFAULT_BASE_IRI
    ontology_files: tuple[Path, ...] = ()


@dataclass(frozen=True)
class ArticleGraph:
    """The RDF of one article, with the counts the run summary needs."""

    article: Article
    sentences: int
    facts: int
    entities: frozenset[str]
    #: The triples of the article's named graph, as N-Triples: compact to send between processes,
    #: and what the sorted dataset takes without parsing.
    ntriples: bytes

    def triples(self) -> Iterator[pyoxigraph.Quad]:
        """Parse the article's triples."""
        # lenient: these N-Triples were written by kgbuild.graph from valid terms.
        return pyoxigraph.parse(self.ntriples, format=pyoxigraph.RdfFormat.N_TRIPLES, lenient=True)


class ArticleProcessor:
    """Turns articles into ``ArticleGraph``s with one loaded spaCy pipeline and ontology."""

    def __init__(self, settings: BuildSettings) -> None:
        from kgbuild.extract import DEFAULT_MODEL, load_pipeline

        self.settings = settings
        self.ontology = load_ontology(settings.ontology_files)
        # The mention finder learns the head nouns and names of --ontology files too.
        self.nlp = load_pipeline(settings.model or DEFAULT_MODEL, **self.ontology.mention_tables())

    def process(self, articles: Iterable[Article]) -> Iterator[ArticleGraph]:
        """Parse, extract and normalize a stream of articles, yielding each one's RDF in order."""
        from kgbuild.extract import extract_doc
        from kgbuild.graph import article_ntriples
        from kgbuild.normalize import entity_mentions, normalize

        base_iri = self.settings.base_iri
        for doc, article in self.nlp.pipe(((a.text, a) for a in articles), as_tuples=True):
            extraction = extract_doc(doc, article)
            facts = normalize(extraction, self.ontology, base_iri)
            mentions = entity_mentions(extraction, self.ontology, base_iri)
            yield ArticleGraph(
                article=article,
                sentences=extraction.sentence_count,
                facts=len(facts),
                entities=frozenset(_entity_iris(facts)),
                ntriples=article_ntriples(article, facts, self.ontology, base_iri, mentions),
            )


def process_articles(articles: Iterable[Article], settings: BuildSettings, *, workers: int = 1,
                     dask: str | None = None) -> Iterator[ArticleGraph]:
    """Turn a stream of articles into a stream of their RDF, in input order.

    ``workers`` > 1 runs that many worker processes; ``dask`` is a Dask scheduler address, or
    ``"local"`` for a cluster of ``workers`` processes on this machine.
    """
    from kgbuild import parallel

    if dask:
        yield from parallel.process_articles_on_dask(articles, settings, dask, workers)
    else:
        yield from parallel.process_articles_locally(articles, settings, workers)


def build_graph(
    paths: Sequence[Path],
    settings: BuildSettings = BuildSettings(),
    *,
    report: BuildReport | None = None,
    on_article: Callable[[Article], None] | None = None,
    workers: int = 1,
    dask: str | None = None,
    store: pyoxigraph.Store | None = None,
) -> pyoxigraph.Store:
    """Read ``paths`` into a store with one named graph per article (a new in-memory one by default).

    Into a given (persistent) store, articles whose content hash is already there are skipped
    and each new article is written in one transaction (see ``kgbuild.store``). The report's
    triple count is left to whoever exports the store: ``SortedDataset`` counts while it sorts.
    """
    from kgbuild.named_graphs import article_iri, ontology_quads

    report = report if report is not None else BuildReport()
    persistent = store is not None
    store = store if store is not None else pyoxigraph.Store()

    def add(result: ArticleGraph) -> None:
        graph = article_iri(result.article.id, settings.base_iri)
        if persistent:
            replace_article(store, graph, result.triples())
        else:
            store.bulk_extend(pyoxigraph.Quad(t.subject, t.predicate, t.object, graph) for t in result.triples())

    _process_paths(paths, settings, add, report=report, on_article=on_article, workers=workers, dask=dask,
                   known=article_ids(store) if persistent else set())
    # The ontology terms in their own graph, as build_dataset does.
    store.bulk_extend(ontology_quads(load_ontology(settings.ontology_files), settings.base_iri))
    return store


def build_dataset(
    paths: Sequence[Path],
    dataset: SortedDataset,
    settings: BuildSettings = BuildSettings(),
    *,
    report: BuildReport | None = None,
    on_article: Callable[[Article], None] | None = None,
    workers: int = 1,
    dask: str | None = None,
) -> SortedDataset:
    """Read ``paths`` into a sorted dataset, one named graph per article, and finish it.

    Unlike a store, the dataset keeps its sorted runs on disk, so a build's memory does not grow
    with the corpus; the exporters stream it.
    """
    from kgbuild.named_graphs import article_iri, ntriples_of, ontology_graph_iri, ontology_quads

    report = report if report is not None else BuildReport()

    def add(result: ArticleGraph) -> None:
        dataset.add_graph(article_iri(result.article.id, settings.base_iri), result.ntriples)

    _process_paths(paths, settings, add, report=report, on_article=on_article, workers=workers, dask=dask)
    # The ontology's classes and properties (labels, hierarchy, alignments) in their own graph, so
    # the output explains its terms and queries can use rdfs:subClassOf* (docs/graph-model.md).
    ontology = ontology_quads(load_ontology(settings.ontology_files), settings.base_iri)
    dataset.add_graph(ontology_graph_iri(settings.base_iri), ntriples_of(ontology))
    dataset.finish()
    report.triples = dataset.triples
    report.merged = len(dataset.resolution.canonical)
    return dataset


def _process_paths(
    paths: Sequence[Path],
    settings: BuildSettings,
    add: Callable[[ArticleGraph], None],
    *,
    report: BuildReport,
    on_article: Callable[[Article], None] | None,
    workers: int,
    dask: str | None,
    known: Collection[str] = (),
) -> None:
    """Process the articles under ``paths`` and hand each one's RDF to ``add``, counting into ``report``.

    Articles whose id is in ``known`` are counted as unchanged and not processed again.
    """
    entities: set[str] = set()
    articles = _articles_only(read_articles(paths), report)
    if known:
        articles = _new_articles_only(articles, known, report)
    for result in process_articles(articles, settings, workers=workers, dask=dask):
        add(result)
        report.articles += 1
        report.sentences += result.sentences
        report.facts += result.facts
        entities.update(result.entities)
        if on_article:
            on_article(result.article)
    if report.articles == 0 and not report.unchanged:
        reasons = "; ".join(f"{s.path}: {s.reason}" for s in report.skipped[:3])
        where = ", ".join(str(p) for p in paths)
        raise InputError(f"no articles to read{f' ({reasons})' if reasons else ''}", where)
    report.entities = len(entities)


def _new_articles_only(articles: Iterable[Article], known: Collection[str], report: BuildReport) -> Iterator[Article]:
    """Pass on the articles whose id (content hash) is not in ``known``; count the others."""
    for article in articles:
        if article.id in known:
            report.unchanged += 1
        else:
            yield article


def write_outputs(source: pyoxigraph.Store | SortedDataset, out_dir: Path, formats: Sequence[str],
                  title: str, folder: str = "", *, processes: int = 1) -> list[Path]:
    """Write ``graph.<format>`` files for each format into ``out_dir``, each atomically.

    With ``processes`` > 1 and a large sorted dataset, a second process writes the other formats
    while this one writes the view (or the first format), so the two take a core each.
    """
    from kgbuild.parallel import WRITE_BESIDE_BYTES, writing_beside

    targets = [(fmt, Path(out_dir) / f"graph.{fmt}") for fmt in formats]
    here = "html" if "html" in formats else formats[0] if formats else ""
    beside = []
    if (processes > 1 and len(set(formats)) > 1 and isinstance(source, SortedDataset)
            and source.finish().triples_path.stat().st_size >= WRITE_BESIDE_BYTES):
        beside = [(fmt, target, title, folder) for fmt, target in targets if fmt != here]
    with writing_beside(source, beside):
        for fmt, target in targets:
            if not beside or fmt == here:
                write_format(source, target, fmt, title=title, folder=folder)
    return [target for _, target in targets]


def build(
    paths: Sequence[Path],
    out_dir: Path,
    *,
    model: str | None = None,
    base_iri: str = DEFAULT_BASE_IRI,
    ontology_files: Sequence[Path] = (),
    formats: Sequence[str] = DEFAULT_FORMATS,
    on_article: Callable[[Article], None] | None = None,
    workers: int | None = None,
    dask: str | None = None,
    store_dir: Path | None = None,
    title: str | None = None,
    folder: str | None = None,
) -> BuildReport:
    """Build the knowledge graph of the articles under ``paths`` and write it to ``out_dir``.

    ``workers`` defaults to the number of available cores; see ``process_articles`` for ``dask``.
    With ``store_dir``, the articles are added to that on-disk store and the outputs show
    everything in it. ``title`` names the view (default: the article's title, or "N articles"
    and ``folder``, by default the name of the folder that holds the inputs).
    """
    from kgbuild.parallel import available_cores

    started = time.perf_counter()
    out_dir = Path(out_dir)
    check_inputs(paths)
    check_writable_folder(out_dir)
    report = BuildReport()
    settings = BuildSettings(model=model, base_iri=base_iri, ontology_files=tuple(ontology_files))

    workers = workers or available_cores()
    folder = common_folder(paths) if folder is None else folder
    by_graph = any(fmt in GRAPH_FORMATS for fmt in formats)
    entities = EntityTable.of(base_iri, load_ontology(settings.ontology_files))
    if store_dir is None:
        with SortedDataset(by_graph=by_graph, entities=entities) as dataset:
            build_dataset(paths, dataset, settings, report=report, on_article=on_article, workers=workers,
                          dask=dask)
            report.outputs = write_outputs(dataset, out_dir, formats, title=title or "", folder=folder,
                                           processes=workers)
    else:
        store = build_graph(paths, settings, report=report, on_article=on_article, workers=workers, dask=dask,
                            store=open_store(store_dir))
        with SortedDataset.of_store(store, by_graph=by_graph, entities=entities) as dataset:
            report.triples = dataset.triples
            report.merged = len(dataset.resolution.canonical)
            report.outputs = write_outputs(dataset, out_dir, formats, title=title or "", folder=folder,
                                           processes=workers)
    report.seconds = time.perf_counter() - started
    return report


def common_folder(paths: Sequence[Path]) -> str:
    """Return the name of the folder that holds all the inputs, for the view's title ('' if none)."""
    folders = [(path if path.is_dir() else path.parent).resolve() for path in map(Path, paths)]
    if not folders:
        return ""
    common = folders[0]
    for folder in folders[1:]:
        while common not in (folder, *folder.parents):
            common = common.parent
    return common.name


def _entity_iris(facts: Iterable[Fact]) -> Iterator[str]:
    """Yield the IRIs of the entities that facts link (an object may be a literal value instead)."""
    from kgbuild.normalize import Entity

    for fact in facts:
        yield fact.subject.iri
        if isinstance(fact.object, Entity):
            yield fact.object.iri
