"""Fixtures: the app on a real database (SQLite, or PostgreSQL when FORUM_TEST_DATABASE_URL is set), a client
that fills in CSRF tokens like a browser, an ``auth`` helper, factories, the mail outbox and a real SMTP server.
"""

from __future__ import annotations

import gc
import os
import re
import socket
import threading
import time
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import Message

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_migrate import upgrade
from markupsafe import escape
from sqlalchemy import select

from forum import create_app
from forum.config import TestConfig
from forum.core.db import commit
from forum.extensions import db
from forum.i18n import catalogs
from tests.servers import scratch_postgresql

PASSWORD = "correct horse battery"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session", autouse=True)
def _fewer_garbage_collections():
    """Each test builds an app and leaves it as garbage; the collector's full passes over a heap that big took a
    fifth of the suite's time. Collect in larger steps, and leave what the session keeps out of the passes."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 50)
    yield
    gc.unfreeze()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """The test database, created empty for this run and brought to the latest migration."""
    server_url = os.environ.get("FORUM_TEST_DATABASE_URL")
    if server_url:
        scratch = scratch_postgresql(server_url)
    else:
        scratch = nullcontext(f"sqlite:///{tmp_path_factory.mktemp('db') / 'forum.sqlite3'}")
    with scratch as url:
        app = create_app(settings_for(url))
        with app.app_context():
            upgrade()
            db.engine.dispose()
        yield url


#: the live-update channel of this test process: the suite runs in two processes (pytest-xdist), each with its own
#: database, and their live tests must not hear each other through the shared Redis server
LIVE_CHANNEL = f"forum-test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"


def settings_for(url: str, **overrides) -> dict:
    """The test settings on the database at ``url``, with ``overrides``."""
    settings = {name: getattr(TestConfig, name) for name in dir(TestConfig) if name.isupper()}
    return {**settings, "SQLALCHEMY_DATABASE_URI": url, "FORUM_LIVE_CHANNEL": LIVE_CHANNEL, **overrides}


class Client(FlaskClient):
    """A test client that behaves like a browser talking to a separate server process.

    Every request runs in its own application context (its own ``g`` and database session, as in
    production), and afterwards the test's own session forgets what it had loaded, so checks read what the
    request saved. Form posts carry the page's CSRF token, as from a browser; pass ``csrf=False`` to omit it.
    """

    def run_wsgi_app(self, environ, buffered=False):
        """Serve one request (of a redirect chain too) in a fresh application context."""
        with self.application.app_context():
            response = super().run_wsgi_app(environ, buffered=buffered)
        if has_app_context():
            db.session.expire_all()
        return response

    def open(self, *args, csrf: bool = True, **kwargs):
        """Add ``csrf_token`` to form data of unsafe requests unless told not to."""
        method = kwargs.get("method", "GET").upper()
        data = kwargs.get("data")
        if csrf and method in ("POST", "PUT", "PATCH", "DELETE") and isinstance(data, dict) \
                and "csrf_token" not in data and "json" not in kwargs:
            kwargs["data"] = {**data, "csrf_token": self.csrf_token()}
        return super().open(*args, **kwargs)

    def csrf_token(self) -> str:
        """The CSRF token of this client's session (read from a page, like a browser)."""
        page = super().open("/", method="GET")
        return _CSRF.search(page.get_data(as_text=True)).group(1)


def empty_tables() -> None:
    """Delete every row of every table of the current app's database (between tests sharing it)."""
    db.session.remove()
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture
def app_factory(database_url, tmp_path_factory):
    """Build apps on the test database (several may share it, as processes do), storing uploads in a folder of
    their own; tables emptied afterwards."""
    apps = []
    uploads = str(tmp_path_factory.mktemp("uploads"))

    def build(**overrides):
        app = create_app(settings_for(database_url, **{"FORUM_UPLOAD_DIR": uploads, **overrides}))
        app.test_client_class = Client
        apps.append(app)
        return app

    yield build
    if apps:
        with apps[0].app_context():
            empty_tables()
        for app in apps:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()


@pytest.fixture
def app(app_factory):
    """The application, with an application context pushed for factories and direct checks."""
    application = app_factory()
    with application.app_context():
        yield application


@pytest.fixture
def client(app) -> Client:
    """A browser-like client (Spanish, the default language, unless a test asks otherwise)."""
    return app.test_client()


@pytest.fixture
def english_client(app) -> Client:
    """A client whose browser prefers English."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en-GB,en;q=0.9"
    return client


def browser(app, email: str | None = None, language: str | None = None) -> Client:
    """Another person's browser (preferring ``language`` when given), signed in as ``email`` when given."""
    client = app.test_client()
    if language:
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    if email:
        assert Auth(client).login(email).status_code == 302
    return client


def api_error(response, status: int) -> dict:
    """Check ``response`` is a JSON error with ``status`` and return its body."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.content_type.startswith("application/json")
    body = response.json["error"]
    assert body["code"] and body["message"]
    return body


def spanish_page(message: str, **values) -> str:
    """``message`` as a Spanish page shows it (translated and escaped, whatever the state of the catalog)."""
    with force_locale("es"):
        return str(escape(_(message, **values)))


def spanish(source: str) -> str:
    """The Spanish translation of ``source`` in the catalog (the catalog test guarantees there is one)."""
    return catalogs.read("es")[source].string


def saved(model):
    """``model`` (any mapped object) as the database has it now."""
    db.session.expire_all()
    return db.session.get(type(model), model.id)


@dataclass
class Auth:
    """Sign a client in and out through the real pages."""

    client: Client

    def login(self, email: str, password: str = PASSWORD, **extra):
        """Post the sign-in form."""
        return self.client.post("/login", data={"email": email, "password": password, **extra})

    def logout(self):
        """Post the sign-out form."""
        return self.client.post("/logout", data={})


@pytest.fixture
def auth(client) -> Auth:
    """Sign-in helper for ``client``."""
    return Auth(client)


@pytest.fixture
def make_user(app):
    """Factory: a confirmed account (participant unless told) whose owner accepted the privacy notice in force
    (unless ``accepted=False``), committed."""
    from forum.accounts import services
    from forum.personal_data import consent

    counter = iter(range(1, 10_000))

    def make(email: str | None = None, *, password: str = PASSWORD, role: str = "participant",
             confirmed: bool = True, accepted: bool = True, **fields):
        n = next(counter)
        values = dict(display_name=f"Persona {n}", sector="civil_society", state="OAX", locale="es")
        values.update(fields)
        user = services.create_user(email=email or f"persona{n}@example.org", password=password, role=role,
                                    confirmed=confirmed, **values)
        if accepted:
            consent.accept(user)
        commit()
        return user

    return make


@pytest.fixture
def make_organisation(app):
    """Factory: an organisation (verified federal agency unless told), committed."""
    from forum.accounts.organisations import create_organisation

    counter = iter(range(1, 10_000))

    def make(*, verified: bool = True, kind: str = "federal_agency", **fields):
        n = next(counter)
        values = dict(name_es=f"Organización {n}", name_en=f"Organisation {n}", acronym=f"ORG{n}", state="CMX")
        values.update(fields)
        organisation = create_organisation(verified=verified, kind=kind, **values)
        commit()
        return organisation

    return make


@pytest.fixture
def add_member(app):
    """Factory: make ``user`` an approved (or other status) member of ``organisation``."""
    from forum.accounts.models import Membership

    def add(user, organisation, *, status: str = "approved", representative: bool = False):
        membership = Membership(user=user, organisation=organisation, status=status,
                                is_representative=representative)
        db.session.add(membership)
        commit()
        return membership

    return add


@pytest.fixture
def make_platform(app):
    """Factory: a platform (public and open unless told), committed. ``members=[...]`` joins people to it,
    ``moderators=[...]`` and ``translators=[...]`` give them those duties on it."""
    from forum.platforms import services as platforms
    from forum.platforms.models import PlatformMembership

    counter = iter(range(1, 10_000))

    def make(*, members=(), moderators=(), translators=(), **fields):
        n = next(counter)
        values = dict(slug=f"plataforma-{n}", name_es=f"Plataforma {n}", name_en=f"Platform {n}",
                      description_es="Descripción", description_en="Description")
        values.update(fields)
        platform = platforms.create_platform(None, **values)
        for user in members:
            db.session.add(PlatformMembership(platform=platform, user_id=user.id, status="approved"))
        for role, people in (("moderator", moderators), ("translator", translators)):
            for user in people:
                platforms.grant_role(None, platform, user, role)
        commit()
        return platform

    return make


@pytest.fixture
def make_thread(app):
    """Factory: a thread opened by ``author`` (who must be able to post there), committed."""
    from forum.threads import services as threads

    counter = iter(range(1, 10_000))

    def make(author, platform, *, title: str | None = None, body: str = "Primer mensaje del hilo.", **fields):
        thread = threads.start_thread(author, platform, title=title or f"Hilo de prueba {next(counter)}",
                                      body=body, **fields)
        commit()
        return thread

    return make


@pytest.fixture
def make_post(app):
    """Factory: a reply by ``author`` in ``thread``, committed."""
    from forum.threads import services as threads

    def make(author, thread, body: str = "Una respuesta.", **fields):
        post = threads.reply(author, thread, body=body, **fields)
        commit()
        return post

    return make


@pytest.fixture
def token_for(app):
    """``token_for(user)``: a new personal access token of ``user`` (committed), for live connections."""
    from forum.accounts import api_tokens

    def make(user) -> str:
        _token, secret = api_tokens.create_token(user, "live")
        commit()
        return secret

    return make


@pytest.fixture
def token(app):
    """``token(user)``: API request headers carrying a new personal access token of ``user``."""
    from forum.accounts import api_tokens

    def make(user, **headers) -> dict:
        _, secret = api_tokens.create_token(user, "tests")
        commit()
        return {"Authorization": f"Bearer {secret}", **headers}

    return make


@pytest.fixture
def outbox(app):
    """Read the mail outbox: ``outbox()`` lists messages, ``outbox.link(message)`` finds its site link."""
    from forum.core.mail import OutboxMessage

    class Outbox:
        def __call__(self, recipient: str | None = None):
            db.session.expire_all()
            query = select(OutboxMessage).order_by(OutboxMessage.id)
            if recipient:
                query = query.where(OutboxMessage.recipient == recipient)
            return list(db.session.scalars(query))

        @staticmethod
        def link(message) -> str:
            """The path of the first link to this site in ``message``."""
            base = app.config["FORUM_BASE_URL"]
            found = re.search(re.escape(base) + r"(/\S+)", message.body)
            assert found, message.body
            return found.group(1)

    return Outbox()


@pytest.fixture
def count_queries(app):
    """``with count_queries() as queries:`` collects the SQL statements run inside the block."""
    from sqlalchemy import event

    @contextmanager
    def counting():
        statements: list[str] = []

        def record(_conn, _cursor, statement, *_args):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            event.remove(db.engine, "before_cursor_execute", record)

    return counting


@dataclass
class SMTPServer:
    """A real SMTP server on loopback that keeps what it receives."""

    port: int
    messages: list[Message] = field(default_factory=list)

    @property
    def url(self) -> str:
        """The FORUM_SMTP_URL that reaches this server."""
        return f"smtp://127.0.0.1:{self.port}"

    def wait_for(self, count: int, timeout: float = 5.0) -> list[Message]:
        """Wait until ``count`` messages have arrived."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.messages


@pytest.fixture
def smtp_server():
    """Start aiosmtpd on a free loopback port for the test."""
    from aiosmtpd.controller import Controller

    server = SMTPServer(port=free_port())

    class Handler:
        async def handle_DATA(self, _server, _session, envelope):
            server.messages.append(message_from_bytes(envelope.content, policy=policy.default))
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=server.port)
    controller.start()
    yield server
    controller.stop()


def pytest_collection_modifyitems(config, items):
    """Mark browser tests so ``-m 'not e2e'`` can leave them out."""
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


__all__ = ["PASSWORD", "free_port", "threading"]
