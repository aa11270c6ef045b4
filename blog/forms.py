import copy

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import construct_instance

from .checks import check_post
from .library_picker import LibraryImageChoiceField, apply_library_choice, initial_library_image
from .models import Feedback, Post


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
    library_image = LibraryImageChoiceField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("library_image", initial_library_image(self.instance))

    def clean(self):
        cleaned_data = super().clean()
        apply_library_choice(self, cleaned_data)
        main, others = cleaned_data.get("category"), cleaned_data.get("other_categories")
        if main and others and main in others:
            self.add_error(
                "other_categories",
                f"“{main}” is already the article's main category; leave it out here.",
            )
        # Only editors have the status field; an author's post is always saved as a draft.
        if cleaned_data.get("status") != Post.Status.PUBLISHED or cleaned_data.get(
            "publish_anyway"
        ):
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
    # A field people never see (templates/includes/feedback_form.html): bots fill it in.
    website = forms.CharField(required=False)

    @property
    def is_bot(self):
        return bool(self.data.get("website"))

    def first_error(self):
        return next(iter(self.errors.values()))[0]
