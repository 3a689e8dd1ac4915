"""The ``indicators`` command: the indicators of a period printed as CSV records or as the JSON document of the
exports. By default the public level, the same figures as the open data; ``--user`` gives the fuller level as
that administrator or official sees it."""

from __future__ import annotations

import json

import click
from flask import current_app
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from forum.accounts.services import find_user_by_email
from forum.indicators import exports, filters, rules
from forum.indicators.scope import scope

#: the option that carries each filter, for messages
OPTIONS = {"since": "--period", "until": "--period", "platform": "--platform", "state": "--state"}


def period_halves(text: str) -> tuple[str, str]:
    """``FIRST:LAST`` as its two months (either may be empty); a single month is a period of that month."""
    first, colon, last = text.partition(":")
    return first, last if colon else first


@click.command("indicators")
@click.option("--period", default="", metavar="FIRST:LAST",
              help="months as YYYY-MM, e.g. 2026-01:2026-12 (default: the last 12 months)")
@click.option("--format", "extension", type=click.Choice(exports.FORMATS), default="csv", show_default=True)
@click.option("--platform", default="", metavar="SLUG", help="only this platform")
@click.option("--state", default="", metavar="CODE", help="only people of this state, e.g. OAX")
@click.option("--table", "key", default=exports.ALL, metavar="KEY", help="only this table (default: all)")
@click.option("--user", "email", default="", metavar="EMAIL",
              help="the fuller level as this administrator or official sees it (default: the public level)")
def indicators(period: str, extension: str, platform: str, state: str, key: str, email: str) -> None:
    """Print the indicators: CSV records (one line per figure) or the JSON document of the exports."""
    with current_app.test_request_context(base_url=current_app.config["FORUM_BASE_URL"]):
        viewer = None
        if email:
            viewer = find_user_by_email(email)
            if viewer is None:
                raise click.BadParameter(_("There is no account with this e-mail address."), param_hint="--user")
            if not rules.can_see_full(viewer):
                raise click.ClickException(_("Only administrators and officials may see the full indicators."))
        chosen_scope = scope(viewer, "full" if viewer else "public")
        since, until = period_halves(period)
        asked = filters.read(MultiDict({"since": since, "until": until, "platform": platform, "state": state}),
                             chosen_scope.viewer)
        refusal = asked.refusal()
        if refusal is not None:
            raise click.BadParameter(refusal.message, param_hint=OPTIONS[refusal.field])
        tables = exports.chosen(chosen_scope, asked.filters, key)
        if tables is None:
            keys = ", ".join(table.key for table in exports.chosen(chosen_scope, asked.filters, None) or [])
            raise click.BadParameter(_("There is no table with this key. The tables are: %(keys)s.", keys=keys),
                                     param_hint="--table")
        if extension == "csv":
            name = exports.filename(chosen_scope, asked.filters, key, extension)
            click.echo(exports.as_csv(tables, name, private=True).get_data(as_text=True).lstrip("\ufeff"),
                       nl=False)
        else:
            click.echo(json.dumps(exports.as_json(tables, chosen_scope, asked.filters), ensure_ascii=False,
                                  indent=2))
