"""What every part of the demo data shares."""

#: password of every demo account (documented in the README; demo data is for local use only)
PASSWORD = "foro-demo-2026"  # noqa: S105  (documented demo password)
