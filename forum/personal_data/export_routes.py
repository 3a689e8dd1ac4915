"""The pages of "Download my data": where a signed-in person asks for a copy of their data and follows their
copies, and the download link they are sent. Both work as plain forms and links."""

from __future__ import annotations

from flask import flash, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.core.db import commit, utcnow
from forum.core.errors import ActionRefused
from forum.core.storage import storage
from forum.extensions import limiter
from forum.personal_data import bp, export_contents, exports
from forum.personal_data.choices import EXPORT_STATUSES


def _page(status: int = 200, link: str | None = None):
    copies = exports.copies_of(current_user)
    current = next((copy for copy in copies if exports.shown_status(copy) in ("pending", "ready")), None)
    return render_template("personal_data/export.html", parts=export_contents.PARTS, copies=copies,
                           current=current, link=link, days=exports.link_days(), statuses=EXPORT_STATUSES,
                           shown_status=exports.shown_status), status


@bp.route("/account/data", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
@login_required
def export():
    """What a copy of one's data holds and one's copies with their status (GET); ask for a new copy (POST): a
    small one is ready at once and its download link shown (201), a larger one is prepared in the background
    (202) and its link sent by e-mail; asking while a copy is in preparation or ready says so (409)."""
    if request.method != "POST":  # GET, and HEAD: only a form sent on purpose asks for a copy
        return _page()
    try:
        copy, secret = exports.ask_for_copy(current_user)
        written = copy.storage_key
        try:
            commit()
        except Exception:
            if written:  # the copy was not saved: neither is its file
                storage().delete(written)
            raise
    except ActionRefused as error:
        flash(error.message, "error")
        return _page(error.status)
    if secret is None:
        flash(_("We are preparing your copy. We will tell you by e-mail and in your notifications when it is "
                "ready."), "info")
        return _page(202)
    flash(_("Your copy is ready. We have also sent the link to your e-mail address."), "success")
    return _page(201, link=url_for("personal_data.download", token=secret))


@bp.route("/account/data/<token>")
@login_required
def download(token: str):
    """Download one's copy through the link sent for it, once: afterwards, or once expired, the link answers
    410 with a way to ask for a new copy; someone else's link, or a made-up one, is not found (404). A HEAD
    request only checks the link, without using it up."""
    try:
        if request.method == "HEAD":
            exports.copy_for_link(current_user, token)
            return "", 200
        stream = exports.download(current_user, token)
        commit()
    except exports.LinkGone as error:
        return render_template("personal_data/export_link_gone.html", message=error.message), 410
    response = send_file(stream, mimetype="application/zip", as_attachment=True, max_age=0,
                         download_name=f"social-cohesion-forum-my-data-{utcnow():%Y-%m-%d}.zip")
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
