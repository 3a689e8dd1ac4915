"""Forms of the library pages: uploading a document, editing its metadata, adding a version, removing it.
The services check every limit and permission again; these forms keep what the user typed."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from forum.core.db import whole_number
from forum.core.forms import CHOOSE, NOT_GIVEN, CheckboxesField, OptionalSelectField

REQUIRED = _l("This field is required.")
#: the longest title and description the database keeps
TITLE_MAX = 200
DESCRIPTION_MAX = 5000
NOTE_MAX = 1000
#: the value of the platform select that means the general library
GENERAL = ""


class MetadataForm(FlaskForm):
    """What describes a document, in both languages (one title is enough; the other language falls back)."""

    title_es = StringField(_l("Title in Spanish"), [Optional(), Length(max=TITLE_MAX)])
    title_en = StringField(_l("Title in English"), [Optional(), Length(max=TITLE_MAX)])
    description_es = TextAreaField(_l("Description in Spanish"), [Optional(), Length(max=DESCRIPTION_MAX)])
    description_en = TextAreaField(_l("Description in English"), [Optional(), Length(max=DESCRIPTION_MAX)])
    kind = SelectField(_l("Type of document"), [DataRequired(REQUIRED)])
    language = SelectField(_l("Language of the file"), [DataRequired(REQUIRED)])
    year = IntegerField(_l("Year"), [Optional(), NumberRange(min=1900, max=2100)])
    organisation_id = OptionalSelectField(_l("Published by"))
    access = SelectField(_l("Who may see it"), [DataRequired(REQUIRED)])
    tags = StringField(_l("Tags"), [Optional(), Length(max=250)])
    thread_ids = StringField(_l("Linked threads"), [Optional(), Length(max=250)])

    def offer(self, *, kinds: dict, languages: dict, access_levels: dict, organisations: list) -> None:
        """Fill the choice lists (vocabularies and the organisations one may name as publisher)."""
        self.kind.choices = [("", str(CHOOSE)), *kinds.items()]
        self.language.choices = [("", str(CHOOSE)), *languages.items()]
        self.access.choices = list(access_levels.items())
        self.organisation_id.choices = [("", str(NOT_GIVEN)), *((str(i), name) for i, name in organisations)]

    def validate(self, extra_validators=None) -> bool:
        """The fields' own checks, and at least one of the two titles."""
        valid = super().validate(extra_validators)
        if not (self.title_es.data or "").strip() and not (self.title_en.data or "").strip():
            self.title_es.errors = [*self.title_es.errors, _l("Give a title in Spanish, in English or in both.")]
            return False
        return valid

    def validate_thread_ids(self, field) -> None:
        """Thread numbers separated by commas or spaces."""
        if any(not part.isascii() or not part.isdigit() for part in self.thread_numbers_text()):
            raise ValidationError(_l("Write thread numbers separated by commas, such as 12, 40."))

    def thread_numbers_text(self) -> list[str]:
        """The parts the user wrote in the linked-threads field."""
        return [part for part in (self.thread_ids.data or "").replace(",", " ").split() if part]

    def thread_numbers(self) -> list[int]:
        """The thread ids (validated), without repeats and in the order given."""
        numbers: list[int] = []
        for number in map(whole_number, self.thread_numbers_text()):
            if number is not None and number not in numbers:
                numbers.append(number)
        return numbers

    def tag_list(self) -> list[str]:
        """The tags typed, separated by commas."""
        return [tag.strip() for tag in (self.tags.data or "").split(",") if tag.strip()]

    def metadata(self) -> dict:
        """The metadata as the services take it."""
        return dict(title_es=(self.title_es.data or "").strip(), title_en=(self.title_en.data or "").strip(),
                    description_es=self.description_es.data or "", description_en=self.description_en.data or "",
                    kind=self.kind.data, language=self.language.data, year=self.year.data,
                    organisation_id=whole_number(self.organisation_id.data), access=self.access.data,
                    tags=self.tag_list(), thread_ids=self.thread_numbers())


class UploadForm(MetadataForm):
    """A new document: the library it goes to, the file and its metadata."""

    platform = SelectField(_l("Library"))
    file = FileField(_l("File"), [FileRequired(REQUIRED)])


class VersionForm(FlaskForm):
    """A new version of a document's file; earlier versions are kept."""

    file = FileField(_l("New file"), [FileRequired(REQUIRED)])
    note = TextAreaField(_l("What changed"), [Optional(), Length(max=NOTE_MAX)])


class RemoveForm(FlaskForm):
    """Removing a document (moderators), with the reason and a note for the moderation log."""

    reason = SelectField(_l("Reason"), [DataRequired(REQUIRED)])
    note = TextAreaField(_l("Note for the moderation log"), [Optional(), Length(max=NOTE_MAX)])

    def offer(self, reasons: dict) -> None:
        """Fill the reasons (the moderation vocabulary)."""
        self.reason.choices = [("", str(CHOOSE)), *reasons.items()]


class LinkedDocumentsForm(FlaskForm):
    """Documents of the library linked to something else (an event's materials, a consultation's attachments)."""

    documents = CheckboxesField(_l("Documents"), validate_choice=False)
