"""The roles a member has held, and the seat each one fills."""

from __future__ import annotations

from django.db import models

from network.models.members import Agency, Member


class PositionQuerySet(models.QuerySet["Position"]):
    def in_seat(self, *, title: str, agency_id: int | None, organisation: str) -> PositionQuerySet:
        """Roles held in the same seat: the same agency (or organisation), best match first.

        Titles are written freely ("Deputy CIO", "Deputy Chief Information Officer"), so the
        agency decides the seat and an exact title only ranks a role higher; among the rest the
        most recently ended role comes first, as that holder is the one handing over.
        """
        if agency_id:
            roles = self.filter(agency_id=agency_id)
        elif organisation:
            roles = self.filter(agency__isnull=True, organisation__iexact=organisation)
        else:
            roles = self.filter(title__iexact=title)
        same_title = models.Case(
            models.When(title__iexact=title, then=0), default=1, output_field=models.IntegerField()
        )
        return roles.order_by(
            same_title, models.F("ends_on").desc(nulls_last=True), "-starts_on", "-pk"
        )


class Position(models.Model):
    """One dated role: the history that survives leaving office."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="positions")
    title = models.CharField(max_length=200)
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.SET_NULL)
    organisation = models.CharField(max_length=200, blank=True)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    # The seat's previous holder, so outgoing and incoming holders can be introduced.
    succeeds = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="successors"
    )

    objects = PositionQuerySet.as_manager()
    # Set by network.seats.history_with_introductions for a profile page, not stored.
    visible_predecessor: Member | None
    visible_successors: list[Member]

    class Meta:
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return f"{self.title}, {self.agency or self.organisation}"

    @property
    def seat(self) -> str:
        """How the seat is named in an introduction: "Deputy CIO, HHS"."""
        where = self.agency.acronym if self.agency else self.organisation
        return f"{self.title}, {where}" if where else self.title
