"""What the network's services announce to the apps built on it.

network imports neither messaging nor events, yet a cohort is only complete with its
discussion board and chat room, and a member of a cohort with their place in its room. The
services below send these signals themselves, inside their transaction, once the change is
made: a receiver's writes commit or roll back with it, so a cohort never exists without what
the other apps attach to it. Sent only by services (never from ``post_save``), so a bulk
update or a fixture does not fire them; messaging.receivers and events.receivers connect to
them.
"""

from __future__ import annotations

from django.dispatch import Signal

cohort_created = Signal()
"""A cohort was made. Arguments: ``cohort``."""

membership_started = Signal()
"""A member joined a cohort (any role). Arguments: ``membership``."""

membership_ended = Signal()
"""A member left a cohort (before the row is deleted). Arguments: ``membership``."""

account_closed = Signal()
"""A member closed their account (deactivated). Arguments: ``member``."""

nudges_queued = Signal()
"""Nudges were written and committed; whoever sends mail sends them. Arguments: ``nudge_ids``.
(Sent after commit: e-mail honours the member's "nudges" setting, which messaging keeps.)"""
