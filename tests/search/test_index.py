"""The index under concurrent writes: two transactions rewriting the same entry wait for each other (an upsert
keeps its row) instead of one failing, and its item's own write with it."""

from __future__ import annotations

import threading
import time

from sqlalchemy import select

from forum.core.db import commit
from forum.extensions import db
from forum.search import index
from forum.search.models import SearchEntry
from tests.search.test_kinds import found, keys


def test_two_transactions_rewriting_one_entry(app, make_user, make_platform, make_thread):
    """Two transactions rewrite the same entry at once (a reindex while someone writes): the second waits for
    the first instead of colliding on the entry's (kind, id), both commit, and one entry remains."""
    person = make_user()
    thread = make_thread(person, make_platform(members=[person]), title="Obsidiana pulida", body="Texto.")
    thread_id = thread.id
    db.session.remove()
    gate, errors = threading.Barrier(2), []

    def rewrite(before: float, after: float) -> None:
        with app.app_context():
            try:
                gate.wait(timeout=10)
                time.sleep(before)
                index.refresh(db.session, [("thread", thread_id)])
                time.sleep(after)  # the first holds its rewritten entry a while before committing
                commit()
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(repr(error))

    workers = [threading.Thread(target=rewrite, args=timing) for timing in ((0, 0.5), (0.1, 0))]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    assert errors == []
    db.session.expire_all()
    entries = db.session.scalars(select(SearchEntry).where(SearchEntry.kind == "thread")).all()
    assert [entry.title_es for entry in entries] == ["Obsidiana pulida"]
    assert keys(found(None, "obsidiana")) == [("thread", thread_id)]
