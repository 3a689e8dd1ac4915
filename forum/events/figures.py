"""The organisers' figures: registered and attended people by sector, organisation type, state, gender and age
range. Counts only, groups under five withheld (``forum.core.figures``). After ``purge-expired`` anonymised an
event, the figures frozen at that moment are used."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from forum.accounts.choices import AGE_RANGES, GENDERS, ORGANISATION_TYPES, SECTORS, STATES
from forum.core.db import utcnow
from forum.core.figures import Breakdown, breakdown, part_of
from forum.events import registrations
from forum.events.models import Event, Registration
from forum.extensions import db

#: the dimensions, with the column each is read from and its vocabulary
DIMENSIONS = {
    "sector": (Registration.sector, SECTORS),
    "organisation_kind": (Registration.organisation_kind, ORGANISATION_TYPES),
    "state": (Registration.state, STATES),
    "gender": (Registration.gender, GENDERS),
    "age_range": (Registration.age_range, AGE_RANGES),
}
#: the group of people who gave no answer for a dimension
NOT_GIVEN = "not_given"


def counts(event: Event) -> dict[str, dict[str, dict[str, int]]]:
    """Raw counts ``{"registered"|"attended": {dimension: {group: n}}}`` of confirmed registrations (kept by
    ``purge-expired`` before anonymising). Never shown as they are: see :func:`figures`."""
    if event.figures is not None:
        return event.figures
    result: dict[str, dict[str, dict[str, int]]] = {"registered": {}, "attended": {}}
    confirmed = (Registration.event_id == event.id, Registration.status == "confirmed")
    for dimension, (column, _vocabulary) in DIMENSIONS.items():
        for which, extra in (("registered", ()), ("attended", (Registration.attended_at.is_not(None),))):
            rows = db.session.execute(select(column, func.count()).where(*confirmed, *extra).group_by(column))
            result[which][dimension] = {(group or NOT_GIVEN): n for group, n in rows}
    return result


#: self-declared dimensions: shown only once the counts can no longer change (see :func:`shown_dimensions`)
SELF_DECLARED = ("gender", "age_range")


def shown_dimensions(event: Event, now: datetime | None = None) -> tuple[str, ...]:
    """The dimensions the organisers may see now. Gender and age range wait until check-in has closed: while
    people register, cancel and are checked in, comparing the counts before and after one change would tell
    that one person's answer."""
    final = event.figures is not None or registrations.check_in_closes(event) <= (now or utcnow())
    return tuple(d for d in DIMENSIONS if final or d not in SELF_DECLARED)


def figures(event: Event) -> dict[str, dict[str, Breakdown]]:
    """What the organisers see: for registered and attended people, a breakdown per dimension shown now. The people
    who attended are a part of those registered, protected with the part who did not come: organisers know who that
    is, so the two breakdowns side by side must not single out a few of them."""
    raw = counts(event)
    shown: dict[str, dict[str, Breakdown]] = {"registered": {}, "attended": {}}
    for dimension in shown_dimensions(event):
        registered, attended = raw["registered"].get(dimension, {}), raw["attended"].get(dimension, {})
        shown["registered"][dimension] = breakdown(registered)
        shown["attended"][dimension] = part_of(attended, registered, shown["registered"][dimension])
    return shown


def group_label(dimension: str, group: str) -> str:
    """The translated name of a group."""
    if group == NOT_GIVEN:
        return _("Not given")
    return str(DIMENSIONS[dimension][1].get(group, group))
