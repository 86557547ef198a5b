"""Progress on stderr for long builds: a bar over the input size, shown on terminals only."""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

import click

from kgbuild.sources import Article

#: Below this many input files (or bytes of JSON Lines) a build is quick and shows no bar.
HANDFUL_FILES = 5
HANDFUL_BYTES = 200_000


def _input_size(paths: Sequence[Path]) -> tuple[int, int]:
    """Count the files and bytes under ``paths`` without reading them."""
    files = total = 0
    for path in paths:
        path = Path(path)
        candidates = path.rglob("*") if path.is_dir() else [path]
        for candidate in candidates:
            try:
                if candidate.is_file():
                    files += 1
                    total += candidate.stat().st_size
            except OSError:
                continue
    return files, total


class Progress:
    """Show a progress bar while articles are processed, when the input is more than a handful."""

    def __init__(self, paths: Sequence[Path], *, enabled: bool = True) -> None:
        self.bar = None
        self.articles = 0
        self.started = time.perf_counter()
        if enabled and sys.stderr.isatty():
            files, total = _input_size(paths)
            if files > HANDFUL_FILES or total > HANDFUL_BYTES:
                self.bar = click.progressbar(length=max(total, 1), label="kgbuild: building",
                                             file=sys.stderr, show_pos=False, show_percent=True,
                                             show_eta=True)

    def __enter__(self) -> Progress:
        if self.bar is not None:
            self.bar.__enter__()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self.bar is not None:
            if exc_type is None:
                # Sizes are estimated from the files, so the last step fills whatever is left.
                self.bar.update(self.bar.length - self.bar.pos)
            self.bar.__exit__(exc_type, exc, tb)

    def article_done(self, article: Article) -> None:
        """Advance by the size of one processed article."""
        self.articles += 1
        if self.bar is not None:
            self.bar.update(len(article.text.encode("utf-8")))
