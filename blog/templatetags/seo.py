import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from blog import structured_data

register = template.Library()

# The same escapes Django's json_script uses, so no string in the data can close the tag.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data):
    payload = json.dumps(data, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))


@register.simple_tag(takes_context=True)
def post_json_ld(context, post):
    site_settings = context["site_settings"]
    return json_ld(
        structured_data.graph(
            structured_data.organization(site_settings),
            structured_data.breadcrumbs(
                (post.category.name, post.category.get_absolute_url()),
                (post.title, post.get_absolute_url()),
            ),
            structured_data.medical_web_page(post),
            structured_data.blog_posting(post, site_settings),
        )
    )


@register.simple_tag(takes_context=True)
def profile_json_ld(context, profile, name):
    """A ProfilePage for an author or reviewer, with breadcrumbs."""
    return json_ld(
        structured_data.graph(
            structured_data.organization(context["site_settings"]),
            structured_data.breadcrumbs((name, profile.get_absolute_url())),
            structured_data.profile_page(profile),
        )
    )


@register.simple_tag(takes_context=True)
def page_json_ld(context, name=None, path=None):
    """Organization (and WebSite on the home page), plus breadcrumbs when a page is named."""
    site_settings = context["site_settings"]
    nodes = [structured_data.organization(site_settings)]
    if name:
        nodes.append(structured_data.breadcrumbs((name, path)))
    else:
        nodes.append(structured_data.website(site_settings))
    return json_ld(structured_data.graph(*nodes))
