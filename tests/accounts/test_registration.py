"""Opening an account: the form, its checks, the confirmation e-mail, and no account enumeration."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forum.accounts.models import Membership, Organisation, User
from forum.extensions import db
from tests.conftest import PASSWORD


def form(**overrides) -> dict:
    """A complete, valid registration form."""
    data = {"email": "lucia@example.org", "password": PASSWORD, "display_name": "Lucía Pérez", "locale": "es",
            "sector": "civil_society", "state": "OAX", "organisation": "", "position": "",
            "gender": "", "age_range": "", "privacy_consent": "y"}
    data.update(overrides)
    return data


def user_count() -> int:
    """How many accounts exist."""
    return db.session.scalar(select(func.count(User.id)))


def test_registration_sends_a_confirmation_link_in_the_chosen_language(client, outbox):
    """The newcomer lands on "check your e-mail" and gets a confirmation link in their language."""
    response = client.post("/register", data=form(locale="en"))
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/register/check-your-email")
    user = db.session.scalar(select(User).where(User.email == "lucia@example.org"))
    assert user.email_confirmed_at is None and user.locale == "en"
    [message] = outbox("lucia@example.org")
    assert message.subject == "Confirm your e-mail address"
    assert "/confirm/" in outbox.link(message)


def test_email_is_stored_trimmed_and_lower_cased(client):
    """"  Lucia@Example.ORG " is the same address as "lucia@example.org"."""
    client.post("/register", data=form(email="  Lucia@Example.ORG "))
    assert db.session.scalar(select(User.email)) == "lucia@example.org"


def test_existing_address_gets_the_same_answer_and_an_e_mail_to_its_owner(client, make_user, outbox):
    """No account enumeration: same redirect; the owner is told someone tried; nothing is created."""
    make_user("lucia@example.org", locale="es")
    response = client.post("/register", data=form(email="LUCIA@example.org"))
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/register/check-your-email")
    assert user_count() == 1
    [message] = outbox("lucia@example.org")
    assert "/reset" in message.body


@pytest.mark.parametrize(("password", "message"), [
    ("short", "at least 8 characters"),
    ("password123", "too common"),
    ("Contraseña1", "too common"),
    ("x" * 257, "at most 256 characters"),
    ("lucia@example.org", "too common"),
])
def test_weak_passwords_are_refused_with_a_reason(english_client, password, message):
    """Too short, too long, common, or the e-mail itself: 422, the reason shown, nothing created."""
    response = english_client.post("/register", data=form(password=password))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert user_count() == 0


def test_long_passphrases_and_no_composition_rules(client):
    """128 characters of lower-case letters and spaces are fine."""
    passphrase = ("una frase larga de palabras sin reglas raras " * 3)[:128]
    assert client.post("/register", data=form(password=passphrase)).status_code == 302


def test_the_form_keeps_what_was_typed_after_an_error(english_client):
    """A mistake does not wipe the form: name and e-mail are still filled in."""
    page = english_client.post("/register", data=form(password="short")).get_data(as_text=True)
    assert 'value="Lucía Pérez"' in page and 'value="lucia@example.org"' in page
    assert 'aria-invalid="true"' in page


@pytest.mark.parametrize("field,value", [("sector", "martians"), ("state", "XX"), ("locale", "fr"),
                                         ("gender", "robot"), ("age_range", "200")])
def test_tampered_choices_are_refused(client, field, value):
    """Values that are not among the options give 422, not a 500, and create nothing."""
    assert client.post("/register", data=form(**{field: value})).status_code == 422
    assert user_count() == 0


def test_invalid_email_and_missing_name(english_client):
    """Clear messages for a malformed address and an empty name."""
    page = english_client.post("/register", data=form(email="not-an-address", display_name=""))
    assert page.status_code == 422
    text = page.get_data(as_text=True)
    assert "valid e-mail address" in text and "This field is required." in text


def test_private_self_declared_data_is_optional_and_kept(client):
    """Gender and age range are optional; when given, they are stored for aggregate figures."""
    client.post("/register", data=form(gender="self_described", gender_description="Muxe", age_range="18_29"))
    user = db.session.scalar(select(User))
    assert (user.gender, user.gender_description, user.age_range) == ("self_described", "Muxe", "18_29")


def test_joining_an_existing_organisation_creates_a_pending_request(client, make_organisation):
    """Choosing an organisation asks its representatives; the newcomer is not a member yet."""
    organisation = make_organisation(acronym="SRE")
    client.post("/register", data=form(organisation=str(organisation.id)))
    membership = db.session.scalar(select(Membership))
    assert membership.organisation_id == organisation.id and membership.status == "pending"


def test_an_unknown_organisation_id_is_refused(client):
    """A forged organisation id gets 422, not a 500."""
    assert client.post("/register", data=form(organisation="999999")).status_code == 422
    assert user_count() == 0


def test_proposing_a_new_organisation_needs_its_name_and_type(english_client):
    """"My organisation is not listed" requires a name and a type."""
    response = english_client.post("/register", data=form(organisation="new"))
    assert response.status_code == 422
    assert "Please give the name of your organisation." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Organisation.id))) == 0


def test_markup_in_the_name_is_shown_as_text(client, auth, app):
    """A display name with HTML is escaped wherever it appears."""
    client.post("/register", data=form(display_name='<script>alert(1)</script>'))
    user = db.session.scalar(select(User))
    user.email_confirmed_at = user.created_at
    db.session.commit()
    auth.login("lucia@example.org")
    page = client.get(f"/users/{user.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_registration_is_rate_limited(client):
    """Scripts cannot open accounts without end: after 20 attempts an hour, 429."""
    for n in range(20):
        client.post("/register", data=form(email=f"p{n}@example.org", password="x"))
    assert client.post("/register", data=form()).status_code == 429
