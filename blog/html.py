"""Sanitising of rich text written in the admin or imported from elsewhere."""

import re
from html import unescape

import nh3
from django.utils.html import strip_tags

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "div", "dl",
    "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins",
    "li", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "sup", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip

ALLOWED_ATTRIBUTES = {
    "*": {"id", "title", "lang"},
    "a": {"href", "hreflang"},
    "abbr": {"title"},
    "img": {"src", "alt", "width", "height", "srcset", "sizes", "loading"},
    "ol": {"start", "reversed", "type"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "blockquote": {"cite"},
    "q": {"cite"},
}

ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}

# A reusable snippet inserted by reference (blog/snippets.py): "[snippet medical-disclaimer]".
# It stands for text kept elsewhere, so it is never counted or indexed as words of the page.
SNIPPET_SHORTCODE = re.compile(r"\[snippet\s+([-\w]+)\s*\]", re.ASCII)


def sanitize_html(html):
    """
    Return article HTML with only safe, article-like markup left.

    Scripts, styles, event handlers and javascript:/data: URLs are removed. Every link gets
    rel="noopener" (nh3 sets one rel for all links; on our own links it is harmless), so a
    linked site can never script the reader's tab.
    """
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener",
        strip_comments=True,
    )


def plain_text(html):
    """The readable text of article HTML: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(without_shortcodes(unescape(strip_tags(html or ""))).split())


def without_shortcodes(text):
    return SNIPPET_SHORTCODE.sub(" ", text)
