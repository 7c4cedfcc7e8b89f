"""WSGI entry point: production serves pages through a WSGI server and only /ws/ through ASGI."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

from django.conf import settings  # noqa: E402  (needs Django set up first)


def warm_up() -> None:
    """Per-process work done as a page server starts: the directory's in-memory index."""
    if settings.DIRECTORY_WARM_START:
        from network import member_index

        member_index.warm_in_background()


# Gunicorn preloads this module in its master and calls warm_up in each worker after the fork
# (config/gunicorn.conf.py): a thread started before a fork does not survive it.
if not os.environ.get("CONVENE_WARM_AFTER_FORK"):
    warm_up()
