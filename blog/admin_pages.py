"""
The site's own pages (About, Privacy…: Django's flat pages, written in CKEditor and sanitised like
articles) and its old addresses (redirects, which blog/redirects.py keeps free of chains).
"""

from ckeditor_uploader.widgets import CKEditorUploadingWidget
from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.flatpages.admin import FlatPageAdmin
from django.contrib.flatpages.forms import FlatpageForm
from django.contrib.flatpages.models import FlatPage
from django.contrib.redirects.models import Redirect
from django.db import transaction

from .html import sanitize_html
from .redirects import redirect_target_of, site_redirects


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


class RedirectForm(forms.ModelForm):
    class Meta:
        model = Redirect
        fields = ["old_path", "new_path"]
        help_texts = {
            "old_path": "The old address, starting with a slash, e.g. /old-article-name/.",
            "new_path": (
                "Where readers go instead: an address on this site (/new-article/) or a full "
                "https:// link. Leave empty to tell readers and search engines that the page "
                "is gone for good (410)."
            ),
        }

    def clean_old_path(self):
        old_path = self.cleaned_data["old_path"].strip()
        if not old_path.startswith("/"):
            raise forms.ValidationError("Start the old address with a slash, e.g. /old-name/.")
        if site_redirects().filter(old_path=old_path).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("There is already a redirect from this address.")
        return old_path

    def clean_new_path(self):
        new_path = self.cleaned_data["new_path"].strip()
        if new_path and not new_path.startswith(("/", "https://", "http://")):
            raise forms.ValidationError("Use an address starting with / or a full https:// link.")
        return new_path

    def clean(self):
        cleaned = super().clean()
        old_path, new_path = cleaned.get("old_path"), cleaned.get("new_path")
        if old_path and old_path == new_path:
            self.add_error("new_path", "An address cannot redirect to itself.")
        elif new_path and (onward := redirect_target_of(new_path)) is not None:
            # Redirects always point at a live address; that is what keeps chains and loops out.
            where = onward or "nowhere (it is marked as gone)"
            self.add_error(
                "new_path", f"{new_path} itself redirects to {where}; point straight there."
            )
        return cleaned


admin.site.unregister(Redirect)


@admin.register(Redirect)
class RedirectAdmin(admin.ModelAdmin):
    """Redirects for this site; saving one moves the redirects that pointed at its old address."""

    form = RedirectForm
    list_display = ["old_path", "new_path_or_gone"]
    search_fields = ["old_path", "new_path"]

    @admin.display(description="redirect to", ordering="new_path")
    def new_path_or_gone(self, redirect):
        return redirect.new_path or "Gone (410)"

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        obj.site_id = settings.SITE_ID
        super().save_model(request, obj, form, change)
        # Redirects that led to this old address now go straight on to the new one.
        site_redirects().filter(new_path=obj.old_path).exclude(pk=obj.pk).update(
            new_path=obj.new_path
        )
