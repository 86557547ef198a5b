"""The README's two set-up commands exist as written, and CI runs the second one."""

from __future__ import annotations

import re

from tests.conftest import ROOT


def _setup_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", section, re.S)]


def test_readme_has_exactly_two_setup_commands() -> None:
    install, tests = _setup_commands()
    assert install == "python3 -m pip install -e . && kgbuild build examples/articles -o out"
    assert tests == "scripts/test"
    assert (ROOT / "examples" / "articles").is_dir()


def test_ci_runs_the_readme_test_command() -> None:
    _, tests = _setup_commands()
    script = ROOT / tests
    assert script.is_file() and script.stat().st_mode & 0o111
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(rf"^exec {re.escape(tests)}\b", ci, re.M)
    body = script.read_text(encoding="utf-8")
    assert "apt-get install" in body and "chromium" in body and 'pip install' in body
