"""``flask --app forum reindex``: rebuild the search index from the domains' own tables."""

from __future__ import annotations

import click

from forum.core.db import commit
from forum.search import index


@click.command("reindex")
def reindex() -> None:
    """Empty the search index and index every item again (after restoring a backup, changing how a kind is
    indexed, or if the index was lost); prints the entries written per kind."""
    written = index.rebuild()
    commit()
    for name, count in written.items():
        click.echo(f"{name}: {count}")
    click.echo(f"Search index rebuilt: {sum(written.values())} entries.")
