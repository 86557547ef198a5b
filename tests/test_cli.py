"""Tests for the command line: help, one-line errors, exit codes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from kgbuild.cli import main
from tests.conftest import run_kgbuild


def test_help_lists_commands_and_build_options() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    assert "build" in result.output
    build_help = CliRunner().invoke(main, ["build", "--help"])
    for option in ("--output", "--model", "--base-iri", "--ontology", "--quiet", "--debug", "--strict"):
        assert option in build_help.output


@pytest.mark.parametrize(("make_input", "message"), [
    (lambda tmp: tmp / "missing", "no such file or folder"),
    (lambda tmp: (tmp / "empty").mkdir() or tmp / "empty", "no article files"),
])
def test_bad_inputs_give_one_line_and_exit_2(tmp_path: Path, make_input, message: str) -> None:
    target = make_input(tmp_path)
    result = run_kgbuild("build", target, "-o", tmp_path / "out")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert result.stderr.startswith(f"kgbuild: error: {target}: {message}")
    assert "Traceback" not in result.stderr


def test_only_unreadable_inputs_is_an_error_that_names_the_file(tmp_path: Path) -> None:
    pdf = tmp_path / "report.txt"
    pdf.write_bytes(b"%PDF-1.4 binary")
    result = run_kgbuild("build", pdf, "-o", tmp_path / "out")
    assert result.returncode == 2
    assert "no articles to read" in result.stderr and f"{pdf}: binary file (a PDF document)" in result.stderr
    assert "Traceback" not in result.stderr


def test_unwritable_output_is_reported_before_parsing(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    article = tmp_path / "a.txt"
    article.write_text("Huawei develops chips.")
    result = run_kgbuild("build", article, "-o", blocker / "out")
    assert result.returncode == 2
    assert f"kgbuild: error: {blocker / 'out'}: cannot create the output folder" in result.stderr


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    result = run_kgbuild("build", tmp_path / "missing", "-o", tmp_path / "out", "--debug")
    assert result.returncode != 0
    assert "Traceback" in result.stderr and "InputError" in result.stderr


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to drop to another user")
def test_folder_without_read_permission_is_an_error() -> None:
    import pwd
    import shutil
    import tempfile

    parent = Path(tempfile.mkdtemp(prefix="kgbuild-perm-"))
    parent.chmod(0o755)
    locked = parent / "locked"
    locked.mkdir()
    (locked / "a.txt").write_text("Huawei develops chips.")
    locked.chmod(0o000)
    nobody = pwd.getpwnam("nobody")
    from kgbuild.sources import expand_paths

    # Root reads any folder, so check as an ordinary user in a child process.
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            os.setgid(nobody.pw_gid)
            os.setuid(nobody.pw_uid)
            list(expand_paths([locked]))
            code = 3
        except Exception as exc:  # noqa: BLE001
            code = 0 if "permission denied" in str(exc) and str(locked) in str(exc) else 4
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    locked.chmod(0o755)
    shutil.rmtree(parent)
    assert os.waitstatus_to_exitcode(status) == 0


def test_build_writes_the_formats_asked_for(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Huawei is developing AI computing systems that rival Nvidia's products.")
    result = CliRunner().invoke(main, ["build", str(article), "-o", str(tmp_path / "out"),
                                       "--format", "nt", "--format", "csv", "-q"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["graph.csv", "graph.nt"]
    assert "Huawei" in (tmp_path / "out" / "graph.csv").read_text()


def test_strict_exits_1_when_an_input_was_skipped(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Huawei is developing AI computing systems.")
    (tmp_path / "b.txt").write_bytes(b"\x89PNG\r\n\x1a\nimage")
    result = run_kgbuild("build", tmp_path, "-o", tmp_path / "out", "--strict")
    assert result.returncode == 1
    assert f"kgbuild: skipped {tmp_path / 'b.txt'}: binary file (a PNG image), not text" in result.stderr
    assert (tmp_path / "out" / "graph.ttl").exists()
    assert run_kgbuild("build", tmp_path, "-o", tmp_path / "out").returncode == 0
