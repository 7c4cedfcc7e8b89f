"""Every write the events app makes, split by area; import them from here."""

from events.services.feeds import (
    get_or_create_feed,
    reset_feed,
)
from events.services.polls import (
    SlotScore,
    answer_poll,
    close_poll,
    create_poll,
    poll_non_responders,
    remind_poll_non_responders,
    score_slots,
    send_due_poll_reminders,
)
from events.services.reminders import (
    reminder_kind,
    reminder_offsets,
    send_due_reminders,
)
from events.services.rsvps import (
    RSVPRefused,
    check_in,
    mark_attendance,
    release_seats,
    rsvp,
    seats_taken,
    undo_check_in,
)
from events.services.scheduling import (
    EDITABLE_FIELDS,
    TIME_FIELDS,
    cancel_event,
    create_event,
    update_event,
)

__all__ = [
    "EDITABLE_FIELDS",
    "TIME_FIELDS",
    "RSVPRefused",
    "SlotScore",
    "answer_poll",
    "cancel_event",
    "check_in",
    "close_poll",
    "create_event",
    "create_poll",
    "get_or_create_feed",
    "mark_attendance",
    "poll_non_responders",
    "release_seats",
    "remind_poll_non_responders",
    "reminder_kind",
    "reminder_offsets",
    "reset_feed",
    "rsvp",
    "score_slots",
    "seats_taken",
    "send_due_poll_reminders",
    "send_due_reminders",
    "undo_check_in",
    "update_event",
]
