"""Language and time: locale selection, the user's time zone, Babel formatting filters and bilingual fields.

Locale chain: the signed-in user's preference → the choice made with the language switcher (kept in the
session) → the browser's Accept-Language → ``FORUM_DEFAULT_LOCALE`` (es).
"""

from __future__ import annotations

from datetime import datetime

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import format_date, format_datetime, format_decimal, get_locale
from flask_login import current_user

from forum.extensions import babel

LOCALES = ("es", "en")
#: the names of the languages, each in its own language (for the switcher and language pickers)
LANGUAGE_NAMES = {"es": "Español", "en": "English"}
SESSION_KEY = "locale"


def select_locale() -> str:
    """Pick the interface language for this request (see the module docstring for the order)."""
    if not has_request_context():  # command line: the site's language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    user_locale = getattr(current_user, "locale", None) if current_user else None
    if user_locale in LOCALES:
        return user_locale
    if session.get(SESSION_KEY) in LOCALES:
        return session[SESSION_KEY]
    return request.accept_languages.best_match(LOCALES) or current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    """The signed-in user's time zone, or the site's."""
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_TIMEZONE"]
    return getattr(current_user, "timezone", None) or current_app.config["BABEL_DEFAULT_TIMEZONE"]


def current_locale() -> str:
    """The language code of this request (``es`` or ``en``)."""
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def localized(obj: object, field: str) -> tuple[str, str, bool]:
    """Read a bilingual field (``<field>_es`` / ``<field>_en``) in the reader's language.

    Returns (text, language of the text, True when it fell back to the other language).
    """
    wanted = current_locale()
    other = "en" if wanted == "es" else "es"
    text = getattr(obj, f"{field}_{wanted}", None)
    if text:
        return text, wanted, False
    return getattr(obj, f"{field}_{other}", None) or "", other, True


def _datetime_filter(value: datetime | None, format: str = "medium") -> str:
    return format_datetime(value, format) if value else ""


def _date_filter(value: datetime | None, format: str = "medium") -> str:
    return format_date(value, format) if value else ""


def _number_filter(value: float | int) -> str:
    return format_decimal(value)


def init_app(app: Flask) -> None:
    """Bind Flask-Babel with the selectors and add the template filters and globals."""
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    app.jinja_env.filters["datetime"] = _datetime_filter
    app.jinja_env.filters["date"] = _date_filter
    app.jinja_env.filters["number"] = _number_filter
    app.jinja_env.globals.update(
        current_locale=current_locale, localized=localized, LANGUAGE_NAMES=LANGUAGE_NAMES, LOCALES=LOCALES
    )


def clear_session_keeping_language() -> None:
    """Empty the session (signing in, out, or leaving for good) but keep the language the person chose."""
    locale = session.get(SESSION_KEY)
    session.clear()
    if locale:
        session[SESSION_KEY] = locale
