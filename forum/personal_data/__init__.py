"""The rights of the people who use the forum over their personal data: the privacy notice, a copy of one's data
("Download my data"), deleting one's account, the retention jobs that erase what is no longer needed, and the log
of privileged reads of other people's personal data. Also the accessibility statement, the other page of what the
forum owes its users."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("personal_data", __name__)


def init_app(app: Flask) -> None:
    """Register the pages of this domain, the question of the privacy notice in the layout, and the commands.
    The pages are imported here rather than with the package: they reach every other domain (a copy of one's data
    reads them all), while other domains use this package's small modules (the access log, the notice's
    version)."""
    from forum.personal_data import (  # noqa: F401
        access_routes,
        cli,
        consent,
        erasure_routes,
        export_routes,
        notice_routes,
    )

    app.register_blueprint(bp)
    app.add_template_global(consent.pending, "privacy_notice_pending")
    cli.init_app(app)


from forum.personal_data import models  # noqa: E402,F401  (the tables, for every app and migration)
