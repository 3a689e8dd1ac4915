"""Notification pages: the notification centre (mark one or all read, open one), the e-mail preferences with
what one follows, the follow buttons of platforms, consultations, events and threads, and unsubscribing from an
e-mail link without signing in. Every action works as a plain form."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.core.db import MAX_ID, commit
from forum.core.errors import ActionRefused
from forum.core.security import proven_by_signed_link, safe_next
from forum.extensions import db
from forum.notifications import bp, live, mailing, queries, services
from forum.notifications.choices import DELIVERIES, KINDS
from forum.notifications.models import Notification
from forum.notifications.wording import show
from forum.threads import queries as thread_queries
from forum.threads import services as thread_services

NOTIFICATION = f"/notifications/<int(max={MAX_ID}):notification_id>"


def _mine_or_404(notification_id: int) -> Notification:
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != current_user.id:
        abort(404)
    return notification


def _back(default: str):
    return redirect(safe_next(request.form.get("next")) or default, 303)


@bp.route("/notifications")
@login_required
def centre():
    """One's notifications, newest first, 20 a page, unread ones marked; each names the item and who acted,
    or says that the item is no longer available."""
    page = db.paginate(queries.notifications_of(current_user), page=request.args.get("page", 1, type=int),
                       per_page=queries.PER_PAGE, error_out=False)
    if page.page > max(page.pages, 1):
        abort(404)
    return render_template("notifications/centre.html", page=page, items=show(current_user, page.items),
                           unread=live.unread_count(current_user.id))


@bp.route(f"{NOTIFICATION}/open")
@login_required
def open_notification(notification_id: int):
    """Go to a notification's item, marking it read (to the centre when the item is no longer available)."""
    notification = _mine_or_404(notification_id)
    [shown] = show(current_user, [notification])
    services.mark_read(current_user, [notification.id])
    commit()
    if shown.url is None:
        flash(_("This is no longer available to you."), "info")
        return redirect(url_for("notifications.centre"), 303)
    return redirect(shown.url, 303)


@bp.route(f"{NOTIFICATION}/read", methods=["POST"])
@login_required
def mark_one_read(notification_id: int):
    """Mark one notification read."""
    services.mark_read(current_user, [_mine_or_404(notification_id).id])
    commit()
    return _back(url_for("notifications.centre"))


@bp.route("/notifications/read", methods=["POST"])
@login_required
def mark_all_read():
    """Mark every notification read."""
    services.mark_read(current_user)
    commit()
    flash(_("All your notifications are marked as read."), "success")
    return _back(url_for("notifications.centre"))


@bp.route("/notifications/preferences", methods=["GET", "POST"])
@login_required
def preferences():
    """How each kind of notification comes by e-mail (at once, in a daily summary, never), and what one
    follows, with a button to stop following each."""
    chosen = services.deliveries_for(current_user)
    status = 200
    if request.method == "POST":
        try:
            for kind in chosen:
                services.set_delivery(current_user, kind, request.form.get(kind, chosen[kind]))
            commit()
        except ActionRefused as refusal:
            db.session.rollback()
            flash(refusal.message, "error")
            status = 400
        else:
            flash(_("Your e-mail preferences are saved."), "success")
            return redirect(url_for("notifications.preferences"), 303)
    return render_template("notifications/preferences.html", chosen=chosen, kinds=KINDS, deliveries=DELIVERIES,
                           followed=queries.followed(current_user)), status


@bp.route(f"/follow/<any(platform,consultation,event,thread):target_type>/<int(max={MAX_ID}):target_id>",
          methods=["POST"])
@login_required
def follow(target_type: str, target_id: int):
    """Follow a platform, consultation, event or thread (``follow=1``), or stop (``follow=0``); back to the page
    the button was on (``next``). What one may not see answers 404."""
    following = request.form.get("follow") == "1"
    if target_type == "thread":
        thread = thread_queries.visible_thread(current_user, target_id)
        if thread is None:
            abort(404)
        thread_services.set_following(current_user, thread, following)
    elif following:
        services.follow(current_user, target_type, target_id)
    else:
        services.unfollow(current_user, target_type, target_id)
    commit()
    flash(_("You follow this. You will be notified of news.") if following else _("You no longer follow this."),
          "success")
    return _back(url_for("notifications.preferences"))


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@proven_by_signed_link
def unsubscribe(token: str):
    """Stop one kind of notification e-mail (or the daily summary) from the link in an e-mail, without signing
    in: the page asks for confirmation, its button (or a mail program's one-click request, RFC 8058) does it.
    The signed link is the proof, so the form carries no CSRF token."""
    try:
        if request.method == "POST":
            user, subject = services.unsubscribe(token)
            commit()
            return render_template("notifications/unsubscribe.html", user=user, subject=subject, done=True,
                                   label=_kind_label(subject))
        user, subject = mailing.read_unsubscribe_token(token)
    except ActionRefused as refusal:
        return render_template("notifications/unsubscribe.html", error=refusal.message), refusal.status
    return render_template("notifications/unsubscribe.html", user=user, subject=subject, done=False,
                           label=_kind_label(subject), token=token)


def _kind_label(subject: str) -> str:
    return _("The daily summary") if subject == mailing.DIGEST else str(KINDS[subject].label)
