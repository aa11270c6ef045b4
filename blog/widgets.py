from django.utils.html import format_html, format_html_join
from taggit.forms import TagWidget
from taggit.models import Tag


class TagAutocompleteWidget(TagWidget):
    """Comma-separated tags with suggestions from the existing tags, so editors reuse them."""

    class Media:
        js = ["blog/admin/tag_autocomplete.js"]

    def render(self, name, value, attrs=None, renderer=None):
        attrs = {**(attrs or {}), "autocomplete": "off", "data-tag-autocomplete": ""}
        list_id = f"{attrs.get('id', name)}-suggestions"
        attrs["list"] = list_id
        names = Tag.objects.order_by("name").values_list("name", flat=True)
        options = format_html_join("", '<option value="{}">', ((name,) for name in names))
        return format_html(
            '{}<datalist id="{}" data-tag-names>{}</datalist>',
            super().render(name, value, attrs, renderer),
            list_id,
            options,
        )
