"""Settings, read from ``FORUM_*`` environment variables.

Every setting has a safe default for a single machine (embedded SQLite under ``instance/``, in-memory rate
limits, mail kept in the outbox). Production sets the database, Redis, SMTP and base URL.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from zoneinfo import available_timezones

#: Every environment variable the app reads, with its meaning (rendered in the README too).
SETTINGS = {
    "FORUM_DATABASE_URL": "SQLAlchemy URL; default sqlite:///instance/forum.sqlite3",
    "FORUM_SECRET_KEY": "signs sessions and e-mail links; generated into instance/secret_key when absent",
    "FORUM_REDIS_URL": "Redis URL: Socket.IO message queue and rate-limit store when set",
    "FORUM_SMTP_URL": "smtp://user:password@host:port (smtps:// for TLS, ?starttls=1); unset keeps mail queued",
    "FORUM_MAIL_FROM": "sender address of outgoing mail",
    "FORUM_UPLOAD_DIR": "folder for uploaded files; default instance/uploads",
    "FORUM_BASE_URL": "public address used in e-mail links and the allowed Socket.IO origin",
    "FORUM_DEFAULT_LOCALE": "es or en; the language for visitors whose browser asks for neither",
    "FORUM_TIMEZONE": "time zone for visitors and new accounts; default America/Mexico_City",
    "FORUM_TRUSTED_PROXIES": "number of reverse proxies in front of the app (X-Forwarded-* headers)",
    "FORUM_LOGIN_RATE_LIMIT": "attempts allowed per address on the login form; default 10 per minute",
    "FORUM_FLAG_HIDE_THRESHOLD": "flags from this many different people hide an item until reviewed; default 3",
    "FORUM_PREMODERATION_POSTS": "a new account's first posts wait for approval; how many; default 2 (0: none)",
    "FORUM_POST_RATE_LIMIT": "threads and posts one person may publish; default 10 per minute;60 per hour",
    "FORUM_FLAG_RATE_LIMIT": "flags one person may file; default 20 per hour",
    "FORUM_MAX_UPLOAD_MB": "largest document upload, in megabytes; default 25",
    "FORUM_LIVE_CHANNEL": "name of this site's live-update channel and keys in Redis; default forum",
    "FORUM_DATA_EXPORT_INLINE_RECORDS": "a copy of someone's data with at most this many records is prepared during "
                                        "their request, a larger one in the background; default 2000",
    "FORUM_DATA_EXPORT_INLINE_BYTES": "… and at most this many bytes of the person's uploaded files; default "
                                      "10000000",
    "FORUM_UNCONFIRMED_ACCOUNT_DAYS": "accounts whose address is never confirmed are deleted after this many days; "
                                      "default 14",
    "FORUM_OUTBOX_RETENTION_DAYS": "e-mail is deleted from the outbox this many days after it was sent (or after it "
                                   "was queued, when delivery keeps failing); default 90",
    "FORUM_ACCESS_LOG_RETENTION_DAYS": "entries of the log of reads of other people's personal data are deleted after "
                                       "this many days; default 730",
    "FORUM_DATA_EXPORT_DAYS": "days the link to a copy of someone's data works (once); default 7",
    "FORUM_CONTROLLER_NAME": "the organisation responsible for the personal data, named in the privacy notice",
    "FORUM_CONTROLLER_ADDRESS": "its postal address, in the privacy notice",
    "FORUM_PRIVACY_EMAIL": "where requests about personal data (ARCO rights) are sent, in the privacy notice",
    "FORUM_ACCESSIBILITY_EMAIL": "where barriers are reported, in the accessibility statement",
}


class ConfigurationError(RuntimeError):
    """A setting has a value the app cannot run with."""


def _secret_key(instance_path: Path) -> str:
    """Return the secret kept in ``instance/secret_key``, creating it (mode 0600) on first use."""
    path = instance_path / "secret_key"
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key)
    return key


def from_environment(environ: Mapping[str, str], instance_path: str, need_secret: bool = True) -> dict:
    """Build the Flask configuration from ``FORUM_*`` variables in ``environ``.

    ``need_secret=False`` skips creating ``instance/secret_key`` (the caller brings its own key).
    """
    instance = Path(instance_path)
    base_url = environ.get("FORUM_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    locale = environ.get("FORUM_DEFAULT_LOCALE", "es")
    if locale not in ("es", "en"):
        raise ConfigurationError("FORUM_DEFAULT_LOCALE must be 'es' or 'en'")
    timezone = environ.get("FORUM_TIMEZONE", "America/Mexico_City")
    if timezone not in available_timezones():
        raise ConfigurationError(f"FORUM_TIMEZONE {timezone!r} is not a known time zone")
    database_url = environ.get("FORUM_DATABASE_URL") or f"sqlite:///{instance / 'forum.sqlite3'}"
    redis_url = environ.get("FORUM_REDIS_URL") or None
    https = base_url.startswith("https://")
    settings = {
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        "FORUM_REDIS_URL": redis_url,
        "FORUM_SMTP_URL": environ.get("FORUM_SMTP_URL") or None,
        "FORUM_MAIL_FROM": environ.get("FORUM_MAIL_FROM", "Foro de Cohesión Social <no-reply@localhost>"),
        "FORUM_UPLOAD_DIR": environ.get("FORUM_UPLOAD_DIR") or str(instance / "uploads"),
        "FORUM_BASE_URL": base_url,
        "FORUM_TRUSTED_PROXIES": int(environ.get("FORUM_TRUSTED_PROXIES", "0")),
        "FORUM_LOGIN_RATE_LIMIT": environ.get("FORUM_LOGIN_RATE_LIMIT", "10 per minute"),
        "FORUM_LIVE_CHANNEL": environ.get("FORUM_LIVE_CHANNEL") or "forum",
        "FORUM_POST_RATE_LIMIT": environ.get("FORUM_POST_RATE_LIMIT") or "10 per minute;60 per hour",
        "FORUM_FLAG_RATE_LIMIT": environ.get("FORUM_FLAG_RATE_LIMIT") or "20 per hour",
        "FORUM_MAX_UPLOAD_MB": _whole_number(environ, "FORUM_MAX_UPLOAD_MB", 25, minimum=1),
        "FORUM_FLAG_HIDE_THRESHOLD": _whole_number(environ, "FORUM_FLAG_HIDE_THRESHOLD", 3, minimum=1),
        "FORUM_PREMODERATION_POSTS": _whole_number(environ, "FORUM_PREMODERATION_POSTS", 2, minimum=0),
        "FORUM_DATA_EXPORT_INLINE_RECORDS": _whole_number(environ, "FORUM_DATA_EXPORT_INLINE_RECORDS", 2000,
                                                          minimum=0),
        "FORUM_DATA_EXPORT_INLINE_BYTES": _whole_number(environ, "FORUM_DATA_EXPORT_INLINE_BYTES", 10_000_000,
                                                        minimum=0),
        "FORUM_UNCONFIRMED_ACCOUNT_DAYS": _whole_number(environ, "FORUM_UNCONFIRMED_ACCOUNT_DAYS", 14, minimum=1),
        "FORUM_OUTBOX_RETENTION_DAYS": _whole_number(environ, "FORUM_OUTBOX_RETENTION_DAYS", 90, minimum=1),
        "FORUM_ACCESS_LOG_RETENTION_DAYS": _whole_number(environ, "FORUM_ACCESS_LOG_RETENTION_DAYS", 730, minimum=1),
        "FORUM_DATA_EXPORT_DAYS": _whole_number(environ, "FORUM_DATA_EXPORT_DAYS", 7, minimum=1),
        **{name: environ.get(name) or None for name in ("FORUM_CONTROLLER_NAME", "FORUM_CONTROLLER_ADDRESS",
                                                         "FORUM_PRIVACY_EMAIL", "FORUM_ACCESSIBILITY_EMAIL")},
        "BABEL_DEFAULT_LOCALE": locale,
        "BABEL_DEFAULT_TIMEZONE": timezone,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "SESSION_COOKIE_SECURE": https,
        "REMEMBER_COOKIE_SECURE": https,
        "PREFERRED_URL_SCHEME": "https" if https else "http",
    }
    if need_secret:
        settings["SECRET_KEY"] = environ.get("FORUM_SECRET_KEY") or _secret_key(instance)
    return settings


def _whole_number(environ: Mapping[str, str], name: str, default: int, minimum: int) -> int:
    """A whole-number setting, refused clearly when it is not one."""
    raw = environ.get(name)
    if raw is None or raw == "":
        return default
    if not raw.strip().isdigit() or int(raw) < minimum:
        raise ConfigurationError(f"{name} must be a whole number, {minimum} or more")
    return int(raw)


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for plain ``postgresql://`` URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


class Config:
    """Settings that do not come from the environment."""

    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    PERMANENT_SESSION_LIFETIME = timedelta(days=14)
    WTF_CSRF_CHECK_DEFAULT = False  # checked in one before_request hook, skipped for API tokens
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    BABEL_TRANSLATION_DIRECTORIES = str(Path(__file__).resolve().parent.parent / "translations")
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024  # forms; uploads get their own limit
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_STRATEGY = "moving-window"
    #: links in e-mails stay valid this long
    FORUM_CONFIRM_MAX_AGE = 3 * 24 * 3600
    FORUM_RESET_MAX_AGE = 3600
    FORUM_EMAIL_CHANGE_MAX_AGE = 24 * 3600
    FORUM_SMTP_TIMEOUT = 10


class TestConfig(Config):
    """Overrides for the test suite (the database URL is set by the fixtures)."""

    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105
    RATELIMIT_STORAGE_URI = "memory://"
    FORUM_SMTP_URL = None
    FORUM_BASE_URL = "http://localhost"
    #: argon2's cheapest parameters: hashing dominates the suite's time otherwise
    FORUM_FAST_PASSWORD_HASHING = True
    #: new accounts post freely unless a test turns pre-moderation on
    FORUM_PREMODERATION_POSTS = 0
    #: tests post in bursts; the abuse-limit tests set their own small limits
    FORUM_POST_RATE_LIMIT = "10000 per minute"
    FORUM_FLAG_RATE_LIMIT = "10000 per minute"
    #: copies of people's data are prepared during the request; the tests of the background path set small limits
    FORUM_DATA_EXPORT_INLINE_RECORDS = 2000
    FORUM_DATA_EXPORT_INLINE_BYTES = 10_000_000
