"""Pages of the events app, split by area (events, calendars, polls, check-in). Each view:
authenticate, check access, call one service or query, render."""

from events.views.calendars import (
    calendar_feed_settings,
    event_ics,
    feed,
)
from events.views.check_in import check_in_list, check_in_mark
from events.views.events import (
    attendance,
    event_cancel,
    event_create,
    event_detail,
    event_edit,
    event_list,
    event_past,
    event_rsvp,
    month,
    this_month,
)
from events.views.polls import (
    poll_close,
    poll_create,
    poll_detail,
    poll_remind,
)

__all__ = [
    "attendance",
    "calendar_feed_settings",
    "check_in_list",
    "check_in_mark",
    "event_cancel",
    "event_create",
    "event_detail",
    "event_edit",
    "event_ics",
    "event_list",
    "event_past",
    "event_rsvp",
    "feed",
    "month",
    "poll_close",
    "poll_create",
    "poll_detail",
    "poll_remind",
    "this_month",
]
