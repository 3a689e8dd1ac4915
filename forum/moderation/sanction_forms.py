"""Forms of the sanction, reason-template and moderation-log pages. The services check every value again."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from forum.core.forms import NOT_GIVEN, OptionalSelectField, choices
from forum.moderation.choices import REASONS
from forum.moderation.reasons import TEXT_MAX as TEMPLATE_TEXT_MAX
from forum.moderation.reasons import TITLE_MAX
from forum.moderation.sanctions import MAX_DAYS, TEXT_MAX

REQUIRED = _l("This field is required.")
#: the suspension length offered first
DEFAULT_DAYS = 3


class SanctionForm(FlaskForm):
    """Warn or suspend someone (administrators: or ban them), with a reason template and/or free text.
    The choices of ``kind`` and ``template`` are set by the page."""

    kind = RadioField(_l("Sanction"), [DataRequired(REQUIRED)], choices=[])
    days = IntegerField(_l("Days of suspension"), [Optional(), NumberRange(min=1, max=MAX_DAYS)],
                        default=DEFAULT_DAYS)
    template = OptionalSelectField(_l("Reason template"), choices=[])
    reason = TextAreaField(_l("Explanation in your own words"), [Optional(), Length(max=TEXT_MAX)])


class LiftForm(FlaskForm):
    """Lift a sanction before its end."""

    note = StringField(_l("Why (kept in the moderation log)"), [Optional(), Length(max=500)])


class ContestForm(FlaskForm):
    """The sanctioned person's one reply."""

    text = TextAreaField(_l("Your reply"), [DataRequired(REQUIRED), Length(max=TEXT_MAX)])


class ReasonTemplateForm(FlaskForm):
    """A reason template, in both languages."""

    reason = OptionalSelectField(_l("Flag reason it explains"), choices=choices(REASONS, empty=NOT_GIVEN))
    title_es = StringField(_l("Title in Spanish"), [DataRequired(REQUIRED), Length(max=TITLE_MAX)])
    title_en = StringField(_l("Title in English"), [DataRequired(REQUIRED), Length(max=TITLE_MAX)])
    text_es = TextAreaField(_l("Text in Spanish"), [DataRequired(REQUIRED), Length(max=TEMPLATE_TEXT_MAX)])
    text_en = TextAreaField(_l("Text in English"), [DataRequired(REQUIRED), Length(max=TEMPLATE_TEXT_MAX)])


class LogFilterForm(FlaskForm):
    """The filters of the moderation log (sent in the address, so no CSRF token). Choices are set by the page;
    values that are not among them are ignored."""

    class Meta:
        csrf = False

    action = SelectField(_l("Action"), choices=[], validate_choice=False)
    platform = SelectField(_l("Platform"), choices=[], validate_choice=False)
    moderator = SelectField(_l("Moderator"), choices=[], validate_choice=False)
    reason = SelectField(_l("Reason"), choices=[], validate_choice=False)
    start = DateField(_l("From"), [Optional()])
    end = DateField(_l("Until"), [Optional()])
