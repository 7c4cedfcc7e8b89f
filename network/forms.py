from __future__ import annotations

from django import forms


class SignupForm(forms.Form):
    """Extra fields on allauth's sign-up form."""

    name = forms.CharField(
        max_length=150, label="Full name", widget=forms.TextInput(attrs={"autocomplete": "name"})
    )

    def signup(self, request, user) -> None:
        """allauth calls this after the user is made; the name is used by the adapter."""
