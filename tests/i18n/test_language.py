"""Language and time: the locale chain, the switcher, translated errors, dates in the user's time zone."""

from __future__ import annotations

from datetime import UTC, datetime

from forum.extensions import db
from tests.conftest import Auth


def lang(response) -> str:
    """The language the page declares."""
    text = response.get_data(as_text=True)
    return text.split('<html lang="', 1)[1].split('"', 1)[0]


def test_spanish_is_the_default(client):
    """A browser that states no preference gets Spanish."""
    assert lang(client.get("/")) == "es"


def test_the_browser_language_is_followed(client):
    """Accept-Language: en gives English; an unsupported language falls back to Spanish."""
    assert lang(client.get("/", headers={"Accept-Language": "en-US,en;q=0.8"})) == "en"
    assert lang(client.get("/", headers={"Accept-Language": "fr-FR"})) == "es"


def test_the_switcher_beats_the_browser(english_client):
    """Choosing Español with the switcher wins over an English browser, and is remembered."""
    response = english_client.post("/language", data={"locale": "es", "next": "/organisations"})
    assert response.status_code == 303 and response.headers["Location"] == "/organisations"
    assert lang(english_client.get("/")) == "es"


def test_the_switcher_refuses_unknown_languages_and_foreign_redirects(english_client):
    """Unknown language: nothing changes; an outside ``next`` is ignored."""
    response = english_client.post("/language", data={"locale": "xx", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
    assert lang(english_client.get("/")) == "en"


def test_the_account_preference_beats_everything(app, english_client, make_user):
    """A signed-in user whose preference is Spanish sees Spanish in an English browser."""
    make_user("ana@example.org", locale="es")
    Auth(english_client).login("ana@example.org")
    assert lang(english_client.get("/")) == "es"


def test_switching_language_while_signed_in_saves_the_preference(app, client, auth, make_user):
    """The switcher updates the account, so the choice follows the user to other devices."""
    user = make_user("ana@example.org", locale="es")
    auth.login("ana@example.org")
    client.post("/language", data={"locale": "en"})
    assert user.locale == "en"
    other = app.test_client()
    Auth(other).login("ana@example.org")
    assert lang(other.get("/")) == "en"


def test_error_pages_in_both_languages(client):
    """A missing page says so in the visitor's language, with status 404."""
    spanish = client.get("/no-such-page")
    english = client.get("/no-such-page", headers={"Accept-Language": "en"})
    assert spanish.status_code == english.status_code == 404
    assert "Page not found" in english.get_data(as_text=True)
    assert lang(spanish) == "es" and "Page not found" not in spanish.get_data(as_text=True)


def test_server_errors_get_a_translated_page(app_factory):
    """An unexpected error shows the 500 page in the visitor's language, never a traceback."""
    app = app_factory(PROPAGATE_EXCEPTIONS=False)

    @app.route("/boom")
    def boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/boom", headers={"Accept-Language": "en"})
    assert response.status_code == 500
    assert "Something went wrong" in response.get_data(as_text=True)
    assert "RuntimeError" not in response.get_data(as_text=True)


def test_dates_are_shown_in_the_users_time_zone_and_language(app, english_client, make_user):
    """The same instant reads 18:30 in Mexico City and 01:30 next day in Brussels."""
    user = make_user("ana@example.org", locale="en", timezone="America/Mexico_City")
    user.last_login_at = datetime(2026, 3, 10, 0, 30, tzinfo=UTC)
    db.session.commit()
    client = english_client
    Auth(client).login("ana@example.org")
    user.last_login_at = datetime(2026, 3, 10, 0, 30, tzinfo=UTC)
    db.session.commit()
    page = client.get(f"/users/{user.id}").get_data(as_text=True)
    assert "March 9, 2026" in page
    user.timezone = "Europe/Brussels"
    user.locale = "es"
    db.session.commit()
    page = client.get(f"/users/{user.id}").get_data(as_text=True)
    assert "10 de marzo de 2026" in page
