"""Outgoing mail: messages are written to an outbox table in the request's transaction and delivered by
SMTP after the commit (or later with ``flask --app forum outbox send``). Without ``FORUM_SMTP_URL`` they
stay queued, so nothing is lost and ``flask --app forum outbox list`` shows them.
"""

from __future__ import annotations

import smtplib
import ssl
import unicodedata
from collections.abc import Sequence
from datetime import datetime
from email.message import EmailMessage
from email.utils import make_msgid
from urllib.parse import parse_qs, unquote, urlsplit

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import ForeignKey, LargeBinary, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.core.db import UTCDateTime, on_commit, utcnow
from forum.extensions import db


class OutboxMessage(db.Model):
    """One e-mail waiting for, or past, delivery."""

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: recipient address
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    #: plain-text body, already in the recipient's language
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: set once the SMTP server accepted the message
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    #: the last delivery error, kept for the operator
    last_error: Mapped[str | None] = mapped_column(Text)
    #: the one-click unsubscribe address of a notification e-mail (sent as ``List-Unsubscribe``)
    unsubscribe_url: Mapped[str | None] = mapped_column(String(500))

    attachments: Mapped[list[OutboxAttachment]] = relationship(cascade="all, delete-orphan",
                                                               order_by="OutboxAttachment.id")


class OutboxAttachment(db.Model):
    """A file sent with a queued e-mail (a calendar file, a QR code)."""

    __tablename__ = "outbox_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("outbox_messages.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(120))
    #: e.g. ``text/calendar; method=REQUEST`` or ``image/png``
    content_type: Mapped[str] = mapped_column(String(120))
    data: Mapped[bytes] = mapped_column(LargeBinary)


def queue_mail(recipient: str, template: str, locale: str, *, attachments: Sequence[tuple[str, str, bytes]] = (),
               unsubscribe_url: str | None = None, **context) -> OutboxMessage:
    """Render ``templates/email/<template>.txt`` in ``locale`` and queue it for ``recipient``, with
    ``attachments`` given as (file name, content type, bytes) and, for notifications, the address that
    unsubscribes with one click (RFC 8058 ``List-Unsubscribe`` headers).

    The template's first line is ``Subject: …``; the rest is the body.
    """
    with force_locale(locale):
        rendered = render_template(f"email/{template}.txt", **context)
    first, _, body = rendered.lstrip().partition("\n")
    message = OutboxMessage(
        recipient=recipient, subject=one_line(first.removeprefix("Subject:")), body=body.strip() + "\n",
        unsubscribe_url=unsubscribe_url,
        attachments=[OutboxAttachment(filename=name, content_type=kind, data=data) for name, kind, data in attachments],
    )
    db.session.add(message)
    db.session.flush()
    message_id = message.id
    on_commit(lambda: deliver_after_commit(message_id))
    return message


def one_line(text: str) -> str:
    """``text`` with every line break and control character (``\\r``, ``\\u2028``…) turned into a space: mail
    headers must stay on one line."""
    return " ".join("".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in text).split())


def deliver_after_commit(message_id: int) -> None:
    """Try to send one freshly committed message when SMTP is configured; failures stay queued."""
    if not current_app.config.get("FORUM_SMTP_URL"):
        return
    message = db.session.get(OutboxMessage, message_id)
    if message is not None and message.sent_at is None:
        _deliver([message])
        db.session.commit()


def send_queued(limit: int = 100) -> tuple[int, int]:
    """Send up to ``limit`` queued messages; return (sent, failed). The caller commits."""
    if not current_app.config.get("FORUM_SMTP_URL"):
        raise RuntimeError("FORUM_SMTP_URL is not set")
    pending = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.sent_at.is_(None)).order_by(OutboxMessage.id).limit(limit)
    ).all()
    return _deliver(pending)


def _deliver(messages: list[OutboxMessage]) -> tuple[int, int]:
    sent = failed = 0
    if not messages:
        return sent, failed
    try:
        connection = _connect(current_app.config["FORUM_SMTP_URL"])
    except (OSError, smtplib.SMTPException) as error:
        for message in messages:
            message.attempts += 1
            message.last_error = f"connect: {error}"
        current_app.logger.warning("SMTP connection failed: %s", error)
        return 0, len(messages)
    with connection:
        for message in messages:
            message.attempts += 1
            try:
                connection.send_message(_email(message))
            except (smtplib.SMTPException, ValueError) as error:  # ValueError: a message that cannot be built
                message.last_error = str(error)
                failed += 1
            else:
                message.sent_at = utcnow()
                message.last_error = None
                sent += 1
    return sent, failed


def _email(message: OutboxMessage) -> EmailMessage:
    email = EmailMessage()
    email["From"] = current_app.config["FORUM_MAIL_FROM"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(domain="forum.local")
    if message.unsubscribe_url:
        email["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
        email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email.set_content(message.body)
    for attachment in message.attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        subtype, _, parameters = subtype.partition(";")
        params = dict(p.strip().split("=", 1) for p in parameters.split(";") if "=" in p)
        email.add_attachment(attachment.data, maintype=maintype, subtype=subtype.strip(),
                             filename=attachment.filename, params=params)
    return email


def _connect(url: str) -> smtplib.SMTP:
    """Open an SMTP connection described by ``smtp[s]://user:password@host:port?starttls=1``."""
    parts = urlsplit(url)
    timeout = current_app.config.get("FORUM_SMTP_TIMEOUT", 10)
    host = parts.hostname or "localhost"
    if parts.scheme == "smtps":
        connection = smtplib.SMTP_SSL(host, parts.port or 465, timeout=timeout,
                                      context=ssl.create_default_context())
    elif parts.scheme == "smtp":
        connection = smtplib.SMTP(host, parts.port or 25, timeout=timeout)
        if parse_qs(parts.query).get("starttls", ["0"])[0] in ("1", "true", "yes"):
            connection.starttls(context=ssl.create_default_context())
    else:
        raise smtplib.SMTPException(f"unsupported scheme {parts.scheme!r}")
    if parts.username:
        connection.login(unquote(parts.username), unquote(parts.password or ""))
    return connection


def external_url(endpoint: str, **values) -> str:
    """The absolute address of ``endpoint`` under ``FORUM_BASE_URL`` (works outside requests too)."""
    adapter = current_app.url_map.bind("localhost", script_name="/")
    return current_app.config["FORUM_BASE_URL"] + adapter.build(endpoint, values)
