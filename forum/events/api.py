"""Event API."""
