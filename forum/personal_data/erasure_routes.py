"""Deleting one's account: the page that explains what happens and asks for the password, and the page that
confirms it is done."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from forum.accounts.passwords import MAX_LENGTH
from forum.core.db import commit
from forum.core.errors import ActionRefused
from forum.core.forms import show_refusal
from forum.i18n import clear_session_keeping_language
from forum.personal_data import bp, erasure, rules

#: the status of the page shown again when the password is missing or wrong
REFUSED = 400


class DeleteAccountForm(FlaskForm):
    """The confirmation: the password again, and what to do with one's posts."""

    password = PasswordField(_l("Your password"), [DataRequired(_l("Please enter your password to confirm.")),
                                                   Length(max=MAX_LENGTH)])
    posts = RadioField(_l("Your posts"), default="keep", choices=[
        SelectChoice("keep", _l("Keep my posts in the conversations, signed “Former participant”")),
        SelectChoice("delete", _l("Delete my posts on the platforms that allow it (elsewhere they stay, signed "
                                  "“Former participant”)")),
    ])


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
def delete_account():
    """Explain, in plain words, what deleting the account erases and what stays; delete it when the person
    confirms with their password. The last administrator is asked to hand the role on first."""
    form = DeleteAccountForm()
    if not rules.can_delete_account(current_user):
        return _page(form, refused=True), 403
    if form.validate_on_submit():
        try:
            erasure.delete_account(current_user._get_current_object(), password=form.password.data,
                                   posts=form.posts.data)
            commit()
        except ActionRefused as error:
            show_refusal(form, error)
            return _page(form), error.status
        logout_user()
        clear_session_keeping_language()
        return redirect(url_for("personal_data.account_deleted"), 303)
    return _page(form), REFUSED if form.errors else 200


def _page(form: DeleteAccountForm, *, refused: bool = False) -> str:
    return render_template("personal_data/delete_account.html", form=form, refused=refused,
                           leaving=erasure.leaving(current_user))


@bp.route("/account/deleted")
def account_deleted():
    """Confirm that the account has been deleted (nothing about the person is left to show)."""
    return render_template("personal_data/delete_account_done.html")
