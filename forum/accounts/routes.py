"""Account pages: register, confirm, sign in and out, reset the password, settings, tokens, language."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import format_datetime, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from forum.accounts import api_tokens, bp, rules, services, sessions
from forum.accounts.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    EmailForm,
    LoginForm,
    NewPasswordForm,
    RegistrationForm,
    SettingsForm,
    TokenForm,
)
from forum.accounts.models import Organisation, User
from forum.accounts.services import LoginOutcome
from forum.core.db import commit
from forum.core.errors import ActionRefused
from forum.core.forms import show_refusal
from forum.core.security import safe_next
from forum.core.tokens import ExpiredToken, InvalidToken
from forum.extensions import db, limiter
from forum.i18n import LOCALES, SESSION_KEY, clear_session_keeping_language, current_locale, localized

INVALID = 422


def _home() -> str:
    return url_for("home.index")


def _organisation_choices() -> list[SelectChoice]:
    organisations = db.session.scalars(select(Organisation)).all()
    named = sorted((SelectChoice(str(o.id), _organisation_label(o)) for o in organisations),
                   key=lambda choice: choice.label.lower())
    return [SelectChoice("", _("No organisation (taking part as an individual)")), *named,
            SelectChoice("new", _("My organisation is not listed"))]


def _organisation_label(organisation: Organisation) -> str:
    name = localized(organisation, "name")[0]
    return f"{name} ({organisation.acronym})" if organisation.acronym else name


def _link_problem(error: InvalidToken) -> str:
    if isinstance(error, ExpiredToken):
        return _("This link has expired. Please ask for a new one.")
    return _("This link is not valid, or it was already used. Please ask for a new one.")


def _login(user) -> None:
    """Start a fresh session (a new cookie, keeping only the language choice) for ``user``."""
    clear_session_keeping_language()
    sessions.start_session(user, request.user_agent.string)
    commit()


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def register():
    """Open an account, accepting the privacy notice; the confirmation link arrives by e-mail. Without that
    acceptance the form comes back (400) with everything else that was typed."""
    if current_user.is_authenticated:
        return redirect(_home())
    form = RegistrationForm()
    form.organisation.choices = _organisation_choices()
    if request.method == "GET":
        form.locale.data = current_locale()
    if form.validate_on_submit():
        data = form.data
        organisation = None
        if data["organisation"] not in ("", "new"):
            organisation = db.session.get(Organisation, int(data["organisation"]))
        new_organisation = None
        if data["organisation"] == "new":
            new_organisation = dict(name=data["new_organisation_name"], acronym=data["new_organisation_acronym"],
                                    kind=data["new_organisation_kind"], state=data["state"])
        try:
            services.register(
                email=data["email"], password=data["password"], display_name=data["display_name"],
                position=data["position"] or "", locale=data["locale"], sector=data["sector"],
                state=data["state"], gender=data["gender"], gender_description=data["gender_description"],
                age_range=data["age_range"], organisation=organisation, new_organisation=new_organisation,
            )
            commit()
        except ActionRefused as error:
            show_refusal(form, error)
        else:
            return redirect(url_for("accounts.registered"))
    status = 400 if form.privacy_consent.errors else INVALID if form.errors else 200
    return render_template("accounts/register.html", form=form), status


@bp.route("/register/check-your-email")
def registered():
    """Tell the newcomer to follow the link we e-mailed (said the same whether or not the address was new)."""
    return render_template("accounts/check_email.html", form=EmailForm())


@bp.route("/confirm/<token>")
def confirm_email(token: str):
    """Follow the link from the confirmation e-mail."""
    try:
        services.confirm_email(token)
        commit()
    except InvalidToken as error:
        return render_template("accounts/link_problem.html", message=_link_problem(error),
                               form=EmailForm(), resend=True), 400
    except ActionRefused as error:
        flash(error.message, "info")
        return redirect(url_for("accounts.login"))
    flash(_("Thank you, your address is confirmed. You can sign in now."), "success")
    return redirect(url_for("accounts.login"))


@bp.route("/confirm", methods=["POST"])
@limiter.limit("10 per hour")
def resend_confirmation():
    """Send the confirmation link again (the answer does not reveal whether the address has an account)."""
    form = EmailForm()
    if not form.validate_on_submit():
        return render_template("accounts/check_email.html", form=form), INVALID
    services.resend_confirmation(form.email.data)
    commit()
    flash(_("If this address has an account waiting for confirmation, a new link is on its way."), "info")
    return redirect(url_for("accounts.registered"))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["FORUM_LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    """Sign in with e-mail address and password."""
    target = safe_next(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(target or _home())
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        outcome, user = services.authenticate(form.email.data, form.password.data)
        commit()
        if outcome is LoginOutcome.OK:
            _login(user)
            login_user(user, remember=form.remember.data)
            flash(_("Welcome, %(name)s.", name=user.display_name), "success")
            return redirect(target or _home())
        status = 401 if outcome is LoginOutcome.INVALID else 403
        if outcome is LoginOutcome.INVALID:
            flash(_("The e-mail address or the password is not correct."), "error")
        elif outcome is LoginOutcome.UNCONFIRMED:
            flash(_("Please confirm your e-mail address first: follow the link we sent you. "
                    "You can ask for a new link below."), "error")
            return render_template("accounts/check_email.html", form=EmailForm(email=form.email.data)), status
        elif user.suspended_until is not None:
            flash(_("This account is suspended until %(date)s: %(reason)s",
                    date=format_datetime(user.suspended_until, "short"), reason=user.suspension_reason or ""),
                  "error")
        else:
            flash(_("This account is suspended: %(reason)s", reason=user.suspension_reason or ""), "error")
    elif form.errors:
        status = INVALID
    return render_template("accounts/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout():
    """Sign out: the server forgets this browser's session."""
    if current_user.is_authenticated:
        sessions.end_session(current_user)
        commit()
    logout_user()
    clear_session_keeping_language()
    flash(_("You have signed out."), "info")
    return redirect(_home())


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def reset_request():
    """Ask for a password-reset link (same answer whether or not the address has an account)."""
    form = EmailForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        commit()
        flash(_("If an account uses this address, we have sent it a link to choose a new password."), "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_request.html", form=form), INVALID if form.errors else 200


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a new password from the link in the reset e-mail."""
    try:
        services.user_for_reset_link(token)
    except InvalidToken as error:
        return render_template("accounts/link_problem.html", message=_link_problem(error)), 400
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(token, form.password.data)
            commit()
        except ActionRefused as error:
            show_refusal(form, error)
        else:
            flash(_("Your password has been changed. Please sign in with it."), "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form), INVALID if form.errors else 200


@bp.route("/account", methods=["GET", "POST"])
@login_required
def settings():
    """Edit one's profile, language, time zone and the optional self-declared data."""
    form = SettingsForm(obj=current_user)
    if form.validate_on_submit():
        try:
            fields = {name: form[name].data for name in (
                "display_name", "position", "locale", "timezone", "sector", "state", "gender",
                "gender_description", "age_range")}
            services.update_profile(current_user, **fields)
            commit()
        except ActionRefused as error:
            show_refusal(form, error)
        else:
            session[SESSION_KEY] = current_user.locale
            flash(_("Your settings are saved."), "success")
            return redirect(url_for("accounts.settings"))
    return render_template("accounts/settings.html", form=form, sessions=sessions.live_sessions(current_user)), \
        INVALID if form.errors else 200


@bp.route("/account/sessions/end-others", methods=["POST"])
@login_required
def end_other_sessions():
    """Sign out every other browser where this account is signed in."""
    count = sessions.end_sessions(current_user, keep_current=True)
    commit()
    flash(ngettext("Signed out of %(num)d other session.", "Signed out of %(num)d other sessions.", count),
          "success")
    return redirect(url_for("accounts.settings"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change the password; other sessions end, this one goes on."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.password.data)
            commit()
        except ActionRefused as error:
            show_refusal(form, error)
        else:
            flash(_("Your password has been changed. Other devices have been signed out."), "success")
            return redirect(url_for("accounts.settings"))
    return render_template("accounts/change_password.html", form=form), INVALID if form.errors else 200


@bp.route("/account/email", methods=["GET", "POST"])
@login_required
def change_email():
    """Ask to change the e-mail address; the new address must be confirmed from its inbox."""
    form = ChangeEmailForm()
    if form.validate_on_submit():
        try:
            services.request_email_change(current_user, form.current_password.data, form.email.data)
            commit()
        except ActionRefused as error:
            show_refusal(form, error)
        else:
            flash(_("We have sent a confirmation link to the new address. The change takes effect when you "
                    "follow it."), "info")
            return redirect(url_for("accounts.settings"))
    return render_template("accounts/change_email.html", form=form), INVALID if form.errors else 200


@bp.route("/account/email/<token>")
def confirm_email_change(token: str):
    """Follow the link sent to a new e-mail address."""
    try:
        services.confirm_email_change(token)
        commit()
    except InvalidToken as error:
        return render_template("accounts/link_problem.html", message=_link_problem(error)), 400
    except ActionRefused as error:
        return render_template("accounts/link_problem.html", message=error.message), error.status
    flash(_("Your e-mail address has been changed."), "success")
    return redirect(url_for("accounts.settings") if current_user.is_authenticated else url_for("accounts.login"))


@bp.route("/account/tokens", methods=["GET", "POST"])
@login_required
def tokens():
    """List, create and revoke personal access tokens for the API."""
    form = TokenForm()
    secret = None
    if form.validate_on_submit():
        try:
            _, secret = api_tokens.create_token(current_user, form.name.data)
            commit()
        except ActionRefused as error:
            show_refusal(form, error)
        else:
            form = TokenForm(formdata=None)
    status = INVALID if form.errors else (201 if secret else 200)
    return render_template("accounts/tokens.html", form=form, secret=secret,
                           tokens=api_tokens.live_tokens(current_user)), status


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id: int):
    """Revoke one of one's own tokens; it stops working at once."""
    api_tokens.revoke_token(current_user, token_id)
    commit()
    flash(_("The token has been revoked."), "success")
    return redirect(url_for("accounts.tokens"))


@bp.route("/users/<int:user_id>")
@login_required
def profile(user_id: int):
    """A person's public profile: name, organisations, sector, state and activity."""
    user = db.session.get(User, user_id)
    if user is None or not rules.can_view_profile(current_user, user):
        abort(404)
    return render_template("accounts/profile.html", user=user, is_official=rules.is_official(user),
                           private=rules.can_see_private_fields(current_user, user))


@bp.route("/language", methods=["POST"])
def set_language():
    """The language switcher: remembered in the session, and in the account when signed in."""
    locale = request.form.get("locale", "")
    if locale not in LOCALES:
        flash(_("This language is not available."), "error")
        return redirect(safe_next(request.form.get("next")) or _home(), 303)
    session[SESSION_KEY] = locale
    if current_user.is_authenticated:
        services.set_locale(current_user, locale)
        commit()
    return redirect(safe_next(request.form.get("next")) or _home(), 303)
