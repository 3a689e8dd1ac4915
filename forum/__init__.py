"""The Social Cohesion Forum (Foro de Cohesión Social): an EU–Mexico multi-stakeholder dialogue platform."""

from __future__ import annotations

import os
from collections.abc import Mapping

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from forum import extensions
from forum.config import Config, from_environment


def _overrides(config: Mapping | type | None) -> dict:
    if config is None:
        return {}
    if isinstance(config, Mapping):
        return dict(config)
    return {name: getattr(config, name) for name in dir(config) if name.isupper()}


def create_app(config: Mapping | type | None = None) -> Flask:
    """Build the application: settings from ``FORUM_*`` variables (then ``config``), extensions,
    the blueprints of every domain, the CLI commands and the error pages."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    app = Flask(__name__, instance_path=os.path.join(root, "instance"),
                template_folder=os.path.join(root, "templates"), static_folder=os.path.join(root, "static"))
    overrides = _overrides(config)
    app.config.from_object(Config)
    app.config.update(from_environment(os.environ, app.instance_path, need_secret="SECRET_KEY" not in overrides))
    app.config.update(overrides)
    if app.config["FORUM_TRUSTED_PROXIES"]:
        hops = app.config["FORUM_TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)

    # the domains (and their live handlers) before Socket.IO builds its server: handlers registered later would
    # reach only the first server, and every app (the tests build many) gets its own
    from forum import (  # noqa: F401
        accounts,
        consultations,
        documents,
        events,
        indicators,
        moderation,
        notifications,
        personal_data,
        platforms,
        search,
        threads,
    )

    _init_extensions(app, root)
    _register_domains(app)
    return app


def _init_extensions(app: Flask, root: str) -> None:
    from forum import i18n
    from forum.core import db as core_db
    from forum.core import errors, security, text
    from forum.search.backends import described_by_the_models

    extensions.db.init_app(app)
    extensions.migrate.init_app(app, extensions.db, directory=os.path.join(root, "migrations"),
                                render_as_batch=True, compare_type=True, include_object=described_by_the_models)
    with app.app_context():
        core_db.configure_sqlite(extensions.db.engine)
    extensions.login_manager.init_app(app)
    extensions.csrf.init_app(app)
    extensions.limiter.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    text.init_app(app)
    # Flask-SocketIO keeps the message queue of an earlier init_app; each app chooses its own
    extensions.socketio.server_options.pop("client_manager", None)
    extensions.socketio.init_app(
        app,
        message_queue=app.config["FORUM_REDIS_URL"],
        channel=app.config["FORUM_LIVE_CHANNEL"],
        cors_allowed_origins=[app.config["FORUM_BASE_URL"]],
        async_mode="threading",
    )


def _register_domains(app: Flask) -> None:
    """Every domain, in an explicit list (the API blueprint last: domains add endpoints to it first)."""
    from forum import (
        accounts,
        api,
        cli,
        consultations,
        documents,
        events,
        home,
        indicators,
        moderation,
        notifications,
        personal_data,
        platforms,
        search,
        threads,
    )

    home.init_app(app)
    accounts.init_app(app)
    platforms.init_app(app)
    threads.init_app(app)
    moderation.init_app(app)
    documents.init_app(app)
    events.init_app(app)
    consultations.init_app(app)
    search.init_app(app)
    notifications.init_app(app)
    indicators.init_app(app)
    personal_data.init_app(app)
    api.init_app(app)
    cli.init_app(app)
