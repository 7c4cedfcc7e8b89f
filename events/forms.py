"""Forms for events and polls. Times are typed as wall-clock times in a chosen IANA zone."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms

from events.models import (
    EVENT_DESCRIPTION_MAX,
    Answer,
    Event,
    LocationKind,
    PollSlot,
    RecordsMode,
)
from network.access import is_administrator, managed_cohorts
from network.forms import OneLineInputs, WallClockField
from network.models import Cohort
from network.timezones import (
    AmbiguousTime,
    NonexistentTime,
    to_utc,
    to_wall_clock,
    zone_choices,
)

LOCAL_INPUT = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format=LOCAL_INPUT, **kwargs)


class RadioSelect(forms.RadioSelect):
    """Radio buttons drawn the USWDS way (input, then its label, in a usa-radio box)."""

    template_name = "events/widgets/radio.html"


def local_field(label: str, *, required: bool = True, help_text: str = "") -> WallClockField:
    return WallClockField(
        label=label,
        required=required,
        widget=LocalDateTimeInput(),
        input_formats=[LOCAL_INPUT, "%Y-%m-%d %H:%M"],
        help_text=help_text,
    )


class ZoneForm(forms.Form):
    """Wall-clock fields are read in the form's time zone and cleaned to aware UTC."""

    local_fields: tuple[str, ...] = ()

    def to_utc(self, name: str, zone_name: str) -> datetime | None:
        value = self.cleaned_data.get(name)
        if value is None:
            return None
        which = self.data.get(f"{name}_which")
        try:
            return to_utc(value, zone_name, fold=int(which) if which in ("0", "1") else None)
        except NonexistentTime as problem:
            self.add_error(name, str(problem))
        except AmbiguousTime as problem:
            self._ask_which(name, problem)
        return None

    def _ask_which(self, name: str, problem: AmbiguousTime) -> None:
        """Puts a "which one?" choice right after a time that happens twice."""
        question = forms.ChoiceField(
            label=f"{self.fields[name].label}: which {problem.first:%-I:%M %p}?",
            choices=problem.choices,
            widget=RadioSelect,
        )
        fields = list(self.fields.items())
        at = [key for key, _ in fields].index(name) + 1
        self.fields = dict([*fields[:at], (f"{name}_which", question), *fields[at:]])
        self.add_error(f"{name}_which", str(problem))


class EventForm(OneLineInputs, ZoneForm):
    cohort = forms.ModelChoiceField(queryset=Cohort.objects.none(), label="Hosted by")
    title = forms.CharField(max_length=200)
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=EVENT_DESCRIPTION_MAX,
        help_text="Markdown: **bold**, *italic*, [links](https://example.gov), lists.",
    )
    time_zone = forms.ChoiceField(
        choices=zone_choices, label="Time zone", help_text="The times below are in this zone."
    )
    starts = local_field("Starts")
    ends = local_field("Ends")
    location_kind = forms.ChoiceField(
        choices=LocationKind.choices, widget=RadioSelect, label="Where", initial="in_person"
    )
    address = forms.CharField(max_length=300, required=False, label="Address")
    online_url = forms.URLField(
        required=False,
        label="Video link",
        assume_scheme="https",
        help_text="Shown only to people going.",
    )
    capacity = forms.IntegerField(
        min_value=1, required=False, help_text="Leave empty for no limit."
    )
    rsvp_deadline = local_field("RSVP by", required=False, help_text="Optional.")
    records_mode = forms.ChoiceField(
        choices=RecordsMode.choices,
        label="Records mode for its discussion",
        help_text="Off the record: what is said may be used, who said it may not. "
        "On the record: kept and exportable by its members.",
    )

    def __init__(self, *args: Any, user, event: Event | None = None, **kwargs: Any) -> None:
        if event is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_for(event)
        super().__init__(*args, **kwargs)
        cohort = self.fields["cohort"]
        assert isinstance(cohort, forms.ModelChoiceField)
        cohort.queryset = managed_cohorts(user)
        if is_administrator(user):
            cohort.required = False
            cohort.empty_label = "The whole network"
        else:
            cohort.empty_label = None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        zone_name = data.get("time_zone")
        if not zone_name:
            return data
        starts, ends = self.to_utc("starts", zone_name), self.to_utc("ends", zone_name)
        deadline = self.to_utc("rsvp_deadline", zone_name)
        if starts and ends and ends <= starts:
            self.add_error("ends", "The event must end after it starts.")
        if starts and deadline and deadline > starts:
            self.add_error("rsvp_deadline", "RSVPs must close before the event starts.")
        kind = data.get("location_kind")
        if kind == LocationKind.IN_PERSON and not data.get("address"):
            self.add_error("address", "Give the address for an in-person event.")
        if kind == LocationKind.ONLINE and not data.get("online_url"):
            self.add_error("online_url", "Give the video link for an online event.")
        data.update(starts_at=starts, ends_at=ends, rsvp_deadline_at=deadline)
        return data

    def event_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "description": data["description"],
            "time_zone": data["time_zone"],
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "location_kind": data["location_kind"],
            "address": data["address"],
            "online_url": data["online_url"],
            "capacity": data["capacity"],
            "rsvp_deadline": data["rsvp_deadline_at"],
            "records_mode": data["records_mode"],
        }


def initial_for(event: Event) -> dict[str, Any]:
    tz = event.time_zone
    return {
        "cohort": event.cohort_id,
        "title": event.title,
        "description": event.description,
        "time_zone": tz,
        "starts": to_wall_clock(event.starts_at, tz),
        "ends": to_wall_clock(event.ends_at, tz),
        "location_kind": event.location_kind,
        "address": event.address,
        "online_url": event.online_url,
        "capacity": event.capacity,
        "rsvp_deadline": to_wall_clock(event.rsvp_deadline, tz) if event.rsvp_deadline else None,
        "records_mode": event.records_mode,
    }


SLOT_COUNT = 6


class PollForm(OneLineInputs, ZoneForm):
    cohort = forms.ModelChoiceField(
        queryset=Cohort.objects.none(), label="Cohort", empty_label=None
    )
    title = forms.CharField(max_length=200)
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=EVENT_DESCRIPTION_MAX
    )
    time_zone = forms.ChoiceField(
        choices=zone_choices, label="Time zone", help_text="The times below are in this zone."
    )
    duration_minutes = forms.IntegerField(
        min_value=15, max_value=24 * 60, initial=60, label="Length (minutes)"
    )
    closes = local_field("Answers wanted by", required=False, help_text="Optional.")

    def __init__(self, *args: Any, user, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cohort = self.fields["cohort"]
        assert isinstance(cohort, forms.ModelChoiceField)
        cohort.queryset = managed_cohorts(user)
        for number in range(1, SLOT_COUNT + 1):
            self.fields[f"slot_{number}"] = local_field(f"Time {number}", required=number <= 2)

    def slot_names(self) -> list[str]:
        return [f"slot_{n}" for n in range(1, SLOT_COUNT + 1)]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        zone_name = data.get("time_zone")
        if zone_name:
            starts = [self.to_utc(name, zone_name) for name in self.slot_names()]
            data["slot_starts"] = [start for start in starts if start is not None]
            data["closes_at"] = self.to_utc("closes", zone_name)
        return data


class PollAnswerForm(forms.Form):
    """One yes / if need be / no question per slot."""

    def __init__(self, *args: Any, slots: list[PollSlot], labels: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        for slot in slots:
            self.fields[f"slot_{slot.pk}"] = forms.ChoiceField(
                label=labels[slot.pk],
                choices=Answer.choices,
                widget=RadioSelect,
            )

    def answers(self) -> dict[int, str]:
        return {int(name.removeprefix("slot_")): value for name, value in self.cleaned_data.items()}


class SlotChoiceField(forms.ModelChoiceField):
    """A poll's times, each named by the label the form is given for it."""

    labels: dict[int, str]

    def label_from_instance(self, obj: Any) -> str:
        return self.labels[obj.pk]


class PollCloseForm(forms.Form):
    slot = SlotChoiceField(
        queryset=PollSlot.objects.none(),
        widget=RadioSelect,
        label="Schedule the event at",
        empty_label=None,
    )
    location_kind = forms.ChoiceField(
        choices=LocationKind.choices, widget=RadioSelect, label="Where", initial="online"
    )
    address = forms.CharField(max_length=300, required=False)
    online_url = forms.URLField(required=False, label="Video link", assume_scheme="https")
    capacity = forms.IntegerField(min_value=1, required=False, help_text="Empty: no limit.")

    def __init__(self, *args: Any, poll, labels: dict[int, str], **kwargs: Any) -> None:
        # Shown beside the answer form, whose slot_<pk> ids would collide with id_slot_<n>.
        kwargs.setdefault("auto_id", "close_%s")
        super().__init__(*args, **kwargs)
        field = self.fields["slot"]
        assert isinstance(field, SlotChoiceField)
        field.queryset = poll.slots.all()
        field.labels = labels

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean returns the cleaned data
        kind = data.get("location_kind")
        if kind == LocationKind.IN_PERSON and not data.get("address"):
            self.add_error("address", "Give the address for an in-person event.")
        if kind == LocationKind.ONLINE and not data.get("online_url"):
            self.add_error("online_url", "Give the video link for an online event.")
        return data
