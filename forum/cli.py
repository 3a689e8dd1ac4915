"""Command-line tasks: ``flask --app forum <command>``. They call the same services as the pages."""

from __future__ import annotations

import click
from flask import Flask, current_app
from sqlalchemy import or_, select

from forum.core.db import commit
from forum.core.errors import ActionRefused
from forum.extensions import db


def _organisation(reference: str):
    from forum.accounts.models import Organisation

    query = select(Organisation).where(or_(Organisation.acronym == reference, Organisation.name_es == reference,
                                           Organisation.name_en == reference))
    if reference.isdigit():
        query = select(Organisation).where(Organisation.id == int(reference))
    organisation = db.session.scalar(query)
    if organisation is None:
        raise click.BadParameter(f"no organisation {reference!r}", param_hint="--organisation")
    return organisation


@click.command("seed-demo")
def seed_demo() -> None:
    """Load the bilingual demo data (organisations, one account per role). Safe to run again."""
    from forum import demo

    with current_app.test_request_context(base_url=current_app.config["FORUM_BASE_URL"]):
        created = demo.seed()
        commit()
    click.echo(f"Demo data ready ({created} new records). Accounts: see README, password {demo.PASSWORD!r}.")


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--name", "display_name", required=True, help="name shown to others")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--role", type=click.Choice(["participant", "moderator", "admin"]), default="participant")
@click.option("--organisation", help="acronym, name or id of an existing organisation")
@click.option("--representative", is_flag=True, help="make the user a representative of the organisation")
@click.option("--sector", default="individual", show_default=True)
@click.option("--state", default="CMX", show_default=True)
@click.option("--locale", type=click.Choice(["es", "en"]), default="es", show_default=True)
def create_user(email, display_name, password, role, organisation, representative, sector, state, locale) -> None:
    """Create a confirmed account, optionally as an approved member of an organisation."""
    from forum.accounts import services
    from forum.accounts.models import Membership

    try:
        user = services.create_user(email=email, password=password, display_name=display_name, role=role,
                                    sector=sector, state=state, locale=locale, confirmed=True)
        if organisation:
            db.session.add(Membership(user=user, organisation=_organisation(organisation), status="approved",
                                      is_representative=representative))
        commit()
    except ActionRefused as error:
        raise click.ClickException(error.message) from error
    click.echo(f"Created user {user.id} <{user.email}> ({role}).")


@click.command("create-token")
@click.option("--email", required=True, help="the account the token acts for")
@click.option("--name", required=True, help="a label to recognise the token by")
def create_token(email, name) -> None:
    """Create a personal access token and print it once (only its hash is kept)."""
    from forum.accounts import api_tokens, services

    user = services.find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"no account with e-mail {email}")
    try:
        _, secret = api_tokens.create_token(user, name)
        commit()
    except ActionRefused as error:
        raise click.ClickException(error.message) from error
    click.echo(secret)


@click.group("outbox")
def outbox() -> None:
    """Queued e-mail: list, show and send."""


@outbox.command("list")
@click.option("--all", "show_all", is_flag=True, help="include messages already sent")
def outbox_list(show_all: bool) -> None:
    """List queued messages (newest last)."""
    from forum.core.mail import OutboxMessage

    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if not show_all:
        query = query.where(OutboxMessage.sent_at.is_(None))
    for message in db.session.scalars(query):
        state = f"sent {message.sent_at:%Y-%m-%d %H:%M}" if message.sent_at else f"queued ({message.attempts} tries)"
        click.echo(f"{message.id:>6}  {message.recipient:<40} {state:<24} {message.subject}")


@outbox.command("show")
@click.argument("message_id", type=int)
def outbox_show(message_id: int) -> None:
    """Print one message (to follow its links on a machine without SMTP)."""
    from forum.core.mail import OutboxMessage

    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        raise click.ClickException(f"no message {message_id}")
    click.echo(f"To: {message.recipient}\nSubject: {message.subject}\n\n{message.body}")


@outbox.command("send")
@click.option("--limit", default=100, show_default=True)
def outbox_send(limit: int) -> None:
    """Send queued messages through FORUM_SMTP_URL (for cron)."""
    from forum.core.mail import send_queued

    try:
        sent, failed = send_queued(limit)
    except RuntimeError as error:
        raise click.ClickException(str(error)) from error
    commit()
    click.echo(f"sent {sent}, failed {failed}")
    if failed:
        raise SystemExit(1)


@click.command("purge-expired")
def purge_expired() -> None:
    """Erase the personal data whose retention period has passed: accounts never confirmed, idle sign-in
    sessions, revoked API tokens, expired copies of people's data, old outbox e-mail, the registrations of
    events past their retention period (anonymised; aggregate figures are kept) and old access-log entries.
    For cron, daily."""
    from forum.personal_data import retention

    done = retention.purge_all()
    commit()
    click.echo(f"Deleted {done['accounts']} accounts never confirmed "
               f"(and {done['organisations']} organisations only they had named).")
    click.echo(f"Deleted {done['sessions']} sign-in sessions left unused.")
    click.echo(f"Deleted {done['api_tokens']} API tokens revoked over {retention.REVOKED_TOKEN_DAYS} days ago.")
    click.echo(f"Expired {done['exports']} copies of personal data whose link had expired.")
    click.echo(f"Deleted {done['outbox_messages']} old outbox messages.")
    click.echo(f"Anonymised {done['registrations']} registrations of {done['events']} events.")
    click.echo(f"Erased {done['departed']} registrations of deleted accounts whose event's check-in has closed.")
    click.echo(f"Deleted {done['access_entries']} old access-log entries.")


@click.group("events")
def events() -> None:
    """Event tasks for cron."""


@events.command("release-seats")
def events_release_seats() -> None:
    """Give the seats kept for a sector whose reservation has lapsed to the people on the waiting list
    (hourly)."""
    from forum.events import registrations, services

    promoted = 0
    for event in services.events_with_lapsed_reservations():
        promoted += len(registrations.release_seats(event))
        commit()
    click.echo(f"Promoted {promoted} people from waiting lists.")


@click.group("translations")
def translations() -> None:
    """Maintain the Spanish and English catalogs in translations/."""


@translations.command("update")
def translations_update() -> None:
    """Extract every marked string and merge it into both catalogs.

    English is the language of the source strings, so the English catalog is filled from them; Spanish entries
    that are new or changed stay empty (or fuzzy) until translated, and the test suite fails until they are.
    """
    from forum.i18n import catalogs

    new = catalogs.update()
    click.echo(f"Catalogs updated; {new} Spanish entries need a translation.")


def init_app(app: Flask) -> None:
    """Register the commands."""
    for command in (seed_demo, create_user, create_token, outbox, purge_expired, events, translations):
        app.cli.add_command(command)
