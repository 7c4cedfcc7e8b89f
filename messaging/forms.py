"""Forms for the chat page's plain-HTML fallbacks."""

from __future__ import annotations

from django import forms

from messaging.models.chat import MAX_BODY, MAX_GROUP_SIZE
from network.access import visible_members
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

    def clean(self) -> dict:
        data = super().clean()
        if data.get("member") is None and not (data.get("name") or "").strip():
            raise forms.ValidationError("Choose someone.")
        return data


class GroupForm(OneLineInputs, forms.Form):
    name = forms.CharField(label="Group name", max_length=120)
    members = forms.ModelMultipleChoiceField(
        label=f"People (up to {MAX_GROUP_SIZE - 1} besides you)", queryset=Member.objects.none()
    )

    def __init__(self, *args, user, member: Member, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = visible_members(user).exclude(pk=member.pk)

    def clean_members(self) -> list[Member]:
        people = list(self.cleaned_data["members"])
        if len(people) > MAX_GROUP_SIZE - 1:
            raise forms.ValidationError(f"A group has at most {MAX_GROUP_SIZE} people.")
        return people
