"""Forms of the organisers' pages: the event itself, its agenda, registration questions, seat quotas and
materials, cancelling it, messages to the registrants and the check-in code. The services check every value,
limit and permission again (and give the messages people see for most mistakes); these forms keep what the
organiser typed and hand it over as the services take it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from forum.accounts.choices import SECTORS, STATES, TIMEZONES
from forum.core.forms import CHOOSE, NOT_GIVEN, CheckboxesField, LocalTimeField, choices
from forum.core.times import local_input
from forum.events import services
from forum.events.choices import ACCESS_LEVELS, APPROVAL, AUDIENCES, EVENT_TYPES, QUESTION_TYPES
from forum.events.models import Event
from forum.events.registrations import MESSAGE_BODY_MAX, MESSAGE_SUBJECT_MAX

REQUIRED = _l("This field is required.")
#: the event's fields a form shows as they are stored, and those shown in the event's time zone
UNCHANGED_FIELDS = ("title_es", "title_en", "description_es", "description_en", "kind", "access", "venue_name",
                    "venue_address", "city", "online_url", "timezone", "approval", "interpretation")
TIME_FIELDS = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")
CONFIRM = _l("Please tick the box to confirm.")


def _text(value: str | None) -> str:
    return (value or "").strip()


class WholeNumberField(StringField):
    """A whole number kept as typed (the services say which numbers they accept)."""

    def __init__(self, label=None, validators=None, **kwargs) -> None:
        kwargs.setdefault("render_kw", {"inputmode": "numeric"})
        super().__init__(label, validators, **kwargs)


def _choice(label, vocabulary: dict | None = None, *, empty: str | None = None) -> SelectField:
    """A select of a vocabulary whose value the services check (so a tampered value gets their message)."""
    return SelectField(label, choices=choices(vocabulary, empty=empty) if vocabulary else [], validate_choice=False)


class EventForm(FlaskForm):
    """An event's details (both languages; one title is enough). Its time fields are read in the event's own
    time zone; platforms and organisations offer only what the organiser may choose (:meth:`offer`)."""

    title_es = StringField(_l("Title in Spanish"), [Optional(), Length(max=services.TITLE_MAX)])
    title_en = StringField(_l("Title in English"), [Optional(), Length(max=services.TITLE_MAX)])
    description_es = TextAreaField(_l("Description in Spanish"), [Optional(),
                                                                  Length(max=services.DESCRIPTION_MAX)])
    description_en = TextAreaField(_l("Description in English"), [Optional(),
                                                                  Length(max=services.DESCRIPTION_MAX)])
    kind = _choice(_l("Type of event"), EVENT_TYPES, empty=CHOOSE)
    access = _choice(_l("Who may see it"), ACCESS_LEVELS)
    platforms = CheckboxesField(_l("Platforms"), validate_choice=False)
    organisations = CheckboxesField(_l("Organised by"), validate_choice=False)
    venue_name = StringField(_l("Venue"), [Optional(), Length(max=200)])
    venue_address = StringField(_l("Street address"), [Optional(), Length(max=300)])
    city = StringField(_l("City"), [Optional(), Length(max=100)])
    state = _choice(_l("State"), STATES, empty=NOT_GIVEN)
    online_url = StringField(_l("Online meeting link"), [Optional(), Length(max=500)],
                             render_kw={"type": "url", "inputmode": "url"})
    starts_at = LocalTimeField(_l("Starts"))
    ends_at = LocalTimeField(_l("Ends"))
    timezone = _choice(_l("Time zone"))
    capacity = WholeNumberField(_l("Seats"))
    registration_opens_at = LocalTimeField(_l("Registration opens"))
    registration_closes_at = LocalTimeField(_l("Registration closes"))
    approval = _choice(_l("Registrations"), APPROVAL)
    interpretation = BooleanField(_l("Spanish–English interpretation is offered"))
    retention_months = WholeNumberField(_l("Keep registrations' personal data for (months)"))

    @classmethod
    def for_event(cls, event: Event) -> EventForm:
        """The form showing ``event`` as it is (times in its time zone)."""
        data = {name: getattr(event, name) for name in UNCHANGED_FIELDS}
        times = {name: local_input(getattr(event, name), event.timezone) for name in TIME_FIELDS}
        return cls(formdata=None, data=data, **times, platforms=[str(p.id) for p in event.platforms],
                   organisations=[str(o.id) for o in event.organisations], state=event.state or "",
                   capacity=str(event.capacity or ""), retention_months=str(event.retention_months))

    @classmethod
    def blank(cls, organisations: list[str]) -> EventForm:
        """The form of a new event: defaults, with ``organisations`` (the organiser's own) ticked."""
        return cls(formdata=None, access="public", approval="automatic", timezone="America/Mexico_City",
                   retention_months=str(services.DEFAULT_RETENTION_MONTHS), organisations=organisations)

    def offer(self, *, platforms: dict[str, str], organisations: dict[str, str],
              current_zone: str | None = None) -> None:
        """Fill the choices: the platforms and organisations the organiser may choose, and the time zones (with
        the event's own, when it is not a usual one)."""
        self.platforms.choices = choices(platforms)
        self.organisations.choices = choices(organisations)
        zones = list(TIMEZONES)
        if current_zone and current_zone not in zones:
            zones.append(current_zone)
        self.timezone.choices = choices({zone: zone.replace("_", " ") for zone in zones})

    def fields(self, event: Event | None = None) -> dict:
        """Every field as :func:`services.create` and :func:`services.update` take them. For an existing event,
        platforms and organisations are left out when unchanged (a co-organiser keeps those they may not name).
        """
        values = {
            "title_es": _text(self.title_es.data), "title_en": _text(self.title_en.data),
            "description_es": self.description_es.data or "", "description_en": self.description_en.data or "",
            "kind": self.kind.data or None, "access": self.access.data, "approval": self.approval.data,
            "venue_name": _text(self.venue_name.data), "venue_address": _text(self.venue_address.data),
            "city": _text(self.city.data), "state": self.state.data or None,
            "online_url": _text(self.online_url.data), "timezone": self.timezone.data,
            "starts_at": _text(self.starts_at.data), "ends_at": _text(self.ends_at.data),
            "registration_opens_at": _text(self.registration_opens_at.data),
            "registration_closes_at": _text(self.registration_closes_at.data),
            "capacity": _text(self.capacity.data), "retention_months": _text(self.retention_months.data),
            "interpretation": self.interpretation.data,
            "platforms": self.platforms.data or [], "organisations": self.organisations.data or [],
        }
        if event is not None:
            for name in ("platforms", "organisations"):
                if set(values[name]) == {str(item.id) for item in getattr(event, name)}:
                    del values[name]
        return values


class CancelEventForm(FlaskForm):
    """Cancelling an event, once the organiser ticked that everyone registered will be told."""

    confirm = BooleanField(_l("I understand that registration stops and everyone registered is told by e-mail"),
                           [DataRequired(CONFIRM)])


class AgendaItemForm(FlaskForm):
    """One item of the programme (times in the event's time zone)."""

    starts_at = LocalTimeField(_l("Starts"))
    ends_at = LocalTimeField(_l("Ends"))
    title_es = StringField(_l("Title in Spanish"), [Optional(), Length(max=services.TITLE_MAX)])
    title_en = StringField(_l("Title in English"), [Optional(), Length(max=services.TITLE_MAX)])
    speakers = StringField(_l("Speakers"), [Optional(), Length(max=500)])

    def item(self) -> dict:
        """The item as :func:`services.add_agenda_item` takes it."""
        return dict(starts_at=_text(self.starts_at.data), ends_at=_text(self.ends_at.data),
                    title_es=_text(self.title_es.data), title_en=_text(self.title_en.data),
                    speakers=_text(self.speakers.data))


class QuestionForm(FlaskForm):
    """A question of the registration form; a choice question's options one a line as ``Spanish | English``."""

    kind = _choice(_l("Type of answer"), QUESTION_TYPES, empty=CHOOSE)
    label_es = StringField(_l("Question in Spanish"), [Optional(), Length(max=300)])
    label_en = StringField(_l("Question in English"), [Optional(), Length(max=300)])
    options = TextAreaField(_l("Options"), [Optional(), Length(max=10_000)])
    required = BooleanField(_l("An answer is required"))

    def question(self) -> dict:
        """The question as :func:`services.add_question` takes it."""
        return dict(kind=self.kind.data or None, label_es=_text(self.label_es.data),
                    label_en=_text(self.label_en.data), options=self.options.data or "",
                    required=self.required.data)


class QuotaForm(FlaskForm):
    """A sector's limit and/or seats kept for it (until a time in the event's time zone)."""

    sector = _choice(_l("Sector"), SECTORS, empty=CHOOSE)
    maximum = WholeNumberField(_l("At most this many seats"))
    reserved = WholeNumberField(_l("Seats kept for this sector"))
    reserved_until = LocalTimeField(_l("Kept until"))

    def quota(self) -> dict:
        """The quota as :func:`services.set_quota` takes it."""
        return dict(sector=self.sector.data or None, maximum=_text(self.maximum.data),
                    reserved=_text(self.reserved.data), reserved_until=_text(self.reserved_until.data))


class MessageForm(FlaskForm):
    """A message from the organisers to the registrants, in Spanish, in English or in both (each person gets
    their language when it was written)."""

    audience = RadioField(_l("Send to"), [DataRequired(REQUIRED)], choices=choices(AUDIENCES),
                          validate_choice=False)
    subject_es = StringField(_l("Subject in Spanish"), [Optional(), Length(max=MESSAGE_SUBJECT_MAX)])
    body_es = TextAreaField(_l("Message in Spanish"), [Optional(), Length(max=MESSAGE_BODY_MAX)])
    subject_en = StringField(_l("Subject in English"), [Optional(), Length(max=MESSAGE_SUBJECT_MAX)])
    body_en = TextAreaField(_l("Message in English"), [Optional(), Length(max=MESSAGE_BODY_MAX)])

    def message(self) -> dict:
        """The message as :func:`forum.events.registrations.message_registrants` takes it."""
        return dict(audience=self.audience.data, subject_es=_text(self.subject_es.data),
                    body_es=(self.body_es.data or "").strip(), subject_en=_text(self.subject_en.data),
                    body_en=(self.body_en.data or "").strip())


class CheckInForm(FlaskForm):
    """The check-in code as printed under the QR code (any case, spaces and dashes allowed)."""

    code = StringField(_l("Check-in code"), [DataRequired(REQUIRED), Length(max=40)],
                       render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"})

