"""The form for a cohort's nudge e-mail (kept apart from network/forms.py, which is busy)."""

from __future__ import annotations

from django import forms

from network.models import NudgeTemplate


class NudgeTemplateForm(forms.ModelForm):
    class Meta:
        model = NudgeTemplate
        fields = ["subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 10})}
        help_texts = {
            "body": "Plain text. {name}, {cohort}, {link} and {manager} are filled in for each "
            "person: their name, the cohort, a link to it and your name."
        }
