"""
Choosing a post's featured image from the media library. Without JavaScript the field is a
plain list of the library's images; library-picker.js turns it into a button that opens the
library's browse page (thumbnails, search) in a dialog.
"""

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils.html import format_html

from .media_library import FEATURED_MIN_WIDTH, LibraryImage


class LibraryPickerWidget(forms.Select):
    class Media:
        js = ["blog/admin/library-picker.js"]
        css = {"all": ["blog/admin/library.css"]}

    def render(self, name, value, attrs=None, renderer=None):
        attrs = {**(attrs or {}), "data-library-picker": reverse("ckeditor_browse")}
        chosen = LibraryImage.objects.filter(pk=value).first() if str(value).isdigit() else None
        preview = (
            format_html('<img src="{}" alt="" width="160">', chosen.thumbnail_url) if chosen else ""
        )
        return format_html(
            '{}<div class="library-picker__preview" data-library-preview>{}</div>',
            super().render(name, value, attrs, renderer),
            preview,
        )


class LibraryImageChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            queryset=LibraryImage.objects.order_by("-uploaded_at", "-pk"),
            required=False,
            widget=LibraryPickerWidget,
            label="Choose from the media library",
            empty_label="(none)",
            help_text="Or pick an image already in the library. Landscape, at least "
            f"{FEATURED_MIN_WIDTH} px wide. A new upload above takes precedence.",
            **kwargs,
        )

    def label_from_instance(self, image):
        return f"{image} ({image.width} × {image.height} px)"


def initial_library_image(post):
    """The id of the library entry of the post's current featured image, or None."""
    if not post.featured_image:
        return None
    return (
        LibraryImage.objects.filter(file=post.featured_image.name)
        .values_list("pk", flat=True)
        .first()
    )


def apply_library_choice(form, cleaned_data):
    """
    Make the image picked from the library the post's featured image (with its alt text when
    the post gives none), unless a new file was uploaded, which takes precedence. Picking
    "(none)" instead of the current image removes it from the post.
    """
    if "library_image" not in cleaned_data:
        return
    picked = cleaned_data["library_image"]
    if (picked.pk if picked else None) == form.initial.get("library_image") or isinstance(
        cleaned_data.get("featured_image"), UploadedFile
    ):
        return
    cleaned_data["featured_image"] = picked.file.name if picked else False
    if picked and not cleaned_data.get("featured_image_alt"):
        cleaned_data["featured_image_alt"] = picked.reader_alt
