"""Post data for an admin form exactly as the browser would send it back unchanged."""

from django.forms import SplitDateTimeWidget


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
