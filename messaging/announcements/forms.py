"""The announcement form. "Send at" is a wall-clock time in the author's own time zone."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django import forms
from django.utils import timezone

from messaging.announcements.access import announceable_cohorts
from messaging.announcements.models import MAX_BODY, Audience
from network.access import is_administrator
from network.models import Cohort, Program

LOCAL_INPUT = "%Y-%m-%dT%H:%M"


def aware(wall_clock: datetime, zone_name: str) -> datetime:
    """A naive time read in the member's zone (their profile's zone; UTC if it is unknown)."""
    try:
        tz = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        tz = ZoneInfo("UTC")
    return wall_clock.replace(tzinfo=tz)


class AnnouncementForm(forms.Form):
    to = forms.ChoiceField(label="Send to")
    title = forms.CharField(max_length=200)
    body = forms.CharField(
        label="Message",
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Markdown: **bold**, *italic*, [links](https://example.gov), lists.",
    )
    send_at = forms.DateTimeField(
        label="Send at (optional)",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT),
        input_formats=[LOCAL_INPUT, "%Y-%m-%d %H:%M"],
    )

    def __init__(self, *args: Any, user, zone_name: str, editing: bool = False, **kw) -> None:
        super().__init__(*args, **kw)
        self.zone_name = zone_name
        self.fields[
            "send_at"
        ].help_text = f"In your time zone ({zone_name}). Leave empty to send it now."
        if editing:
            del self.fields["to"]
            return
        choices = [(f"cohort:{c.pk}", c.name) for c in announceable_cohorts(user)]
        if is_administrator(user):
            choices += [(f"program:{p.pk}", f"Everyone in {p.name}") for p in Program.objects.all()]
            choices.append(("network", "The whole network"))
        to = self.fields["to"]
        assert isinstance(to, forms.ChoiceField)
        to.choices = choices
        self.targets = dict(choices)

    def clean_send_at(self) -> datetime | None:
        value = self.cleaned_data.get("send_at")
        if value is None:
            return None
        moment = aware(value.replace(tzinfo=None), self.zone_name)
        if moment < timezone.now() - timedelta(minutes=1):
            raise forms.ValidationError("That time has passed. Leave it empty to send now.")
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
