"""How moderation reaches consultation comments: the ``comment`` target kind, registered with
``forum.moderation.targets`` when this module is imported (by ``forum.consultations``), so comments are flagged,
queued and decided on like posts, by the moderators of the consultation's platform.

Decisions: ``hide`` (readers see a placeholder with the reason; a hidden comment needs no answer), ``restore``,
``delete`` (the text goes; its place stays) and ``dismiss`` (as for posts, an item hidden only because enough
people flagged it is restored).
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from forum.accounts.models import User
from forum.consultations import rules
from forum.consultations.models import Comment, Consultation
from forum.core.db import utcnow
from forum.core.errors import ActionRefused
from forum.extensions import db
from forum.moderation.choices import REASONS
from forum.moderation.log import hidden_by_the_system
from forum.moderation.targets import Described, register
from forum.platforms import rules as platform_rules

COMMENT_DECISIONS = ("hide", "restore", "delete", "dismiss")


def describe(comment: Comment) -> Described:
    """A comment as moderation shows and records it: the consultation's title, its text and its address."""
    consultation = comment.consultation
    try:
        url = url_for("consultations.show", consultation_id=consultation.id, _anchor=f"comment-{comment.id}")
    except RuntimeError:  # no request (command line)
        url = f"/consultations/{consultation.id}#comment-{comment.id}"
    return Described(type="comment", id=comment.id, platform=consultation.platform, language=comment.language,
                     author=comment.author, title=consultation.title_es or consultation.title_en,
                     text=comment.body_source, url=url,
                     status="deleted" if comment.deleted_at is not None else comment.status)


def _check(moderator: User | None, comment: Comment) -> None:
    """Refuse (404 or 403) unless ``moderator`` (None: the system) moderates the consultation's platform."""
    if moderator is None:
        return
    if not rules.can_see_comment(moderator, comment):
        raise ActionRefused(_("Not found."), status=404, code="not_found")
    if not platform_rules.is_moderator_of(moderator, comment.consultation.platform):
        raise ActionRefused(_("Only the moderators of this platform can do this."), status=403, code="forbidden")


class CommentKind:
    """Comments on consultations, as moderation sees them."""

    decisions = COMMENT_DECISIONS

    def load(self, target_id: int) -> Comment | None:
        """The comment, with its consultation and platform."""
        return db.session.get(Comment, target_id,
                              options=[joinedload(Comment.consultation).joinedload(Consultation.platform)])

    def describe(self, item: Comment) -> Described:
        """Its platform, language, author, consultation title, Markdown source, address and status."""
        return describe(item)

    def offered(self, item: Comment) -> tuple[str, ...]:
        """The decisions that fit the comment as it stands."""
        if item.deleted_at is not None:
            return ("dismiss",)
        return ("restore" if item.status == "hidden" else "hide", "delete", "dismiss")

    def can_see(self, user: User | None, item: Comment) -> bool:
        """Whoever may see the comment where it stands."""
        return rules.can_see_comment(user, item)

    def apply(self, moderator: User | None, item: Comment, decision: str, *, reason: str | None = None,
              **params: Any) -> tuple[str | None, str | None]:
        """Carry out ``decision`` on the comment; always (None, None)."""
        _check(moderator, item)
        if decision == "hide":
            if reason not in (None, "") and reason not in REASONS:
                raise ActionRefused(_("Please choose one of the options offered."), field="reason")
            item.status, item.moderation_reason = "hidden", reason or None
        elif decision == "restore" or (decision == "dismiss" and item.status == "hidden"
                                       and hidden_by_the_system("comment", item.id)):
            item.status, item.moderation_reason = "visible", None
        elif decision == "delete":
            item.deleted_at = item.deleted_at or utcnow()
        elif decision != "dismiss":
            raise ActionRefused(_("Please choose one of the options offered."), field="decision")
        return None, None


register("comment", CommentKind())
