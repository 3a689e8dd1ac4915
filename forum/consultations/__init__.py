"""Consultations on policy drafts: agencies publish bilingual drafts with numbered paragraphs, participants
comment paragraph by paragraph, the agency answers every comment and publishes a report.

Built so far: the consultation and its lifecycle, the bilingual draft with aligned, stable paragraph numbers and
its versions. Comments, answers, pages, API and report come next."""

from forum.consultations import models  # noqa: F401  (the tables, for migrations and the app)
