"""The access log page: administrators see every read of other people's personal data (who read what, about
how many people, when), newest first, filtered by action, by who read and by a range of days."""

from __future__ import annotations

from datetime import timedelta

from flask import render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.validators import Optional

from forum.core.permissions import allowed_if
from forum.core.times import plausible_day, start_of_day
from forum.extensions import db
from forum.personal_data import bp, rules
from forum.personal_data.access_log import entries_query, readers, subjects
from forum.personal_data.choices import ACCESS_ACTIONS, ACCESS_SUBJECTS

PER_PAGE = 50
#: the query parameters that filter the log
FILTERS = ("action", "reader", "start", "end")


class AccessLogFilterForm(FlaskForm):
    """The filters of the access log (sent in the address, so no CSRF token). Choices are set by the page; a
    value that is not among them is refused with a message beside its field."""

    class Meta:
        csrf = False

    action = SelectField(_l("Action"), choices=[], validate_choice=False)
    reader = SelectField(_l("Who read"), choices=[], validate_choice=False)
    start = DateField(_l("From"), [Optional()])
    end = DateField(_l("Until"), [Optional()])


def _given(field):
    """A filter's value, or None when it is empty or refused."""
    return field.data if field.data and not field.errors else None


def _checked(form: AccessLogFilterForm, reader_ids: set[str]) -> bool:
    """Validate the filters, putting a message beside each refused one; True when all are usable."""
    form.validate()
    if form.action.data and form.action.data not in ACCESS_ACTIONS:
        form.action.errors = [_("Choose an action from the list.")]
    if form.reader.data and form.reader.data not in reader_ids:
        form.reader.errors = [_("Choose a person from the list.")]
    for day in (form.start, form.end):
        if day.errors or (day.data and not plausible_day(day.data)):
            day.errors = [_("Give a date such as 2026-12-01.")]
    if form.start.data and form.end.data and form.end.data < form.start.data \
            and not form.start.errors and not form.end.errors:
        form.end.errors = [_("The end of the range comes before its start.")]
    return not any(field.errors for field in form)


@bp.route("/admin/access-log")
@allowed_if(rules.can_read_access_log)
def access_log():
    """Every read of other people's personal data, newest first, 50 a page: when, who read, what (an attendee
    list, its CSV file, a check-in list, accounts), about which event or account (linked while it exists) and
    how many people's data it showed. Filters by action, by who read and by a range of days in the reader's
    time zone; a refused filter answers 400 with a message beside it and is left out."""
    form = AccessLogFilterForm(formdata=request.args)
    people = readers()
    form.action.choices = [("", _("All actions")), *ACCESS_ACTIONS.items()]
    form.reader.choices = [("", _("Everyone")), *((str(person.id), person.display_name) for person in people)]
    valid = _checked(form, {str(person.id) for person in people})
    start, end, reader = _given(form.start), _given(form.end), _given(form.reader)
    query = entries_query(action=_given(form.action), actor_id=int(reader) if reader else None,
                          since=start_of_day(start) if start else None,
                          before=start_of_day(end + timedelta(days=1)) if end else None)
    page = db.paginate(query, per_page=PER_PAGE, error_out=False)
    filters = {name: request.args[name] for name in FILTERS if request.args.get(name)}
    return render_template("personal_data/access_log.html", form=form, page=page, filters=filters,
                           subjects=subjects(page.items), actions=ACCESS_ACTIONS,
                           subject_kinds=ACCESS_SUBJECTS), 200 if valid else 400
