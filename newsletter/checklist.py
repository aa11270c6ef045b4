"""
The pre-send checklist of an issue: the newsletter's rules, run on the email as it is sent.

Built from the editorial checklist's pieces (blog/checklist.py: Check, Checklist, the HTML outline,
the alt-text and link rules); the rules of their own take rendered HTML and its linked URLs.
"""

from django.db.models import prefetch_related_objects

from blog.checklist import (
    Check,
    Checklist,
    Level,
    Outline,
    SiteLinks,
    alt_text,
    error,
    link_targets,
    warning,
)

from . import emails
from .models import Subscriber, featured_posts_prefetch

# Whose copy is checked: every reader's differs only in their address and unsubscribe link.
SAMPLE_READER = "reader@example.com"
# Gmail clips a message whose HTML is over about 102 KB and hides the rest (including the
# unsubscribe link) behind "View entire message".
EMAIL_CLIP_BYTES = 102 * 1024
EMAIL_WARN_BYTES = 90 * 1024


def check_issue(issue, *, links=None, site_settings=None):
    """
    Check a reader's copy of the issue exactly as it would be sent: the rendered HTML, with a
    real unsubscribe link in it. To check many issues, fetch them with
    Issue.objects.with_featured_posts() and share one SiteLinks (`links`) and SiteSettings.
    """
    prefetch_related_objects([issue], *featured_posts_prefetch())
    reader = Subscriber(email=SAMPLE_READER)
    rendered = emails.render_issue(issue, site_settings)
    urls = rendered.unsubscribe_urls(reader)
    html = rendered.message_for(reader, urls).alternatives[0].content
    unsubscribe_url, _ = urls
    public = {link.post_id for link in issue.public_post_links}
    left_out = [link.post.title for link in issue.post_links.all() if link.post_id not in public]
    return check_newsletter(html, unsubscribe_url=unsubscribe_url, site=links, left_out=left_out)


def check_newsletter(html, urls=None, unsubscribe_url=None, site=None, left_out=()):
    """
    The checklist of a rendered newsletter issue. `urls` are the addresses it links to (taken
    from the HTML when not given), so links to drafts or missing articles are caught;
    `left_out` are the titles of featured articles the email leaves out as unpublished.
    """
    outline = Outline(html)
    return Checklist(
        [
            *email_size(html),
            *alt_text(outline),
            *unsubscribe_link(outline, unsubscribe_url),
            *link_targets(outline.links if urls is None else urls, site or SiteLinks()),
            *left_out_posts(left_out),
        ]
    )


def email_size(html):
    """The rendered email stays below the size at which Gmail clips it."""
    size = len(html.encode())
    kilobytes = f"{size / 1024:.0f} KB"
    if size > EMAIL_CLIP_BYTES:
        return [
            error(
                f"The email is {kilobytes}; Gmail clips emails over 102 KB and hides the rest, "
                "including the unsubscribe link. Shorten it."
            )
        ]
    if size > EMAIL_WARN_BYTES:
        return [warning(f"The email is {kilobytes}, close to Gmail's 102 KB clipping limit.")]
    return [Check(Level.PASS, f"The email is {kilobytes}, well below Gmail's 102 KB limit.")]


def unsubscribe_link(outline, unsubscribe_url=None):
    """
    The email has a link to unsubscribe (the law and Gmail's and Yahoo's sender rules require
    one): `unsubscribe_url` itself when given, else a link whose address or words say so.
    """
    if unsubscribe_url is not None:
        found = unsubscribe_url in outline.links
    else:
        found = any(
            "unsubscribe" in f"{url} {text}".lower()
            for url, text in zip(outline.links, outline.link_texts, strict=True)
        )
    if found:
        return [Check(Level.PASS, "The email has an unsubscribe link.")]
    return [error("The email has no unsubscribe link.")]


def left_out_posts(titles):
    """Featured articles readers cannot open yet are left out of the email; say which."""
    if not titles:
        return []
    names = ", ".join(f"“{title}”" for title in titles)
    return [
        warning(
            f"Left out of the email because readers cannot open them yet: {names}. "
            "Publish them, or take them out of the issue."
        )
    ]
