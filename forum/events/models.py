"""EU–Mexico dialogue events: the event with its agenda, materials, registration questions and seat quotas, and
the registrations of the people who attend."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Column, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.accounts.models import Organisation, User
from forum.core.db import UTCDateTime, utcnow
from forum.extensions import db
from forum.platforms.models import Platform
from forum.threads.models import Thread

event_platforms = Table(
    "event_platforms",
    db.metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("platform_id", ForeignKey("platforms.id", ondelete="CASCADE"), primary_key=True, index=True),
)

event_organisations = Table(
    "event_organisations",
    db.metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True, index=True),
)

event_documents = Table(
    "event_documents",
    db.metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("document_id", ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Event(db.Model):
    """A dialogue, forum, workshop or webinar that people register for."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_status_starts", "status", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title_es: Mapped[str] = mapped_column(String(200), default="")
    title_en: Mapped[str] = mapped_column(String(200), default="")
    #: Markdown source in each language, and the sanitised HTML rendered from it at write time
    description_es: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    description_html_es: Mapped[str] = mapped_column(Text, default="")
    description_html_en: Mapped[str] = mapped_column(Text, default="")
    #: a key of ``choices.EVENT_TYPES``
    kind: Mapped[str] = mapped_column(String(20))
    #: ``draft`` (seen by its organisers only), ``published`` or ``cancelled``
    status: Mapped[str] = mapped_column(String(10), default="draft")
    #: ``public`` or ``members`` (of any of its platforms)
    access: Mapped[str] = mapped_column(String(10), default="public")
    #: the person who created it; with the representatives of its organising organisations, its organisers
    organiser_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    venue_name: Mapped[str] = mapped_column(String(200), default="")
    venue_address: Mapped[str] = mapped_column(String(300), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    #: a key of ``forum.accounts.choices.STATES`` (None: online only)
    state: Mapped[str | None] = mapped_column(String(10))
    #: the meeting link: shown only to confirmed registrants and the organisers
    online_url: Mapped[str] = mapped_column(String(500), default="")
    #: UTC; shown in ``timezone`` (and in the reader's own zone when it differs)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: the IANA time zone the event is held in, e.g. ``America/Mexico_City``
    timezone: Mapped[str] = mapped_column(String(64), default="America/Mexico_City")
    #: seats; None: unlimited
    capacity: Mapped[int | None] = mapped_column(Integer)
    #: registration window (None: open from publication / until the start)
    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the organisers closed registration by hand
    registration_closed: Mapped[bool] = mapped_column(Boolean, default=False)
    #: ``automatic`` or ``organiser`` (a key of ``choices.APPROVAL``)
    approval: Mapped[str] = mapped_column(String(10), default="automatic")
    #: Spanish–English interpretation is offered
    interpretation: Mapped[bool] = mapped_column(Boolean, default=False)
    #: months after the event ends before registrations' personal data is anonymised
    retention_months: Mapped[int] = mapped_column(Integer, default=12)
    #: the discussion thread opened for it on its first platform, when published
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("threads.id", ondelete="SET NULL"))
    #: bumped by every change to seats; the row update also makes concurrent registrations wait their turn
    seats_version: Mapped[int] = mapped_column(Integer, default=0)
    #: the iCalendar SEQUENCE: bumped when the time, place or link change
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    #: the highest capacity alert sent to the organisers (0, 80 or 100 per cent)
    capacity_alert: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: when ``purge-expired`` anonymised the registrations (their aggregate figures are kept in ``figures``)
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: aggregate figures frozen at anonymisation: ``{"registered": {dimension: {group: n}}, "attended": …}``
    figures: Mapped[dict | None] = mapped_column(JSON)

    organiser: Mapped[User | None] = relationship()
    platforms: Mapped[list[Platform]] = relationship(secondary=event_platforms, order_by=Platform.position)
    organisations: Mapped[list[Organisation]] = relationship(secondary=event_organisations)
    thread: Mapped[Thread | None] = relationship()
    agenda: Mapped[list[AgendaItem]] = relationship(back_populates="event", cascade="all, delete-orphan",
                                                    order_by="(AgendaItem.starts_at, AgendaItem.id)")
    questions: Mapped[list[Question]] = relationship(back_populates="event", cascade="all, delete-orphan",
                                                     order_by="(Question.position, Question.id)")
    quotas: Mapped[list[SeatQuota]] = relationship(back_populates="event", cascade="all, delete-orphan",
                                                   order_by="SeatQuota.sector")

    @property
    def mode(self) -> str:
        """``in_person``, ``online`` or ``hybrid`` (a key of ``choices.MODES``)."""
        if self.online_url and (self.venue_name or self.city):
            return "hybrid"
        return "online" if self.online_url else "in_person"

    def __repr__(self) -> str:
        return f"<Event {self.id} {self.title_es or self.title_en}>"


class AgendaItem(db.Model):
    """One item of an event's programme."""

    __tablename__ = "event_agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    title_es: Mapped[str] = mapped_column(String(200), default="")
    title_en: Mapped[str] = mapped_column(String(200), default="")
    #: who speaks, as the organisers write it ("Mtra. Ana Ruiz (SEGOB); Jan Novak (EU Delegation)")
    speakers: Mapped[str] = mapped_column(String(500), default="")

    event: Mapped[Event] = relationship(back_populates="agenda")


class Question(db.Model):
    """A question the organisers add to an event's registration form."""

    __tablename__ = "event_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    #: a key of ``choices.QUESTION_TYPES``
    kind: Mapped[str] = mapped_column(String(20))
    label_es: Mapped[str] = mapped_column(String(300), default="")
    label_en: Mapped[str] = mapped_column(String(300), default="")
    #: the options of a choice question: ``[{"es": …, "en": …}, …]``; answers store the option's index
    options: Mapped[list] = mapped_column(JSON, default=list)
    required: Mapped[bool] = mapped_column(Boolean, default=False)

    event: Mapped[Event] = relationship(back_populates="questions")


class SeatQuota(db.Model):
    """A limit or a reservation of seats for one sector, so a dialogue stays balanced."""

    __tablename__ = "event_seat_quotas"
    __table_args__ = (UniqueConstraint("event_id", "sector"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    #: a key of ``forum.accounts.choices.SECTORS``
    sector: Mapped[str] = mapped_column(String(40))
    #: at most this many confirmed seats for the sector (None: no limit)
    maximum: Mapped[int | None] = mapped_column(Integer)
    #: this many seats are kept for the sector (None: none) …
    reserved: Mapped[int | None] = mapped_column(Integer)
    #: … until this time (None: until the event)
    reserved_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    event: Mapped[Event] = relationship(back_populates="quotas")


class Registration(db.Model):
    """One person's registration for an event (one per person; cancelling and registering again reuses it).

    The profile fields are copied when registering, as the person confirmed them on the form; gender and age
    range are copied from the private profile only for aggregate figures and are never shown individually.
    """

    __tablename__ = "event_registrations"
    __table_args__ = (UniqueConstraint("event_id", "user_id"), UniqueConstraint("event_id", "code"),
                      Index("ix_event_registrations_event_status", "event_id", "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    #: None once anonymised (or when the account was deleted)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: a key of ``choices.REGISTRATION_STATUSES``
    status: Mapped[str] = mapped_column(String(12))
    #: the short code shown on the confirmation (and in its QR code) that the check-in page accepts
    code: Mapped[str | None] = mapped_column(String(12))
    #: changes with every (re-)registration, so a cancellation link works once
    token_nonce: Mapped[str | None] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str] = mapped_column(String(320), default="")
    #: the language of the messages about this registration
    locale: Mapped[str] = mapped_column(String(5), default="es")
    organisation_name: Mapped[str] = mapped_column(String(200), default="")
    #: a key of ``forum.accounts.choices.ORGANISATION_TYPES`` (None: none given)
    organisation_kind: Mapped[str | None] = mapped_column(String(30))
    #: keys of ``forum.accounts.choices.SECTORS`` and ``STATES``
    sector: Mapped[str] = mapped_column(String(40))
    state: Mapped[str | None] = mapped_column(String(10))
    position: Mapped[str] = mapped_column(String(120), default="")
    #: copied from the private profile for aggregate figures only
    gender: Mapped[str | None] = mapped_column(String(20))
    age_range: Mapped[str | None] = mapped_column(String(10))
    accessibility_needs: Mapped[str] = mapped_column(Text, default="")
    interpretation_needed: Mapped[bool] = mapped_column(Boolean, default=False)
    #: consent to appear in the event's list of participants
    listed: Mapped[bool] = mapped_column(Boolean, default=False)
    #: ``{question id (text): answer}``: text, an option index, a list of indexes, or true/false
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the waiting list's order (earliest first)
    waitlisted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_in_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    event: Mapped[Event] = relationship()
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
