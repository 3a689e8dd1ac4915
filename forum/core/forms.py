"""Helpers shared by every domain's forms."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import flash
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, DateTimeLocalInput, ListWidget

from forum.core.db import commit
from forum.core.errors import ActionRefused

T = TypeVar("T")

#: the label of the empty first option of optional choice fields
NOT_GIVEN = _l("— Not given —")
#: the label of the empty first option of required choice fields (nothing is chosen for the user)
CHOOSE = _l("— Choose —")


def choices(vocabulary: dict, *, empty: str | None = None) -> list[SelectChoice]:
    """Select options from a code → label vocabulary, after an empty option labelled ``empty`` if given."""
    options = [SelectChoice(code, label) for code, label in vocabulary.items()]
    return [SelectChoice("", empty), *options] if empty else options


class OptionalSelectField(SelectField):
    """A select whose empty choice means None."""

    def process_formdata(self, valuelist):
        """Store None for the empty option."""
        super().process_formdata(valuelist)
        if self.data == "":
            self.data = None

    def pre_validate(self, form):
        """Accept None as the empty option."""
        if self.data is None:
            return
        super().pre_validate(form)


class CheckboxesField(SelectMultipleField):
    """Several options, each a checkbox."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


#: the status of a form shown again because its data was refused
INVALID = 422


def refusal_status(error: ActionRefused) -> int:
    """Refused input is shown again on the form: 422 for invalid data, the service's status otherwise."""
    return INVALID if error.status == 400 else error.status


def show_refusal(form: FlaskForm, error: ActionRefused) -> None:
    """Put a service's refusal next to the field it concerns, or at the top of the page."""
    field = form._fields.get(error.field) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        flash(error.message, "error")


class LocalTimeField(StringField):
    """A date and time typed in the time zone of what it concerns (``<input type="datetime-local">``). Kept as text: the
    services read it in that zone and explain what is wrong with it."""

    widget = DateTimeLocalInput()

    def __init__(self, label=None, validators=None, **kwargs) -> None:
        super().__init__(label, validators or [Optional(), Length(max=40)], **kwargs)


def save(form: FlaskForm, action: Callable[[], T]) -> tuple[bool, T | None, int]:
    """Run a service call (``action``) for a sent, valid form and commit. Returns (saved, what the action
    returned, the status of the page when it is shown again): a refusal appears next to its field."""
    if not form.validate_on_submit():
        return False, None, INVALID if form.errors else 200
    try:
        result = action()
        commit()
    except ActionRefused as error:
        show_refusal(form, error)
        return False, None, refusal_status(error)
    return True, result, 200
