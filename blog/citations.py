"""
Citations in article bodies: an editor types [1] or [2, 3] in the text, and readers get links to
those entries of the article's numbered "Sources" list.

The stored body keeps the plain [n] an editor typed; links are added when the page is rendered,
so re-ordering the sources never leaves stale links behind.
"""

import re

from django.utils.safestring import mark_safe

# [1], [2, 3] or [4-6]: numbers separated by commas, and dashes for ranges.
CITATION = re.compile(r"\[(\d{1,3}(?:\s*[,\u2013-]\s*\d{1,3})*)\]")
NUMBER = re.compile(r"\d+")
TAG = re.compile(r"(<[^>]*>)")
# No citation links inside existing links, or inside code a reader should copy as written.
SKIP_INSIDE = {"a", "code", "pre"}


def find_citations(html):
    """The source numbers a body cites, in order of first appearance."""
    numbers = []
    for text in _text_outside(html):
        for match in CITATION.finditer(text):
            numbers += [int(n) for n in NUMBER.findall(match.group(1)) if int(n) not in numbers]
    return numbers


def link_citations(html, source_count):
    """Return the (sanitised) body with each citation of an existing source linked to it."""

    def link(match):
        numbers = [int(n) for n in NUMBER.findall(match.group(1))]
        if not all(1 <= n <= source_count for n in numbers):
            return match.group(0)  # Left as typed; the pre-publish checklist reports it.
        linked = NUMBER.sub(
            lambda n: (
                f'<a href="#source-{n.group(0)}" aria-label="source {n.group(0)}">{n.group(0)}</a>'
            ),
            match.group(1),
        )
        return f'<sup class="citation">[{linked}]</sup>'

    parts = TAG.split(html or "")
    for i in _text_indexes(parts):
        parts[i] = CITATION.sub(link, parts[i])
    return mark_safe("".join(parts))


def _text_outside(html):
    parts = TAG.split(html or "")
    return [parts[i] for i in _text_indexes(parts)]


def _text_indexes(parts):
    # TAG.split alternates text and tags. The body is nh3's output, so every ">" inside an
    # attribute value is escaped and a tag always ends at the first ">".
    skipping = []
    for i, part in enumerate(parts):
        if i % 2:
            name = re.match(r"<\s*(/?)\s*([a-zA-Z0-9]+)", part)
            if name and name.group(2).lower() in SKIP_INSIDE:
                if name.group(1):
                    if skipping:
                        skipping.pop()
                else:
                    skipping.append(name.group(2).lower())
        elif not skipping and part:
            yield i
