"""How long `import kgbuild` takes, and what it pulls in: python benchmarks/import_time.py [RUNS]

Each run is a fresh interpreter with `python -X importtime -c 'import kgbuild'`; the script prints
the cumulative import time of the kgbuild package (the median and the range over the runs), the
whole interpreter's wall time for `import kgbuild` next to a bare `python -c pass`, the time the
first use of `kgbuild.build` adds (importing the API, not spaCy), and whether spaCy was loaded.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = dict(os.environ, PYTHONPATH=str(ROOT))


def package_import_us() -> int:
    """Return the cumulative microseconds that -X importtime reports for the kgbuild package."""
    result = subprocess.run([sys.executable, "-X", "importtime", "-c", "import kgbuild"], cwd=ROOT, env=ENV,
                            capture_output=True, text=True, check=True)
    for line in result.stderr.splitlines():
        parts = [part.strip() for part in line.split("|")]
        if len(parts) == 3 and parts[2] == "kgbuild":
            return int(parts[1])
    raise RuntimeError("kgbuild is not in the -X importtime output")


def wall_seconds(code: str) -> float:
    """Return the wall time of a fresh interpreter running ``code``."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=ENV, check=True)
    return time.perf_counter() - started


def main() -> None:
    """Run the measurements and print them."""
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    package = sorted(package_import_us() for _ in range(runs))
    bare = sorted(wall_seconds("pass") for _ in range(runs))
    plain = sorted(wall_seconds("import kgbuild") for _ in range(runs))
    probe = ("import sys, time; import kgbuild; t = time.perf_counter(); kgbuild.build; "
             "print(time.perf_counter() - t, 'spacy' in sys.modules)")
    api = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=ENV, capture_output=True, text=True,
                         check=True).stdout.split()
    print(f"import kgbuild (-X importtime, cumulative): median {statistics.median(package) / 1000:.2f} ms "
          f"(range {package[0] / 1000:.2f}-{package[-1] / 1000:.2f} ms, {runs} runs)")
    print(f"python -c 'import kgbuild': median {statistics.median(plain):.3f} s; "
          f"python -c pass: median {statistics.median(bare):.3f} s")
    print(f"first use of kgbuild.build (imports kgbuild.api): {float(api[0]) * 1000:.0f} ms; spaCy loaded: {api[1]}")


if __name__ == "__main__":
    main()
