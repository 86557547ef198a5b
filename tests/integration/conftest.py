"""Fixtures for browser and server tests: Debian's Chromium driven by Playwright."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

#: Debian's Chromium; Playwright's own browser download (`playwright install`) is never used.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]

#: Records script-policy violations so a test can tell that no injected markup was even attempted.
_WATCH_PAGE = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Start one headless Chromium for the whole session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class PageLog:
    """What a page did: every request it made, dialogs it opened, errors and console messages."""

    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)


@dataclass
class OpenPage:
    """A Playwright page with its log."""

    page: Any
    log: PageLog


@pytest.fixture()
def open_view(browser: Any) -> Iterator[Any]:
    """Return a function that opens an HTML file offline, logging requests, and waits for the layout."""
    contexts: list[Any] = []

    def open_file(path: Path, wait_for_layout: bool = True, timeout_ms: float = 120_000) -> OpenPage:
        context = browser.new_context(viewport={"width": 1400, "height": 900}, offline=True)
        contexts.append(context)
        log = PageLog()

        def only_local(route: Any) -> None:
            if route.request.url.startswith("file://"):
                route.continue_()
            else:
                route.abort()

        context.route("**/*", only_local)
        context.on("request", lambda request: log.requests.append(request.url))
        page = context.new_page()
        page.add_init_script(_WATCH_PAGE)
        page.on("dialog", lambda dialog: (log.dialogs.append(dialog.message), dialog.dismiss()))
        page.on("pageerror", lambda error: log.errors.append(str(error)))
        page.on("console", lambda message: log.console.append(f"{message.type}: {message.text}"))
        page.goto(path.resolve().as_uri())
        if wait_for_layout:
            page.wait_for_function("() => window.kgView && window.kgView.stabilized", timeout=timeout_ms)
        return OpenPage(page, log)

    yield open_file
    for context in contexts:
        context.close()


#: Debian's Virtuoso Open Source 7 server and its isql client.
VIRTUOSO = "/usr/bin/virtuoso-t"
ISQL = "/usr/bin/isql-vt"

_VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 0
DirsAllowed = ., {dir}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 4
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 1000000
"""


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Virtuoso:
    """A running Virtuoso server on 127.0.0.1 with its own database folder."""

    folder: Path
    sql_port: int
    http_port: int

    def isql(self, statement: str, timeout: float = 120) -> str:
        """Run one SQL statement as dba and return isql's output; raise if Virtuoso reports an error."""
        import subprocess

        result = subprocess.run([ISQL, f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={statement}"],
                                capture_output=True, text=True, timeout=timeout)
        output = result.stdout + result.stderr
        if result.returncode != 0 or "*** Error" in output:
            raise RuntimeError(f"isql failed: {output}")
        return output

    def load_turtle(self, path: Path, graph: str) -> None:
        """Load a Turtle file into the named graph ``graph`` with Virtuoso's own (strict) parser."""
        import shutil

        target = self.folder / path.name
        shutil.copyfile(path, target)
        self.isql(f"DB.DBA.TTLP_MT(file_to_string_output('{target}'), '', '{graph}', 0);")

    def select(self, query: str) -> list[dict[str, str]]:
        """Run a SPARQL SELECT over HTTP and return the bindings as {variable: value}."""
        import json
        import urllib.parse
        import urllib.request

        url = f"http://127.0.0.1:{self.http_port}/sparql?" + urllib.parse.urlencode({"query": query})
        request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            results = json.load(response)
        return [{name: cell["value"] for name, cell in row.items()} for row in results["results"]["bindings"]]


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    """Start a throw-away Virtuoso listening on 127.0.0.1 only, and stop it after the session."""
    import subprocess
    import time

    folder = tmp_path_factory.mktemp("virtuoso")
    server = Virtuoso(folder, free_port(), free_port())
    (folder / "virtuoso.ini").write_text(_VIRTUOSO_INI.format(dir=folder, sql_port=server.sql_port,
                                                              http_port=server.http_port))
    log = (folder / "stdout.log").open("w")
    process = subprocess.Popen([VIRTUOSO, "+foreground", "+configfile", str(folder / "virtuoso.ini")],
                               cwd=folder, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited: {(folder / 'stdout.log').read_text()}")
            try:
                server.isql("status();", timeout=10)
                server.select("ASK { ?s ?p ?o }")
                break
            except (RuntimeError, OSError, subprocess.TimeoutExpired):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
