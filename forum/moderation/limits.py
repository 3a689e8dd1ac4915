"""Abuse limits on writing: how often one person may post and flag. Counted per account (per address for
requests without one) in the limiter's store, which is Redis when ``FORUM_REDIS_URL`` is set, so every process
counts together. Going over answers 429 with a translated message (page or JSON)."""

from __future__ import annotations

from flask import current_app
from flask_limiter.util import get_remote_address
from flask_login import current_user

from forum.core.permissions import is_global_moderator, is_signed_in
from forum.extensions import limiter
from forum.platforms import rules as platform_rules


def _who() -> str:
    """The account when signed in (shared by all its browsers and tokens), else the address."""
    return f"user:{current_user.id}" if is_signed_in(current_user) else get_remote_address()


def _moderates() -> bool:
    """Moderators (global or of any platform) and administrators are not limited when posting."""
    return is_global_moderator(current_user) or bool(platform_rules.access(current_user).moderates)


#: apply to every view that publishes a thread or a post (pages and API share one count)
posting_limit = limiter.shared_limit(lambda: current_app.config["FORUM_POST_RATE_LIMIT"], scope="posting",
                                     key_func=_who, exempt_when=_moderates, methods=["POST"])

#: apply to every view that files a flag (pages and API share one count)
flagging_limit = limiter.shared_limit(lambda: current_app.config["FORUM_FLAG_RATE_LIMIT"], scope="flagging",
                                      key_func=_who, methods=["POST"])
