"""Post data for admin forms as a browser sends it: a new post typed in, or a saved one sent back
unchanged."""

from django.forms import SplitDateTimeWidget


def post_form_data(category, **overrides):
    """The post add form, filled in with a plain post in `category`."""
    return {
        "title": "How to sit at a desk",
        "slug": "how-to-sit-at-a-desk",
        "category": category.pk,
        "tags": "posture, desk",
        "excerpt": "Sit well.",
        "body": "<p>Feet flat on the floor.</p>",
        "featured_image_alt": "",
        "seo_title": "",
        "meta_description": "",
        "review_interval_months": "12",
        "references-TOTAL_FORMS": "0",
        "references-INITIAL_FORMS": "0",
        "care_cards-TOTAL_FORMS": "0",
        "care_cards-INITIAL_FORMS": "0",
        "preview_links-TOTAL_FORMS": "0",
        "preview_links-INITIAL_FORMS": "0",
        **overrides,
    }


def prefilled(response):
    """The change form's fields and its inlines' saved rows, from a rendered admin page."""
    data = {}
    for field in response.context["adminform"].form:
        add_field(data, field)
    for inline in response.context.get("inline_admin_formsets", []):
        for field in inline.formset.management_form:
            data[field.html_name] = field.value()
        for form in inline.formset.initial_forms:
            for field in form:
                add_field(data, field)
    return data


def add_field(data, field):
    if field.name == "featured_image":  # A browser sends no file when none is chosen.
        return
    value = field.value()
    if isinstance(field.field.widget, SplitDateTimeWidget):
        date, time = field.field.widget.decompress(value)
        data[f"{field.html_name}_0"], data[f"{field.html_name}_1"] = date or "", time or ""
    elif value is None or value is False:
        return
    elif field.name == "tags":
        data["tags"] = value if isinstance(value, str) else ", ".join(tag.name for tag in value)
    else:
        data[field.html_name] = value
