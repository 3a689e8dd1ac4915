"""The public transparency page, in the reader's language."""

from __future__ import annotations

from flask import render_template

from forum.moderation import bp, transparency


@bp.route("/transparency")
def transparency_page():
    """Public figures on moderation: flags and decisions by month, platform and reason, the median time to a
    decision, sanctions by kind, and the latest decisions without personal data. Works without JavaScript."""
    return render_template("moderation/transparency.html", figures=transparency.figures(),
                           recent_limit=transparency.RECENT, period_months=transparency.PERIOD_MONTHS)
