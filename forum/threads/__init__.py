"""Discussion threads: posts in Markdown, edits and their history, translations, reactions, reading positions,
follows, the live updates that keep an open thread page current, and what moderation does to threads and posts
(the ``post`` and ``thread`` targets of ``forum.moderation``)."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("threads", __name__)


def init_app(app: Flask) -> None:
    """Register the thread pages, API endpoints and live handlers."""
    from forum.moderation.choices import DECISIONS, REASONS
    from forum.threads import choices, rules

    app.register_blueprint(bp)
    app.jinja_env.globals.update(thread_rules=rules, thread_kinds=choices.KINDS, reaction_labels=choices.REACTIONS,
                                 translation_labels=choices.PROVENANCES, thread_statuses=choices.THREAD_STATUSES,
                                 thread_moderation=moderation, hiding_reasons=REASONS, decision_labels=DECISIONS)


from forum.threads import api, models, moderation, routes, search, sockets  # noqa: E402,F401  (they register themselves)
