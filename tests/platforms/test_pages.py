"""Platform pages: the list and navigation, joining and leaving, requests decided by moderators, and the
administrators' pages to create, edit, reorder, archive and staff platforms."""

from __future__ import annotations

from sqlalchemy import select

from forum.accounts.models import AuditEntry
from forum.extensions import db
from forum.platforms.models import Platform, PlatformMembership, PlatformRole
from tests.conftest import Auth, spanish_page


def text(response) -> str:
    """The page's HTML."""
    return response.get_data(as_text=True)


def test_platforms_appear_in_the_navigation_in_both_languages(client, english_client, make_platform):
    """Every page's navigation lists the active platforms, named in the reader's language, in their order."""
    make_platform(slug="justicia", name_es="Justicia", name_en="Justice")
    make_platform(slug="genero", name_es="Género", name_en="Gender")
    spanish = text(client.get("/"))
    assert spanish.index(">Justicia</a>") < spanish.index(">Género</a>")
    english = text(english_client.get("/p/"))
    assert ">Justice</a>" in english and ">Gender</a>" in english


def test_joining_an_open_platform_and_leaving_it(client, make_user, make_platform):
    """Joining is immediate on an open platform; leaving takes the membership away."""
    make_user("ana@example.org")
    platform = make_platform(slug="empleo")
    auth = Auth(client)
    assert 'href="/login?next=/p/empleo"' in text(client.get("/p/empleo"))
    auth.login("ana@example.org")
    assert client.post("/p/empleo/join", data={}).status_code == 303
    assert db.session.scalar(select(PlatformMembership.status)) == "approved"
    assert client.post("/p/empleo/join", data={}).status_code == 409
    assert "/p/empleo/new" in text(client.get("/p/empleo"))
    assert client.post("/p/empleo/leave", data={}).status_code == 303
    assert db.session.scalar(select(PlatformMembership).where(PlatformMembership.platform_id == platform.id)) is None
    assert client.post("/p/empleo/leave", data={}).status_code == 409


def test_requests_to_join_are_decided_by_the_platforms_moderators(client, make_user, make_platform, outbox):
    """On an approval platform the request waits; its moderator is mailed, approves, and the person is told in
    their language; a plain member cannot decide."""
    applicant = make_user("tomas@example.org", locale="en", display_name="Tomás Reyes")
    moderator = make_user("rosa@example.org")
    member = make_user("luis@example.org")
    make_platform(slug="mesa", visibility="members", join_policy="approval", moderators=[moderator],
                  members=[member])
    auth = Auth(client)
    auth.login("tomas@example.org")
    client.post("/p/mesa/join", data={})
    request = db.session.scalar(select(PlatformMembership).where(PlatformMembership.user_id == applicant.id))
    assert request.status == "pending"
    assert outbox("rosa@example.org")[-1].subject.startswith("Solicitud para unirse")
    auth.logout()
    auth.login("luis@example.org")
    assert client.post(f"/p/mesa/members/{request.id}", data={"decision": "approve"}).status_code == 403
    auth.logout()
    auth.login("rosa@example.org")
    assert "Tomás Reyes" in text(client.get("/p/mesa/members"))
    assert client.post(f"/p/mesa/members/{request.id}", data={"decision": "approve"}).status_code == 303
    assert db.session.get(PlatformMembership, request.id).status == "approved"
    assert outbox("tomas@example.org")[-1].subject.startswith("Welcome to")
    assert client.post(f"/p/mesa/members/{request.id}", data={"decision": "approve"}).status_code == 409
    assert client.post(f"/p/mesa/members/{request.id}", data={"decision": "nonsense"}).status_code == 400


def test_members_count_and_moderators_show_on_the_platform_page(client, make_user, make_platform):
    """The platform page names its moderators and counts its members."""
    moderator = make_user(display_name="Mateo Moderador")
    members = [make_user() for _ in range(3)]
    make_platform(slug="genero", moderators=[moderator], members=members)
    page = text(client.get("/p/genero"))
    assert "Mateo Moderador" in page and "3 integrantes" in page


def test_only_administrators_manage_platforms(client, make_user, make_platform):
    """Participants and moderators get 403 on every administration page and action."""
    make_user("mod@example.org", role="moderator")
    make_platform(slug="justicia")
    Auth(client).login("mod@example.org")
    for path in ("/admin/platforms", "/admin/platforms/new", "/admin/platforms/justicia"):
        assert client.get(path).status_code == 403
    for path in ("/admin/platforms/justicia/move", "/admin/platforms/justicia/archive",
                 "/admin/platforms/justicia/roles"):
        assert client.post(path, data={}).status_code == 403


def test_an_administrator_creates_edits_reorders_and_archives(client, make_user, make_platform):
    """The whole administration cycle, with validation that keeps what was typed."""
    make_user("admin@example.org", role="admin")
    make_platform(slug="justicia", name_es="Justicia")
    Auth(client).login("admin@example.org")
    fields = {"slug": "Mal Slug", "name_es": "Migración", "name_en": "Migration", "description_es": "",
              "description_en": "", "colour": "#123456", "icon": "people", "visibility": "public",
              "join_policy": "open"}
    refused = client.post("/admin/platforms/new", data=fields)
    assert refused.status_code == 422 and 'value="Migración"' in text(refused)
    created = client.post("/admin/platforms/new", data={**fields, "slug": "migracion"})
    assert created.status_code == 303
    assert client.post("/admin/platforms/new", data={**fields, "slug": "justicia"}).status_code == 422
    assert client.post("/admin/platforms/migracion", data={**fields, "slug": "migracion", "colour": "red"}) \
        .status_code == 422
    client.post("/admin/platforms/migracion", data={**fields, "slug": "migracion", "visibility": "members"})
    assert db.session.scalar(select(Platform.visibility).where(Platform.slug == "migracion")) == "members"
    client.post("/admin/platforms/migracion/move", data={"direction": "up"})
    order = list(db.session.scalars(select(Platform.slug).order_by(Platform.position)))
    assert order == ["migracion", "justicia"]
    client.post("/admin/platforms/justicia/archive", data={"archive": "1"})
    home = text(client.get("/"))
    assert ">Justicia</a>" not in home
    assert "archivada" in text(client.get("/p/justicia")).lower()
    assert client.get("/p/colours.css").get_data(as_text=True).count(".platform-") == 2


def test_a_platform_form_without_its_descriptions_saves_them_empty(client, make_user):
    """A form sent without the description fields (a script, an old page) creates the platform, not a 500."""
    make_user("admin@example.org", role="admin")
    Auth(client).login("admin@example.org")
    created = client.post("/admin/platforms/new", data={
        "slug": "empleo", "name_es": "Empleo", "colour": "#123456", "icon": "people", "visibility": "public",
        "join_policy": "open"})
    assert created.status_code == 303
    assert db.session.scalar(select(Platform.description_es).where(Platform.slug == "empleo")) == ""


def test_the_platforms_moderators_decide_whether_leavers_may_take_their_posts(client, make_user, make_platform):
    """Only the platform's moderators change it, from the members page; the choice is said back to them."""
    moderator = make_user("mod@example.org")
    make_user("ana@example.org")
    platform = make_platform(slug="genero", moderators=[moderator])
    Auth(client).login("ana@example.org")
    assert client.post("/p/genero/leavers", data={"leavers_may_delete_posts": "y"}).status_code == 403
    assert db.session.get(Platform, platform.id).leavers_may_delete_posts is False
    Auth(client).logout()
    Auth(client).login("mod@example.org")
    assert 'action="/p/genero/leavers"' in text(client.get("/p/genero/members"))
    saved = client.post("/p/genero/leavers", data={"leavers_may_delete_posts": "y"}, follow_redirects=True)
    assert spanish_page("Saved: people who delete their account may delete their posts here.") in text(saved)
    db.session.expire_all()
    assert db.session.get(Platform, platform.id).leavers_may_delete_posts is True
    client.post("/p/genero/leavers", data={})
    db.session.expire_all()
    assert db.session.get(Platform, platform.id).leavers_may_delete_posts is False


def test_moderators_and_translators_are_named_and_recorded(client, make_user, make_platform):
    """Duties are given by e-mail address, listed, taken away, and each change is in the audit log."""
    make_user("admin@example.org", role="admin")
    make_user("rosa@example.org", display_name="Rosa López")
    make_platform(slug="genero")
    Auth(client).login("admin@example.org")
    unknown = client.post("/admin/platforms/genero/roles", data={"email": "nadie@example.org", "role": "moderator"})
    assert unknown.status_code == 422
    client.post("/admin/platforms/genero/roles", data={"email": "rosa@example.org", "role": "translator"})
    duty = db.session.scalar(select(PlatformRole))
    assert duty.role == "translator" and "Rosa López" in text(client.get("/admin/platforms/genero"))
    client.post(f"/admin/platforms/genero/roles/{duty.id}/revoke", data={})
    assert db.session.scalar(select(PlatformRole)) is None
    actions = list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions == ["platform_role_granted", "platform_role_revoked"]


def test_a_members_only_platform_shows_how_to_join_but_not_its_threads(client, make_user, make_platform,
                                                                        make_thread):
    """Visitors learn what the group is for and how to ask to join, and nothing of its conversations."""
    member = make_user()
    group = make_platform(slug="mesa", visibility="members", join_policy="approval", members=[member],
                          description_es="Grupo de trabajo cerrado")
    make_thread(member, group, title="Tema reservado")
    make_user("ana@example.org")
    Auth(client).login("ana@example.org")
    page = text(client.get("/p/mesa"))
    assert "Grupo de trabajo cerrado" in page and "Tema reservado" not in page
    assert "Solicitar unirse" in page
