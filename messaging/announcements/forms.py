"""The announcement form. "Send at" is a wall-clock time in the author's own time zone, read
by the one time-zone helper (network.timezones)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from messaging.announcements.access import announceable_cohorts
from messaging.announcements.models import MAX_BODY, Announcement, Audience
from network import timezones
from network.access import is_administrator
from network.forms import WallClockField
from network.models import Cohort, Program

LOCAL_INPUT = "%Y-%m-%dT%H:%M"


class AnnouncementForm(forms.Form):
    to = forms.ChoiceField(label="Send to")
    title = forms.CharField(max_length=200)
    body = forms.CharField(
        label="Message",
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Markdown: **bold**, *italic*, [links](https://example.gov), lists.",
    )
    # Read in the author's zone by clean_send_at, not in the server's by Django.
    send_at = WallClockField(
        label="Send at (optional)",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT),
        input_formats=[LOCAL_INPUT, "%Y-%m-%d %H:%M"],
    )

    def __init__(
        self, *args: Any, user, zone_name: str, editing: Announcement | None = None, **kw
    ) -> None:
        super().__init__(*args, **kw)
        self.zone_name = zone_name
        self.fields[
            "send_at"
        ].help_text = f"In your time zone ({zone_name}). Leave empty to send it now."
        if editing is not None:
            self._for_editing(editing)
            return
        choices = [(f"cohort:{c.pk}", c.name) for c in announceable_cohorts(user)]
        if is_administrator(user):
            choices += [(f"program:{p.pk}", f"Everyone in {p.name}") for p in Program.objects.all()]
            choices.append(("network", "The whole network"))
        to = self.fields["to"]
        assert isinstance(to, forms.ChoiceField)
        to.choices = choices
        self.targets = dict(choices)

    def _for_editing(self, announcement: Announcement) -> None:
        """No audience to choose; a time only while it has not gone out, shown as it was set
        (in this editor's zone), and kept when the field is left empty."""
        del self.fields["to"]
        if not announcement.is_scheduled:
            del self.fields["send_at"]
            return
        self.fields["send_at"].help_text = f"In your time zone ({self.zone_name})."
        wall_clock = timezones.to_wall_clock(announcement.send_at, self.zone_name)
        self.initial.setdefault("send_at", wall_clock)

    def clean_send_at(self) -> datetime | None:
        value = self.cleaned_data.get("send_at")
        if value is None:
            return None
        try:
            # A time the clocks pass twice (an autumn night) means its first occurrence: an
            # announcement is better an hour early than late.
            moment = timezones.to_utc(value, self.zone_name, fold=0)
        except timezones.NonexistentTime as problem:
            raise forms.ValidationError(str(problem)) from None
        if moment < timezone.now() - timedelta(minutes=1):
            empty = "keep the time it had" if "to" not in self.fields else "send it now"
            raise forms.ValidationError(f"That time has passed. Leave it empty to {empty}.")
        return moment

    def audience(self) -> dict[str, Any]:
        """The service's audience arguments for the chosen "Send to"."""
        kind, _, pk = self.cleaned_data["to"].partition(":")
        if kind == "cohort":
            # The choice was validated against the cohorts this user may announce to.
            return {"audience": Audience.COHORT, "cohort": Cohort.objects.get(pk=pk)}
        if kind == "program":
            return {"audience": Audience.PROGRAM, "program": Program.objects.get(pk=pk)}
        return {"audience": Audience.NETWORK}
