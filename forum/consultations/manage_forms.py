"""Forms of the agency officials' pages: the consultation and its first draft, a new version of the draft,
closing early, extending, and answering a comment. The services check every value, limit and permission again
(and give the messages people see for most mistakes); these forms keep what the official typed and hand it over
as the services take it. Times are typed in Mexico City time (``services.ZONE``)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from forum.consultations import comments, drafts, services
from forum.consultations.choices import ANSWER_STATUSES
from forum.consultations.models import Answer, Consultation
from forum.core.forms import CHOOSE, LocalTimeField, choices
from forum.core.times import local_input

#: the consultation's fields a form shows as they are stored
UNCHANGED_FIELDS = ("title_es", "title_en", "summary_es", "summary_en", "question_es", "question_en")


def _text(value: str | None) -> str:
    return (value or "").strip()


def _draft_text(label) -> TextAreaField:
    """A large textarea for one language's draft (kept as typed: blank lines and markers matter)."""
    return TextAreaField(label, [Optional(), Length(max=drafts.MAX_LENGTH)], render_kw={"rows": 24})


def _choice(label, vocabulary: dict | None = None, *, empty: str | None = None) -> SelectField:
    """A select whose value the services check (so a tampered value gets their message)."""
    return SelectField(label, choices=choices(vocabulary, empty=empty) if vocabulary else [], validate_choice=False)


class ConsultationForm(FlaskForm):
    """A consultation and the text of its draft, in both languages (one title is enough; either text may be
    empty). Agencies and platforms offer only what the official may choose (:meth:`offer`)."""

    organisation = _choice(_l("Consulting organisation"))
    platform = _choice(_l("Platform"))
    title_es = StringField(_l("Title in Spanish"), [Optional(), Length(max=services.TITLE_MAX)])
    title_en = StringField(_l("Title in English"), [Optional(), Length(max=services.TITLE_MAX)])
    summary_es = TextAreaField(_l("Summary in Spanish"), [Optional(), Length(max=services.SUMMARY_MAX)])
    summary_en = TextAreaField(_l("Summary in English"), [Optional(), Length(max=services.SUMMARY_MAX)])
    question_es = StringField(_l("Question to participants in Spanish"),
                              [Optional(), Length(max=services.QUESTION_MAX)])
    question_en = StringField(_l("Question to participants in English"),
                              [Optional(), Length(max=services.QUESTION_MAX)])
    opens_at = LocalTimeField(_l("Opens for comments"))
    closes_at = LocalTimeField(_l("Closes"))
    text_es = _draft_text(_l("Draft in Spanish"))
    text_en = _draft_text(_l("Draft in English"))

    @classmethod
    def for_consultation(cls, consultation: Consultation) -> ConsultationForm:
        """The form showing ``consultation`` as it is: dates in Mexico City time, the draft with its markers."""
        data = {name: getattr(consultation, name) for name in UNCHANGED_FIELDS}
        paragraphs = current_paragraphs(consultation)
        return cls(formdata=None, data=data, organisation=str(consultation.organisation_id),
                   platform=str(consultation.platform_id),
                   opens_at=local_input(consultation.opens_at, services.ZONE),
                   closes_at=local_input(consultation.closes_at, services.ZONE),
                   text_es=drafts.source(paragraphs, "es"), text_en=drafts.source(paragraphs, "en"))

    def offer(self, *, agencies: dict[str, str], platforms: dict[str, str]) -> None:
        """Fill the choices: the agencies the official consults for and the platforms they may consult on."""
        self.organisation.choices = choices(agencies, empty=CHOOSE if len(agencies) > 1 else None)
        self.platform.choices = choices(platforms, empty=CHOOSE)

    def fields(self) -> dict:
        """Every field as :func:`services.create` and :func:`services.update_draft` take them."""
        values = {name: _text(getattr(self, name).data) for name in (
            "title_es", "title_en", "question_es", "question_en", "opens_at", "closes_at")}
        values.update(summary_es=self.summary_es.data or "", summary_en=self.summary_en.data or "",
                      text_es=self.text_es.data or "", text_en=self.text_en.data or "",
                      organisation=self.organisation.data or None, platform=self.platform.data or None)
        return values


def current_paragraphs(consultation: Consultation) -> list[drafts.Paragraph]:
    """The paragraphs of the current version, as the draft editor works with them."""
    return [drafts.Paragraph(p.key, p.section, p.heading_es, p.heading_en, p.text_es, p.text_en)
            for p in comments.current_version(consultation).paragraphs]


class VersionForm(FlaskForm):
    """A revised draft (each kept paragraph with its marker) and what changed, in each language."""

    text_es = _draft_text(_l("Draft in Spanish"))
    text_en = _draft_text(_l("Draft in English"))
    note_es = TextAreaField(_l("What changed, in Spanish"), [Optional(), Length(max=services.NOTE_MAX)])
    note_en = TextAreaField(_l("What changed, in English"), [Optional(), Length(max=services.NOTE_MAX)])

    @classmethod
    def for_consultation(cls, consultation: Consultation) -> VersionForm:
        """The form holding the current version's text in each language, every paragraph with its marker."""
        paragraphs = current_paragraphs(consultation)
        return cls(formdata=None, text_es=drafts.source(paragraphs, "es"), text_en=drafts.source(paragraphs, "en"))

    def version(self) -> dict:
        """The version as :func:`services.new_version` takes it."""
        return dict(text_es=self.text_es.data or "", text_en=self.text_en.data or "",
                    note_es=_text(self.note_es.data), note_en=_text(self.note_en.data))


class CloseEarlyForm(FlaskForm):
    """Closing an open consultation before its date, with why."""

    note = TextAreaField(_l("Why it closes early"), [Optional(), Length(max=services.NOTE_MAX)])


class ExtendForm(FlaskForm):
    """A later closing date (Mexico City time), with why."""

    closes_at = LocalTimeField(_l("New closing date"))
    note = TextAreaField(_l("Why it is extended"), [Optional(), Length(max=services.NOTE_MAX)])


class AnswerForm(FlaskForm):
    """The consulting organisation's answer to a comment: a status and an explanation in Spanish, English or
    both."""

    status = _choice(_l("Answer"), ANSWER_STATUSES, empty=CHOOSE)
    explanation_es = TextAreaField(_l("Explanation in Spanish"),
                                   [Optional(), Length(max=comments.EXPLANATION_MAX)])
    explanation_en = TextAreaField(_l("Explanation in English"),
                                   [Optional(), Length(max=comments.EXPLANATION_MAX)])

    @classmethod
    def for_answer(cls, answer: Answer | None) -> AnswerForm:
        """The form showing the answer given so far (empty when there is none)."""
        if answer is None:
            return cls(formdata=None)
        return cls(formdata=None, status=answer.status, explanation_es=answer.explanation_es,
                   explanation_en=answer.explanation_en)

    def answer(self) -> dict:
        """The answer as :func:`comments.answer` takes it."""
        return dict(status=self.status.data or None, explanation_es=self.explanation_es.data or "",
                    explanation_en=self.explanation_en.data or "")

