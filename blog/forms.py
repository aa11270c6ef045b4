import copy

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import construct_instance

from . import autosave
from .checklist import check_post
from .library_picker import LibraryImageChoiceField, apply_library_choice, initial_library_image
from .models import Feedback, Post
from .review import MESSAGE_LENGTH


class PostAdminForm(forms.ModelForm):
    """
    The admin's post form (PostAdmin supplies the model and fields): publishing is refused
    while the checklist has errors, unless an editor confirms the override.
    """

    publish_anyway = forms.BooleanField(
        label="Publish despite checklist errors",
        required=False,
        help_text="Only after reading the checklist: readers will see the problems it lists.",
    )
    # The version of the post the form was opened at (see blog/autosave.py); rendered by
    # templates/admin/blog/post/change_form.html, so it is in no fieldset.
    opened_version = forms.CharField(required=False, widget=forms.HiddenInput)
    # The review step (blog/review.py): the author's note on submitting, or the editor's on
    # sending the draft back; and an outside reviewer's address for a preview link.
    review_message = forms.CharField(
        label="Note for the review",
        required=False,
        max_length=MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"}),
        help_text="Authors: what the editor should look at. Editors: what the author should "
        "change, when you send the draft back. Plain text.",
    )
    reviewer_email = forms.EmailField(
        label="Email a preview link to",
        required=False,
        help_text="An outside reviewer’s address: they get a link to read this draft (no "
        "account needed) and leave notes on its paragraphs, with “Save and email preview link”.",
    )

    library_image = LibraryImageChoiceField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["opened_version"] = autosave.version_of(self.instance)
        self.initial.setdefault("library_image", initial_library_image(self.instance))

    def clean(self):
        cleaned_data = super().clean()
        apply_library_choice(self, cleaned_data)
        if "_send_back" in self.data and not cleaned_data.get("review_message"):
            self.add_error(
                "review_message", "Write what the author should change, then send it back."
            )
        if "_send_preview" in self.data and not cleaned_data.get("reviewer_email"):
            self.add_error("reviewer_email", "Enter the reviewer’s email address first.")
        self.refuse_to_overwrite_a_newer_version()
        main, others = cleaned_data.get("category"), cleaned_data.get("other_categories")
        if main and others and main in others:
            self.add_error(
                "other_categories",
                f"“{main}” is already the article's main category; leave it out here.",
            )
        # Only editors have the status field; an author's post is always saved as a draft.
        if cleaned_data.get("status") != Post.Status.RELEASED or cleaned_data.get("publish_anyway"):
            return cleaned_data
        # Check the post as it is about to be saved, without touching the form's instance.
        post = construct_instance(self, copy.copy(self.instance))
        if errors := check_post(post).errors:
            raise ValidationError(
                [
                    "Not published: the checklist found problems readers would see. Fix them, "
                    "or tick “Publish despite checklist errors” and save again.",
                    *(check.message for check in errors),
                ]
            )
        return cleaned_data

    def refuse_to_overwrite_a_newer_version(self):
        """
        Someone saved the post after this form was opened: say so instead of silently
        replacing their words. The form keeps what was typed, and now carries the newer
        version, so saving again (having looked) does replace it.
        """
        opened = autosave.parse_version(self.data.get("opened_version"))
        current = self.instance.updated_at if self.instance.pk else None
        if opened is None or current is None or current <= opened:
            return
        self.data = self.data.copy()
        self.data["opened_version"] = current.isoformat()
        raise ValidationError(
            f"Not saved: {autosave.last_saved_by(self.instance)} saved this article at "
            f"{autosave.local_time(current)}, after you opened it. Your changes are still in "
            "the form below. To see theirs, open the article in another tab; to replace "
            "their version with yours, save again."
        )


class FeedbackForm(forms.Form):
    """ "Was this page helpful?" under every article."""

    helpful = forms.TypedChoiceField(
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda answer: answer == "yes",
        error_messages={"required": "Choose yes or no.", "invalid_choice": "Choose yes or no."},
    )
    comment = forms.CharField(
        required=False,
        max_length=Feedback.COMMENT_LENGTH,
        error_messages={"max_length": "Please keep your comment to %(limit_value)d characters."},
    )
    # A field people never see (templates/blog/includes/feedback_form.html): bots fill it in.
    website = forms.CharField(required=False)

    @property
    def is_bot(self):
        return bool(self.data.get("website"))

    def first_error(self):
        return next(iter(self.errors.values()))[0]
