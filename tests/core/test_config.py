"""Settings from the environment: a generated secret, validated values, the database URL."""

from __future__ import annotations

import os
import stat

import pytest

from forum.config import ConfigurationError, from_environment, normalise_database_url


def test_secret_key_is_generated_once_and_kept_private(tmp_path):
    """Without FORUM_SECRET_KEY a random key is written to instance/ (mode 600) and reused."""
    first = from_environment({}, str(tmp_path))["SECRET_KEY"]
    second = from_environment({}, str(tmp_path))["SECRET_KEY"]
    assert first == second and len(first) == 64
    assert stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode) == 0o600
    assert from_environment({"FORUM_SECRET_KEY": "from-env"}, str(tmp_path))["SECRET_KEY"] == "from-env"


def test_defaults(tmp_path):
    """Embedded SQLite in instance/, Spanish, Mexico City time, memory rate limits, no Redis."""
    settings = from_environment({}, str(tmp_path))
    assert settings["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'forum.sqlite3'}"
    assert settings["BABEL_DEFAULT_LOCALE"] == "es"
    assert settings["BABEL_DEFAULT_TIMEZONE"] == "America/Mexico_City"
    assert settings["RATELIMIT_STORAGE_URI"] == "memory://" and settings["FORUM_REDIS_URL"] is None
    assert settings["FORUM_UPLOAD_DIR"] == str(tmp_path / "uploads")


def test_production_settings(tmp_path):
    """Redis backs rate limits; an https base URL makes cookies Secure."""
    settings = from_environment({"FORUM_REDIS_URL": "redis://127.0.0.1:6379/2",
                                 "FORUM_BASE_URL": "https://foro.example.org/",
                                 "FORUM_DATABASE_URL": "postgresql://forum@db/forum"}, str(tmp_path))
    assert settings["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/2"
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["FORUM_BASE_URL"] == "https://foro.example.org"
    assert settings["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://forum@db/forum"


@pytest.mark.parametrize("name,value", [("FORUM_DEFAULT_LOCALE", "fr"), ("FORUM_TIMEZONE", "Mars/Olympus")])
def test_bad_values_stop_start_up_with_a_clear_message(tmp_path, name, value):
    """An unusable setting is reported by name instead of failing later."""
    with pytest.raises(ConfigurationError, match=name):
        from_environment({name: value}, str(tmp_path))


def test_database_url_normalisation():
    """postgres:// and postgresql:// use psycopg 3; other URLs are untouched."""
    assert normalise_database_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_database_url("sqlite:///x") == "sqlite:///x"
