from django import forms
from django.core.exceptions import ValidationError

from .models import MAX_EMAIL_LENGTH, normalize_email


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label="Your email address",
        max_length=MAX_EMAIL_LENGTH,
        error_messages={
            "required": "Please enter your email address.",
            "invalid": "Please enter a valid email address, like name@example.com.",
            "max_length": "That address is too long to be a real one.",
        },
    )
    # A honeypot: hidden from people, filled in by bots that fill in every field.
    website = forms.CharField(required=False)
    # The page the form was on, kept as consent evidence.
    source = forms.CharField(required=False, max_length=500)

    def clean_email(self):
        email = normalize_email(self.cleaned_data["email"])
        # Header injection: an address must never smuggle a line break into an email header.
        if any(c in email for c in "\r\n\0"):
            raise ValidationError(self.fields["email"].error_messages["invalid"])
        return email

    def clean_source(self):
        source = self.cleaned_data["source"]
        # Only local paths: the field is evidence, not a place to store arbitrary text.
        return source if source.startswith("/") and not source.startswith("//") else ""

    @property
    def is_bot(self):
        return bool(self.data.get("website"))
