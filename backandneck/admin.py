from ckeditor_uploader.widgets import CKEditorUploadingWidget
from django import forms
from django.contrib import admin
from django.contrib.flatpages.admin import FlatPageAdmin
from django.contrib.flatpages.forms import FlatpageForm
from django.contrib.flatpages.models import FlatPage

from blog.html import sanitize_html

from .models import SiteSettings, SocialLink


class SocialLinkInline(admin.TabularInline):
    model = SocialLink
    extra = 1


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    inlines = [SocialLinkInline]

    def has_add_permission(self, request):
        return not SiteSettings.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False


class PageForm(FlatpageForm):
    content = forms.CharField(widget=CKEditorUploadingWidget(), required=False)

    def clean_content(self):
        # Pages are rendered as raw HTML, so they get the same sanitising as articles.
        return sanitize_html(self.cleaned_data["content"])


admin.site.unregister(FlatPage)


@admin.register(FlatPage)
class PageAdmin(FlatPageAdmin):
    form = PageForm
    list_display = ["url", "title"]
