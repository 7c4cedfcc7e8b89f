"""WSGI entry point: production serves pages through a WSGI server and only /ws/ through ASGI."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

from django.conf import settings  # noqa: E402  (needs Django set up first)

if settings.DIRECTORY_WARM_START:
    from network import member_index

    member_index.warm_in_background()
