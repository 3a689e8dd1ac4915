"""Confirming the e-mail address: the link works once, expires, and cannot be forged."""

from __future__ import annotations

from sqlalchemy import select

from forum.accounts.models import User
from forum.extensions import db
from tests.conftest import Auth
from tests.test_helpers import register


def test_the_link_confirms_once(english_client, outbox):
    """First use confirms and sends to sign-in; a second use says it is already confirmed."""
    register(english_client, "rosa@example.org")
    link = outbox.link(outbox("rosa@example.org")[0])
    first = english_client.get(link, follow_redirects=True)
    assert "your address is confirmed" in first.get_data(as_text=True)
    assert db.session.scalar(select(User.email_confirmed_at)) is not None
    second = english_client.get(link, follow_redirects=True)
    assert "already confirmed" in second.get_data(as_text=True)


def test_a_forged_link_is_refused(english_client):
    """A tampered token gets 400 and a clear message."""
    response = english_client.get("/confirm/not-a-real-token")
    assert response.status_code == 400
    assert "not valid" in response.get_data(as_text=True)


def test_an_expired_link_says_so(app, english_client, outbox):
    """Past its lifetime the link is refused with "expired", and the account stays unconfirmed."""
    register(english_client, "rosa@example.org")
    link = outbox.link(outbox()[0])
    app.config["FORUM_CONFIRM_MAX_AGE"] = -1
    response = english_client.get(link)
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)
    assert db.session.scalar(select(User.email_confirmed_at)) is None


def test_unconfirmed_accounts_cannot_sign_in_but_can_ask_again(english_client, outbox):
    """The right password on an unconfirmed account: 403 and a way to get a new link."""
    register(english_client, "rosa@example.org")
    response = Auth(english_client).login("rosa@example.org")
    assert response.status_code == 403
    assert "confirm your e-mail address" in response.get_data(as_text=True)
    resend = english_client.post("/confirm", data={"email": "rosa@example.org"})
    assert resend.status_code == 302
    assert len(outbox("rosa@example.org")) == 2


def test_asking_again_for_an_unknown_address_looks_the_same(english_client, outbox):
    """No enumeration through "send a new link"."""
    response = english_client.post("/confirm", data={"email": "nobody@example.org"})
    assert response.status_code == 302
    assert outbox() == []

