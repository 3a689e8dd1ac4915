"""The moderation log page: every moderation action, filtered by action, platform, moderator, date range and
reason, with the text before and after each edit. Moderators and administrators only."""

from __future__ import annotations

from datetime import timedelta

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from forum.accounts.models import User
from forum.core.db import whole_number
from forum.core.permissions import allowed_if, is_global_moderator
from forum.core.times import plausible_day, start_of_day
from forum.extensions import db
from forum.i18n import localized
from forum.moderation import bp, rules, targets
from forum.moderation.choices import REASONS
from forum.moderation.models import ModerationAction
from forum.moderation.sanction_choices import LOG_ACTIONS, TARGET_LABELS
from forum.moderation.sanction_forms import LogFilterForm
from forum.platforms import rules as platform_rules
from forum.platforms.models import Platform

PER_PAGE = 50
INVALID = 422
#: the moderator filter's value for actions the system took by itself
SYSTEM = "system"
#: the query parameters that filter the log (``subject``: the person affected, from a person's sanctions page)
FILTERS = ("action", "platform", "moderator", "reason", "start", "end", "subject")


def _platforms() -> list[Platform]:
    """The platforms whose entries the reader may see (every platform for global moderators)."""
    query = select(Platform).order_by(Platform.position, Platform.id)
    if not is_global_moderator(current_user):
        query = query.where(Platform.id.in_(sorted(platform_rules.access(current_user).moderates)))
    return list(db.session.scalars(query))


def _moderators() -> list[User]:
    """The people who appear in the readable log as having acted."""
    acted = select(ModerationAction.moderator_id).where(
        rules.readable_log(current_user), ModerationAction.moderator_id.is_not(None)).distinct()
    return list(db.session.scalars(select(User).where(User.id.in_(acted)).order_by(User.display_name, User.id)))


def _filter_form() -> tuple[LogFilterForm, list[Platform], list[User]]:
    form = LogFilterForm(formdata=request.args)
    platforms, moderators = _platforms(), _moderators()
    form.action.choices = [("", _("All actions")), *LOG_ACTIONS.items()]
    form.platform.choices = [("", _("All platforms")),
                             *((str(p.id), localized(p, "name")[0]) for p in platforms)]
    form.moderator.choices = [("", _("Everyone")), (SYSTEM, _("The system")),
                              *((str(m.id), m.display_name) for m in moderators)]
    form.reason.choices = [("", _("All reasons")), *REASONS.items()]
    return form, platforms, moderators


def _subject_id() -> int | None:
    """The person whose log the reader asked for (``?subject=<user id>``), if any."""
    return whole_number(request.args.get("subject"))


def _filtered(form: LogFilterForm, platforms: list[Platform], moderators: list[User]):
    """The readable entries, newest first, narrowed by each filter whose value is one of the choices."""
    query = (select(ModerationAction).where(rules.readable_log(current_user))
             .options(joinedload(ModerationAction.moderator), joinedload(ModerationAction.subject),
                      joinedload(ModerationAction.platform))
             .order_by(ModerationAction.created_at.desc(), ModerationAction.id.desc()))
    if form.action.data in LOG_ACTIONS:
        query = query.where(ModerationAction.action == form.action.data)
    if form.platform.data in {str(p.id) for p in platforms}:
        query = query.where(ModerationAction.platform_id == int(form.platform.data))
    if form.moderator.data == SYSTEM:
        query = query.where(ModerationAction.moderator_id.is_(None))
    elif form.moderator.data in {str(m.id) for m in moderators}:
        query = query.where(ModerationAction.moderator_id == int(form.moderator.data))
    if form.reason.data in REASONS:
        query = query.where(ModerationAction.reason == form.reason.data)
    if _subject_id() is not None:
        query = query.where(ModerationAction.subject_id == _subject_id())
    if form.start.data and not form.start.errors:
        query = query.where(ModerationAction.created_at >= start_of_day(form.start.data))
    if form.end.data and not form.end.errors:
        query = query.where(ModerationAction.created_at < start_of_day(form.end.data + timedelta(days=1)))
    return query


def _links(entries: list[ModerationAction]) -> dict[int, str]:
    """Where each entry's item can be seen, for the items that still exist and the reader may see."""
    links = {}
    for entry in entries:
        found = targets.load(entry.target_type, entry.target_id) if entry.target_type else None
        if found is not None and found[0].can_see(current_user, found[1]):
            links[entry.id] = found[0].describe(found[1]).url
    return links


@bp.route("/moderation/log")
@allowed_if(rules.can_read_log)
def moderation_log():
    """Every moderation action the reader may see (a platform's moderators: their platforms' actions and
    sanctions), newest first, 50 a page, with who took it, on what, why, and an edit's before and after."""
    form, platforms, moderators = _filter_form()
    status = 200 if form.validate() else INVALID
    for day in (form.start, form.end):
        if day.data and not day.errors and not plausible_day(day.data):
            day.errors = [_("Give a date such as 2026-12-01.")]
            day.data, status = None, INVALID
    if form.start.data and form.end.data and form.end.data < form.start.data and not form.errors:
        form.end.errors = [_("The end of the range comes before its start.")]
        status = INVALID
    page = db.paginate(_filtered(form, platforms, moderators), per_page=PER_PAGE, error_out=False)
    filters = {name: request.args[name] for name in FILTERS if request.args.get(name)}
    subject = db.session.get(User, _subject_id()) if _subject_id() is not None else None
    return render_template("moderation/log.html", form=form, page=page, links=_links(page.items),
                           filters=filters, subject=subject, action_labels=LOG_ACTIONS, reason_labels=REASONS,
                           target_labels=TARGET_LABELS), status
