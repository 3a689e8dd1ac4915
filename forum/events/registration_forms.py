"""The registration form of an event: the person's profile as they confirm it for this event, the organisers'
questions (one field each, drawn from the event), accessibility needs, interpretation and consent to be listed.
The services check every answer and limit again; the form keeps what the person typed."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from forum.accounts.choices import ORGANISATION_TYPES, SECTORS, STATES
from forum.core.forms import CHOOSE, NOT_GIVEN, CheckboxesField, OptionalSelectField, choices
from forum.events.models import Event, Question
from forum.events.registrations import LONG_TEXT_MAX, TEXT_MAX, localized_option
from forum.i18n import localized

REQUIRED = _l("This field is required.")
ANSWER_REQUIRED = _l("Please answer this question.")
NOT_OFFERED = _l("Please choose one of the options offered.")
#: the two buttons of a yes/no question
YES_NO = {"yes": _l("Yes"), "no": _l("No")}


class RegistrationForm(FlaskForm):
    """What every registration asks (prefilled from the person's profile; they may correct it for this event).
    Build it for an event with :func:`registration_form`, which adds the event's questions."""

    organisation_name = StringField(_l("Organisation"), [Optional(), Length(max=200)])
    organisation_kind = OptionalSelectField(_l("Type of organisation"),
                                            choices=choices(ORGANISATION_TYPES, empty=NOT_GIVEN))
    sector = SelectField(_l("Sector"), [DataRequired(REQUIRED)], choices=choices(SECTORS, empty=CHOOSE))
    state = OptionalSelectField(_l("State"), choices=choices(STATES, empty=NOT_GIVEN))
    position = StringField(_l("Position or job title"), [Optional(), Length(max=120)])
    accessibility_needs = TextAreaField(_l("Accessibility needs"), [Optional(), Length(max=1000)])
    interpretation_needed = BooleanField(_l("I need Spanish–English interpretation"))
    listed = BooleanField(_l("List my name and organisation among the participants of this event"))

    #: the event's questions with their fields, in the form's order
    questions: list[tuple[Question, Field]]

    def registration(self) -> dict:
        """Everything as :func:`forum.events.registrations.register` takes it, answers included."""
        return dict(organisation_name=(self.organisation_name.data or "").strip(),
                    organisation_kind=self.organisation_kind.data, sector=self.sector.data,
                    state=self.state.data, position=(self.position.data or "").strip(),
                    accessibility_needs=self.accessibility_needs.data or "",
                    interpretation_needed=self.interpretation_needed.data, listed=self.listed.data,
                    answers=self.answers())

    def answers(self) -> dict[str, Any]:
        """The answers to the questions: ``{question id (text): value}`` (an option's index as text, a list of
        them for a multiple choice, ``yes``/``no``, or the text written; None or empty when not answered)."""
        return {str(question.id): field.data for question, field in self.questions}


def question_field(question: Question) -> str:
    """The name of a question's form field (the services name it so in their refusals)."""
    return f"question_{question.id}"


def _field_for(question: Question) -> Field:
    """A form field asking ``question``, labelled in the reader's language."""
    label = localized(question, "label")[0]
    checks = [DataRequired(ANSWER_REQUIRED)] if question.required else [Optional()]
    if question.kind == "short_text":
        return StringField(label, [*checks, Length(max=TEXT_MAX)])
    if question.kind == "long_text":
        return TextAreaField(label, [*checks, Length(max=LONG_TEXT_MAX)])
    if question.kind == "yes_no":
        return RadioField(label, checks, choices=choices(YES_NO), invalid_choice_message=NOT_OFFERED)
    options = [SelectChoice(str(index), localized_option(question, index)) for index in range(len(question.options))]
    if question.kind == "multiple_choice":
        return CheckboxesField(label, checks, choices=options, invalid_choice_message=NOT_OFFERED)
    return RadioField(label, checks, choices=options, invalid_choice_message=NOT_OFFERED)


def registration_form(event: Event, **defaults: Any) -> RegistrationForm:
    """The registration form of ``event``: the fixed fields, then one field per question (``question_<id>``).
    ``defaults`` as for any form (``formdata=None`` and the profile's values for a first display)."""
    fields = {question_field(question): _field_for(question) for question in event.questions}
    form = type("EventRegistrationForm", (RegistrationForm,), fields)(**defaults)
    form.questions = [(question, form[question_field(question)]) for question in event.questions]
    return form
