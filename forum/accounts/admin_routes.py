"""Administration pages: people (roles, suspension), organisations (verification), requests, audit log."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from forum.accounts import audit, bp, organisations, rules, services
from forum.accounts.choices import AUDIT_ACTIONS, ROLES
from forum.accounts.forms import RoleForm, SuspendForm
from forum.accounts.models import Membership, Organisation, User
from forum.accounts.organisation_routes import organisations_query
from forum.core.db import commit
from forum.core.errors import ActionRefused
from forum.core.permissions import allowed_if
from forum.extensions import db

PER_PAGE = 50


#: the administration pages of people, organisations and the audit log
admin_required = allowed_if(rules.can_manage_users)


def _record_read(action: str, user_id: int | None, people: int) -> None:
    """Log in the access log that the administrator read ``people`` other people's account details."""
    from forum.personal_data import access_log  # here: the personal-data package builds on this one's models

    access_log.record(current_user, action, "user", user_id, people)


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/admin/users")
@admin_required
def admin_users():
    """People with an account: search by name or e-mail, filter by role or suspension."""
    q = request.args.get("q", "").strip()[:100]
    role = request.args.get("role", "")
    suspended = request.args.get("suspended") == "1"
    query = select(User).options(selectinload(User.memberships).selectinload(Membership.organisation)) \
        .order_by(User.created_at.desc(), User.id.desc())
    if q:
        pattern = f"%{q.lower()}%"
        query = query.where(or_(func.lower(User.display_name).like(pattern), User.email.like(pattern)))
    if role in ROLES:
        query = query.where(User.role == role)
    if suspended:
        query = query.where(User.suspended_at.is_not(None))
    page = db.paginate(query, per_page=PER_PAGE, error_out=False)
    shown = render_template("admin/users.html", page=page, q=q, role=role, suspended=suspended, roles=ROLES)
    _record_read("user_list", None, sum(u.id != current_user.id for u in page.items))
    commit()
    return shown


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@admin_required
def admin_user(user_id: int):
    """One account: change its role, suspend it or lift the suspension; its audit history."""
    user = _user_or_404(user_id)
    role_form = RoleForm(obj=user, prefix="role")
    suspend_form = SuspendForm(prefix="suspend")
    status = 200
    try:
        if request.method == "POST" and request.form.get("action") == "role" and role_form.validate():
            services.change_role(current_user, user, role_form.role.data)
            commit()
            flash(_("The role has been changed."), "success")
            return redirect(url_for("accounts.admin_user", user_id=user.id))
        if request.method == "POST" and request.form.get("action") == "suspend":
            if suspend_form.validate():
                services.suspend(current_user, user, suspend_form.reason.data)
                commit()
                flash(_("The account is suspended and its sessions have ended."), "success")
                return redirect(url_for("accounts.admin_user", user_id=user.id))
            status = 422
        if request.method == "POST" and request.form.get("action") == "unsuspend":
            services.unsuspend(current_user, user)
            commit()
            flash(_("The suspension has been lifted."), "success")
            return redirect(url_for("accounts.admin_user", user_id=user.id))
    except ActionRefused as error:
        flash(error.message, "error")
        status = error.status
    history = db.session.scalars(audit.entries_query(user_id=user.id).limit(50)).all()
    shown = render_template("admin/user.html", user=user, role_form=role_form, suspend_form=suspend_form,
                            history=history, is_official=rules.is_official(user),
                            can_change_role=rules.can_change_role(current_user, user),
                            can_suspend=rules.can_suspend(current_user, user))
    _record_read("user_account", user.id, int(user.id != current_user.id))
    commit()
    return shown, status


@bp.route("/admin/organisations")
@admin_required
def admin_organisations():
    """Organisations, unverified first, to verify or edit."""
    q = request.args.get("q", "").strip()[:100]
    show = request.args.get("show", "unverified")
    verified = {"unverified": False, "verified": True}.get(show)
    page = db.paginate(organisations_query(q, verified=verified), per_page=PER_PAGE, error_out=False)
    return render_template("admin/organisations.html", page=page, q=q, show=show)


@bp.route("/admin/organisations/<int:organisation_id>/verification", methods=["POST"])
@admin_required
def admin_verify_organisation(organisation_id: int):
    """Verify an organisation or withdraw its verification."""
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        abort(404)
    organisations.set_verified(current_user, organisation, request.form.get("verified") == "1")
    commit()
    flash(_("Verified.") if organisation.verified else _("Verification withdrawn."), "success")
    if request.form.get("back") == "organisation":
        return redirect(url_for("accounts.organisation", organisation_id=organisation.id))
    return redirect(url_for("accounts.admin_organisations"))


@bp.route("/admin/memberships")
@admin_required
def admin_memberships():
    """Membership requests waiting for a decision, oldest first."""
    query = organisations.pending_requests_query(current_user).options(
        selectinload(Membership.user), selectinload(Membership.organisation))
    page = db.paginate(query, per_page=PER_PAGE, error_out=False)
    shown = render_template("admin/memberships.html", page=page)
    _record_read("membership_requests", None, len({m.user_id for m in page.items} - {current_user.id}))
    commit()
    return shown


@bp.route("/admin/audit")
@admin_required
def admin_audit():
    """The account audit log: who changed which role, suspension, membership or verification, and when."""
    action = request.args.get("action", "")
    query = audit.entries_query(action=action if action in AUDIT_ACTIONS else None)
    page = db.paginate(query, per_page=PER_PAGE, error_out=False)
    return render_template("admin/audit.html", page=page, action=action, actions=AUDIT_ACTIONS)
