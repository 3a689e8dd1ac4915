"""Moderation pages: flagging an item and following one's flags; the moderation queue (global and per platform),
one queue item with its flags, claiming it and deciding on it; the languages a moderator reads. Every action
works as a plain form; the queue keeps itself current over the live connection when JavaScript runs."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from forum.core.db import MAX_ID, commit, rollback, whole_number
from forum.core.errors import ActionRefused
from forum.core.forms import CHOOSE, NOT_GIVEN, show_refusal
from forum.core.permissions import allowed_if, is_global_moderator
from forum.core.security import safe_next
from forum.extensions import db
from forum.i18n import localized
from forum.moderation import bp, decisions, flags, queue, rules
from forum.moderation.choices import CAUSES, REASONS
from forum.moderation.forms import DecisionForm, FlagForm, LanguagesForm
from forum.moderation.limits import flagging_limit
from forum.moderation.live import platform_topic
from forum.moderation.models import Flag, ModerationAction, QueueItem
from forum.moderation.rules import ALL_TOPIC
from forum.moderation.targets import Described, TargetKind
from forum.platforms import directory
from forum.platforms.models import Platform

INVALID = 422
TARGET = f"<target_type>/<int(max={MAX_ID}):target_id>"
ITEM = f"<int(max={MAX_ID}):item_id>"
FLAGS_PER_PAGE = 20
HISTORY_LENGTH = 20

#: the moderation pages: global moderators, administrators and the moderators of any platform
moderators_only = allowed_if(rules.can_use_queue)


def _user():
    return current_user._get_current_object()


# --- flags ----------------------------------------------------------------------------------------------------


@bp.route(f"/flag/{TARGET}", methods=["GET", "POST"])
@login_required
@flagging_limit
def flag(target_type: str, target_id: int):
    """Flag a post, a thread or any other moderated item: a reason and an optional note. Refused for one's own
    words (403) and while one's earlier flag on it is open (409); what one may not see does not exist (404)."""
    _kind, _item, target = flags.visible_target(_user(), target_type, target_id)
    try:
        flags.check_may_flag(_user(), target)
    except ActionRefused as refusal:
        if refusal.code != "already_flagged":
            raise
        return render_template("moderation/flag.html", target=target, form=None, already=True), 409
    form = FlagForm()
    if form.validate_on_submit():
        try:
            flags.flag(_user(), target_type, target_id, reason=form.reason.data, note=form.note.data)
            commit()
        except ActionRefused as refusal:
            rollback()
            if refusal.field is None:
                raise
            show_refusal(form, refusal)
        else:
            flash(_("Thank you: your flag has been received. The moderators will review it; you will find the "
                    "outcome here."), "success")
            return redirect(url_for("moderation.my_flags"), 303)
    return render_template("moderation/flag.html", target=target, form=form, already=False), \
        INVALID if form.errors else 200


@bp.route("/flags/mine")
@login_required
def my_flags():
    """The flags one filed, newest first, with what the moderators decided."""
    page = db.paginate(flags.flags_of(_user()), per_page=FLAGS_PER_PAGE, error_out=False)
    return render_template("moderation/my_flags.html", page=page, views=flags.views(_user(), page.items),
                           reasons=REASONS)


# --- the queue ------------------------------------------------------------------------------------------------


def _platform_or_404(slug: str) -> Platform:
    platform = directory.platform_by_slug(slug)
    if platform is None:
        abort(404)
    return platform


def live_topics(platform: Platform | None) -> list[str]:
    """The live topics a queue page follows: its platform's, or every queue the person sees."""
    if platform is not None:
        return [platform_topic(platform.slug)]
    if is_global_moderator(current_user):
        return [ALL_TOPIC]
    return [platform_topic(p.slug) for p in queue.platforms_of(_user())]


@bp.route("/moderation", endpoint="queue")
@bp.route("/moderation/p/<slug>", endpoint="queue")
@moderators_only
def queue_page(slug: str | None = None):
    """The moderation queue, oldest first: every platform one moderates (``/moderation``) or one platform
    (``/moderation/p/<slug>``), filtered by reason, language, platform, cause, status and age, or to the
    languages one reads. Items in a language none of the platform's moderators reads are marked."""
    platform = None
    if slug is not None:
        platform = _platform_or_404(slug)
        if not rules.can_moderate_platform(current_user, platform):
            abort(403)
    filters = queue.Filters.from_args(request.args)
    page = queue.queue_page(_user(), filters, platform, page=request.args.get("page", 1, type=int))
    return render_template(
        "moderation/queue.html", platform=platform, filters=filters, page=page, rows=queue.rows(page.items),
        platforms=queue.platforms_of(_user()), reasons=REASONS, causes=CAUSES, topics=live_topics(platform),
        my_languages=rules.languages_of(current_user))


def _item_or_404(item_id: int) -> QueueItem:
    return queue.item_for(current_user, item_id)


def _flags_of(item: QueueItem) -> list[Flag]:
    """The flags an item holds: the open ones while it is open; those its decision settled once closed."""
    query = select(Flag).where(Flag.target_type == item.target_type, Flag.target_id == item.target_id)
    if item.status == "open":
        query = query.where(Flag.status == "open")
    else:
        query = query.where(Flag.decided_at == item.decided_at)
    return list(db.session.scalars(query.order_by(Flag.id)))


def _history(target: Described) -> list[ModerationAction]:
    return list(db.session.scalars(select(ModerationAction).where(
        ModerationAction.target_type == target.type, ModerationAction.target_id == target.id)
        .order_by(ModerationAction.id.desc()).limit(HISTORY_LENGTH)))


def _takes(kind: TargetKind, parameter: str) -> bool:
    return any(parameter in decisions.PARAMETERS.get(code, ()) for code in kind.decisions)


def offered(kind: TargetKind, target_item: Any) -> tuple[str, ...]:
    """The decisions the form offers: those that fit the item as it stands when its type says so (an optional
    ``offered(item)`` of the kind), else every decision of its type."""
    narrowed = getattr(kind, "offered", None)
    return tuple(narrowed(target_item)) if callable(narrowed) else tuple(kind.decisions)


def _decision_form(kind: TargetKind, target_item: Any, target: Described, queued: QueueItem | None, *,
                   submitted: bool) -> DecisionForm:
    """The decision form of an item: the decisions that fit it, and the platforms a thread may move to. A
    submitted form accepts every decision of the item's type (the service checks it against the item)."""
    if submitted:
        form = DecisionForm()
    else:
        form = DecisionForm(formdata=None, body=target.text, reason=queued.reason if queued else None,
                            item=str(queued.id) if queued and queued.status == "open" else "")
    codes = kind.decisions if submitted else offered(kind, target_item)
    form.decision.choices = [SelectChoice("", str(CHOOSE))] + [
        SelectChoice(code, str(queue.DECISION_LABELS.get(code, code))) for code in codes]
    form.platform.choices = [SelectChoice("", str(NOT_GIVEN))] + [
        SelectChoice(p.slug, localized(p, "name")[0], render_kw={"lang": localized(p, "name")[1]})
        for p in queue.platforms_of(_user()) if target.platform is None or p.id != target.platform.id]
    return form


def _item_page(kind: TargetKind, target: Described, queued: QueueItem | None, form: DecisionForm,
               status: int = 200):
    row = queue.rows([queued])[0] if queued is not None else None
    return render_template(
        "moderation/item.html", kind=kind, target=target, item=queued, row=row, form=form,
        flags=_flags_of(queued) if queued is not None else [], history=_history(target), reasons=REASONS,
        decisions=queue.DECISION_LABELS, causes=CAUSES, takes_platform=_takes(kind, "platform"),
        takes_body=_takes(kind, "body")), status


@bp.route(f"/moderation/items/{ITEM}")
@moderators_only
def item(item_id: int):
    """One queue item: the item's text (also when hidden), its flags, who claimed it, its moderation history
    and the decision form."""
    queued = _item_or_404(item_id)
    kind, target_item, target = flags.visible_target(_user(), queued.target_type, queued.target_id)
    return _item_page(kind, target, queued, _decision_form(kind, target_item, target, queued, submitted=False))


@bp.route(f"/moderation/items/{ITEM}/claim", methods=["POST"])
@moderators_only
def claim(item_id: int):
    """Claim an open item ("I am on it"), or give the claim back (``release=1``)."""
    queued = _item_or_404(item_id)
    release = request.form.get("release") == "1"
    queue.claim(_user(), queued, release=release)
    commit()
    flash(_("You gave this item back to the queue.") if release else _("You claimed this item."), "success")
    return redirect(url_for("moderation.item", item_id=queued.id), 303)


@bp.route(f"/moderate/{TARGET}", methods=["GET", "POST"])
@moderators_only
def act(target_type: str, target_id: int):
    """Decide on an item (from its queue page, or from where it is read): dismiss the flags, hide, restore,
    delete, edit with a note, lock, pin, move… as its type offers. A decision on an item another moderator
    decided first is refused with 409, naming them; nothing is applied twice."""
    kind, target_item, target = flags.visible_target(_user(), target_type, target_id)
    if not rules.can_moderate(current_user, target):
        abort(403)
    open_queued = queue.open_item_of(target.type, target.id)
    if request.method == "GET":
        if open_queued is not None:
            return redirect(url_for("moderation.item", item_id=open_queued.id))
        return _item_page(kind, target, None, _decision_form(kind, target_item, target, None, submitted=False))
    form = _decision_form(kind, target_item, target, None, submitted=True)
    item_id = whole_number(form.item.data)
    shown = queue.item_by_id(item_id) if item_id is not None else open_queued
    if shown is not None and (shown.target_type, shown.target_id) != (target.type, target.id):
        shown = None
    if form.validate_on_submit():
        sent: dict[str, Any] = {"platform": form.platform.data, "body": form.body.data}
        try:
            done = decisions.decide(_user(), target_type, target_id, form.decision.data, reason=form.reason.data,
                                    note=form.note.data, item_id=item_id,
                                    **decisions.parameters_of(form.decision.data, sent))
            commit()
        except ActionRefused as refusal:
            rollback()
            if refusal.status in (403, 404, 409):
                raise
            show_refusal(form, refusal)
        else:
            flash(_("Decision recorded: %(decision)s.",
                    decision=queue.DECISION_LABELS.get(form.decision.data, form.decision.data)), "success")
            back = safe_next(form.next.data)
            if back:
                return redirect(back, 303)
            if done.item is not None:
                return redirect(url_for("moderation.item", item_id=done.item.id), 303)
            return redirect(url_for("moderation.act", target_type=target.type, target_id=target.id), 303)
    return _item_page(kind, target, shown, form, INVALID)


@bp.route("/moderation/languages", methods=["GET", "POST"])
@moderators_only
def languages():
    """The languages one reads and moderates; the queue can show only items in them."""
    form = LanguagesForm(languages=list(rules.languages_of(current_user))) if request.method == "GET" \
        else LanguagesForm()
    if form.validate_on_submit():
        try:
            queue.set_languages(_user(), form.languages.data or [])
            commit()
        except ActionRefused as refusal:
            rollback()
            show_refusal(form, refusal)
        else:
            flash(_("Your moderation languages have been saved."), "success")
            return redirect(url_for("moderation.languages"), 303)
    return render_template("moderation/languages.html", form=form), INVALID if form.errors else 200
