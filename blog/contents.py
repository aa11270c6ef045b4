"""
An article's contents: its H2 and H3 headings, each given an id a reader can link to, and the
list of them the article page shows when the article has enough sections to need one.

Done when the page is rendered, on the sanitised body: the stored body stays as the editor
wrote it. An id an editor gave a heading is kept (old links to it keep working) unless the page
already uses it; the others are made from the heading's words, so they stay the same while the
heading does.
"""

import re
from dataclasses import dataclass, field
from html import unescape

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from .citations import CITATION, link_citations
from .html import plain_text

# Articles with fewer H2 sections than this are short enough to read without contents.
MIN_SECTIONS = 3

# nh3 writes every heading as <h2 …>…</h2>, escapes ">" in attribute values and never nests
# headings, so a heading always ends at its first closing tag.
HEADING = re.compile(r"<h([23])((?:\s[^>]*)?)>(.*?)</h\1>", re.S)
ID = re.compile(r'\sid="([^"]*)"')

# Ids of the article page around the body (templates/base.html, templates/blog/post_detail.html
# and its includes). A heading called "Sources" must not take the sources list's id.
PAGE_IDS = frozenset(
    {
        "main", "article-text", "key-points-title", "contents-title", "care-title",
        "sources", "sources-title", "disclaimer-title", "related-title", "search-dialog",
        "search-dialog-title", "search-dialog-q", "search-instant", "footer-about",
        "footer-newsletter", "footer-email", "footer-consent", "footer-status", "footer-website",
        "feedback",
        "feedback-title", "feedback-error", "feedback-comment", "feedback-hint",
        "feedback-website", "author-box-title", "share-title",
    }
)  # fmt: skip
# Sources are numbered; so are the search dialog's instant results (static/js/site.js), with a
# dot no heading's id has, so that numbering headings "search-instant-2"… never meets them.
PAGE_ID_PATTERN = re.compile(r"source-\d+|search-instant\.\d+")
# A paragraph cannot hold another (sanitised HTML has no nested <p>), so the first </p> ends it.
OPENING = re.compile(r"\s*<p\b[^>]*>.*?</p>", re.S)


@dataclass
class Section:
    level: int
    id: str
    title: str
    subsections: list = field(default_factory=list)


@dataclass
class Body:
    html: str
    sections: list  # The H2 sections, each with its H3 subsections.

    @property
    def contents(self):
        """The sections to list as contents, or none for a short article."""
        h2_sections = [section for section in self.sections if section.level == 2]
        return self.sections if len(h2_sections) >= MIN_SECTIONS else []

    @property
    def opening(self):
        """The first paragraph, when the body starts with one: the page shows it before the
        featured image so that a reader on a phone sees where the text begins."""
        match = OPENING.match(self.html)
        return mark_safe(match[0]) if match else ""

    @property
    def rest(self):
        """The body after its opening paragraph."""
        return mark_safe(self.html[len(self.opening) :])


def is_reserved(value):
    return value in PAGE_IDS or PAGE_ID_PATTERN.fullmatch(value) is not None


def with_heading_ids(html, source_count=0):
    """
    The body with an id and a link to itself on every H2 and H3, its citations of the first
    `source_count` sources linked (blog/citations.py), and its sections.
    """
    html = str(html or "")
    # Ids elsewhere in the body (an editor's anchor on a paragraph) are taken too.
    counts = {}
    for value in ID.findall(html):
        counts[value] = counts.get(value, 0) + 1
    used = set(counts)
    sections = []

    def anchor(match):
        level, attributes, inner = int(match.group(1)), match.group(2), match.group(3)
        # "Surgery [3]" is listed as "Surgery", and its id doesn't end in "-3".
        title = " ".join(CITATION.sub("", plain_text(inner)).split())
        own = ID.search(attributes)
        if own and counts[own.group(1)] == 1 and not is_reserved(unescape(own.group(1))):
            heading_id = unescape(own.group(1))
        else:
            heading_id = unique_id(title, used)
        section = Section(level, heading_id, title)
        if level == 3 and sections:
            sections[-1].subsections.append(section)
        else:
            sections.append(section)
        link = escape(heading_id)
        return (
            f'<h{level} id="{link}"{ID.sub("", attributes)}>{inner}'
            f'<a class="heading-anchor" href="#{link}"><span aria-hidden="true">#</span>'
            '<span class="visually-hidden">Link to this section</span></a>'
            f"</h{level}>"
        )

    html = HEADING.sub(anchor, html)
    return Body(link_citations(html, source_count), sections)


def unique_id(title, used):
    base = slugify(title, allow_unicode=True)[:60].strip("-") or "section"
    # A second "Source" can't be "source-2", nor any "source-N": those are the sources' ids.
    separator = "-section-" if is_reserved(f"{base}-2") else "-"
    candidate, n = base, 2
    while candidate in used or is_reserved(candidate):
        candidate, n = f"{base}{separator}{n}", n + 1
    used.add(candidate)
    return candidate
