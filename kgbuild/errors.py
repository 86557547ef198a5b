"""Exceptions that the command line reports as one-line messages."""

from __future__ import annotations

from pathlib import Path


class KgbuildError(Exception):
    """An error the user can fix; the CLI prints it on one line and exits with ``exit_code``."""

    exit_code = 2

    def __init__(self, message: str, path: Path | str | None = None) -> None:
        self.path = None if path is None else str(path)
        super().__init__(f"{self.path}: {message}" if self.path else message)


class InputError(KgbuildError):
    """An input file or argument that cannot be used."""


class OutputError(KgbuildError):
    """An output location that cannot be written."""
