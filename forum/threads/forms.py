"""Forms of the thread pages. Length limits come from the services, which check them again."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from forum.core.forms import choices
from forum.i18n import LANGUAGE_NAMES
from forum.threads.choices import KINDS
from forum.threads.services import BODY_MAX, TITLE_MAX, TITLE_MIN

REQUIRED = _l("This field is required.")



def _languages() -> list[SelectChoice]:
    return [SelectChoice(code, name, render_kw={"lang": code}) for code, name in LANGUAGE_NAMES.items()]


class PostForm(FlaskForm):
    """A reply (or the text of an edit)."""

    body = TextAreaField(_l("Your message"), [DataRequired(REQUIRED), Length(max=BODY_MAX)])
    language = SelectField(_l("Language of your message"), choices=_languages())
    reply_to = HiddenField()


class ThreadForm(PostForm):
    """A new thread: its title, kind, tags and opening post."""

    title = StringField(_l("Title"), [DataRequired(REQUIRED), Length(min=TITLE_MIN, max=TITLE_MAX)])
    kind = SelectField(_l("Kind"), choices=choices(KINDS))
    tags = StringField(_l("Tags"), [Optional(), Length(max=250)])


class TranslationForm(FlaskForm):
    """The translation of a post into the other language."""

    body = TextAreaField(_l("Translation"), [DataRequired(REQUIRED), Length(max=BODY_MAX)])
