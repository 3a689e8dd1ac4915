"""Notification fixtures: people on a public platform with a thread, and reading what each was told."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.notifications.models import Notification


@pytest.fixture
def people(make_user):
    """Ana (thread author, Spanish), Ben (English), Carla (Spanish), and Dan, who belongs to no platform."""
    return {
        "ana": make_user("ana@example.org", display_name="Ana Author"),
        "ben": make_user("ben@example.org", display_name="Ben Reader", locale="en"),
        "carla": make_user("carla@example.org", display_name="Carla Member"),
        "dan": make_user("dan@example.org", display_name="Dan Outsider", locale="en"),
    }


@pytest.fixture
def platform(make_platform, people):
    """A public platform Ana, Ben and Carla belong to."""
    return make_platform(slug="justicia", members=[people["ana"], people["ben"], people["carla"]])


@pytest.fixture
def thread(make_thread, people, platform):
    """A thread Ana opened (she follows it)."""
    return make_thread(people["ana"], platform, title="Access to justice in Oaxaca")


@pytest.fixture
def told(app):
    """``told(user)``: the (kind, subject_type, subject_id) of each notification of ``user``, oldest first."""
    def read(user) -> list[tuple[str, str, int]]:
        db.session.expire_all()
        return [tuple(row) for row in db.session.execute(select(
            Notification.kind, Notification.subject_type, Notification.subject_id).where(
            Notification.user_id == user.id).order_by(Notification.id))]

    return read
