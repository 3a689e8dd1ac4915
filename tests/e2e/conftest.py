"""Real-browser fixtures: the system Chromium driven by Playwright, and the app served on a loopback port.

No browser is ever downloaded: the tests use the Chromium installed by the system package manager and are
skipped when there is none (they fail instead when ``FORUM_TEST_REQUIRE_BROWSER=1``, as in CI).
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from forum import create_app
from forum.extensions import db
from tests.conftest import PASSWORD, empty_tables, free_port, settings_for

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


@contextmanager
def serving(app: Flask, port: int) -> Iterator[LiveServer]:
    """Serve ``app`` on loopback ``port`` in a background thread until the block ends."""
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(url=f"http://127.0.0.1:{port}", app=app)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def live_server(app_factory) -> Iterator[LiveServer]:
    """Serve a fresh app on a free loopback port in a background thread; e-mail links point at it."""
    port = free_port()
    with serving(app_factory(FORUM_BASE_URL=f"http://127.0.0.1:{port}"), port) as server:
        yield server


@contextmanager
def module_site(database_url: str, uploads: str, seed: Callable[[], None]) -> Iterator[LiveServer]:
    """An app of its own, served for a whole test module (the ``app_factory`` fixture lasts one test): built on
    the test database with a relaxed sign-in limit, filled by ``seed()`` in a request context, and its tables
    emptied when the block ends."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    app = create_app(settings_for(database_url, FORUM_BASE_URL=url, FORUM_LOGIN_RATE_LIMIT="1000 per minute",
                             FORUM_UPLOAD_DIR=uploads))
    try:
        with app.test_request_context(base_url=url):
            seed()
        with serving(app, port) as server:
            yield server
    finally:
        with app.app_context():
            empty_tables()
            db.engine.dispose()


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


def sign_in(page, url: str, email: str, password: str = PASSWORD) -> None:
    """Sign in through the real form (with the tests' password unless told: the demo has its own)."""
    from playwright.sync_api import expect

    page.goto(f"{url}/login")
    page.locator("main [name=email]").fill(email)
    page.locator("main [name=password]").fill(password)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("header .account-menu summary")).to_be_visible()
