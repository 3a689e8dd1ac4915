"""Accounts: people, organisations, memberships, roles, sign-in, profiles and personal API tokens."""

from __future__ import annotations

from flask import Blueprint, Flask, g
from flask_babel import lazy_gettext as _l

from forum.extensions import db, login_manager

bp = Blueprint("accounts", __name__)


def _load_user(session_id: str):
    """Flask-Login: the user of a session, unless it was ended (suspension, password change, sign-out)."""
    from forum.accounts.sessions import session_user
    from forum.core.db import commit

    user = session_user(session_id)
    if db.session.dirty or db.session.deleted:  # last-seen time moved on, or an expired session went
        commit()
    return user


def _load_user_from_request(request):
    """Flask-Login: the owner of a personal access token sent as ``Authorization: Bearer …``."""
    from forum.accounts.api_tokens import user_for_token
    from forum.core.db import commit

    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    found = user_for_token(secret.strip())
    if found is None:
        return None
    user, token = found
    if db.session.dirty:  # the token's last use moved on
        commit()
    g.api_token = token
    return user


def init_app(app: Flask) -> None:
    """Configure sign-in and register the pages, the API endpoints and the live connection handler."""
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.user_loader(_load_user)
    login_manager.request_loader(_load_user_from_request)
    app.register_blueprint(bp)
    app.jinja_env.globals.update(choices=choices, account_rules=rules)


from forum.accounts import (  # noqa: E402,F401  (the pages, API and socket handlers register themselves)
    admin_routes,
    api,
    choices,
    organisation_routes,
    routes,
    rules,
    sockets,
)
