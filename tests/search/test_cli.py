"""``flask --app forum reindex`` rebuilds the index from the domains' tables: after the index was emptied by
hand, search finds everything again, and the command prints what it wrote per kind."""

from __future__ import annotations

from sqlalchemy import delete, func, select

from forum.core.db import commit
from forum.extensions import db
from forum.search.models import SearchEntry


def test_reindex_after_the_index_was_emptied(app, client, make_user, make_platform, make_thread, make_post):
    """Emptied by hand, the index finds nothing; ``reindex`` writes every entry back and search finds again."""
    person = make_user()
    platform = make_platform(members=[person])
    thread = make_thread(person, platform, title="Participación de la mujer", body="Propuestas.")
    make_post(person, thread, body="Las mujeres rurales.")
    make_thread(person, platform, title="Seguridad vial", body="Otra cosa.")
    assert client.get("/api/v1/search?q=mujer").json["total"] == 2

    db.session.execute(delete(SearchEntry))
    commit()
    assert client.get("/api/v1/search?q=mujer").json["total"] == 0

    result = app.test_cli_runner().invoke(args=["reindex"])
    assert result.exit_code == 0, result.output
    assert "thread: 2\n" in result.output and "post: 3\n" in result.output  # the opening posts too
    assert "Search index rebuilt: 5 entries." in result.output
    assert db.session.scalar(select(func.count()).select_from(SearchEntry)) == 5
    assert client.get("/api/v1/search?q=mujer").json["total"] == 2
