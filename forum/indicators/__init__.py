"""Participation indicators and open data: the programme's monitoring dashboard (public, and fuller for
administrators and officials), its exports, the open-data catalogue and API, and the ``indicators`` command.
Figures are counted from the other domains' tables, aggregated only; groups under five people are withheld."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("indicators", __name__)


def init_app(app: Flask) -> None:
    """Register the dashboard, the figures filter of its templates, the exports, the open-data page and
    endpoints and the ``indicators`` command."""
    app.register_blueprint(bp)
    app.add_template_filter(charts.cell_html, "indicator_cell")
    app.cli.add_command(cli.indicators)


from forum.indicators import api, charts, cli, export_routes, models, open_data_routes, routes  # noqa: E402,F401  (pages and endpoints register themselves)
