import hashlib

from django import template
from django.utils.safestring import mark_safe

import pagecache
from blog.body_images import with_responsive_images
from blog.html import sanitize_html

register = template.Library()


@register.filter
def sanitized(html):
    """
    Rich text sanitised as it is shown. Django's flat page view marks a page's title and content
    safe, so whatever reached the database without the admin's sanitising (an import, a fixture,
    the shell) would otherwise be rendered as it is.
    """
    return mark_safe(sanitize_html(str(html)))  # noqa: S308 nh3 leaves only safe markup


@register.filter
def with_snippets(html):
    """Rich text, sanitised, with its [snippet key] shortcodes replaced by the snippets."""
    from blog.snippets import expand_snippets

    return expand_snippets(sanitize_html(str(html)))


@register.filter
def responsive_images(html):
    """
    Sanitised rich text with its library images as responsive pictures (blog/body_images.py),
    worked out once per page cache generation: put it after |sanitized.
    """
    html = str(html)
    key = ("responsive-images", hashlib.sha256(html.encode()).hexdigest())
    # with_responsive_images only adds markup built from escaped values to sanitised HTML.
    return mark_safe(pagecache.per_generation(key, lambda: with_responsive_images(html)))  # noqa: S308
