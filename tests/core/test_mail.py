"""Mail goes through the outbox and a real SMTP server; when the server is down nothing is lost."""

from __future__ import annotations

from forum.core.mail import OutboxMessage
from forum.extensions import db
from tests.test_helpers import register


def test_registration_mail_reaches_the_smtp_server(app_factory, smtp_server):
    """The confirmation e-mail is delivered right after the commit, in the user's language."""
    app = app_factory(FORUM_SMTP_URL=smtp_server.url, FORUM_MAIL_FROM="Foro <foro@example.org>")
    register(app.test_client(), "rosa@example.org", locale="en")
    [message] = smtp_server.wait_for(1)
    assert message["To"] == "rosa@example.org"
    assert message["From"] == "Foro <foro@example.org>"
    assert message["Subject"] == "Confirm your e-mail address"
    assert "/confirm/" in message.get_content()
    with app.app_context():
        assert db.session.query(OutboxMessage).one().sent_at is not None


def test_mail_waits_in_the_outbox_while_smtp_is_down_and_goes_out_later(app_factory, smtp_server):
    """A refused connection keeps the message queued; ``outbox send`` delivers it later."""
    from tests.conftest import free_port

    app = app_factory(FORUM_SMTP_URL=f"smtp://127.0.0.1:{free_port()}")
    response = register(app.test_client(), "rosa@example.org")
    assert response.status_code == 302  # the visitor never sees the mail failure
    with app.app_context():
        message = db.session.query(OutboxMessage).one()
        assert message.sent_at is None and message.attempts == 1 and message.last_error
        app.config["FORUM_SMTP_URL"] = smtp_server.url
        result = app.test_cli_runner().invoke(args=["outbox", "send"])
        assert "sent 1, failed 0" in result.output
    assert len(smtp_server.wait_for(1)) == 1


def test_without_smtp_mail_stays_queued_and_can_be_read(app):
    """Without FORUM_SMTP_URL the message stays in the outbox; ``outbox list``/``show`` display it."""
    register(app.test_client(), "rosa@example.org")
    runner = app.test_cli_runner()
    listing = runner.invoke(args=["outbox", "list"]).output
    assert "rosa@example.org" in listing
    message_id = db.session.query(OutboxMessage).one().id
    shown = runner.invoke(args=["outbox", "show", str(message_id)]).output
    assert "/confirm/" in shown
    assert "FORUM_SMTP_URL" in runner.invoke(args=["outbox", "send"]).output
