"""Platform pages: the list, each platform with its threads, joining and leaving, membership requests, and
the administrators' pages to create, edit, reorder, archive and staff platforms."""

from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from forum.accounts.services import find_user_by_email
from forum.core.db import MAX_ID, commit
from forum.core.errors import ActionRefused
from forum.core.forms import show_refusal
from forum.core.permissions import allowed_if
from forum.extensions import db
from forum.platforms import bp, directory, rules, services
from forum.platforms.forms import PlatformForm, PlatformRoleForm
from forum.platforms.models import Platform, PlatformMembership, PlatformRole

INVALID = 422


def _platform_or_404(slug: str) -> Platform:
    platform = directory.platform_by_slug(slug)
    if platform is None:
        abort(404)
    return platform


@bp.route("/p/")
def index():
    """Every active platform, with its description, access and figures."""
    platforms = directory.active_platforms()
    return render_template("platforms/index.html", platforms=platforms,
                           members=directory.member_counts([p.id for p in platforms]))


@bp.route("/p/colours.css")
def colours():
    """Each platform's accent colour as a CSS class (the security policy allows no inline styles)."""
    rules_css = "".join(f".platform-{p.slug}{{--platform-colour:{p.colour}}}\n"
                        for p in db.session.scalars(select(Platform)))
    response = make_response(rules_css)
    response.headers["Content-Type"] = "text/css; charset=utf-8"
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.route("/p/<slug>/join", methods=["POST"])
@login_required
def join(slug: str):
    """Join the platform, or ask to join it when its moderators decide."""
    platform = _platform_or_404(slug)
    membership = services.join(current_user, platform)
    commit()
    if membership.status == "approved":
        flash(_("Welcome: you are now a member of this platform."), "success")
    else:
        flash(_("Your request has been sent to the platform's moderators."), "info")
    return redirect(url_for("threads.platform", slug=slug), 303)


@bp.route("/p/<slug>/leave", methods=["POST"])
@login_required
def leave(slug: str):
    """Leave the platform, or withdraw a pending request."""
    platform = _platform_or_404(slug)
    services.leave(current_user, platform)
    commit()
    flash(_("You have left this platform."), "success")
    return redirect(url_for("threads.platform", slug=slug), 303)


@bp.route("/p/<slug>/members")
@login_required
def members(slug: str):
    """The platform's members and, for its moderators, the requests waiting for a decision."""
    platform = _platform_or_404(slug)
    if not rules.can_read(current_user, platform):
        abort(404)
    moderator = rules.is_moderator_of(current_user, platform)
    return render_template("platforms/members.html", platform=platform, moderator=moderator,
                           pending=directory.memberships(platform, "pending") if moderator else [],
                           approved=directory.memberships(platform, "approved"))


@bp.route(f"/p/<slug>/members/<int(max={MAX_ID}):membership_id>", methods=["POST"])
@login_required
def decide(slug: str, membership_id: int):
    """Approve or decline a request to join, or remove a member (the platform's moderators)."""
    platform = _platform_or_404(slug)
    membership = db.session.get(PlatformMembership, membership_id)
    if membership is None or membership.platform_id != platform.id:
        abort(404)
    decision = request.form.get("decision")
    if decision == "remove":
        services.remove_member(current_user, membership)
        message = _("The member has been removed.")
    elif decision in ("approve", "decline"):
        services.decide_membership(current_user, membership, decision == "approve")
        message = _("Request approved.") if decision == "approve" else _("Request declined.")
    else:
        raise ActionRefused(_("Please choose one of the options offered."))
    commit()
    flash(message, "success")
    return redirect(url_for("platforms.members", slug=slug), 303)


@bp.route("/p/<slug>/leavers", methods=["POST"])
@login_required
def leavers(slug: str):
    """The platform's moderators decide whether people who delete their account may take their posts here."""
    platform = _platform_or_404(slug)
    if not rules.can_read(current_user, platform):
        abort(404)
    services.let_leavers_take_posts(current_user, platform, request.form.get("leavers_may_delete_posts") == "y")
    commit()
    flash(_("Saved: people who delete their account may delete their posts here.")
          if platform.leavers_may_delete_posts else
          _("Saved: the posts of people who delete their account stay here, signed \"former participant\"."),
          "success")
    return redirect(url_for("platforms.members", slug=slug), 303)


#: the administration pages of platforms
admin_required = allowed_if(rules.can_manage_platforms)


@bp.route("/admin/platforms")
@admin_required
def admin_index():
    """Every platform, archived ones too, in navigation order, with move and archive buttons."""
    platforms = db.session.scalars(select(Platform).order_by(Platform.position, Platform.id)).all()
    return render_template("platforms/admin_index.html", platforms=platforms,
                           members=directory.member_counts([p.id for p in platforms]))


@bp.route("/admin/platforms/new", methods=["GET", "POST"])
@admin_required
def admin_new():
    """Create a platform."""
    form = PlatformForm(colour="#1f5f8b") if request.method == "GET" else PlatformForm()
    if form.validate_on_submit():
        try:
            platform = services.create_platform(current_user, **_platform_fields(form))
            commit()
        except ActionRefused as error:
            show_refusal(form, error)
        else:
            flash(_("The platform has been created."), "success")
            return redirect(url_for("platforms.admin_edit", slug=platform.slug), 303)
    return render_template("platforms/admin_edit.html", form=form, platform=None), INVALID if form.errors else 200


def _platform_fields(form: PlatformForm) -> dict:
    return {name: form[name].data for name in services.EDITABLE_FIELDS}


@bp.route("/admin/platforms/<slug>", methods=["GET", "POST"])
@admin_required
def admin_edit(slug: str):
    """Edit a platform and name its moderators and translators."""
    platform = _platform_or_404(slug)
    form = PlatformForm(obj=platform) if request.method == "GET" else PlatformForm()
    if form.validate_on_submit():
        try:
            services.update_platform(current_user, platform, **_platform_fields(form))
            commit()
        except ActionRefused as error:
            show_refusal(form, error)
        else:
            flash(_("The platform has been saved."), "success")
            return redirect(url_for("platforms.admin_edit", slug=platform.slug), 303)
    return _admin_edit_page(platform, form, PlatformRoleForm(formdata=None))


def _admin_edit_page(platform: Platform, form: PlatformForm, role_form: PlatformRoleForm):
    duties = db.session.scalars(select(PlatformRole).where(PlatformRole.platform_id == platform.id)
                                .order_by(PlatformRole.role, PlatformRole.assigned_at)).all()
    status = INVALID if form.errors or role_form.errors else 200
    return render_template("platforms/admin_edit.html", form=form, platform=platform, role_form=role_form,
                           duties=duties), status


@bp.route("/admin/platforms/<slug>/roles", methods=["POST"])
@admin_required
def admin_grant(slug: str):
    """Name someone moderator or translator of the platform."""
    platform = _platform_or_404(slug)
    role_form = PlatformRoleForm()
    if role_form.validate_on_submit():
        user = find_user_by_email(role_form.email.data)
        if user is None:
            role_form.email.errors = [_("Nobody has an account with this e-mail address.")]
        else:
            services.grant_role(current_user, platform, user, role_form.role.data)
            commit()
            flash(_("Done: %(name)s now has this duty.", name=user.display_name), "success")
            return redirect(url_for("platforms.admin_edit", slug=slug), 303)
    return _admin_edit_page(platform, PlatformForm(obj=platform, formdata=None), role_form)


@bp.route(f"/admin/platforms/<slug>/roles/<int(max={MAX_ID}):duty_id>/revoke", methods=["POST"])
@admin_required
def admin_revoke(slug: str, duty_id: int):
    """Take a platform duty away."""
    platform = _platform_or_404(slug)
    duty = db.session.get(PlatformRole, duty_id)
    if duty is None or duty.platform_id != platform.id:
        abort(404)
    services.revoke_role(current_user, duty)
    commit()
    flash(_("The duty has been taken away."), "success")
    return redirect(url_for("platforms.admin_edit", slug=slug), 303)


@bp.route("/admin/platforms/<slug>/move", methods=["POST"])
@admin_required
def admin_move(slug: str):
    """Move the platform up or down in the navigation."""
    platform = _platform_or_404(slug)
    services.move_platform(current_user, platform, -1 if request.form.get("direction") == "up" else 1)
    commit()
    return redirect(url_for("platforms.admin_index"), 303)


@bp.route("/admin/platforms/<slug>/archive", methods=["POST"])
@admin_required
def admin_archive(slug: str):
    """Archive the platform (read-only, out of the navigation) or bring it back."""
    platform = _platform_or_404(slug)
    archive = request.form.get("archive") == "1"
    services.set_archived(current_user, platform, archive)
    commit()
    flash(_("The platform has been archived.") if archive else _("The platform is active again."), "success")
    return redirect(url_for("platforms.admin_index"), 303)


