from __future__ import annotations

from django import forms

from messaging.discussions.models import MAX_BODY, Board, EmailFrequency, MailKind, ReactionKind
from network.forms import OneLineInputs
from network.models import Member, RecordsMode

BODY_HELP = (
    "Markdown: **bold**, *italic*, > quote, - list, [link](https://…). "
    "Type @ and a name to mention someone who can see this board."
)


def _body(label: str = "Message") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=MAX_BODY,
        help_text=BODY_HELP,
        widget=forms.Textarea(attrs={"rows": 6, "class": "usa-textarea"}),
    )


class ThreadForm(OneLineInputs, forms.Form):
    title = forms.CharField(max_length=200, widget=forms.TextInput(attrs={"class": "usa-input"}))
    body = _body()


class ReplyForm(forms.Form):
    body = _body("Your reply")
    quote_of = forms.IntegerField(required=False, widget=forms.HiddenInput)


class EditForm(forms.Form):
    body = _body()


class ReactionForm(forms.Form):
    kind = forms.ChoiceField(choices=ReactionKind.choices)


class ReportForm(forms.Form):
    reason = forms.CharField(
        label="Why should a moderator look at this post?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4, "class": "usa-textarea"}),
    )


class FollowForm(forms.Form):
    level = forms.ChoiceField(
        choices=[("follow", "Follow"), ("mute", "Mute"), ("default", "Default")]
    )


class ThreadModerationForm(forms.Form):
    action = forms.ChoiceField(
        choices=[(a, a) for a in ("pin", "unpin", "lock", "unlock", "move", "records")]
    )
    board = forms.ModelChoiceField(
        queryset=Board.objects.none(), required=False, to_field_name="slug"
    )
    records_mode = forms.ChoiceField(choices=RecordsMode.choices, required=False)
    confirm_records = forms.BooleanField(required=False)

    def __init__(self, *args, boards=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if boards is not None:
            board = self.fields["board"]
            assert isinstance(board, forms.ModelChoiceField)
            board.queryset = boards

    def clean(self) -> dict:
        data = super().clean()
        assert data is not None  # Form.clean returns the cleaned data
        if data.get("action") == "move" and not data.get("board"):
            self.add_error("board", "Choose the board to move the thread to.")
        if data.get("action") == "records":
            if not data.get("records_mode"):
                self.add_error("records_mode", "Choose the thread's new records mode.")
            if not data.get("confirm_records"):
                self.add_error(
                    "confirm_records",
                    "Confirm that the people who wrote here expected the old records mode.",
                )
        return data


class HideForm(forms.Form):
    hidden = forms.BooleanField(required=False)


class MuteForm(forms.Form):
    member = forms.ModelChoiceField(
        queryset=Member.objects.none(), widget=forms.Select(attrs={"class": "usa-select"})
    )
    hours = forms.TypedChoiceField(
        label="For how long",
        coerce=int,
        choices=[(1, "1 hour"), (24, "1 day"), (168, "1 week"), (720, "30 days")],
        widget=forms.Select(attrs={"class": "usa-select"}),
    )
    reason = forms.CharField(
        max_length=300, required=False, widget=forms.TextInput(attrs={"class": "usa-input"})
    )

    def __init__(self, *args, members, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        member = self.fields["member"]
        assert isinstance(member, forms.ModelChoiceField)
        member.queryset = members


class ResolveForm(forms.Form):
    action = forms.ChoiceField(choices=[("dismiss", "Dismiss"), ("hide", "Hide the post")])


class PreferenceForm(forms.Form):
    frequency = forms.ChoiceField(
        label="Replies, mentions and direct messages",
        choices=EmailFrequency.choices,
        widget=forms.RadioSelect(attrs={"class": "usa-radio__input"}),
    )
    events = forms.BooleanField(required=False, label=MailKind.EVENTS.label)
    reminders = forms.BooleanField(required=False, label=MailKind.REMINDERS.label)
    announcements = forms.BooleanField(required=False, label=MailKind.ANNOUNCEMENTS.label)
    nudges = forms.BooleanField(required=False, label=MailKind.NUDGES.label)

    ON_OFF = ("events", "reminders", "announcements", "nudges")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in self.ON_OFF:
            self.fields[name].widget.attrs["class"] = "usa-checkbox__input"

    def kinds(self) -> dict[str, bool]:
        return {name: self.cleaned_data[name] for name in self.ON_OFF}
