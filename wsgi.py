"""WSGI entry point: ``gunicorn wsgi:app``."""

import gc

from forum import create_app

app = create_app()
# what the app holds for its whole life (routes, templates, catalogs, models) is never garbage: leave it out of the
# collector's full passes, which otherwise stall large pages such as the indicators by a hundred milliseconds
gc.freeze()
