"""The check-in code of a confirmed registration as a QR code. It holds the address of the event's check-in
page with the code filled in, so an organiser's phone camera opens the page ready to mark the person present;
the check-in page also accepts the code typed by hand."""

from __future__ import annotations

import io

import segno

from forum.core.mail import external_url
from forum.events.models import Registration


def address(registration: Registration) -> str:
    """What the QR code holds: the check-in page of the event with this registration's code."""
    return external_url("events.check_in", event_id=registration.event_id, code=registration.code)


def png(registration: Registration) -> bytes:
    """The QR code as a PNG image (for e-mail)."""
    out = io.BytesIO()
    segno.make(address(registration), error="m").save(out, kind="png", scale=6, border=4)
    return out.getvalue()


def svg(registration: Registration) -> bytes:
    """The QR code as an SVG image (for the registration page)."""
    out = io.BytesIO()
    segno.make(address(registration), error="m").save(out, kind="svg", scale=6, border=4, xmldecl=False,
                                                         svgclass="qr-code", lineclass=None)
    return out.getvalue()
