"""
Reusable snippets: texts such as the medical disclaimer, edited once and inserted by reference
("[snippet medical-disclaimer]") into articles, flat pages and the newsletter's intro, so that
one edit updates every page. Snippets are content (declared in blog/apps.py): a
change starts a new page cache generation, and each process reads them once per generation.
"""

import re

from ckeditor.fields import RichTextField
from django.db import models
from django.utils.html import format_html
from django.utils.safestring import mark_safe

import pagecache
from pagecache import ContentQuerySet

from .html import SNIPPET_SHORTCODE, plain_text, sanitize_html

# A shortcode alone in its paragraph (how CKEditor keeps it) becomes the snippet's own blocks;
# one inside a sentence becomes its text.
BLOCK_SHORTCODE = re.compile(r"<p>\s*" + SNIPPET_SHORTCODE.pattern + r"\s*</p>", re.ASCII)


class Snippet(models.Model):
    name = models.CharField(
        max_length=100, help_text="What editors see in the list, e.g. “Medical disclaimer”."
    )
    slug = models.SlugField(
        "key",
        max_length=60,
        unique=True,
        help_text="Names the snippet in the text: [snippet medical-disclaimer]. Changing it "
        "breaks the pages that use the old key (the checklist lists them).",
    )
    body = RichTextField(
        "text",
        config_name="snippet",
        help_text="Shown wherever the snippet is inserted. Keep it short and self-contained.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.body = sanitize_html(self.body)
        super().save(*args, **kwargs)

    @property
    def shortcode(self):
        return f"[snippet {self.slug}]"


def snippet_texts():
    """{key: sanitised HTML} of every snippet, read once per page cache generation."""
    return pagecache.per_generation(
        ("snippets",), lambda: dict(Snippet.objects.values_list("slug", "body"))
    )


def keys_in(html):
    return list(dict.fromkeys(SNIPPET_SHORTCODE.findall(str(html or ""))))


def expand_snippets(html):
    """
    Rich text with each shortcode replaced by its snippet, in a <div class="snippet">; a
    shortcode naming no snippet is left out (the checklist warns editors about it).
    """
    html = str(html or "")
    if "[snippet" not in html:
        return mark_safe(html)  # noqa: S308 the caller passes sanitised HTML
    texts = snippet_texts()

    def block(match):
        key = match.group(1)
        if key not in texts:
            return ""
        return format_html(
            '<div class="snippet" data-snippet="{}">{}</div>',
            key,
            mark_safe(sanitize_html(texts[key])),  # noqa: S308 nh3 leaves only safe markup
        )

    def inline(match):
        return format_html("{}", plain_text(texts.get(match.group(1), "")))

    html = BLOCK_SHORTCODE.sub(block, html)
    return mark_safe(SNIPPET_SHORTCODE.sub(inline, html))  # noqa: S308 escaped or sanitised


def unknown_keys(html):
    """The keys of shortcodes in the text that name no snippet."""
    keys = keys_in(html)
    if not keys:
        return []
    texts = snippet_texts()
    return [key for key in keys if key not in texts]
