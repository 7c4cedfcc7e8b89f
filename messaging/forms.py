"""Forms for the chat page's plain-HTML fallbacks."""

from __future__ import annotations

from typing import Any

from django import forms

from messaging.access.chat import conversable_members
from messaging.models.chat import MAX_BODY, MAX_GROUP_SIZE
from network.forms import OneLineInputs
from network.models import Member


class SendForm(forms.Form):
    body = forms.CharField(
        label="Message", max_length=MAX_BODY, widget=forms.Textarea(attrs={"rows": 2})
    )
    client_id = forms.CharField(max_length=64, widget=forms.HiddenInput)


class DirectForm(forms.Form):
    """The picker's chosen id, or (without JavaScript) the name typed into it."""

    member = forms.IntegerField(min_value=1, required=False)
    name = forms.CharField(max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("member") is None and not (data.get("name") or "").strip():
            raise forms.ValidationError("Choose someone.")
        return data


class GroupForm(OneLineInputs, forms.Form):
    name = forms.CharField(label="Group name", max_length=120)
    members = forms.ModelMultipleChoiceField(
        label=f"People (up to {MAX_GROUP_SIZE - 1} besides you)", queryset=Member.objects.none()
    )

    def __init__(self, *args, member: Member, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        members = self.fields["members"]
        assert isinstance(members, forms.ModelMultipleChoiceField)
        members.queryset = conversable_members(member)

    def clean_members(self) -> list[Member]:
        people = list(self.cleaned_data["members"])
        if len(people) > MAX_GROUP_SIZE - 1:
            raise forms.ValidationError(f"A group has at most {MAX_GROUP_SIZE} people.")
        return people
