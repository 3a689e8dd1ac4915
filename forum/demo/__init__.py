"""Bilingual demo data: the programme's organisations, one account per role, the thematic platforms and a few
conversations, documents, events and a consultation. Every part creates only what is missing, so
``flask --app forum seed-demo`` is safe to repeat."""

from __future__ import annotations

from forum.demo import accounts, consultations, discussions, documents, events, participation
from forum.demo.common import PASSWORD
from forum.moderation import reasons

__all__ = ["PASSWORD", "seed"]


def seed() -> int:
    """Create whatever demo records are missing; returns how many were created. The caller commits."""
    return (accounts.seed() + discussions.seed() + reasons.seed_defaults() + documents.seed() + events.seed()
            + consultations.seed() + participation.seed())
