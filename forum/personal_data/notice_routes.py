"""The privacy notice and the accessibility statement, public pages in the reader's language."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.core.db import commit
from forum.core.security import safe_next
from forum.personal_data import bp, consent, notice


@bp.route("/privacy")
def privacy_notice():
    """The privacy notice (aviso de privacidad integral): who is responsible for the personal data, what is
    collected and why, who sees it, how long it is kept, and how to see, correct, delete or object to its use."""
    return render_template("personal_data/privacy_notice.html", notice=notice, contacts=notice.contacts(),
                           retention=notice.retention())


@bp.route("/accessibility")
def accessibility_statement():
    """The accessibility statement: the standard the forum aims for, how it is checked, the barriers known
    today, and how to report one."""
    return render_template("personal_data/accessibility_statement.html", notice=notice,
                           contacts=notice.contacts())


@bp.route("/privacy/accept", methods=["POST"])
@login_required
def accept_privacy_notice():
    """Accept the privacy notice in force (asked on every page of someone who accepted an earlier version), then
    go back to the page where it was asked."""
    consent.accept(current_user)
    commit()
    flash(_("Thank you: your acceptance of the privacy notice is recorded."), "success")
    return redirect(safe_next(request.form.get("next")) or url_for("home.index"), 303)
