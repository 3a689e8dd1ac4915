"""The organisers' pages for setting an event up: creating and editing it, publishing, cancelling, closing and
opening registration, and its agenda, registration questions, seat quotas and materials. Every action works as
a plain form. Events the user may not see answer 404; events they see but do not organise answer 403."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response

from forum.accounts.choices import SECTORS
from forum.accounts.models import Organisation
from forum.accounts.rules import approved_memberships
from forum.core.db import MAX_ID, commit, utcnow
from forum.core.forms import INVALID, choices, save
from forum.core.times import local_input
from forum.documents import links
from forum.documents.forms import LinkedDocumentsForm
from forum.events import bp, queries, registrations, rules, services
from forum.events.choices import CHOICE_TYPES, QUESTION_TYPES, STATUSES
from forum.events.forms import AgendaItemForm, CancelEventForm, EventForm, QuestionForm, QuotaForm
from forum.events.models import Event
from forum.extensions import db
from forum.i18n import localized
from forum.platforms import directory

EVENT = f"/events/<int(max={MAX_ID}):event_id>"
#: the most recent documents offered on the materials page (besides those already linked)
MATERIAL_CHOICES = 100



def organised_event(event_id: int, allowed: Callable[[Any, Event], bool] = rules.can_manage) -> Event:
    """The event of an organisers' page: 404 when the user may not see it, 403 when ``allowed`` (a question of
    ``rules``) says they may not do this to it."""
    event = queries.visible_event(current_user, event_id)
    if event is None:
        abort(404)
    if not allowed(current_user, event):
        abort(403)
    return event


def _done(message: str, endpoint: str, event: Event) -> Response:
    flash(message, "success")
    return redirect(url_for(endpoint, event_id=event.id), 303)


# --- the event itself -----------------------------------------------------------------------------------------


def _platform_choices(event: Event | None) -> dict[str, str]:
    """The platforms the user may place an event on (and those it is already on)."""
    offered = [p for p in directory.active_platforms() if rules.may_place_on(current_user, p)]
    offered += [p for p in (event.platforms if event else []) if p not in offered]
    return {str(p.id): localized(p, "name")[0] for p in offered}


def _organisation_choices(event: Event | None) -> dict[str, str]:
    """The verified organisations the user may name as organisers (and those already named), by name."""
    verified = db.session.scalars(select(Organisation).where(Organisation.verified.is_(True)))
    offered = [o for o in verified if rules.may_name_organisation(current_user, o)]
    offered += [o for o in (event.organisations if event else []) if o not in offered]
    named = [(str(o.id), localized(o, "name")[0] + (f" ({o.acronym})" if o.acronym else "")) for o in offered]
    return dict(sorted(named, key=lambda item: item[1].casefold()))


def _own_organisations() -> list[str]:
    """The organisations a new event starts with: those of the user's that they may name."""
    return [str(m.organisation_id) for m in approved_memberships(current_user)
            if rules.may_name_organisation(current_user, m.organisation)]


def _edit_page(event: Event | None, form: EventForm, *, cancel_form: CancelEventForm | None = None,
               status: int = 200):
    return render_template(
        "events/manage/edit.html", event=event, form=form, statuses=STATUSES,
        cancel_form=cancel_form or CancelEventForm(formdata=None),
        closed_reason=registrations.closed_reason(event) if event else None), status


def _event_form(event: Event | None, *, sent: bool = True) -> EventForm:
    """The event form with what was sent (``sent``, on a POST), else with the event as it is (or the defaults of
    a new one), and the choices the user may make."""
    if sent and request.method == "POST":
        form = EventForm()
    elif event is not None:
        form = EventForm.for_event(event)
    else:
        form = EventForm.blank(_own_organisations())
    form.offer(platforms=_platform_choices(event), organisations=_organisation_choices(event),
               current_zone=event.timezone if event else None)
    return form


@bp.route("/events/new", methods=["GET", "POST"])
@login_required
def create():
    """A new event, saved as a draft that only its organisers see until they publish it (officials, moderators
    and representatives of verified organisations, for their own organisation)."""
    if not rules.can_create(current_user):
        abort(403)
    form = _event_form(None)
    saved, event, status = save(form, lambda: services.create(current_user, **form.fields()))
    if saved:
        return _done(_("The event has been saved as a draft. Add its agenda and questions, then publish it."),
                     "events.edit", event)
    return _edit_page(None, form, status=status)


@bp.route(f"{EVENT}/edit", methods=["GET", "POST"])
@login_required
def edit(event_id: int):
    """Edit an event's details; with the buttons that publish it, cancel it and close or open registration.
    When the time, place or link of a published event change, everyone registered is told."""
    event = organised_event(event_id)
    form = _event_form(event)
    saved, changed, status = save(form, lambda: services.update(current_user, event, **form.fields(event)))
    if saved:
        told = event.status == "published" and set(changed) & set(services.NOTIFIED)
        return _done(_("Your changes have been saved and everyone registered has been told.") if told
                     else _("Your changes have been saved."), "events.edit", event)
    return _edit_page(event, form, status=status)


@bp.route(f"{EVENT}/publish", methods=["POST"])
@login_required
def publish(event_id: int):
    """Publish a draft: its audience sees it and may register, and its discussion thread opens."""
    event = organised_event(event_id)
    services.publish(current_user, event)
    commit()
    return _done(_("The event is published: people can see it and register."), "events.show", event)


@bp.route(f"{EVENT}/cancel", methods=["POST"])
@login_required
def cancel(event_id: int):
    """Cancel a published event once the organiser confirmed it: registration stops and everyone registered is
    told by e-mail."""
    event = organised_event(event_id)
    cancel_form = CancelEventForm()
    if not cancel_form.validate_on_submit():
        return _edit_page(event, _event_form(event, sent=False), cancel_form=cancel_form, status=INVALID)
    told = services.cancel(current_user, event)
    commit()
    return _done(ngettext("The event has been cancelled and %(num)d person registered has been told.",
                          "The event has been cancelled and %(num)d people registered have been told.", told),
                 "events.show", event)


@bp.route(f"{EVENT}/registration-state", methods=["POST"])
@login_required
def registration_state(event_id: int):
    """Close registration by hand (``closed=1``), or open it again (``closed=0``) within its dates."""
    event = organised_event(event_id)
    closed = request.form.get("closed") == "1"
    services.set_registration_closed(current_user, event, closed)
    commit()
    return _done(_("Registration is closed.") if closed else _("Registration is open again."), "events.edit",
                 event)


# --- agenda, questions, quotas, materials ---------------------------------------------------------------------


def _part_page(template: str, event: Event, form: FlaskForm, status: int, **context):
    return render_template(f"events/manage/{template}", event=event, form=form, **context), status


def _removed(message: str, endpoint: str, event: Event, remove: Callable[[], None]) -> Response:
    """Remove a part of the event (an unknown one answers 404) and go back to its page."""
    remove()
    commit()
    return _done(message, endpoint, event)


@bp.route(f"{EVENT}/agenda", methods=["GET", "POST"])
@login_required
def agenda(event_id: int):
    """The programme: its items with a button to remove each, and a form to add one (times in the event's time
    zone)."""
    event = organised_event(event_id)
    form = AgendaItemForm(starts_at=local_input(event.starts_at, event.timezone))
    saved, _item, status = save(form, lambda: services.add_agenda_item(current_user, event, **form.item()))
    if saved:
        return _done(_("The item has been added to the agenda."), "events.agenda", event)
    return _part_page("agenda.html", event, form, status)


@bp.route(f"{EVENT}/agenda/<int(max={MAX_ID}):item_id>/delete", methods=["POST"])
@login_required
def delete_agenda_item(event_id: int, item_id: int):
    """Take an item off the programme."""
    event = organised_event(event_id)
    return _removed(_("The item has been removed from the agenda."), "events.agenda", event,
                    lambda: services.remove_agenda_item(current_user, event, item_id))


@bp.route(f"{EVENT}/questions", methods=["GET", "POST"])
@login_required
def questions(event_id: int):
    """The questions of the registration form, with a button to remove each and a form to add one."""
    event = organised_event(event_id)
    form = QuestionForm()
    saved, _question, status = save(form, lambda: services.add_question(current_user, event, **form.question()))
    if saved:
        return _done(_("The question has been added to the registration form."), "events.questions", event)
    return _part_page("questions.html", event, form, status, kinds=QUESTION_TYPES, choice_types=CHOICE_TYPES)


@bp.route(f"{EVENT}/questions/<int(max={MAX_ID}):question_id>/delete", methods=["POST"])
@login_required
def delete_question(event_id: int, question_id: int):
    """Take a question off the registration form (answers already given are kept)."""
    event = organised_event(event_id)
    return _removed(_("The question has been removed from the registration form."), "events.questions", event,
                    lambda: services.remove_question(current_user, event, question_id))


@bp.route(f"{EVENT}/quotas", methods=["GET", "POST"])
@login_required
def quotas(event_id: int):
    """Seat quotas, explained in plain words with the seats each sector holds, and a form to set a sector's
    maximum and the seats kept for it (setting a sector again replaces its quota)."""
    event = organised_event(event_id)
    form = QuotaForm()
    saved, _quota, status = save(form, lambda: services.set_quota(current_user, event, **form.quota()))
    if saved:
        return _done(_("The seat quota has been saved."), "events.quotas", event)
    return _part_page("quotas.html", event, form, status, sectors=SECTORS, now=utcnow(),
                      taken=registrations.confirmed_by_sector(event))


@bp.route(f"{EVENT}/quotas/<sector>/delete", methods=["POST"])
@login_required
def delete_quota(event_id: int, sector: str):
    """Lift a sector's quota; people on the waiting list move up if that frees seats."""
    event = organised_event(event_id)
    return _removed(_("The seat quota has been removed."), "events.quotas", event,
                    lambda: services.remove_quota(current_user, event, sector))


@bp.route(f"{EVENT}/materials", methods=["GET", "POST"])
@login_required
def materials(event_id: int):
    """The library documents linked to the event: those already linked, then the most recent documents the
    organiser may see, each with a checkbox."""
    event = organised_event(event_id)
    linked = queries.materials(current_user, event)
    offered = links.offered(current_user, linked, MATERIAL_CHOICES)
    linked_ids = queries.material_ids(event)
    form = LinkedDocumentsForm(documents=[str(document.id) for document in linked])
    form.documents.choices = choices({str(document.id): localized(document, "title")[0] for document in offered})
    saved, _ids, status = save(form, lambda: services.set_materials(current_user, event, form.documents.data or []))
    if saved:
        return _done(_("The materials have been saved."), "events.materials", event)
    return _part_page("materials.html", event, form, status, documents={str(d.id): d for d in offered},
                      hidden=len(linked_ids) - len(linked))
