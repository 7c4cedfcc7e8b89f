"""Who a chat socket's handshake speaks for: channels' session and auth middleware, which
read the session and the user before the consumer runs."""

from __future__ import annotations

import logging

from channels.auth import AuthMiddleware
from channels.sessions import SessionMiddlewareStack
from django.contrib.auth.models import AnonymousUser

from messaging.consumers import DATABASE_AWAY

log = logging.getLogger(__name__)


class SignedInMiddleware(AuthMiddleware):
    """channels' AuthMiddleware, except that while the database is away the handshake goes on
    as nobody's, so that the consumer refuses it as it refuses anyone signed out (the client
    tries again with its back-off) and the log has one line, not a traceback and a server
    error per attempt."""

    async def resolve_scope(self, scope) -> None:
        try:
            await super().resolve_scope(scope)
        except DATABASE_AWAY as error:
            log.warning("chat handshake refused: database unreachable (%s)", type(error).__name__)
            scope["user"]._wrapped = AnonymousUser()


def signed_in_stack(inner):
    """channels' AuthMiddlewareStack, with SignedInMiddleware."""
    return SessionMiddlewareStack(SignedInMiddleware(inner))
