"""Sanction pages: a person's sanctions for moderators (warn, suspend, ban, lift), one's own sanctions with the
one-time reply, the reply link of the sanction e-mail (which works while signed out), and reason templates."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from forum.accounts.models import User
from forum.core.db import MAX_ID, commit
from forum.core.errors import ActionRefused, error_response
from forum.core.forms import show_refusal
from forum.core.permissions import allowed_if
from forum.core.tokens import ExpiredToken, InvalidToken
from forum.extensions import db
from forum.i18n import current_locale, localized
from forum.moderation import bp, reasons, rules, sanctions
from forum.moderation.choices import REASONS, SANCTIONS
from forum.moderation.models import ReasonTemplate, Sanction
from forum.moderation.sanction_choices import STATES
from forum.moderation.sanction_forms import ContestForm, LiftForm, ReasonTemplateForm, SanctionForm

INVALID = 422

#: moderators of any platform, global moderators and administrators
moderator_required = allowed_if(rules.can_view_sanctions)
#: the reason-template pages
reasons_required = allowed_if(rules.can_manage_reasons)

#: what the moderator is told once a sanction is issued
_ISSUED = {
    "warning": lambda: _("The warning has been sent."),
    "suspension": lambda: _("The account is suspended and its sessions have ended."),
    "ban": lambda: _("The account is banned and its sessions have ended."),
}


def _labels() -> dict:
    """What the sanction templates need to name things."""
    return {"sanction_labels": SANCTIONS, "state_labels": STATES, "sanction_state": sanctions.state,
            "sanction_moment": lambda when, person: sanctions.moment(when, person, current_locale())}


def _status(error: ActionRefused) -> int:
    return error.status if error.status != 400 else INVALID


# --- moderators: a person's sanctions -------------------------------------------------------------------


def _template_choices() -> list[SelectChoice]:
    options = [SelectChoice("", _("— No template —"))]
    for template in reasons.all_templates():
        title, lang, _fallback = localized(template, "title")
        options.append(SelectChoice(str(template.id), title, render_kw={"lang": lang}))
    return options


def _sanction_form(person: User) -> SanctionForm:
    form = SanctionForm(prefix="sanction")
    # every kind is accepted here and the service refuses a ban to non-administrators (403); the page offers
    # the ban only to those who may
    form.kind.choices = list(SANCTIONS.items())
    form.template.choices = _template_choices()
    return form


def _issue(person: User, form: SanctionForm) -> str:
    """Carry out the sanction chosen in ``form``; returns its kind."""
    template = reasons.get_template(int(form.template.data)) if form.template.data else None
    fields = dict(template=template, text=form.reason.data or "")
    if form.kind.data == "warning":
        sanctions.warn(current_user, person, **fields)
    elif form.kind.data == "suspension":
        sanctions.suspend_for(current_user, person, days=form.days.data, **fields)
    else:
        sanctions.ban(current_user, person, **fields)
    return form.kind.data


@bp.route(f"/moderation/people/<int(max={MAX_ID}):user_id>/sanctions", methods=["GET", "POST"])
@moderator_required
def person_sanctions(user_id: int):
    """A person's sanctions, newest first, with their replies; forms to warn or suspend them (administrators:
    also to ban) with a reason template and/or free text, and to lift a sanction."""
    person = db.session.get(User, user_id)
    if person is None:
        abort(404)
    form = _sanction_form(person)
    status = 200
    if request.method == "POST":
        if form.validate():
            try:
                kind = _issue(person, form)
                commit()
            except ActionRefused as error:
                show_refusal(form, error)
                status = _status(error)
            else:
                flash(_ISSUED[kind](), "success")
                return redirect(url_for("moderation.person_sanctions", user_id=person.id), 303)
        else:
            status = INVALID
    return render_template(
        "moderation/sanctions.html", person=person, form=form, history=sanctions.history(person),
        lift_form=LiftForm(prefix="lift"), can_sanction=rules.can_sanction(current_user, person),
        can_ban=rules.can_ban(current_user, person), can_lift=rules.can_lift, **_labels()), status


@bp.route(f"/moderation/sanctions/<int(max={MAX_ID}):sanction_id>/lift", methods=["POST"])
@moderator_required
def lift_sanction(sanction_id: int):
    """Lift a suspension or ban (withdraw a warning) before its end; the person is told."""
    sanction = db.session.get(Sanction, sanction_id)
    if sanction is None:
        abort(404)
    form = LiftForm(prefix="lift")
    if not form.validate():
        return error_response(INVALID, " ".join(e for errors in form.errors.values() for e in errors))
    sanctions.lift(current_user, sanction, note=form.note.data or "")
    commit()
    flash(_("The sanction has been lifted and the person told."), "success")
    return redirect(url_for("moderation.person_sanctions", user_id=sanction.user_id), 303)


# --- the sanctioned person ------------------------------------------------------------------------------


def _own_page(forms: dict[int, ContestForm] | None = None, status: int = 200):
    forms = forms or {}
    mine = sanctions.history(current_user)
    replies = {s.id: forms.get(s.id) or ContestForm(prefix=f"reply-{s.id}", formdata=None)
               for s in mine if rules.can_contest(current_user, s)}
    actions = {sanction_id: url_for("moderation.contest_sanction", sanction_id=sanction_id) for sanction_id in replies}
    return render_template("accounts/sanctions.html", items=mine, replies=replies, actions=actions,
                           via_link=False, **_labels()), status


@bp.route("/account/sanctions")
@login_required
def my_sanctions():
    """One's own warnings, suspensions and bans with their reason and end, and the one-time reply."""
    return _own_page()


@bp.route(f"/account/sanctions/<int(max={MAX_ID}):sanction_id>/reply", methods=["POST"])
@login_required
def contest_sanction(sanction_id: int):
    """Reply once to contest one's own sanction; the reply goes to the moderation queue."""
    sanction = db.session.get(Sanction, sanction_id)
    if sanction is None or sanction.user_id != current_user.id:
        abort(404)
    form = ContestForm(prefix=f"reply-{sanction.id}")
    if not form.validate():
        return _own_page({sanction.id: form}, INVALID)
    try:
        sanctions.contest(current_user, sanction, form.text.data)
        commit()
    except ActionRefused as error:
        show_refusal(form, error)
        return _own_page({sanction.id: form}, _status(error))
    flash(_("Your reply has been sent to the moderators."), "success")
    return redirect(url_for("moderation.my_sanctions"), 303)


@bp.route("/sanctions/<token>", methods=["GET", "POST"])
def sanction_by_link(token: str):
    """The link of a sanction e-mail: the sanction, its reason and end, and the one-time reply. It works
    without signing in, since a suspended person cannot."""
    try:
        sanction = sanctions.sanction_for_link(token)
    except InvalidToken as error:
        message = (_("This link has expired.") if isinstance(error, ExpiredToken)
                   else _("This link is not valid."))
        return error_response(400, message)
    form = ContestForm(prefix="reply")
    status = 200
    if request.method == "POST":
        if form.validate():
            try:
                sanctions.contest(sanction.user, sanction, form.text.data)
                commit()
            except ActionRefused as error:
                show_refusal(form, error)
                status = _status(error)
            else:
                flash(_("Your reply has been sent to the moderators."), "success")
                return redirect(url_for("moderation.sanction_by_link", token=token), 303)
        else:
            status = INVALID
    replies = {sanction.id: form} if rules.can_contest(sanction.user, sanction) else {}
    actions = {sanction.id: url_for("moderation.sanction_by_link", token=token)}
    return render_template("accounts/sanctions.html", items=[sanction], replies=replies, actions=actions,
                           via_link=True, **_labels()), status


# --- reason templates -----------------------------------------------------------------------------------


def _template_fields(form: ReasonTemplateForm) -> dict:
    return {name: form[name].data for name in ("reason", "title_es", "title_en", "text_es", "text_en")}


@bp.route("/moderation/reasons", methods=["GET", "POST"])
@reasons_required
def reason_templates():
    """The reason templates, in both languages, and a form to add one."""
    form = ReasonTemplateForm()
    status = 200
    if request.method == "POST":
        if form.validate():
            try:
                reasons.create_template(current_user, **_template_fields(form))
                commit()
            except ActionRefused as error:
                show_refusal(form, error)
                status = _status(error)
            else:
                flash(_("The reason template has been added."), "success")
                return redirect(url_for("moderation.reason_templates"), 303)
        else:
            status = INVALID
    return render_template("moderation/reasons.html", templates=reasons.all_templates(), form=form,
                           reason_labels=REASONS), status


@bp.route(f"/moderation/reasons/<int(max={MAX_ID}):template_id>/edit", methods=["GET", "POST"])
@reasons_required
def edit_reason_template(template_id: int):
    """Change a reason template's titles and texts (sanctions already sent keep their words)."""
    template = db.session.get(ReasonTemplate, template_id)
    if template is None:
        abort(404)
    form = ReasonTemplateForm(obj=template)
    status = 200
    if request.method == "POST":
        if form.validate():
            try:
                reasons.edit_template(current_user, template, **_template_fields(form))
                commit()
            except ActionRefused as error:
                show_refusal(form, error)
                status = _status(error)
            else:
                flash(_("The reason template has been saved."), "success")
                return redirect(url_for("moderation.reason_templates"), 303)
        else:
            status = INVALID
    return render_template("moderation/reasons_edit.html", template=template, form=form), status
