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
