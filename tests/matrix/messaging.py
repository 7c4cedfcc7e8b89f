"""Chat routes (the discussion routes have their own rows)."""

from __future__ import annotations

from tests.matrix import Route, signed_in


def cohort_room(world) -> dict:
    from messaging.models import Room, RoomKind

    room, _ = Room.objects.get_or_create(
        cohort=world.cohort, defaults={"kind": RoomKind.COHORT, "name": world.cohort.name}
    )
    return {"room_id": room.pk}


IN_COHORT_ROOM = {"outsider": 404, "other_manager": 404, "admin": 404}

ROUTES = [
    Route("messaging:chat", signed_in(200)),
    Route("messaging:unread", signed_in(200)),
    Route("messaging:room", signed_in(200, **IN_COHORT_ROOM), kwargs=cohort_room, case="cohort"),
    Route("messaging:room", signed_in(404), kwargs=lambda w: {"room_id": 999999}, case="missing"),
    # Posting an empty form: members are sent back to the room, everyone else gets a 404.
    Route("messaging:send", signed_in(302, **IN_COHORT_ROOM), kwargs=cohort_room, method="post"),
    Route("messaging:start_direct", signed_in(404), method="post", case="nobody chosen"),
    Route("messaging:start_group", signed_in(302), method="post", case="empty form"),
]
