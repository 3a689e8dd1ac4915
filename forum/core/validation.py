"""Checking what people send before a service stores it: text of a bounded length, with the same clear message
in every domain."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from forum.core.errors import ActionRefused


def text(value: Any, field: str, maximum: int, *, missing: str | None = None) -> str:
    """``value`` as stripped text of at most ``maximum`` characters (None counts as empty). Refused, with the
    message at ``field``: anything that is not text, a NUL character (no database column stores one), text too
    long, and empty text when ``missing`` (the message to give) is set."""
    if value is not None and not isinstance(value, str):
        raise ActionRefused(_("Please write text here."), field=field)
    stripped = (value or "").strip()
    if "\x00" in stripped:
        raise ActionRefused(_("This text contains a character that is not allowed."), field=field)
    if missing and not stripped:
        raise ActionRefused(missing, field=field)
    if len(stripped) > maximum:
        raise ActionRefused(_("Please keep this under %(max)d characters.", max=maximum), field=field)
    return stripped
