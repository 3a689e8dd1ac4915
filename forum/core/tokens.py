"""Signed, expiring links (e-mail confirmation, password reset, e-mail change)."""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer


class InvalidToken(Exception):
    """The link was altered, belongs to another purpose, or was already used."""


class ExpiredToken(InvalidToken):
    """The link was genuine but is too old."""


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"forum.{purpose}")


def make_token(purpose: str, payload: dict) -> str:
    """Sign ``payload`` for one ``purpose``; a token made for one purpose is refused for another."""
    return _serializer(purpose).dumps(payload)


def read_token(purpose: str, token: str, max_age: int) -> dict:
    """Return the payload of a token no older than ``max_age`` seconds, or raise :class:`InvalidToken`."""
    try:
        payload = _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise ExpiredToken from error
    except BadSignature as error:
        raise InvalidToken from error
    if not isinstance(payload, dict):
        raise InvalidToken
    return payload
