"""How moderation reaches documents: the ``document`` target kind, registered with ``forum.moderation.targets``
when this module is imported (by ``forum.documents``), so documents can be flagged and decided on.

Decisions: ``delete`` (the document is removed: nobody but moderators and administrators sees it again;
the decision is recorded in the moderation log) and ``dismiss`` (the document stays as it is).
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from forum.accounts.models import User
from forum.core.errors import ActionRefused
from forum.documents import rules, services
from forum.documents.models import Document
from forum.extensions import db
from forum.moderation.targets import Described, register

DOCUMENT_DECISIONS = ("delete", "dismiss")


class DocumentKind:
    """Documents of the libraries, as moderation sees them."""

    decisions = DOCUMENT_DECISIONS

    def load(self, target_id: int) -> Document | None:
        """The document, with its platform."""
        return db.session.get(Document, target_id, options=[joinedload(Document.platform)])

    def describe(self, item: Document) -> Described:
        """Its platform, language, uploader, title, descriptions, address and status."""
        return services.describe(item)

    def offered(self, item: Document) -> tuple[str, ...]:
        """The decisions that fit the document as it stands."""
        return ("dismiss",) if item.removed_at is not None else DOCUMENT_DECISIONS

    def can_see(self, user: User | None, item: Document) -> bool:
        """Whoever may see the document (its access level decides)."""
        return rules.can_read(user, item)

    def apply(self, moderator: User | None, item: Document, decision: str, *, reason: str | None = None,
              **params: Any) -> tuple[str | None, str | None]:
        """Carry out ``decision``; always (None, None). Removal is logged by the service itself."""
        if decision == "delete":
            if moderator is not None and not rules.can_remove(moderator, item) and item.removed_at is None:
                raise ActionRefused(_("Only moderators and administrators can remove documents."), status=403,
                                    code="forbidden")
            services.mark_removed(item)  # moderation.decisions records the decision in the log
        elif decision != "dismiss":
            raise ActionRefused(_("Please choose one of the options offered."), field="decision")
        return None, None


register("document", DocumentKind())
