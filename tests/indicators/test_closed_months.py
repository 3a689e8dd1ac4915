"""Closed months: a month's figures about people are kept from the first time they are shown once the month is over
and its events' check-in has closed; open months are counted again on every request."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from forum.core.db import commit
from forum.extensions import db
from forum.indicators.models import ClosedMonth
from forum.threads.models import Post
from tests.indicators.conftest import at, cells, event_at, seats_at


def _shown(tables: dict) -> dict:
    """Every cell of every table as the reader sees it."""
    return {key: {row.key: cells(table, row.key) for row in table.rows} for key, table in tables.items()}


def _kept() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(select(ClosedMonth.month).order_by(ClosedMonth.month)))


def test_a_closed_month_keeps_its_figures_whatever_changes_later(january, figures, make_user):
    justice, _gender, groups = january
    before = _shown(figures(since="2026-01", until="2026-01", user=make_user(role="admin"), level="full"))
    assert before["participants-by-gender"]["woman"] == [11]
    assert _kept() == ["2026-01"]
    # afterwards a moderator hides the posts of one woman, a man deletes his account, another says he is a woman
    db.session.execute(Post.__table__.update().where(Post.author_id == groups["a"][1].id).values(status="hidden"))
    db.session.delete(groups["b"][0])
    groups["b"][1].gender = "woman"
    commit()
    admin = make_user(role="admin")
    after = _shown(figures(since="2026-01", until="2026-01", user=admin, level="full"))
    assert after == before  # nothing to compare that would tell those people's answers
    db.session.execute(ClosedMonth.__table__.delete())
    commit()
    counted_again = _shown(figures(since="2026-01", until="2026-01", user=admin, level="full"))
    assert counted_again["participants-by-gender"]["woman"] == [11]  # one woman left, one man came
    assert counted_again != before


def test_kept_figures_are_those_counted_from_the_content(january, make_platform, figures):
    justice, _gender, _groups = january
    january_event = event_at(justice, at(1, 15))
    seats_at(january_event, 6, gender="woman", attended=True, age_range="18_29")
    seats_at(january_event, 5, gender="man", attended=False)
    # on no platform, and anonymised: its frozen figures know no state
    event_at(None, at(2), figures={"registered": {"gender": {"woman": 5, "man": 6}, "age_range": {"18_29": 11}},
                                   "attended": {"gender": {"woman": 5, "man": 5}, "age_range": {"18_29": 10}}})
    commit()
    counted = _shown(figures(since="2026-01", until="2026-03"))
    assert _kept() == ["2026-01", "2026-02", "2026-03"]
    assert cells(figures(since="2026-01", until="2026-03")["share-of-women"], "registrants:all")[:2] == [54.5, 45.5]
    assert _shown(figures(since="2026-01", until="2026-03")) == counted
    assert _shown(figures(since="2026-02", until="2026-02", state="OAX")) == _shown(
        figures(since="2026-02", until="2026-02", state="OAX"))


def test_the_running_month_is_counted_again_on_every_request(make_people, make_platform, post_at, figures):
    platform = make_platform()
    now = datetime.now(UTC)
    month = f"{now.year:04d}-{now.month:02d}"
    posts = [post_at(person, platform, now) for person in make_people(7, sector="academia")]
    assert cells(figures(since=month, until=month)["participants-by-sector"], "academia") == [7]
    posts[0].status = "hidden"
    commit()
    assert cells(figures(since=month, until=month)["participants-by-sector"], "academia") == [6]
    assert _kept() == []


def test_a_month_whose_check_in_is_open_is_kept_only_once_it_closes(make_platform, figures):
    platform = make_platform()
    now = datetime.now(UTC)
    last_month_day = now.replace(day=1, hour=12, minute=0, second=0, microsecond=0) - timedelta(days=2)
    month = f"{last_month_day.year:04d}-{last_month_day.month:02d}"
    event = event_at(platform, last_month_day, ends=now + timedelta(days=7))
    seats_at(event, 6, gender="woman", attended=True)
    seats_at(event, 6, gender="man", attended=True)
    commit()
    assert cells(figures(since=month, until=month)["share-of-women"], "attendees:all") == ["pending"]
    assert _kept() == []
    event.ends_at = now - timedelta(days=2)  # cut short: its check-in has closed
    commit()
    assert cells(figures(since=month, until=month)["share-of-women"], "attendees:all") == [50.0]
    assert _kept() == [month]


def test_two_requests_closing_a_month_at_once_keep_one_count(app):
    from forum.indicators import closed_months
    from forum.indicators.closed_months import MonthCounts

    first = MonthCounts({"posters": {1: {"sector": {"OAX": {"academia": 5}}}}})
    closed_months.close_months({"2026-01": first})
    closed_months.close_months({"2026-01": MonthCounts({"posters": {1: {"sector": {"OAX": {"academia": 9}}}}})})
    kept = db.session.scalars(select(ClosedMonth)).all()
    assert [MonthCounts.read(row.counts) for row in kept] == [first]
