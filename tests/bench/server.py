"""The app as the benchmark serves it: the production app, plus a clock that notes when each new post was
committed, so the benchmark can measure from the commit to the arrival at each live client.

Served by ``gunicorn tests.bench.server:app`` (or run as ``python -m tests.bench.server`` with ``PORT`` set, on
Flask-SocketIO's own server). ``FORUM_BENCH_COMMIT_LOG`` names the file that receives one line
``<post id> <time.time()>`` per committed post; nothing else about the app changes.
"""

from __future__ import annotations

import os
import time

from sqlalchemy import event
from sqlalchemy.orm import Session

from forum import create_app
from forum.extensions import socketio
from forum.threads.models import Post

_PENDING = "bench_new_posts"


def install_commit_clock(path: str) -> None:
    """Append ``<post id> <time>`` to ``path`` right after each commit that saved new posts (before the app's
    after-commit work, which is what sends the live events)."""

    @event.listens_for(Session, "after_flush")
    def _note_new_posts(session, _flush_context):
        """Remember the ids of the posts this flush inserted."""
        ids = [item.id for item in session.new if isinstance(item, Post)]
        if ids:
            session.info.setdefault(_PENDING, []).extend(ids)

    @event.listens_for(Session, "after_commit")
    def _stamp(session):
        """Write the commit time of the posts noted since the last commit."""
        ids = session.info.pop(_PENDING, None)
        if ids:
            now = time.time()
            with open(path, "a", encoding="ascii") as log:
                log.write("".join(f"{post_id} {now:.6f}\n" for post_id in ids))

    @event.listens_for(Session, "after_soft_rollback")
    def _forget(session, _previous_transaction):
        """Posts rolled back were never committed."""
        session.info.pop(_PENDING, None)

app = create_app()
if os.environ.get("FORUM_BENCH_COMMIT_LOG"):
    install_commit_clock(os.environ["FORUM_BENCH_COMMIT_LOG"])

if __name__ == "__main__":
    socketio.run(app, host="127.0.0.1", port=int(os.environ["PORT"]), allow_unsafe_werkzeug=True, log_output=False)
