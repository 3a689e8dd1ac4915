"""Forms of the consultation pages. The services check every value, limit and permission again (and give the
messages people see for most mistakes); these forms keep what the person typed and hand it over as the services
take it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from forum.consultations.choices import COMMENT_KINDS
from forum.consultations.comments import BODY_MAX
from forum.core.forms import choices
from forum.i18n import LANGUAGE_NAMES

REQUIRED = _l("This field is required.")
#: the label of the paragraph select's option for comments on the draft as a whole
WHOLE_DRAFT = _l("The whole draft")


# --- comments (the public page) -------------------------------------------------------------------------------


class CommentForm(FlaskForm):
    """A comment on one paragraph of the current draft or on the whole draft, or a reply (``parent``): its kind,
    text (Markdown), wording proposed for the paragraph (proposals) and language."""

    kind = SelectField(_l("Kind of comment"), choices=choices(COMMENT_KINDS), validate_choice=False)
    paragraph = SelectField(_l("On"), choices=[], validate_choice=False)
    body = TextAreaField(_l("Your comment"), [DataRequired(REQUIRED), Length(max=BODY_MAX)])
    replacement = TextAreaField(_l("Wording you propose for the paragraph (optional)"),
                                [Optional(), Length(max=BODY_MAX)])
    language = SelectField(_l("Language of your comment"), validate_choice=False,
                           choices=[SelectChoice(code, name, render_kw={"lang": code})
                                    for code, name in LANGUAGE_NAMES.items()])
    parent = HiddenField()

    def offer(self, keys: list[int]) -> None:
        """Offer the paragraphs of the current version (by number) and the whole draft."""
        self.paragraph.choices = [SelectChoice("", WHOLE_DRAFT),
                                  *(SelectChoice(str(key), f"§{key}") for key in keys)]

    def comment(self) -> dict:
        """The fields as :func:`comments.comment` takes them (the parent is looked up by the page)."""
        return {"body": self.body.data or "", "kind": self.kind.data or None, "paragraph": self.paragraph.data or None,
                "replacement": self.replacement.data or "", "language": self.language.data or None}


class TranslationForm(FlaskForm):
    """A comment's text in the other language (Markdown)."""

    body = TextAreaField(_l("Translation"), [DataRequired(REQUIRED), Length(max=BODY_MAX)])
