"""Fixtures of the moderation tests."""

from __future__ import annotations

import pytest

from tests.moderation import build_forum


@pytest.fixture
def forum(make_user, make_platform, make_thread, make_post):
    """The moderation test forum (see ``tests.moderation.Forum``)."""
    return build_forum(make_user, make_platform, make_thread, make_post)
