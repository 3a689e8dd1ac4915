"""Organisation pages: the directory, an organisation's page, joining, and deciding membership requests."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from forum.accounts import bp, organisations, rules
from forum.accounts.choices import ORGANISATION_TYPES
from forum.accounts.forms import OrganisationForm
from forum.accounts.models import Membership, Organisation
from forum.core.db import commit
from forum.core.errors import ActionRefused
from forum.core.forms import show_refusal
from forum.extensions import db
from forum.i18n import current_locale

PER_PAGE = 30


def organisations_query(q: str = "", kind: str = "", verified: bool | None = None):
    """Organisations matching a name/acronym search and filters, by name in the reader's language."""
    name = Organisation.name_en if current_locale() == "en" else Organisation.name_es
    query = select(Organisation).order_by(func.lower(name), Organisation.id)
    if q:
        pattern = f"%{q.lower()}%"
        query = query.where(or_(func.lower(Organisation.name_es).like(pattern),
                                func.lower(Organisation.name_en).like(pattern),
                                func.lower(Organisation.acronym).like(pattern)))
    if kind in ORGANISATION_TYPES:
        query = query.where(Organisation.kind == kind)
    if verified is not None:
        query = query.where(Organisation.verified.is_(verified))
    return query


def _organisation_or_404(organisation_id: int) -> Organisation:
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        abort(404)
    return organisation


@bp.route("/organisations")
def organisation_directory():
    """Every organisation taking part, searchable by name and filterable by type."""
    q = request.args.get("q", "").strip()[:100]
    kind = request.args.get("kind", "")
    page = db.paginate(organisations_query(q, kind), per_page=PER_PAGE, error_out=False)
    return render_template("accounts/organisations.html", page=page, q=q, kind=kind, kinds=ORGANISATION_TYPES)


@bp.route("/organisations/<int:organisation_id>")
def organisation(organisation_id: int):
    """An organisation's page: details and approved members (members shown to signed-in people)."""
    organisation = _organisation_or_404(organisation_id)
    members = db.session.scalars(
        select(Membership).where(Membership.organisation_id == organisation.id, Membership.status == "approved")
        .options(selectinload(Membership.user))
    ).all()
    members = [m for m in members if not m.user.is_suspended]
    own = next((m for m in current_user.memberships if m.organisation_id == organisation.id), None) \
        if current_user.is_authenticated else None
    pending = []
    if rules.can_edit_organisation(current_user, organisation):
        pending = db.session.scalars(organisations.pending_requests_query(current_user)
                                     .where(Membership.organisation_id == organisation.id)).all()
    return render_template("accounts/organisation.html", organisation=organisation, members=members, own=own,
                           pending=pending, can_join=rules.can_request_membership(current_user, organisation),
                           can_edit=rules.can_edit_organisation(current_user, organisation),
                           can_appoint=rules.can_verify_organisation(current_user))


@bp.route("/organisations/<int:organisation_id>/join", methods=["POST"])
@login_required
def join_organisation(organisation_id: int):
    """Ask to become a member of an organisation."""
    organisation = _organisation_or_404(organisation_id)
    try:
        organisations.request_membership(current_user, organisation)
        commit()
    except ActionRefused as error:
        flash(error.message, "error")
    else:
        flash(_("Your request has been sent. The organisation's representatives will decide on it."), "success")
    return redirect(url_for("accounts.organisation", organisation_id=organisation.id))


@bp.route("/memberships/<int:membership_id>/leave", methods=["POST"])
@login_required
def leave_organisation(membership_id: int):
    """Withdraw one's own membership or request."""
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.user_id != current_user.id:
        abort(404)
    organisation_id = membership.organisation_id
    organisations.leave_organisation(current_user, membership)
    commit()
    flash(_("You are no longer a member of this organisation."), "info")
    return redirect(url_for("accounts.organisation", organisation_id=organisation_id))


@bp.route("/memberships/<int:membership_id>/decision", methods=["POST"])
@login_required
def decide_membership(membership_id: int):
    """Approve or decline a membership request (representatives of the organisation, administrators)."""
    membership = db.session.get(Membership, membership_id)
    if membership is None or not rules.can_decide_membership(current_user, membership):
        abort(404)
    decision = request.form.get("decision")
    if decision not in ("approve", "reject"):
        abort(400)
    organisations.decide_membership(current_user, membership, decision == "approve")
    commit()
    flash(_("Approved.") if decision == "approve" else _("Declined."), "success")
    return redirect(url_for("accounts.organisation", organisation_id=membership.organisation_id)
                    if request.form.get("back") != "admin" else url_for("accounts.admin_memberships"))


@bp.route("/memberships/<int:membership_id>/representative", methods=["POST"])
@login_required
def set_representative(membership_id: int):
    """Make an approved member a representative of the organisation, or stop it (administrators)."""
    membership = db.session.get(Membership, membership_id)
    if membership is None:
        abort(404)
    organisations.set_representative(current_user, membership, request.form.get("value") == "1")
    commit()
    flash(_("Saved."), "success")
    return redirect(url_for("accounts.organisation", organisation_id=membership.organisation_id))


@bp.route("/organisations/<int:organisation_id>/edit", methods=["GET", "POST"])
@login_required
def edit_organisation(organisation_id: int):
    """Edit an organisation's details (administrators and its representatives)."""
    organisation = _organisation_or_404(organisation_id)
    if not rules.can_edit_organisation(current_user, organisation):
        abort(403)
    form = OrganisationForm(obj=organisation)
    if form.validate_on_submit():
        fields = {name: form[name].data for name in organisations.EDITABLE_FIELDS}
        try:
            organisations.update_organisation(current_user, organisation, **fields)
            commit()
        except ActionRefused as error:
            show_refusal(form, error)
        else:
            flash(_("The organisation has been updated."), "success")
            return redirect(url_for("accounts.organisation", organisation_id=organisation.id))
    return render_template("accounts/organisation_edit.html", form=form, organisation=organisation), \
        422 if form.errors else 200
