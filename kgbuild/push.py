"""Load a graph into another triple store over the SPARQL 1.1 Graph Store HTTP Protocol.

Each named graph of the source (one per article, and the shared ontology graph) is sent with ``PUT``,
which replaces that graph on the remote. A manifest graph on the remote records the content hash of
every graph pushed, so a push that runs again sends only the graphs that changed, resumes where an
interrupted one stopped, and deletes the graphs of articles that are gone.
"""

from __future__ import annotations

import hashlib
import html
import netrc
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http.client import HTTPException
from pathlib import Path
from typing import Any

import click
import pyoxigraph as ox

from kgbuild.errors import KgbuildError
from kgbuild.store import one_line, open_graph
from kgbuild.vocab import DEFAULT_BASE_IRI, KGO

#: Environment variables holding the user name and password for the remote store.
USER_VARIABLE = "KGBUILD_PUSH_USER"
PASSWORD_VARIABLE = "KGBUILD_PUSH_PASSWORD"

#: The manifest graph's local name under the base IRI of the graphs it records.
MANIFEST_NAME = "push-manifest"
#: The manifest's property from a pushed graph to the SHA-256 of its sorted N-Triples.
CONTENT_HASH = ox.NamedNode(str(KGO.contentHash))

#: The media type sent: the body is sorted N-Triples, which every Turtle parser reads.
SENT_MEDIA_TYPE = "text/turtle; charset=utf-8"
#: Media types accepted when reading the manifest back.
ACCEPTED_MEDIA_TYPES = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"

#: Statuses that say the store may answer later (other 5xx, such as 501, will not change on a retry).
TRANSIENT_STATUSES = frozenset({500, 502, 503, 504})

#: Seconds one HTTP request may take before it counts as a connection error.
REQUEST_TIMEOUT = 600.0

_ARTICLE_SEGMENT = "article/"
_TAGS = re.compile(r"<[^>]*>")


class PushError(KgbuildError):
    """The remote store cannot be reached or refuses what is sent."""


@dataclass(frozen=True)
class GraphUpload:
    """One graph to send: its IRI on the remote, the local graph it comes from, its size and hash."""

    iri: str
    local: ox.NamedNode | ox.DefaultGraph
    triples: int
    digest: str


@dataclass(frozen=True)
class PushPlan:
    """What a push sends: graphs to replace, graphs already there unchanged, graphs to delete."""

    manifest: str
    send: tuple[GraphUpload, ...]
    unchanged: tuple[GraphUpload, ...]
    delete: tuple[str, ...]

    def lines(self) -> list[str]:
        """Describe every step on one line each, as ``--dry-run`` prints them."""
        steps = [f"PUT    <{upload.iri}> ({upload.triples} triples)" for upload in self.send]
        steps += [f"skip   <{upload.iri}> (unchanged, {upload.triples} triples)" for upload in self.unchanged]
        steps += [f"DELETE <{iri}> (no longer in the source)" for iri in self.delete]
        if self.send or self.delete:
            steps.append(f"PUT    <{self.manifest}> (the push manifest)")
        return steps


@dataclass(frozen=True)
class PushReport:
    """What a push did."""

    url: str
    plan: PushPlan
    dry_run: bool
    seconds: float = 0.0
    retries: int = 0

    def summary(self) -> str:
        """One line for the end of a push."""
        sent = sum(upload.triples for upload in self.plan.send)
        verb = "would send" if self.dry_run else "sent"
        text = (f"{verb} {len(self.plan.send)} graph(s) ({sent:,} triples), skipped {len(self.plan.unchanged)} "
                f"unchanged, {'would delete' if self.dry_run else 'deleted'} {len(self.plan.delete)} to {self.url}")
        if not self.dry_run:
            text += f" in {self.seconds:.1f} s"
            if self.retries:
                text += f" ({self.retries} request(s) retried)"
        return text


def push(source: Path, url: str, *, graph: str | None = None, dry_run: bool = False, retries: int = 5,
         backoff: float = 1.0, progress: bool = False,
         on_sent: Callable[[GraphUpload], None] | None = None) -> PushReport:
    """Push a graph file or store to the Graph Store Protocol endpoint ``url``; see docs/push.md.

    Without ``graph`` every named graph of the source is sent to the remote graph of the same IRI;
    with it, the union of all statements goes into that one graph. Graphs that the remote's manifest
    records with the same content are skipped, and graphs it records that the source no longer has
    are deleted. Requests that fail with a 5xx status or a connection error are retried ``retries``
    times, waiting ``backoff`` seconds and twice as long each time after. ``on_sent`` is called after
    each graph is stored.
    """
    started = time.perf_counter()
    remote = GraphStore(url, retries=retries, backoff=backoff)
    local = LocalGraphs(Path(source), graph)
    uploads = local.uploads
    manifest = manifest_iri(graph or _article_base(upload.iri for upload in uploads))
    plan = make_plan(manifest, uploads, read_manifest(remote, manifest))
    if dry_run:
        return PushReport(url, plan, dry_run=True)
    bar = _progress_bar(len(plan.send) + len(plan.delete)) if progress else None
    try:
        for upload in plan.send:
            remote.put(upload.iri, local.body(upload))
            # Recorded as soon as it is stored, so an interrupted push resumes after this graph.
            remote.post(manifest, manifest_body({upload.iri: upload.digest}))
            if on_sent is not None:
                on_sent(upload)
            if bar is not None:
                bar.update(1)
        for iri in plan.delete:
            remote.delete(iri)
            if bar is not None:
                bar.update(1)
        if plan.send or plan.delete:
            remote.put(manifest, manifest_body({upload.iri: upload.digest for upload in uploads}))
    finally:
        if bar is not None:
            bar.render_finish()
    return PushReport(url, plan, dry_run=False, seconds=time.perf_counter() - started, retries=remote.retried)


class LocalGraphs:
    """The graphs of a file or store to send, hashed; each one's N-Triples are made again when it is sent.

    Only one graph's text is in memory at a time, however large the corpus.
    """

    def __init__(self, source: Path, graph: str | None = None) -> None:
        self.store = open_graph(source)
        if graph is not None:
            self.uploads = [self._hash(graph, ox.DefaultGraph())]
            return
        names = sorted(self.store.named_graphs(), key=str)
        if not names:
            raise PushError("holds no named graphs (Turtle and N-Triples keep only the union of the articles); "
                            "push it into one graph with --graph IRI, or use a store or a .trig/.nq build", source)
        if any(not isinstance(name, ox.NamedNode) for name in names):
            raise PushError("has a named graph whose name is a blank node, which no remote graph can take; "
                            "push it into one graph with --graph IRI", source)
        # open_graph copies a file's named graphs into its default graph; anything else there is the file's
        # own. (A store's default graph is the union of its named graphs by construction.)
        if not source.is_dir() and self.store.query("ASK { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }"):
            raise PushError("has statements outside any named graph; push everything into one graph with "
                            "--graph IRI", source)
        self.uploads = [self._hash(name.value, name) for name in names]

    def _hash(self, iri: str, local: ox.NamedNode | ox.DefaultGraph) -> GraphUpload:
        """Describe one graph to send."""
        body = self._serialize(local)
        return GraphUpload(iri, local, body.count(b"\n"), hashlib.sha256(body).hexdigest())

    def body(self, upload: GraphUpload) -> bytes:
        """The graph's statements as sorted, distinct N-Triples."""
        return self._serialize(upload.local)

    def _serialize(self, local: ox.NamedNode | ox.DefaultGraph) -> bytes:
        """Write a local graph's statements as sorted, distinct N-Triples."""
        lines = {f"{quad.subject} {quad.predicate} {quad.object} .\n"
                 for quad in self.store.quads_for_pattern(None, None, None, local)}
        return "".join(sorted(lines)).encode("utf-8")


def manifest_iri(base: str) -> str:
    """Name the manifest graph of graphs under ``base`` (or of the single graph ``base``)."""
    return base + MANIFEST_NAME if base.endswith(("/", "#")) else f"{base}/{MANIFEST_NAME}"


def _article_base(iris: Iterable[str]) -> str:
    """Return the base IRI of kgbuild article graphs (``<base>article/ID``), or the default base."""
    for iri in sorted(iris):
        head, found, _ = iri.rpartition(_ARTICLE_SEGMENT)
        if found and head.endswith("/"):
            return head
    return DEFAULT_BASE_IRI


def manifest_body(digests: dict[str, str]) -> bytes:
    """Write manifest records, one ``<graph> kgo:contentHash "sha256"`` per graph."""
    return "".join(f"<{iri}> {CONTENT_HASH} {ox.Literal(digest)} .\n"
                   for iri, digest in sorted(digests.items())).encode("utf-8")


def read_manifest(remote: GraphStore, manifest: str) -> dict[str, set[str]]:
    """Return the hashes the remote's manifest records for each graph (empty if there is none)."""
    found = remote.get(manifest)
    if found is None:
        return {}
    body, media_type = found
    if not body.strip():
        return {}
    try:
        rdf_format = ox.RdfFormat.from_media_type(media_type) or ox.RdfFormat.TURTLE
        triples = list(ox.parse(body, format=rdf_format))
    except (SyntaxError, ValueError) as exc:
        raise PushError(f"{remote.url} answered the request for the push manifest <{manifest}> with something "
                        f"that is not RDF; is it a Graph Store Protocol endpoint? ({one_line(str(exc))[:160]})") from exc
    records: dict[str, set[str]] = {}
    for triple in triples:
        if triple.predicate == CONTENT_HASH and isinstance(triple.subject, ox.NamedNode):
            records.setdefault(triple.subject.value, set()).add(str(getattr(triple.object, "value", "")))
    return records


def make_plan(manifest: str, uploads: list[GraphUpload], records: dict[str, set[str]]) -> PushPlan:
    """Decide what to send: a graph is skipped only if the manifest records exactly its hash."""
    send = tuple(upload for upload in uploads if records.get(upload.iri) != {upload.digest})
    unchanged = tuple(upload for upload in uploads if records.get(upload.iri) == {upload.digest})
    local = {upload.iri for upload in uploads}
    delete = tuple(sorted(iri for iri in records if iri not in local and iri != manifest))
    return PushPlan(manifest, send, unchanged, delete)


def _progress_bar(steps: int) -> Any:
    """A bar over the graphs to send and delete, on a terminal only."""
    if steps < 2 or not sys.stderr.isatty():
        return None
    return click.progressbar(length=steps, label="kgbuild: pushing", file=sys.stderr, show_pos=True, show_eta=True)


class GraphStore:
    """A Graph Store Protocol endpoint, addressed with ``?graph=IRI`` (indirect graph identification)."""

    def __init__(self, url: str, retries: int = 5, backoff: float = 1.0) -> None:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise PushError(f"--to must be an http:// or https:// URL of a Graph Store endpoint, not {url!r}")
        if parts.username or parts.password:
            raise PushError(f"credentials do not belong in the URL; set {USER_VARIABLE} and {PASSWORD_VARIABLE} "
                            "or use ~/.netrc")
        self.url = url
        self.retries = retries
        self.backoff = backoff
        self.retried = 0
        handlers: list[urllib.request.BaseHandler] = []
        login = credentials(parts.hostname)
        if login is not None:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            passwords.add_password(None, url, *login)
            handlers += [urllib.request.HTTPBasicAuthHandler(passwords), urllib.request.HTTPDigestAuthHandler(passwords)]
        self.opener = urllib.request.build_opener(*handlers)

    def get(self, graph: str) -> tuple[bytes, str] | None:
        """Fetch a graph's content and media type, or None if the remote has no such graph."""
        return self._request("GET", graph, headers={"Accept": ACCEPTED_MEDIA_TYPES})

    def put(self, graph: str, body: bytes) -> None:
        """Replace a graph's content."""
        self._request("PUT", graph, body)

    def post(self, graph: str, body: bytes) -> None:
        """Add statements to a graph."""
        self._request("POST", graph, body)

    def delete(self, graph: str) -> None:
        """Delete a graph; one that is already gone is fine."""
        self._request("DELETE", graph)

    def _request(self, method: str, graph: str, body: bytes | None = None,
                 headers: dict[str, str] | None = None) -> tuple[bytes, str] | None:
        """Send one request, retrying on 5xx and connection errors; None for a 404 on GET or DELETE."""
        separator = "&" if urllib.parse.urlsplit(self.url).query else "?"
        target = self.url + separator + urllib.parse.urlencode({"graph": graph})
        headers = dict(headers or {})
        if body is not None:
            headers["Content-Type"] = SENT_MEDIA_TYPE
        attempt = 0
        while True:
            request = urllib.request.Request(target, data=body, method=method, headers=headers)
            try:
                with self.opener.open(request, timeout=REQUEST_TIMEOUT) as response:
                    return response.read(), response.headers.get("Content-Type", "")
            except urllib.error.HTTPError as error:
                detail = _error_text(error)
                if error.code == 404 and method in ("GET", "DELETE"):
                    return None
                if error.code not in TRANSIENT_STATUSES or attempt >= self.retries:
                    raise PushError(_refusal(method, graph, self.url, error.code, detail, attempt)) from None
                problem = f"{error.code} {detail}"
            except (urllib.error.URLError, HTTPException, OSError) as error:
                reason = getattr(error, "reason", None) or error
                if attempt >= self.retries:
                    raise PushError(f"cannot reach {self.url}: {one_line(str(reason))}"
                                    + (f" (tried {attempt + 1} times)" if attempt else "")) from None
                problem = one_line(str(reason))
            wait = self.backoff * 2 ** attempt
            click.echo(f"kgbuild: {method} <{graph}>: {problem}; trying again in {wait:g} s", err=True)
            time.sleep(wait)
            attempt += 1
            self.retried += 1


def _refusal(method: str, graph: str, url: str, status: int, detail: str, attempt: int) -> str:
    """Say in one line why the remote refused a request."""
    if status == 401:
        return (f"{url} refused the credentials ({status} {detail}); set {USER_VARIABLE} and {PASSWORD_VARIABLE} "
                f"or add the host to ~/.netrc")
    tries = f" (tried {attempt + 1} times)" if attempt else ""
    return f"{url} refused {method} of graph <{graph}>: {status} {detail}{tries}"


def _error_text(error: urllib.error.HTTPError) -> str:
    """The reason and the start of an error response's body, as plain text on one line."""
    try:
        body = error.read(2000).decode("utf-8", "replace")
    except (OSError, HTTPException):
        body = ""
    text = one_line(html.unescape(_TAGS.sub(" ", body)))
    reason = str(error.reason or "")
    return f"{reason}: {text}"[:200] if text and text != reason else reason


def credentials(host: str) -> tuple[str, str] | None:
    """Read the user and password from the environment, or else from ~/.netrc for ``host``."""
    user = os.environ.get(USER_VARIABLE)
    if user:
        return user, os.environ.get(PASSWORD_VARIABLE, "")
    try:
        found = netrc.netrc().authenticators(host)
    except FileNotFoundError:
        return None
    except (netrc.NetrcParseError, OSError) as exc:
        raise PushError(f"cannot read ~/.netrc: {one_line(str(exc))}") from exc
    if found is None:
        return None
    login, _, password = found
    return login or "", password or ""
