"""Real-browser fixtures: the system Chromium driven by Playwright, and the app served on a loopback port.

No browser is ever downloaded: the tests use the Chromium installed by the system package manager and are
skipped when there is none (they fail instead when ``FORUM_TEST_REQUIRE_BROWSER=1``, as in CI).
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests.conftest import free_port

MISSING_BROWSER = "Chromium is not installed: apt-get install chromium"
#: flags that keep Chromium quiet on a machine without internet access
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: how long Playwright waits for an element or a navigation, in milliseconds
TIMEOUT_MS = 10_000


def chromium_path() -> str | None:
    """The system Chromium executable, or None when none is installed."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    fallback = Path("/usr/bin/chromium")
    return str(fallback) if fallback.is_file() and os.access(fallback, os.X_OK) else None


@pytest.fixture(scope="session")
def browser():
    """Headless system Chromium for the whole run (skipped, or failed in CI, when it is not installed)."""
    executable = chromium_path()
    if executable is None:
        if os.environ.get("FORUM_TEST_REQUIRE_BROWSER") == "1":
            pytest.fail(MISSING_BROWSER)
        pytest.skip(MISSING_BROWSER)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class LiveServer:
    """The app served over HTTP for the browser: ``url`` to visit, ``app`` to look inside."""

    url: str
    app: Flask


@pytest.fixture
def live_server(app_factory) -> Iterator[LiveServer]:
    """Serve a fresh app on a free loopback port in a background thread; e-mail links point at it."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    app = app_factory(FORUM_BASE_URL=url)
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(url=url, app=app)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def page(browser):
    """A page in a fresh browser context (no cookies, Mexican Spanish), closed after the test."""
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context = browser.new_context(locale="es-MX")
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    tab = context.new_page()
    try:
        yield tab
    finally:
        context.close()
