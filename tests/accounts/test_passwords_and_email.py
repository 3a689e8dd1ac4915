"""Password reset, password change and e-mail change: single-use links that expire and die with a change."""

from __future__ import annotations

from sqlalchemy import select

from forum.accounts.models import User
from forum.extensions import db
from tests.conftest import PASSWORD, Auth

NEW = "a brand new passphrase"


def reset_link(client, outbox, email="ana@example.org") -> str:
    """Ask for a reset link and return it."""
    client.post("/reset", data={"email": email})
    return outbox.link(outbox(email)[-1])


def test_reset_flow(english_client, make_user, outbox):
    """The e-mailed link sets a new password; the old one stops working; the link works once."""
    make_user("ana@example.org", locale="en")
    link = reset_link(english_client, outbox)
    assert outbox("ana@example.org")[-1].subject == "Choose a new password"
    assert english_client.post(link, data={"password": NEW}).status_code == 302
    auth = Auth(english_client)
    assert auth.login("ana@example.org", PASSWORD).status_code == 401
    assert auth.login("ana@example.org", NEW).status_code == 302
    reused = english_client.get(link)
    assert reused.status_code == 400 and "already used" in reused.get_data(as_text=True)


def test_reset_request_does_not_reveal_accounts(english_client, make_user, outbox):
    """Known and unknown addresses get the same answer; only the known one gets mail."""
    make_user("ana@example.org")
    known = english_client.post("/reset", data={"email": "ana@example.org"})
    unknown = english_client.post("/reset", data={"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    assert [m.recipient for m in outbox()] == ["ana@example.org"]


def test_reset_link_expires(app, english_client, make_user, outbox):
    """After its hour the link is refused as expired."""
    make_user("ana@example.org")
    link = reset_link(english_client, outbox)
    app.config["FORUM_RESET_MAX_AGE"] = -1
    response = english_client.get(link)
    assert response.status_code == 400 and "expired" in response.get_data(as_text=True)


def test_reset_link_dies_when_the_email_changes(english_client, make_user, outbox):
    """A reset link sent to an old address is void once the address changed."""
    user = make_user("ana@example.org")
    link = reset_link(english_client, outbox)
    user.email = "ana.nueva@example.org"
    db.session.commit()
    assert english_client.post(link, data={"password": NEW}).status_code == 400


def test_reset_with_a_weak_password_keeps_the_link_usable(english_client, make_user, outbox):
    """A refused password shows the reason and the same link still works."""
    make_user("ana@example.org")
    link = reset_link(english_client, outbox)
    weak = english_client.post(link, data={"password": "12345678"})
    assert weak.status_code == 422 and "too common" in weak.get_data(as_text=True)
    assert english_client.post(link, data={"password": NEW}).status_code == 302


def test_changing_the_password_needs_the_current_one_and_signs_out_other_devices(app, client, auth, make_user):
    """Wrong current password: refused. Right one: this browser stays in, the other is signed out."""
    make_user("ana@example.org")
    laptop = app.test_client()
    Auth(laptop).login("ana@example.org")
    auth.login("ana@example.org")
    wrong = client.post("/account/password", data={"current_password": "nope nope", "password": NEW})
    assert wrong.status_code == 422
    ok = client.post("/account/password", data={"current_password": PASSWORD, "password": NEW})
    assert ok.status_code == 302
    assert client.get("/account").status_code == 200
    assert laptop.get("/account").status_code == 302


def test_changing_the_email_address(english_client, make_user, outbox):
    """The new address must be confirmed; the old one is told; the link works once."""
    make_user("ana@example.org")
    Auth(english_client).login("ana@example.org")
    response = english_client.post("/account/email", data={"email": "ana@nueva.example.org",
                                                           "current_password": PASSWORD})
    assert response.status_code == 302
    assert db.session.scalar(select(User.email)) == "ana@example.org"
    assert outbox("ana@example.org")[-1].subject  # the notice to the old address
    link = outbox.link(outbox("ana@nueva.example.org")[-1])
    assert english_client.get(link).status_code == 302
    assert db.session.scalar(select(User.email)) == "ana@nueva.example.org"
    assert english_client.get(link).status_code == 400


def test_changing_to_an_address_already_in_use_reveals_nothing(english_client, make_user, outbox):
    """The answer is the same; the taken address is told instead; nothing changes."""
    make_user("ana@example.org", locale="en")
    make_user("taken@example.org")
    Auth(english_client).login("ana@example.org")
    response = english_client.post("/account/email", data={"email": "taken@example.org",
                                                           "current_password": PASSWORD})
    assert response.status_code == 302
    assert outbox("taken@example.org")[-1].subject == "This address already has an account"
    assert sorted(db.session.scalars(select(User.email))) == ["ana@example.org", "taken@example.org"]


def test_changing_the_email_needs_the_password(english_client, make_user, outbox):
    """Without the right current password, no link is sent."""
    make_user("ana@example.org", locale="en")
    Auth(english_client).login("ana@example.org")
    response = english_client.post("/account/email", data={"email": "x@example.org", "current_password": "bad"})
    assert response.status_code == 422
    assert "current password is not correct" in response.get_data(as_text=True)
    assert outbox("x@example.org") == []


def test_passwords_are_stored_as_strong_argon2id_hashes(app):
    """Outside the test suite's cheap setting, hashes use Argon2id with 64 MiB of memory."""
    from forum.accounts.passwords import hash_password, verify_password

    app.config["FORUM_FAST_PASSWORD_HASHING"] = False
    stored = hash_password(NEW)
    assert stored.startswith("$argon2id$") and "m=65536" in stored and NEW not in stored
    assert verify_password(stored, NEW) and not verify_password(stored, PASSWORD)
