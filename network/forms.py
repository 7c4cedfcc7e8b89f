from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from network import access, seats, services
from network.directory import SORTS
from network.models import Agency, Cohort, Member, MemberType, Position, Program, Role
from network.timezones import zone_choices

LINE_BREAKS = re.compile(r"\s*[\r\n\v\f\x85\u2028\u2029]+\s*")


# What a form mixin may call on the form it is mixed into, for the type checker only.
if TYPE_CHECKING:
    FormBase = forms.BaseForm
else:
    FormBase = object


class WallClockField(forms.DateTimeField):
    """A naive wall-clock time. Django would read it in the server's zone (and refuse times that
    do not exist there); the form reads it in the zone the person chose instead."""

    def to_python(self, value: Any) -> datetime | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.replace(tzinfo=None)
        return forms.fields.BaseTemporalField.to_python(self, value)


class OneLineInputs:
    """A form whose text inputs hold one line each.

    Browsers cannot type a line break into an `<input>`, but a crafted request can, and a title
    or name with one would break every e-mail header it reaches. So a line break becomes a space
    here, before any service sees the value.
    """

    fields: dict[str, forms.Field]

    def clean(self) -> dict:
        data = super().clean()  # type: ignore[misc]
        for name, field in self.fields.items():
            value = data.get(name)
            if isinstance(value, str) and isinstance(field.widget, forms.TextInput):
                data[name] = LINE_BREAKS.sub(" ", value).strip()
        return data


class SignupForm(OneLineInputs, forms.Form):
    """Extra fields on allauth's sign-up form."""

    name = forms.CharField(
        max_length=150, label="Full name", widget=forms.TextInput(attrs={"autocomplete": "name"})
    )

    def signup(self, request, user) -> None:
        """allauth calls this after the user is made; the name is used by the adapter."""


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Agency) -> str:
        return f"— {obj.name}" if obj.parent_id else obj.name


class TagsField(forms.CharField):
    """Comma-separated tags from the shared vocabulary; new ones are added to it."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 1000)
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {"data-tags": "true", "autocomplete": "off", "list": "convene-tag-list"}
        )

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(tag) for tag in value)
        return value

    # A list of tags made of the text: CharField's cleaning, then the split.
    def to_python(self, value) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        self.run_validators(text)  # NUL and length on the text typed, not on the list made of it
        return services.split_tags(text)


class ProfileForm(OneLineInputs, forms.ModelForm):
    expertise_tags = TagsField(
        label="Expertise", help_text="Separate tags with commas, e.g. procurement, cybersecurity."
    )
    challenge_tags = TagsField(
        label="Challenges I am working on",
        help_text="Separate tags with commas, e.g. workforce retention, AI adoption.",
    )
    time_zone = forms.ChoiceField(choices=zone_choices)
    avatar_upload = forms.ImageField(
        label="Profile picture",
        required=False,
        help_text="JPEG or PNG, up to 5 MB. It is cropped to a square.",
    )
    remove_avatar = forms.BooleanField(label="Remove my picture", required=False)

    class Meta:
        model = Member
        fields = [
            "name", "headline", "member_type", "agency", "organisation", "bio", "time_zone",
            "visibility", "phone", "email_visibility", "phone_visibility", "contact_method",
            "contact_note",
        ]  # fmt: skip
        field_classes = {"agency": AgencyChoiceField}
        labels = {
            "organisation": "Organisation (if not a government agency)",
            "bio": "About me",
            "visibility": "Who can see my profile",
            "email_visibility": "Who can see my e-mail address",
            "phone_visibility": "Who can see my phone number",
            "contact_method": "Best way to reach me",
            "contact_note": "Contact note",
        }
        help_texts = {
            "bio": "Markdown: **bold**, *italic*, lists and links.",
            "visibility": "Hidden profiles are seen only by you, your cohorts' managers and "
            "administrators.",
        }
        widgets = {"bio": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        agency = self.fields["agency"]
        assert isinstance(agency, forms.ModelChoiceField)
        agency.queryset = Agency.objects.order_by("name")
        agency.empty_label = "None"
        if self.instance.pk:
            self.fields["expertise_tags"].initial = list(self.instance.expertise.all())
            self.fields["challenge_tags"].initial = list(self.instance.challenges.all())

    def clean_avatar_upload(self):
        upload = self.cleaned_data.get("avatar_upload")
        return services.avatar_thumbnail(upload) if upload else None


class PredecessorMixin(FormBase):
    """The "previous holder of this seat" field: a member's name, offered by autocomplete."""

    def _set_up_predecessor(self, *, viewer, holder: Member, current: Position | None) -> None:
        self.viewer, self.holder, self.current = viewer, holder, current
        field = forms.CharField(
            required=False,
            max_length=150,
            label="Previous holder of this seat",
            help_text="Start typing a name; both holders' profiles then introduce them."
            + (" Leave empty to remove the link." if current else ""),
            widget=forms.TextInput(attrs={"autocomplete": "off", "list": "convene-member-list"}),
        )
        before = current.succeeds.member if current and current.succeeds else None
        self.keeps_unseen = before is not None and not (
            access.visible_members(viewer).filter(pk=before.pk).exists()
        )
        if self.keeps_unseen:
            # Never name someone the viewer may not see; an empty field keeps the link.
            field.help_text = (
                "A previous holder you cannot see is linked. Name someone to replace them."
            )
        elif before is not None:
            field.initial = before.name
        self.fields["predecessor_name"] = field

    def clean_predecessor(self, *, title: str, agency, organisation: str) -> Position | None:
        name = " ".join(self.cleaned_data.get("predecessor_name", "").split())
        if not name:
            return self.current.succeeds if self.keeps_unseen and self.current else None
        try:
            return seats.previous_holder_role(
                viewer=self.viewer, holder=self.holder, name=name,
                title=title, agency=agency, organisation=organisation,
            )  # fmt: skip
        except ValidationError as error:
            self.add_error("predecessor_name", error)
            return None


class PositionForm(OneLineInputs, PredecessorMixin, forms.ModelForm):
    """A role in the member's own history, with the seat's previous holder if they know them."""

    class Meta:
        model = Position
        fields = ["title", "agency", "organisation", "starts_on", "ends_on"]
        field_classes = {"agency": AgencyChoiceField}
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {"ends_on": "Leave empty for your current role."}

    def __init__(self, *args, viewer, holder: Member, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        current = self.instance if self.instance.pk else None
        self._set_up_predecessor(viewer=viewer, holder=holder, current=current)

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            raise ValidationError("The end date is before the start date.")
        if data.get("title"):
            data["succeeds"] = self.clean_predecessor(
                title=data["title"],
                agency=data.get("agency"),
                organisation=data.get("organisation", ""),
            )
        data.pop("predecessor_name", None)
        return data


class PredecessorForm(PredecessorMixin, forms.Form):
    """Linking the previous holder of someone else's seat (their managers and administrators)."""

    def __init__(self, *args, viewer, position: Position, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.position = position
        self._set_up_predecessor(viewer=viewer, holder=position.member, current=position)

    def clean(self):
        data = super().clean()
        assert data is not None  # Form.clean returns the cleaned data
        position = self.position
        data["succeeds"] = self.clean_predecessor(
            title=position.title, agency=position.agency, organisation=position.organisation
        )
        return data


class DirectoryForm(forms.Form):
    """The directory's query string; unknown values are ignored rather than refused."""

    q = forms.CharField(required=False, max_length=200, label="Search")
    member_type = forms.ChoiceField(required=False, label="Member type")
    agency = forms.CharField(required=False, max_length=30)
    program = forms.SlugField(required=False)
    cohort = forms.SlugField(required=False)
    expertise = forms.SlugField(required=False, max_length=80)
    challenge = forms.SlugField(required=False, max_length=80)
    time_zone = forms.CharField(required=False, max_length=64, label="Time zone")
    sort = forms.ChoiceField(required=False, choices=list(SORTS.items()), label="Sort by")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        member_type = self.fields["member_type"]
        assert isinstance(member_type, forms.ChoiceField)
        member_type.choices = [("", "Any"), *MemberType.choices]

    def filters(self):
        from network.directory import Filters

        if not self.is_valid():
            return Filters(**{k: v for k, v in self.cleaned_data.items() if v})
        return Filters(**{k: (v or "") for k, v in self.cleaned_data.items()})


class CohortForm(OneLineInputs, forms.ModelForm):
    class Meta:
        model = Cohort
        fields = ["program", "name", "description", "starts_on", "ends_on"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, programs: QuerySet[Program], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        program = self.fields["program"]
        assert isinstance(program, forms.ModelChoiceField)
        program.queryset = programs.order_by("name")

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            raise ValidationError("The cohort ends before it starts.")
        return data


class InviteForm(forms.Form):
    emails = forms.CharField(
        label="E-mail addresses",
        help_text="One per line, or separated by commas.",
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    role = forms.ChoiceField(choices=Role.choices, initial=Role.MEMBER, label="Role in the cohort")

    def clean_emails(self) -> list[str]:
        raw = self.cleaned_data["emails"].replace(",", "\n").replace(";", "\n").split()
        emails, bad = [], []
        for item in raw:
            try:
                email = services.normalise_email(item)
            except ValidationError:
                bad.append(item)
                continue
            if email not in emails:
                emails.append(email)
        if bad:
            raise ValidationError(f"Not e-mail addresses: {', '.join(bad)}")
        return emails


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns: name, email, member type, agency, title. A header row is optional.",
    )


class AddMemberForm(forms.Form):
    """One person by address: always an invitation they accept, whether or not they are already
    a member, so the form never tells a manager whether an address belongs to someone."""

    email = forms.EmailField(label="E-mail address")
    role = forms.ChoiceField(choices=Role.choices, initial=Role.MEMBER, label="Role")

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)
