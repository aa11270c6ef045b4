from django.contrib import admin
from django.db import models
from django.db.models import Count

from blog.images import ImageUploadField

from .models import AuthorProfile, Reviewer

# Portraits get the featured images' checks: a JPEG, PNG, WebP or GIF of sane size, or a clear
# message; the models store them under a name taken from the content.
PHOTO_FIELD = {models.ImageField: {"form_class": ImageUploadField}}


@admin.register(AuthorProfile)
class AuthorProfileAdmin(admin.ModelAdmin):
    list_display = ["__str__", "credentials", "slug"]
    list_select_related = ["user"]
    search_fields = ["user__first_name", "user__last_name", "user__username", "slug"]
    fields = ["user", "slug", "credentials", "bio", "photo"]
    formfield_overrides = PHOTO_FIELD


@admin.register(Reviewer)
class ReviewerAdmin(admin.ModelAdmin):
    list_display = ["name", "credentials", "reviewed_post_count"]
    search_fields = ["name", "credentials"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "credentials", "bio", "photo", "profile_url"]
    formfield_overrides = {**PHOTO_FIELD, models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(reviewed_post_count=Count("reviewed_posts"))

    @admin.display(description="articles reviewed", ordering="reviewed_post_count")
    def reviewed_post_count(self, reviewer):
        return reviewer.reviewed_post_count
