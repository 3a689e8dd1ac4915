"""Administration: who gets in, roles and their audit trail, suspensions, and finding people."""

from __future__ import annotations

import re

import pytest

from forum.accounts.models import User
from forum.extensions import db
from tests.conftest import Auth, browser, saved

ADMIN_PAGES = {"/admin/users": "People", "/admin/organisations": "Organisations",
               "/admin/memberships": "Membership requests", "/admin/audit": "Audit log"}
_SECRET = re.compile(r'<code class="secret">(fcs_[^<]+)</code>')


def html(response) -> str:
    """The page's text."""
    return response.get_data(as_text=True)


def audit_rows(page: str) -> list[str]:
    """The rows of an audit table, as plain text."""
    rows = re.findall(r"<tr>(.*?)</tr>", page, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]


def suspend(admin_client, user, reason: str):
    """Post the suspension form of ``user``'s administration page."""
    return admin_client.post(f"/admin/users/{user.id}", data={"action": "suspend", "suspend-reason": reason})


@pytest.fixture
def admin(app, make_user):
    """A signed-in administrator's browser (English)."""
    make_user("admin@example.org", role="admin", locale="en", display_name="Alba Admin")
    return browser(app, "admin@example.org")


# --- who gets in ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_visitors_are_sent_to_sign_in(client, path):
    """Anonymous visitors of an administration page are redirected to the sign-in page."""
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ["participant", "moderator"])
@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_participants_and_moderators_are_refused(app, make_user, role, path):
    """Signed-in people who are not administrators get 403."""
    make_user("someone@example.org", role=role)
    assert browser(app, "someone@example.org").get(path).status_code == 403


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_administrators_see_the_admin_pages(admin, path):
    """Administrators get each page, in their language (English here)."""
    response = admin.get(path)
    assert response.status_code == 200
    page = html(response)
    assert '<html lang="en">' in page
    assert f"<h1>{ADMIN_PAGES[path]}</h1>" in page


def test_admin_pages_follow_the_admins_language(app, make_user):
    """A Spanish-speaking administrator gets the page in Spanish."""
    make_user("admin@example.org", role="admin", locale="es")
    response = browser(app, "admin@example.org").get("/admin/users")
    assert response.status_code == 200
    assert '<html lang="es">' in html(response)


def test_anonymous_english_browser_sees_the_sign_in_page_in_english(english_client):
    """The redirect from an admin page leads to an English sign-in page for an English browser."""
    response = english_client.get("/admin/audit", follow_redirects=True)
    page = html(response)
    assert '<html lang="en">' in page and "Please sign in to see this page." in page


# --- roles ------------------------------------------------------------------------------------------------


def test_admin_changes_a_role_and_the_audit_log_shows_it(admin, make_user):
    """The new role is saved, and the audit log says who changed it, for whom, from what to what."""
    user = make_user("tomas@example.org", display_name="Tomás Torres")
    page = html(admin.get(f"/admin/users/{user.id}"))
    assert "Change role" in page
    response = admin.post(f"/admin/users/{user.id}", data={"action": "role", "role-role": "moderator"})
    assert response.status_code == 302
    assert saved(user).role == "moderator"
    rows = audit_rows(html(admin.get("/admin/audit")))
    assert any("Alba Admin" in row and "Role changed" in row and "Tomás Torres" in row
               and "Participant → Moderator" in row for row in rows), rows
    history = audit_rows(html(admin.get(f"/admin/users/{user.id}")))
    assert any("Participant → Moderator" in row for row in history), history


def test_a_new_moderator_still_cannot_enter_the_administration(app, admin, make_user):
    """Moderator is not administrator: after the change the person still gets 403."""
    user = make_user("tomas@example.org")
    admin.post(f"/admin/users/{user.id}", data={"action": "role", "role-role": "moderator"})
    assert browser(app, "tomas@example.org").get("/admin/users").status_code == 403


def test_an_admin_cannot_change_their_own_role(admin):
    """Posting one's own role change is refused (403) and nothing is recorded; the page offers no form."""
    me = db.session.scalar(db.select(User).where(User.email == "admin@example.org"))
    assert "Change role" not in html(admin.get(f"/admin/users/{me.id}"))
    response = admin.post(f"/admin/users/{me.id}", data={"action": "role", "role-role": "participant"})
    assert response.status_code == 403
    assert "You cannot change this person&#39;s role." in html(response)
    assert saved(me).role == "admin"
    assert "Nothing recorded yet." in html(admin.get("/admin/audit"))


def test_an_unknown_role_is_refused(admin, make_user):
    """A forged role value changes nothing and records nothing."""
    user = make_user("tomas@example.org")
    admin.post(f"/admin/users/{user.id}", data={"action": "role", "role-role": "superuser"})
    assert saved(user).role == "participant"
    assert "Nothing recorded yet." in html(admin.get("/admin/audit"))


def test_role_changes_need_the_csrf_token(admin, make_user):
    """A cross-site role change (no CSRF token) is refused with 400."""
    user = make_user("tomas@example.org")
    response = admin.post(f"/admin/users/{user.id}", data={"action": "role", "role-role": "admin"}, csrf=False)
    assert response.status_code == 400
    assert saved(user).role == "participant"


# --- suspension -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   "])
def test_suspension_needs_a_reason(admin, make_user, outbox, reason):
    """Without a reason: 422, the account stays active, nobody is e-mailed."""
    user = make_user("tomas@example.org")
    response = suspend(admin, user, reason)
    assert response.status_code == 422
    assert "This field is required." in html(response)
    assert not saved(user).is_suspended
    assert outbox("tomas@example.org") == []


def test_suspension_ends_the_session_and_blocks_sign_in(app, admin, make_user):
    """The suspended person's open browser is signed out; signing in again gives 403 with the reason."""
    user = make_user("tomas@example.org", locale="en")
    tomas = browser(app, "tomas@example.org")
    assert tomas.get("/account").status_code == 200
    assert suspend(admin, user, "Repeated advertising in the debates").status_code == 302
    response = tomas.get("/account")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    again = Auth(tomas).login("tomas@example.org")
    assert again.status_code == 403
    assert "Repeated advertising in the debates" in html(again)
    assert tomas.get("/account").status_code == 302


def test_suspension_is_e_mailed_in_the_persons_language(admin, make_user, outbox):
    """The person receives the reason by e-mail, in English when English is their language."""
    user = make_user("tomas@example.org", locale="en")
    suspend(admin, user, "Repeated advertising in the debates")
    [message] = outbox("tomas@example.org")
    assert message.subject == "Your account has been suspended"
    assert "Repeated advertising in the debates" in message.body
    assert "While it is suspended you cannot sign in." in message.body


def test_suspension_stops_the_persons_api_token(app, admin, make_user):
    """A token created before the suspension answers 401 afterwards."""
    user = make_user("tomas@example.org")
    tomas = browser(app, "tomas@example.org")
    secret = _SECRET.search(html(tomas.post("/account/tokens", data={"name": "script"}))).group(1)
    api = app.test_client()
    headers = {"Authorization": f"Bearer {secret}"}
    assert api.get("/api/v1/me", headers=headers).status_code == 200
    suspend(admin, user, "Repeated advertising in the debates")
    response = api.get("/api/v1/me", headers=headers)
    assert response.status_code == 401 and response.json["error"]["code"] == "invalid_token"


def test_suspension_is_recorded_and_shown_to_admins(admin, make_user):
    """The account page and the audit log show the suspension and its reason."""
    user = make_user("tomas@example.org", display_name="Tomás Torres")
    suspend(admin, user, "Repeated advertising in the debates")
    assert "Repeated advertising in the debates" in html(admin.get(f"/admin/users/{user.id}"))
    rows = audit_rows(html(admin.get("/admin/audit")))
    assert any("Account suspended" in row and "Alba Admin" in row and "Tomás Torres" in row
               and "Repeated advertising in the debates" in row for row in rows), rows
    assert "Tomás Torres" in html(admin.get("/admin/users", query_string={"suspended": "1"}))


def test_admins_cannot_be_suspended(app, admin, make_user, outbox):
    """Neither another administrator nor oneself can be suspended (403); nobody is e-mailed."""
    other = make_user("other-admin@example.org", role="admin")
    me = db.session.scalar(db.select(User).where(User.email == "admin@example.org"))
    for user in (other, me):
        assert "This account cannot be suspended from here." in html(admin.get(f"/admin/users/{user.id}"))
        response = suspend(admin, user, "Testing")
        assert response.status_code == 403
        assert not saved(user).is_suspended
    assert outbox() == []
    assert browser(app, "other-admin@example.org").get("/admin/users").status_code == 200


def test_moderators_cannot_suspend(app, make_user):
    """A moderator posting the suspension form gets 403 and the account stays active."""
    make_user("mod@example.org", role="moderator")
    user = make_user("tomas@example.org")
    response = suspend(browser(app, "mod@example.org"), user, "Testing")
    assert response.status_code == 403
    assert not saved(user).is_suspended


def test_lifting_the_suspension_restores_sign_in(app, admin, make_user, outbox):
    """After the suspension is lifted the person signs in again and is told by e-mail."""
    user = make_user("tomas@example.org", locale="en")
    suspend(admin, user, "Repeated advertising in the debates")
    response = admin.post(f"/admin/users/{user.id}", data={"action": "unsuspend"})
    assert response.status_code == 302
    assert not saved(user).is_suspended
    tomas = app.test_client()
    assert Auth(tomas).login("tomas@example.org").status_code == 302
    assert tomas.get("/account").status_code == 200
    assert [m.subject for m in outbox("tomas@example.org")] == ["Your account has been suspended",
                                                                "Your account is active again"]


# --- finding people ---------------------------------------------------------------------------------------


@pytest.fixture
def people(make_user):
    """Three people with different names, addresses and roles."""
    make_user("bea@example.org", display_name="Beatriz Cano")
    make_user("carlos@example.org", display_name="Carlos Díaz", role="moderator")
    make_user("dora@example.org", display_name="Dora Vega")


@pytest.mark.parametrize(("q", "found"), [
    ("beatriz", "bea@example.org"),
    ("CANO", "bea@example.org"),
    ("carlos@example", "carlos@example.org"),
    ("Carlos@Example.ORG", "carlos@example.org"),
])
def test_people_are_found_by_name_or_email(admin, people, q, found):
    """The search matches part of the name or the e-mail address, whatever the case."""
    page = html(admin.get("/admin/users", query_string={"q": q}))
    listed = {email for email in ("bea@example.org", "carlos@example.org", "dora@example.org") if email in page}
    assert listed == {found}


def test_people_are_filtered_by_role(admin, people):
    """The role filter shows only people with that role."""
    page = html(admin.get("/admin/users", query_string={"role": "moderator"}))
    assert "carlos@example.org" in page
    assert "bea@example.org" not in page and "dora@example.org" not in page and "admin@example.org" not in page
    admins = html(admin.get("/admin/users", query_string={"role": "admin"}))
    assert "admin@example.org" in admins and "carlos@example.org" not in admins


def test_unknown_account_is_404(admin):
    """An account id that does not exist: 404."""
    assert admin.get("/admin/users/424242").status_code == 404
