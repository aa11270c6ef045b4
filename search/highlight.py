"""Snippets with the matched words marked, safe to show: escaped first, then marked."""

import re
from html import unescape

from django.utils.html import escape
from django.utils.safestring import mark_safe

# The engines wrap matches in these control characters, which readers' queries and article text
# never contain, instead of in HTML: a snippet is escaped as a whole before any <mark> goes in.
START, STOP = "\x02", "\x03"
_MARKED = re.compile(f"{START}([^{START}{STOP}]*){STOP}")


def highlighted(snippet, *, decode_entities=False):
    """Escaped snippet HTML in which only our own <mark> elements are markup."""
    if decode_entities:
        snippet = unescape(snippet)
    snippet = " ".join(snippet.split())
    html = _MARKED.sub(r"<mark>\1</mark>", escape(snippet))
    return mark_safe(html.replace(START, "").replace(STOP, ""))  # noqa: S308 escaped above
