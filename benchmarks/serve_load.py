"""Load `kgbuild serve` with concurrent clients, a few of whose queries run into the timeout.

Starts `kgbuild serve` on 127.0.0.1 over the example graph (built into a temporary folder unless
--graph is given), sends --requests queries from --clients concurrent clients, every
--slow-every'th a cross join that can only end at the timeout and the rest small SELECT, ASK and
GROUP BY queries, then stops the server. Prints the cheap queries' latency, every 503, what
happened to the slow queries, and the peak memory of the server and its worker processes.

    python benchmarks/serve_load.py                       # 32 clients, 1,000 requests, timeout 10 s
    python benchmarks/serve_load.py --copies 100                # a graph 100 times the example's size
    python benchmarks/serve_load.py --graph out/graph.ttl --requests 200
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: Small queries of the kinds a user sends: lookups, a class count, a GROUP BY, an ASK.
CHEAP_QUERIES = (
    "SELECT ?country ?label WHERE { ?country a kgo:Country ; rdfs:label ?label } ORDER BY ?label",
    "SELECT ?relation (COUNT(*) AS ?facts) WHERE { ?a a kgo:Assertion ; rdf:predicate ?relation } "
    "GROUP BY ?relation ORDER BY DESC(?facts) ?relation LIMIT 10",
    "SELECT ?class (COUNT(?x) AS ?n) WHERE { ?x a ?class } GROUP BY ?class ORDER BY DESC(?n) LIMIT 10",
    "SELECT ?who ?label WHERE { ?who a kgo:Organization ; rdfs:label ?label } ORDER BY ?label LIMIT 20",
    "ASK { ?s kgo:mentionedIn ?article }",
    "SELECT ?text WHERE { ?a a kgo:Assertion ; kgo:evidenceText ?text } ORDER BY ?text LIMIT 5",
)
#: Times a client sends refused work again.
MAX_RETRIES = 10
#: A five-fold cross product of every triple: far more rows to count than any timeout allows.
SLOW_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o }"


@dataclass(frozen=True)
class Outcome:
    """What one request got back."""

    slow: bool
    status: int
    seconds: float
    message: str
    retry_after: str | None
    refusals: int = 0


def build_example(folder: Path, copies: int) -> Path:
    """Build examples/articles into ``folder``; return the Turtle file, or N-Quads of ``copies`` copies of it."""
    subprocess.run([sys.executable, "-m", "kgbuild", "build", str(ROOT / "examples" / "articles"), "-o", str(folder),
                    "--format", "ttl", "--format", "nq", "-q"], cwd=ROOT, check=True, timeout=600)
    if copies <= 1:
        return folder / "graph.ttl"
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from query_latency import copy_nquads

    nquads = (folder / "graph.nq").read_text(encoding="utf-8")
    path = folder / f"graph-{copies}-copies.nq"
    with path.open("w", encoding="utf-8") as out:
        for copy in range(copies):
            out.write(copy_nquads(nquads, copy, max(1, copies // 10)))
    return path


def start_server(graph: Path, options: list[str]) -> tuple[subprocess.Popen[str], str]:
    """Start `kgbuild serve` on a free port and return the process and its endpoint URL."""
    process = subprocess.Popen([sys.executable, "-m", "kgbuild", "serve", str(graph), "--port", "0", *options],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert process.stderr is not None
    banner = process.stderr.readline()
    found = re.search(r"(http://127\.0\.0\.1:\d+/sparql)", banner)
    if not found:
        process.kill()
        raise SystemExit(f"the server did not start: {banner}{process.stderr.read()}")
    # The request log must be read, or the server blocks once the pipe is full.
    threading.Thread(target=lambda: process.stderr.read(), daemon=True).start()  # type: ignore[union-attr]
    return process, found[1]


def descendants(root: int) -> list[int]:
    """Return ``root`` and every process below it."""
    found, frontier = [], [root]
    while frontier:
        pid = frontier.pop()
        found.append(pid)
        for task in Path(f"/proc/{pid}/task").glob("*/children"):
            try:
                frontier += [int(child) for child in task.read_text().split()]
            except OSError:
                continue
    return found


def memory_kb(pid: int) -> tuple[int, int]:
    """Return a process's resident set size and proportional set size (shared pages divided) in kB."""
    def field(path: str, name: str) -> int:
        for line in Path(f"/proc/{pid}/{path}").read_text().splitlines():
            if line.startswith(name + ":"):
                return int(line.split()[1])
        return 0
    try:
        return field("status", "VmRSS"), field("smaps_rollup", "Pss")
    except OSError:
        return 0, 0


class MemorySampler(threading.Thread):
    """Sample the summed RSS and PSS of the server and its workers until stopped; keep the peaks."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.peak_rss = self.peak_pss = self.peak_processes = self.largest_rss = 0
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(0.1):
            pids = descendants(self.root)
            sizes = [memory_kb(pid) for pid in pids]
            self.peak_rss = max(self.peak_rss, sum(rss for rss, _ in sizes))
            self.peak_pss = max(self.peak_pss, sum(pss for _, pss in sizes))
            self.peak_processes = max(self.peak_processes, sum(1 for rss, _ in sizes if rss))
            self.largest_rss = max([self.largest_rss, *(rss for rss, _ in sizes)])


def ask(url: str, sparql: str, slow: bool, client_timeout: float) -> Outcome:
    """Send one query and time it."""
    request = urllib.request.Request(url + "?" + urllib.parse.urlencode({"query": sparql}),
                                     headers={"Accept": "application/sparql-results+json"})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=client_timeout) as response:
            response.read()
            return Outcome(slow, response.status, time.perf_counter() - started, "", None)
    except urllib.error.HTTPError as error:
        body = error.read().decode("utf-8", "replace").strip()
        return Outcome(slow, error.code, time.perf_counter() - started, body, error.headers.get("Retry-After"))
    except OSError as error:
        return Outcome(slow, 0, time.perf_counter() - started, str(error), None)


def percentile(values: list[float], share: float) -> float:
    """Return the nearest-rank percentile of ``values``."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def load(url: str, requests: int, clients: int, slow_every: int, client_timeout: float,
         give_up: float, honour_retry_after: bool) -> list[Outcome]:
    """Send ``requests`` queries from ``clients`` threads; every ``slow_every``-th is the slow query."""
    outcomes: list[Outcome] = []
    counter = iter(range(requests))
    lock = threading.Lock()
    stop_at = time.monotonic() + give_up

    def client() -> None:
        while time.monotonic() < stop_at:
            with lock:
                number = next(counter, None)
            if number is None:
                return
            slow = slow_every > 0 and number % slow_every == slow_every - 1
            sparql = SLOW_QUERY if slow else CHEAP_QUERIES[number % len(CHEAP_QUERIES)]
            outcome = ask(url, sparql, slow, client_timeout)
            refusals = 0
            # A polite client sends refused work again when Retry-After says, a few times at most.
            while (outcome.retry_after and refusals < MAX_RETRIES and honour_retry_after
                   and time.monotonic() + int(outcome.retry_after) < stop_at):
                refusals += 1
                time.sleep(int(outcome.retry_after))
                outcome = ask(url, sparql, slow, client_timeout)
            outcome = dataclasses.replace(outcome, refusals=refusals)
            with lock:
                outcomes.append(outcome)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(stop_at - time.monotonic(), 0) + client_timeout)
    with lock:
        return list(outcomes)


def report(outcomes: list[Outcome], timeout: float, seconds: float, sampler: MemorySampler) -> None:
    """Print the figures."""
    cheap = [outcome for outcome in outcomes if not outcome.slow]
    slow = [outcome for outcome in outcomes if outcome.slow]
    cheap_ok = [outcome.seconds for outcome in cheap if outcome.status == 200]
    print(f"{len(outcomes)} requests ({len(cheap)} cheap, {len(slow)} slow) in {seconds:.1f} s")
    if cheap_ok:
        print(f"cheap: {len(cheap_ok)} answered 200; latency p50 {percentile(cheap_ok, 0.5) * 1000:.0f} ms, "
              f"p99 {percentile(cheap_ok, 0.99) * 1000:.0f} ms, max {max(cheap_ok) * 1000:.0f} ms")
    failed = [outcome for outcome in cheap if outcome.status != 200]
    print(f"cheap: {sum(1 for outcome in failed if outcome.status == 503)} answered 503, "
          f"{len(failed)} not answered 200")
    for outcome in failed[:5]:
        print(f"  cheap {outcome.status}: {outcome.message[:120]}")
    groups: dict[str, list[Outcome]] = {}
    for outcome in slow:
        if outcome.status == 503 and "ran past" in outcome.message:
            kind = "stopped at the timeout (503)"
        elif outcome.status == 503 and "slow queries were already running" in outcome.message:
            kind = f"refused, slow places full (503, Retry-After {'set' if outcome.retry_after else 'MISSING'})"
        else:
            kind = f"other ({outcome.status}: {outcome.message[:80]})"
        groups.setdefault(kind, []).append(outcome)
    for kind, members in sorted(groups.items()):
        times = [outcome.seconds for outcome in members]
        refused = Counter(outcome.refusals for outcome in members)
        after = ", ".join(f"{count} after {number} refusal{'s' * (number != 1)} with Retry-After"
                          for number, count in sorted(refused.items()))
        print(f"slow: {len(members)} {kind} ({after}); the last try answered after "
              f"{min(times):.2f}-{max(times):.2f} s")
    late = [outcome for outcome in slow if outcome.seconds > timeout + 1.0]
    print(f"slow: {len(late)} answered more than 1 s after the {timeout:g} s timeout")
    print(f"peak memory of the server and its workers ({sampler.peak_processes} processes at most): "
          f"RSS summed {sampler.peak_rss / 1024:.0f} MB, PSS summed {sampler.peak_pss / 1024:.0f} MB; "
          f"largest single process {sampler.largest_rss / 1024:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--graph", type=Path, help="graph file or store to serve [default: build the example]")
    parser.add_argument("--copies", type=int, default=1,
                        help="serve this many copies of the example (distinct articles, shared entities)")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--slow-every", type=int, default=50, help="every N-th request is the slow query")
    parser.add_argument("--timeout", type=float, default=10.0, help="the server's --timeout")
    parser.add_argument("--workers", type=int, default=None, help="the server's --workers [default: its default]")
    parser.add_argument("--slow-after", type=float, default=None, help="the server's --slow-after")
    parser.add_argument("--max-slow", type=int, default=None, help="the server's --max-slow")
    parser.add_argument("--give-up", type=float, default=300.0, help="stop sending after this many seconds")
    parser.add_argument("--no-retry", action="store_true", help="do not send refused work again after Retry-After")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kgbuild-serve-load-") as folder:
        graph = args.graph or build_example(Path(folder), args.copies)
        options = ["--timeout", str(args.timeout)]
        for name in ("workers", "slow_after", "max_slow"):
            if getattr(args, name) is not None:
                options += ["--" + name.replace("_", "-"), str(getattr(args, name))]
        process, url = start_server(graph, options)
        sampler = MemorySampler(process.pid)
        sampler.start()
        try:
            started = time.perf_counter()
            outcomes = load(url, args.requests, args.clients, args.slow_every, args.timeout + 30, args.give_up,
                            not args.no_retry)
            seconds = time.perf_counter() - started
        finally:
            sampler.stopped.set()
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        size = sum(path.stat().st_size for path in [graph, *graph.rglob("*")] if path.is_file())
        print(f"kgbuild serve {graph.name} ({size / 1e6:.1f} MB) {' '.join(options)} "
              f"(other settings default); {args.clients} clients")
        report(outcomes, args.timeout, seconds, sampler)


if __name__ == "__main__":
    main()
