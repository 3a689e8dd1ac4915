"""Small helpers shared by several test modules."""

from __future__ import annotations

from tests.conftest import PASSWORD


def register(client, email: str, **overrides):
    """Register through the real form with valid values."""
    data = {"email": email, "password": PASSWORD, "display_name": "Rosa", "locale": "en",
            "sector": "civil_society", "state": "OAX", "organisation": "", "gender": "", "age_range": "",
            "privacy_consent": "y"}
    data.update(overrides)
    response = client.post("/register", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return response
