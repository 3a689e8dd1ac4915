"""Placeholder."""
import click


@click.command("indicators")
def indicators():
    """Placeholder."""
