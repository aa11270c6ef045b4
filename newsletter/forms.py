from django import forms
from django.contrib.auth.base_user import BaseUserManager
from django.core.exceptions import ValidationError

from .models import MAX_EMAIL_LENGTH, Subscriber


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
    # The page the form was on, kept as consent evidence. Hidden from people, so nothing in it
    # can be their mistake: what isn't a local path that fits the column is dropped, not refused.
    source = forms.CharField(required=False, strip=False)

    def clean_email(self):
        email = BaseUserManager.normalize_email(self.cleaned_data["email"])
        # Header injection: an address must never smuggle a line break into an email header.
        if any(c in email for c in "\r\n\0"):
            raise ValidationError(self.fields["email"].error_messages["invalid"])
        return email

    def clean_source(self):
        source = self.cleaned_data["source"]
        # Only local paths: the field is evidence, not a place to store arbitrary text.
        local = source.startswith("/") and not source.startswith("//")
        printable = source.isprintable() and not any(c.isspace() for c in source)
        fits = len(source) <= Subscriber._meta.get_field("source_url").max_length
        return source if local and printable and fits else ""

    def first_error(self):
        """The message to show: the address's own, or else the first any field gave."""
        errors = self.errors.get("email") or next(iter(self.errors.values()))
        return errors[0]

    @property
    def is_bot(self):
        return bool(self.data.get("website"))
