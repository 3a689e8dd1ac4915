"""Organisations: the directory, an organisation's page, joining, decisions on requests, officials, editing,
and organisations proposed at registration that administrators verify."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from forum.accounts import rules
from forum.accounts.models import Membership, Organisation, User
from forum.extensions import db
from tests.conftest import PASSWORD, Auth


def html(response) -> str:
    """The page's text."""
    return response.get_data(as_text=True)


def browser(app, email: str | None = None):
    """Another person's browser, signed in as ``email`` when given."""
    client = app.test_client()
    if email:
        assert Auth(client).login(email).status_code == 302
    return client


def membership_of(user, organisation) -> Membership | None:
    """The membership (request) of ``user`` in ``organisation``, as saved."""
    db.session.expire_all()
    return db.session.scalar(select(Membership).where(Membership.user_id == user.id,
                                                      Membership.organisation_id == organisation.id))


def edit_form(organisation, **overrides) -> dict:
    """The edit form of ``organisation`` as the page fills it, with ``overrides``."""
    data = {"name_es": organisation.name_es, "name_en": organisation.name_en, "acronym": organisation.acronym,
            "kind": organisation.kind, "state": organisation.state or "", "website": organisation.website or "",
            "description_es": organisation.description_es, "description_en": organisation.description_en}
    data.update(overrides)
    return data


def audit_rows(page: str) -> list[str]:
    """The rows of an audit table, as plain text."""
    rows = re.findall(r"<tr>(.*?)</tr>", page, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]


# --- the directory -----------------------------------------------------------------------------------------


@pytest.fixture
def two_organisations(make_organisation):
    """A federal agency and a civil-society organisation."""
    agency = make_organisation(name_es="Secretaría de Bienestar", name_en="Welfare Ministry", acronym="BIEN")
    cso = make_organisation(name_es="Red de Mujeres Oaxaqueñas", name_en="Oaxacan Women's Network",
                            acronym="RMO", kind="cso")
    return agency, cso


def test_directory_lists_every_organisation(client, two_organisations):
    """Anyone sees the organisations taking part, by name and acronym."""
    page = html(client.get("/organisations"))
    assert "Secretaría de Bienestar" in page and "(BIEN)" in page
    assert "Red de Mujeres Oaxaqueñas" in page and "(RMO)" in page


@pytest.mark.parametrize("q", ["mujeres", "MUJERES", "rmo"])
def test_directory_searches_by_name_or_acronym(client, two_organisations, q):
    """``q`` finds an organisation by part of its name or by its acronym, whatever the case."""
    page = html(client.get("/organisations", query_string={"q": q}))
    assert "Red de Mujeres Oaxaqueñas" in page
    assert "Secretaría de Bienestar" not in page


def test_directory_filters_by_type(client, two_organisations):
    """The type filter keeps only organisations of that type."""
    page = html(client.get("/organisations", query_string={"kind": "federal_agency"}))
    assert "Secretaría de Bienestar" in page
    assert "Red de Mujeres Oaxaqueñas" not in page


def test_directory_escapes_markup_in_organisation_names(client, make_organisation):
    """An organisation name with HTML is shown as text, never run."""
    make_organisation(name_es="<script>alert(1)</script>", name_en="<script>alert(1)</script>")
    page = html(client.get("/organisations"))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# --- an organisation's page and joining -------------------------------------------------------------------


def test_members_are_shown_only_to_signed_in_people(app, client, make_user, make_organisation, add_member):
    """Visitors see how many members there are, signed-in people see who they are."""
    organisation = make_organisation()
    add_member(make_user(display_name="Rosa Méndez"), organisation)
    make_user("viewer@example.org")
    anonymous = client.get(f"/organisations/{organisation.id}")
    assert anonymous.status_code == 200
    assert "Rosa Méndez" not in html(anonymous)
    signed_in = browser(app, "viewer@example.org").get(f"/organisations/{organisation.id}")
    assert "Rosa Méndez" in html(signed_in)


def test_a_signed_in_user_asks_to_join(app, make_user, make_organisation):
    """"I belong to this organisation" sends a pending request, shown as awaiting approval."""
    organisation = make_organisation()
    user = make_user("lucia@example.org", locale="en")
    lucia = browser(app, "lucia@example.org")
    assert "I belong to this organisation" in html(lucia.get(f"/organisations/{organisation.id}"))
    response = lucia.post(f"/organisations/{organisation.id}/join", data={})
    assert response.status_code == 302
    assert membership_of(user, organisation).status == "pending"
    page = html(lucia.get(f"/organisations/{organisation.id}"))
    assert "Your membership request: Awaiting approval." in page
    assert "I belong to this organisation" not in page


def test_asking_twice_to_join_is_refused(app, make_user, make_organisation):
    """A second request to the same organisation is refused with a message; one request remains."""
    organisation = make_organisation()
    make_user("lucia@example.org", locale="en")
    lucia = browser(app, "lucia@example.org")
    lucia.post(f"/organisations/{organisation.id}/join", data={})
    again = lucia.post(f"/organisations/{organisation.id}/join", data={}, follow_redirects=True)
    assert "You have already asked to join this organisation." in html(again)
    assert db.session.scalar(select(func.count(Membership.id))) == 1


def test_visitors_must_sign_in_to_join(client, make_organisation):
    """An anonymous request to join goes to the sign-in page and creates nothing."""
    organisation = make_organisation()
    response = client.post(f"/organisations/{organisation.id}/join", data={})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert db.session.scalar(select(func.count(Membership.id))) == 0


# --- deciding on requests ---------------------------------------------------------------------------------


@pytest.fixture
def request_to_join(app, make_user, make_organisation, add_member):
    """An organisation with a representative, and a pending request from Lucía (who reads English)."""
    organisation = make_organisation(name_es="Secretaría de Bienestar", name_en="Welfare Ministry",
                                     acronym="BIEN")
    representative = make_user("rep@example.org", display_name="Raúl Representante", locale="en")
    add_member(representative, organisation, representative=True)
    member = make_user("lucia@example.org", display_name="Lucía Pérez", locale="en")
    browser(app, "lucia@example.org").post(f"/organisations/{organisation.id}/join", data={})
    membership = membership_of(member, organisation)
    assert membership is not None and membership.status == "pending"
    return organisation, representative, member, membership


def test_representative_sees_the_request_and_approves_it(app, make_user, request_to_join, outbox):
    """The representative approves from the organisation page; the member is told in English; audit entry."""
    organisation, representative, member, membership = request_to_join
    rep = browser(app, "rep@example.org")
    page = html(rep.get(f"/organisations/{organisation.id}"))
    assert "Membership requests" in page and "Lucía Pérez" in page
    response = rep.post(f"/memberships/{membership.id}/decision", data={"decision": "approve"})
    assert response.status_code == 302
    saved = membership_of(member, organisation)
    assert saved.status == "approved" and saved.decided_by_id == representative.id
    [message] = outbox("lucia@example.org")
    assert message.subject == "Your membership has been approved"
    assert "Welfare Ministry" in message.body
    make_user("admin@example.org", role="admin", locale="en")
    rows = audit_rows(html(browser(app, "admin@example.org").get("/admin/audit")))
    assert any("Membership approved" in row and "Raúl Representante" in row and "Lucía Pérez" in row
               for row in rows), rows


def test_approved_member_appears_on_the_organisation_page(app, request_to_join):
    """Once approved, the member is listed among the members and no longer among the requests."""
    organisation, _, _, membership = request_to_join
    rep = browser(app, "rep@example.org")
    rep.post(f"/memberships/{membership.id}/decision", data={"decision": "approve"})
    page = html(rep.get(f"/organisations/{organisation.id}"))
    assert "Membership requests" not in page
    assert "Lucía Pérez" in page


def test_a_declined_request_is_told_to_the_member(app, request_to_join, outbox):
    """Declining marks the request declined and e-mails the member in their language."""
    organisation, _, member, membership = request_to_join
    response = browser(app, "rep@example.org").post(f"/memberships/{membership.id}/decision",
                                                    data={"decision": "reject"})
    assert response.status_code == 302
    assert membership_of(member, organisation).status == "rejected"
    [message] = outbox("lucia@example.org")
    assert message.subject == "Your membership request was declined"


def test_people_who_are_not_representatives_cannot_decide(app, make_user, make_organisation, add_member,
                                                          request_to_join, outbox):
    """A plain member, or a representative of another organisation, gets 404; the request stays pending."""
    organisation, _, member, membership = request_to_join
    add_member(make_user("plain@example.org"), organisation)
    add_member(make_user("other@example.org"), make_organisation(), representative=True)
    for email in ("plain@example.org", "other@example.org"):
        response = browser(app, email).post(f"/memberships/{membership.id}/decision", data={"decision": "approve"})
        assert response.status_code == 404
    assert membership_of(member, organisation).status == "pending"
    assert outbox("lucia@example.org") == []


def test_non_representatives_do_not_see_requests(app, make_user, make_organisation, add_member, request_to_join):
    """A plain member's view of the organisation page does not list pending requests."""
    organisation, *_ = request_to_join
    add_member(make_user("plain@example.org", locale="en"), organisation)
    page = html(browser(app, "plain@example.org").get(f"/organisations/{organisation.id}"))
    assert "Membership requests" not in page and "Lucía Pérez" not in page


def test_deciding_twice_is_a_conflict_naming_who_decided(app, make_user, add_member, request_to_join, outbox):
    """A second representative deciding an already decided request gets 409 naming the first one."""
    organisation, _, member, membership = request_to_join
    add_member(make_user("rep2@example.org", locale="en"), organisation, representative=True)
    browser(app, "rep@example.org").post(f"/memberships/{membership.id}/decision", data={"decision": "approve"})
    late = browser(app, "rep2@example.org").post(f"/memberships/{membership.id}/decision",
                                                 data={"decision": "reject"})
    assert late.status_code == 409
    assert "This request was already decided by Raúl Representante." in html(late)
    assert membership_of(member, organisation).status == "approved"
    assert len(outbox("lucia@example.org")) == 1


def test_admins_cannot_decide_their_own_request(app, make_user, make_organisation):
    """An administrator who asks to join cannot approve their own request (404), nor sees it to decide."""
    organisation = make_organisation()
    admin = make_user("admin@example.org", role="admin", locale="en")
    client = browser(app, "admin@example.org")
    client.post(f"/organisations/{organisation.id}/join", data={})
    membership = membership_of(admin, organisation)
    assert client.post(f"/memberships/{membership.id}/decision", data={"decision": "approve"}).status_code == 404
    assert membership_of(admin, organisation).status == "pending"
    assert "No request is waiting." in html(client.get("/admin/memberships"))


def test_representatives_cannot_decide_their_own_request(app, make_user, make_organisation, add_member):
    """A pending request flagged as representative does not let its author approve it (404)."""
    organisation = make_organisation()
    user = make_user("rep@example.org")
    membership = add_member(user, organisation, status="pending", representative=True)
    response = browser(app, "rep@example.org").post(f"/memberships/{membership.id}/decision",
                                                    data={"decision": "approve"})
    assert response.status_code == 404
    assert membership_of(user, organisation).status == "pending"


# --- officials --------------------------------------------------------------------------------------------


def official_badge(app, user) -> bool:
    """Whether ``user``'s profile, seen by an English-speaking signed-in person, shows the Official badge."""
    page = html(browser(app, "viewer@example.org").get(f"/users/{user.id}"))
    badge = 'class="badge official"' in page
    assert badge == ("Official" in page)
    return badge


def test_approved_member_of_a_verified_federal_agency_is_an_official(app, make_user, make_organisation,
                                                                    add_member):
    """The profile shows the "Official" badge and the rules agree."""
    make_user("viewer@example.org", locale="en")
    user = make_user("funcionaria@example.org")
    add_member(user, make_organisation(verified=True, kind="federal_agency"))
    assert official_badge(app, user)
    assert rules.is_official(db.session.get(User, user.id))


@pytest.mark.parametrize(("verified", "kind", "status"), [
    (False, "federal_agency", "approved"),
    (True, "cso", "approved"),
    (True, "academia", "approved"),
    (True, "federal_agency", "pending"),
    (True, "federal_agency", "rejected"),
])
def test_other_memberships_make_no_official(app, make_user, make_organisation, add_member, verified, kind,
                                            status):
    """An unverified or non-government organisation, or an unapproved request, makes nobody an official."""
    make_user("viewer@example.org", locale="en")
    user = make_user("persona@example.org")
    add_member(user, make_organisation(verified=verified, kind=kind), status=status)
    assert not official_badge(app, user)
    assert not rules.is_official(db.session.get(User, user.id))


# --- leaving ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["pending", "approved"])
def test_members_withdraw_or_leave_their_own_membership(app, make_user, make_organisation, add_member, status):
    """One's own request or membership can be withdrawn; the page then offers to join again."""
    organisation = make_organisation()
    user = make_user("lucia@example.org", locale="en")
    membership = add_member(user, organisation, status=status)
    lucia = browser(app, "lucia@example.org")
    response = lucia.post(f"/memberships/{membership.id}/leave", data={})
    assert response.status_code == 302
    assert membership_of(user, organisation) is None
    assert "I belong to this organisation" in html(lucia.get(f"/organisations/{organisation.id}"))


def test_nobody_withdraws_someone_elses_membership(app, make_user, make_organisation, add_member):
    """A stranger, or even the organisation's representative, gets 404 and the membership stays."""
    organisation = make_organisation()
    user = make_user("lucia@example.org")
    membership = add_member(user, organisation)
    make_user("stranger@example.org")
    add_member(make_user("rep@example.org"), organisation, representative=True)
    for email in ("stranger@example.org", "rep@example.org"):
        assert browser(app, email).post(f"/memberships/{membership.id}/leave", data={}).status_code == 404
    assert membership_of(user, organisation) is not None


# --- editing ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["representative", "admin"])
def test_representatives_and_admins_edit_the_organisation(app, client, make_user, make_organisation, add_member,
                                                          role):
    """The organisation's representative and any administrator change its details; everyone sees them."""
    organisation = make_organisation(name_es="Secretaría de Bienestar")
    editor = make_user("editor@example.org", role="admin" if role == "admin" else "participant")
    if role == "representative":
        add_member(editor, organisation, representative=True)
    editor_client = browser(app, "editor@example.org")
    assert editor_client.get(f"/organisations/{organisation.id}/edit").status_code == 200
    response = editor_client.post(f"/organisations/{organisation.id}/edit", data=edit_form(
        organisation, name_es="Secretaría del Bienestar Social", website="https://bienestar.gob.mx/"))
    assert response.status_code == 302
    page = html(client.get(f"/organisations/{organisation.id}"))
    assert "Secretaría del Bienestar Social" in page
    assert 'href="https://bienestar.gob.mx/"' in page


def test_strangers_cannot_edit_an_organisation(app, make_user, make_organisation, add_member):
    """A signed-in person who does not represent it (even a plain member) gets 403; nothing changes."""
    organisation = make_organisation(name_es="Secretaría de Bienestar")
    make_user("stranger@example.org")
    add_member(make_user("member@example.org"), organisation)
    for email in ("stranger@example.org", "member@example.org"):
        client = browser(app, email)
        assert client.get(f"/organisations/{organisation.id}/edit").status_code == 403
        response = client.post(f"/organisations/{organisation.id}/edit",
                               data=edit_form(organisation, name_es="Hackeada"))
        assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Organisation, organisation.id).name_es == "Secretaría de Bienestar"


def test_visitors_are_sent_to_sign_in_to_edit(client, make_organisation):
    """The edit page asks anonymous visitors to sign in."""
    organisation = make_organisation()
    response = client.get(f"/organisations/{organisation.id}/edit")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("website", ["javascript:alert(1)", "javascript://example.org/%0Aalert(1)",
                                     "ftp://example.org/"])
def test_a_website_that_is_not_a_web_address_is_refused(app, client, make_user, make_organisation, add_member,
                                                        website):
    """A non-http(s) website is refused with a message next to the field, and nothing is saved."""
    organisation = make_organisation(name_es="Secretaría de Bienestar", website="https://bienestar.gob.mx/")
    add_member(make_user("rep@example.org", locale="en"), organisation, representative=True)
    response = browser(app, "rep@example.org").post(f"/organisations/{organisation.id}/edit", data=edit_form(
        organisation, name_es="Nombre nuevo", website=website))
    assert response.status_code == 422
    page = html(response)
    assert 'id="website-error"' in page
    assert ("Please enter a full web address." in page
            or "A website address starts with https:// or http://." in page)
    db.session.expire_all()
    saved = db.session.get(Organisation, organisation.id)
    assert (saved.name_es, saved.website) == ("Secretaría de Bienestar", "https://bienestar.gob.mx/")
    assert "javascript:" not in html(client.get(f"/organisations/{organisation.id}"))


# --- organisations proposed at registration, and verification ----------------------------------------------


def registration(**overrides) -> dict:
    """The registration form of someone whose organisation is not listed."""
    data = {"email": "lucia@example.org", "password": PASSWORD, "display_name": "Lucía Pérez", "locale": "en",
            "sector": "state_government", "state": "OAX", "position": "", "gender": "", "age_range": "",
            "organisation": "new", "new_organisation_name": "Secretaría de Cultura de Oaxaca",
            "new_organisation_acronym": "SECULTA", "new_organisation_kind": "state_agency", "privacy_consent": "y"}
    data.update(overrides)
    return data


def test_an_unlisted_organisation_is_proposed_unverified_with_a_pending_request(english_client):
    """"My organisation is not listed" creates the organisation, unverified, and asks to join it."""
    response = english_client.post("/register", data=registration())
    assert response.status_code == 302
    organisation = db.session.scalar(select(Organisation))
    user = db.session.scalar(select(User))
    assert organisation.name_es == "Secretaría de Cultura de Oaxaca" and organisation.acronym == "SECULTA"
    assert organisation.kind == "state_agency" and not organisation.verified
    assert organisation.created_by_id == user.id
    assert membership_of(user, organisation).status == "pending"
    page = html(english_client.get("/organisations"))
    assert "Secretaría de Cultura de Oaxaca" in page and "Not verified yet" in page


def test_verification_makes_approved_government_members_officials(app, english_client, make_user, outbox):
    """An admin approves the newcomer and verifies the organisation: audit entry, and the newcomer is official."""
    english_client.post("/register", data=registration())
    [confirmation] = outbox("lucia@example.org")
    english_client.get(outbox.link(confirmation))
    user = db.session.scalar(select(User).where(User.email == "lucia@example.org"))
    organisation = db.session.scalar(select(Organisation))
    membership = membership_of(user, organisation)
    make_user("admin@example.org", role="admin", locale="en", display_name="Alba Admin")
    make_user("viewer@example.org", locale="en")
    admin = browser(app, "admin@example.org")
    assert "Lucía Pérez" in html(admin.get("/admin/memberships"))
    approved = admin.post(f"/memberships/{membership.id}/decision", data={"decision": "approve", "back": "admin"})
    assert approved.status_code == 302 and approved.headers["Location"].endswith("/admin/memberships")
    assert not official_badge(app, user)
    assert "SECULTA" in html(admin.get("/admin/organisations"))
    verified = admin.post(f"/admin/organisations/{organisation.id}/verification", data={"verified": "1"})
    assert verified.status_code == 302
    db.session.expire_all()
    assert db.session.get(Organisation, organisation.id).verified
    rows = audit_rows(html(admin.get("/admin/audit")))
    assert any("Organisation verified" in row and "Alba Admin" in row and "SECULTA" in row for row in rows), rows
    assert official_badge(app, user)
    assert rules.is_official(db.session.get(User, user.id))


def test_only_admins_verify_organisations(app, make_user, make_organisation, add_member):
    """A representative cannot verify their own organisation (403); it stays unverified."""
    organisation = make_organisation(verified=False)
    add_member(make_user("rep@example.org"), organisation, representative=True)
    response = browser(app, "rep@example.org").post(f"/admin/organisations/{organisation.id}/verification",
                                                    data={"verified": "1"})
    assert response.status_code == 403
    db.session.expire_all()
    assert not db.session.get(Organisation, organisation.id).verified
