"""What events does when the network's services announce a change (network.signals)."""

from __future__ import annotations

from network import signals


def _left_cohort(sender, membership, **kwargs) -> None:
    """A cohort's events are for its people: leaving it gives up their seats there."""
    from events.services import release_seats

    release_seats(member=membership.member, cohort=membership.cohort)


def _account_closed(sender, member, **kwargs) -> None:
    from events.services import release_seats

    release_seats(member=member)


def connect_receivers() -> None:
    signals.membership_ended.connect(_left_cohort, dispatch_uid="events_left_cohort")
    signals.account_closed.connect(_account_closed, dispatch_uid="events_account_closed")
