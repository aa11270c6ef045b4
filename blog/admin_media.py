"""The media library in the admin: upload, describe, find, see where used, delete when unused."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from .images import ImageUploadField, clean_image
from .media_library import LibraryImage, content_digest


class AttentionFilter(admin.SimpleListFilter):
    title = "needs attention"
    parameter_name = "attention"

    def lookups(self, request, model_admin):
        return [
            ("any", "Missing alt text or credit"),
            ("alt", "Missing alt text (and not decorative)"),
            ("credit", "Missing credit"),
        ]

    def queryset(self, request, queryset):
        return {
            "any": queryset.needing_attention,
            "alt": queryset.missing_alt,
            "credit": queryset.missing_credit,
        }.get(self.value(), lambda: queryset)()


class UseFilter(admin.SimpleListFilter):
    title = "use"
    parameter_name = "use"

    def lookups(self, request, model_admin):
        return [("used", "Used on the site"), ("unused", "Not used anywhere")]

    def queryset(self, request, queryset):
        if self.value() in ("used", "unused"):
            return queryset.filter(in_use=self.value() == "used")
        return queryset


class LibraryImageForm(forms.ModelForm):
    class Meta:
        model = LibraryImage
        fields = ["file", "title", "alt", "decorative", "caption", "credit", "licence"]
        field_classes = {"file": ImageUploadField}
        widgets = {"caption": forms.TextInput(attrs={"class": "vLargeTextField"})}

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            digest = content_digest(clean_image(upload))
            same = LibraryImage.objects.filter(digest=digest).exclude(pk=self.instance.pk).first()
            if same is not None:
                raise ValidationError(
                    f"This image is already in the library as “{same}” (no. {same.pk}): "
                    "use that one instead of uploading it again."
                )
        return upload


@admin.register(LibraryImage)
class LibraryImageAdmin(admin.ModelAdmin):
    form = LibraryImageForm
    list_display = [
        "thumbnail",
        "__str__",
        "alt_text",
        "credit",
        "licence",
        "dimensions",
        "is_in_use",
    ]
    list_display_links = ["thumbnail", "__str__"]
    list_filter = [AttentionFilter, UseFilter, "decorative", "uploaded_at"]
    search_fields = ["title", "alt", "caption", "credit", "licence", "file"]
    date_hierarchy = "uploaded_at"
    list_per_page = 50
    readonly_fields = ["preview", "dimensions", "uses", "uploaded_at", "uploaded_by"]

    class Media:
        css = {"all": ["blog/admin/library.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).with_in_use().select_related("uploaded_by")

    def get_fieldsets(self, request, obj=None):
        image = ["file"] if obj is None else ["preview", "dimensions"]
        described = ["title", "alt", "decorative", "caption", "credit", "licence"]
        fieldsets = [(None, {"fields": [*image, *described]})]
        if obj is not None:
            fieldsets.append(("Where it is used", {"fields": ["uses"]}))
            fieldsets.append(("Upload", {"fields": ["uploaded_at", "uploaded_by"]}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        # The picture itself never changes: posts point at its file, so upload a new one.
        return [*self.readonly_fields, "file"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    def get_deleted_objects(self, objs, request):
        """Refuse to delete images in use, listing where: the admin shows them as protected."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        for image in objs:
            for kind, title, url in image.uses():
                protected.append(
                    format_html('{}: <a href="{}">{}</a> shows “{}”', kind, url, title, image)
                )
        return deleted, counts, perms_needed, protected

    @admin.display(description="image")
    def thumbnail(self, image):
        return format_html(
            '<img class="library-thumbnail" src="{}" alt="" width="120" loading="lazy">',
            image.thumbnail_url,
        )

    @admin.display(description="preview")
    def preview(self, image):
        return format_html(
            '<a href="{}"><img class="library-preview" src="{}" alt="{}"></a>',
            image.url,
            image.thumbnail_url,
            image.reader_alt,
        )

    @admin.display(description="alt text")
    def alt_text(self, image):
        if image.decorative:
            return "(decorative)"
        if not image.alt:
            return format_html('<strong class="library-missing">{}</strong>', "Missing")
        return Truncator(image.alt).chars(80)

    @admin.display(description="size")
    def dimensions(self, image):
        return f"{image.width} × {image.height} px" if image.width else "—"

    @admin.display(description="in use", boolean=True, ordering="in_use")
    def is_in_use(self, image):
        return image.in_use

    @admin.display(description="used in")
    def uses(self, image):
        found = image.uses()
        if not found:
            return "Not used on the site yet: it can be deleted."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "", '<li>{}: <a href="{}">{}</a></li>', ((k, u, t) for k, t, u in found)
            ),
        )
