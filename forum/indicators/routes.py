"""The dashboard pages: public indicators for everyone, fuller ones for administrators and officials, and the
administrators' form for the targets. Plain GET forms filter them; no JavaScript is needed."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forum.accounts.choices import STATES
from forum.core.db import commit
from forum.core.errors import ActionRefused
from forum.core.figures import SMALLEST_GROUP
from forum.core.permissions import allowed_if
from forum.extensions import db
from forum.indicators import bp, charts, dashboard, filters, rules, targets
from forum.indicators.choices import MEASURES, SECTIONS
from forum.indicators.scope import scope


def _dashboard(level: str, *, refusal: ActionRefused | None = None):
    """The page at ``level``: 400 with the messages beside the fields when a filter is wrong (the figures then
    fall back to "any" for it), or when the targets typed (``refusal``) were refused, keeping what was typed."""
    counted = scope(current_user, level)
    asked = filters.read(request.args, counted.viewer)
    made = dashboard.tables(counted, asked.filters)
    return render_template(
        "indicators/dashboard.html", scope=counted, asked=asked, tables=made,
        drawings={table.key: charts.draw(table) for table in made}, sections=SECTIONS, states=STATES,
        measures=MEASURES, goals=targets.current(), smallest=SMALLEST_GROUP,
        may_see_full=rules.can_see_full(current_user), may_set_targets=rules.can_set_targets(current_user),
        refusal=refusal, typed_targets=request.form if refusal else {},
    ), 400 if asked.errors or refusal else 200


@bp.route("/indicators", endpoint="public")
def public_page():
    """The public indicators: who takes part, women's and young people's shares against the targets,
    consultations, events, moderation and translation, counted as a visitor sees the platform."""
    return _dashboard("public")


@bp.route("/indicators/full", endpoint="full")
@allowed_if(rules.can_see_full)
def full_page():
    """The fuller indicators for administrators and officials: counted as they see the platform (members-only
    platforms they may read included), with the detailed breakdowns."""
    return _dashboard("full")


@bp.route("/indicators/targets", methods=["POST"], endpoint="targets")
@allowed_if(rules.can_set_targets)
def set_targets():
    """Administrators set the shares aimed for (women, people under 30); back to the fuller page."""
    try:
        for measure in MEASURES:
            targets.set_target(current_user, measure, request.form.get(measure))
        commit()
    except ActionRefused as refusal:
        db.session.rollback()
        return _dashboard("full", refusal=refusal)
    flash(_("The targets are saved."), "success")
    return redirect(url_for("indicators.full", _anchor="targets"), 303)
