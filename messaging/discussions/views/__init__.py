"""Discussion pages, split by area. Each view: access helper, one service or query, render."""

from messaging.discussions.views.boards import (
    board,
    board_follow,
    board_members,
    boards,
    new_thread,
)
from messaging.discussions.views.moderation import (
    board_mute,
    post_hide,
    queue,
    report_resolve,
    thread_moderate,
)
from messaging.discussions.views.notifications import (
    bell,
    notification_read,
    notifications,
    notifications_read_all,
    preferences,
    unsubscribe,
)
from messaging.discussions.views.posts import (
    post,
    post_delete,
    post_edit,
    post_history,
    react,
    report,
)
from messaging.discussions.views.search import search
from messaging.discussions.views.threads import reply, thread, thread_follow, thread_updates

__all__ = [
    "bell",
    "board",
    "board_follow",
    "board_members",
    "board_mute",
    "boards",
    "new_thread",
    "notification_read",
    "notifications",
    "notifications_read_all",
    "post",
    "post_delete",
    "post_edit",
    "post_hide",
    "post_history",
    "preferences",
    "queue",
    "react",
    "reply",
    "report",
    "report_resolve",
    "search",
    "thread",
    "thread_follow",
    "thread_moderate",
    "thread_updates",
    "unsubscribe",
]
