"""Forms of the moderation pages. Limits come from the services, which check them again."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, SelectMultipleField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from forum.core.forms import CHOOSE, NOT_GIVEN, OptionalSelectField, choices
from forum.i18n import LANGUAGE_NAMES
from forum.moderation.choices import REASONS
from forum.moderation.decisions import NOTE_MAX
from forum.moderation.flags import NOTE_MAX as FLAG_NOTE_MAX

REQUIRED = _l("This field is required.")


class FlagForm(FlaskForm):
    """Why something breaks the rules, with an optional note for the moderators."""

    reason = SelectField(_l("Reason"), [DataRequired(REQUIRED)], choices=choices(REASONS, empty=CHOOSE))
    note = TextAreaField(_l("Note for the moderators (optional)"), [Length(max=FLAG_NOTE_MAX)])


class DecisionForm(FlaskForm):
    """A moderator's decision on an item; the decisions offered (and the platforms to move a thread to) are
    those of the item, filled in by the page."""

    decision = SelectField(_l("Decision"), [DataRequired(REQUIRED)], choices=[])
    reason = OptionalSelectField(_l("Reason"), choices=choices(REASONS, empty=NOT_GIVEN))
    note = TextAreaField(_l("Note for the moderation log"), [Length(max=NOTE_MAX)])
    platform = OptionalSelectField(_l("Move to platform"), choices=[])
    body = TextAreaField(_l("New text (for an edit)"))
    #: the queue item the moderator was looking at
    item = HiddenField()
    next = HiddenField()


class LanguagesForm(FlaskForm):
    """The languages a moderator reads and moderates."""

    languages = SelectMultipleField(_l("Languages I moderate"),
                                    choices=[SelectChoice(code, name, render_kw={"lang": code})
                                             for code, name in LANGUAGE_NAMES.items()],
                                    option_widget=CheckboxInput(), widget=ListWidget(prefix_label=False))
