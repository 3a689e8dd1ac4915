"""Command-line tasks: demo data, accounts, tokens."""

from __future__ import annotations

from sqlalchemy import func, select

from forum.accounts.models import ApiToken, Membership, Organisation, User
from forum.extensions import db


def count(model) -> int:
    """Rows of ``model``."""
    return db.session.scalar(select(func.count()).select_from(model))


def test_seed_demo_is_idempotent_and_bilingual(app):
    """Running it twice creates the programme's organisations and accounts once, with both languages."""
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    users, organisations = count(User), count(Organisation)
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert (count(User), count(Organisation)) == (users, organisations)
    acronyms = set(db.session.scalars(select(Organisation.acronym)))
    assert {"SRE", "SEGOB", "SEDESOL", "GEO", "GESLP", "UE"} <= acronyms
    assert db.session.scalar(select(func.count()).select_from(Organisation).where(Organisation.kind == "cso")) >= 4
    assert all(o.name_es and o.name_en and o.description_es and o.description_en
               for o in db.session.scalars(select(Organisation)))
    roles = set(db.session.scalars(select(User.role)))
    assert roles == {"participant", "moderator", "admin"}


def test_demo_accounts_can_sign_in(app):
    """The README's demo password works for the demo admin."""
    from forum import demo
    from tests.conftest import Auth

    app.test_cli_runner().invoke(args=["seed-demo"])
    client = app.test_client()
    assert Auth(client).login("admin@foro.example", demo.PASSWORD).status_code == 302
    assert client.get("/admin/users").status_code == 200


def test_create_user_with_role_and_organisation(app, make_organisation):
    """create-user makes a confirmed account, an approved member (and representative) of the organisation."""
    make_organisation(acronym="SEGOB")
    result = app.test_cli_runner().invoke(args=[
        "create-user", "--email", "Jorge@Example.org", "--name", "Jorge", "--password", "una clave larga",
        "--role", "moderator", "--organisation", "SEGOB", "--representative", "--sector", "federal_government"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User))
    assert (user.email, user.role) == ("jorge@example.org", "moderator")
    assert user.email_confirmed_at is not None
    membership = db.session.scalar(select(Membership))
    assert membership.status == "approved" and membership.is_representative


def test_create_user_refuses_bad_input_clearly(app, make_user):
    """A duplicate address or a weak password is an error message (in the site's language), not a traceback."""
    make_user("ana@example.org")
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    runner = app.test_cli_runner()
    duplicate = runner.invoke(args=["create-user", "--email", "ana@example.org", "--name", "A",
                                    "--password", "una clave larga"])
    assert duplicate.exit_code != 0 and "already exists" in duplicate.output
    weak = runner.invoke(args=["create-user", "--email", "b@example.org", "--name", "B", "--password", "123"])
    assert weak.exit_code != 0 and "8 characters" in weak.output
    unknown = runner.invoke(args=["create-user", "--email", "c@example.org", "--name", "C",
                                  "--password", "una clave larga", "--organisation", "NOPE"])
    assert unknown.exit_code != 0 and "no organisation" in unknown.output


def test_create_token_prints_a_working_token_once(app, make_user):
    """The printed token authenticates API calls; only its hash is stored."""
    make_user("ana@example.org")
    result = app.test_cli_runner().invoke(args=["create-token", "--email", "ana@example.org", "--name", "cron"])
    secret = result.output.strip()
    assert secret.startswith("fcs_")
    assert db.session.scalar(select(ApiToken.token_hash)) != secret
    response = app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200 and response.json["email"] == "ana@example.org"


def test_the_demo_has_events_and_a_consultation_once(app):
    """The demo shows the events and a consultation with comments and answers, and a second run adds none."""
    from forum.consultations import comments
    from forum.consultations.models import Consultation
    from forum.events.models import Event

    runner = app.test_cli_runner()
    runner.invoke(args=["seed-demo"])
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert count(Event) == 3 and count(Consultation) == 1
    consultation = db.session.scalars(select(Consultation)).one()
    assert comments.progress(consultation) == (2, 3)
    assert len(consultation.versions[0].paragraphs) == 5
