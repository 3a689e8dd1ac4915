"""Commands of the personal-data domain."""

from __future__ import annotations

import click
from flask import Flask

from forum.personal_data import exports


@click.command("prepare-data-exports")
def prepare_data_exports() -> None:
    """Prepare the copies of people's data still waiting (those whose background preparation did not finish),
    each committed on its own, and tell their owners. For cron, every few minutes."""
    waiting = exports.pending_ids()
    ready = sum(exports.prepare_waiting(export_id) for export_id in waiting)
    click.echo(f"Prepared {ready} of {len(waiting)} waiting copies of personal data.")


def init_app(app: Flask) -> None:
    """Register the commands."""
    app.cli.add_command(prepare_data_exports)
