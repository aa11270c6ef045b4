"""
Clicks per link of a sent issue, counted without knowing who clicked.

Before an issue goes out, each web link in its HTML becomes /newsletter/l/<token>/, where the
token is the issue's id and the link's address, signed. Every reader gets the same token for a
link (nothing in it is theirs), so a click says which link of which issue, never which
subscriber. The redirect goes only to the signed address: a token changed by hand, or one made
for another purpose, is refused, so this is no open redirect.
"""

import dataclasses
import html
import re

from django.core import signing
from django.db import connection
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from blog.stats import is_reader_request

from .models import Issue, LinkClick

SALT = "newsletter.link_tracking"
MAX_URL_LENGTH = LinkClick._meta.get_field("url").max_length
# href="http…" as css-inline writes it (double quotes, & as &amp;). Markers that are filled in
# for each reader (the unsubscribe address) hold "@@" and stay as they are.
_WEB_LINK = re.compile(r'href="(https?://[^"@]+)"')


def tracked_url(issue_id, url):
    token = signing.dumps([issue_id, url], salt=SALT, compress=True)
    return reverse("newsletter:link_redirect", args=[token])


def read_token(token):
    """(issue_id, url) from a token this module signed; BadSignature for anything else."""
    value = signing.loads(token, salt=SALT)
    if not (
        isinstance(value, list)
        and len(value) == 2
        and isinstance(value[0], int)
        and isinstance(value[1], str)
        and re.match(r"https?://", value[1])
    ):
        raise signing.BadSignature("not a link token")
    return value[0], value[1]


def track_links(issue, email_html, absolute_url):
    """The issue's HTML with every web link going through the counting redirect."""

    def replace(match):
        url = html.unescape(match.group(1))
        if len(url) > MAX_URL_LENGTH:
            return match.group(0)  # Longer than a count can be kept for: left as it is.
        # On a line of its own within the tag: a long counted address must not make a line
        # that also holds a reader's marker too long for the sender's one-render fast path.
        return f'\nhref="{html.escape(absolute_url(tracked_url(issue.pk, url)))}"\n'

    return _WEB_LINK.sub(replace, email_html)


def count_click(request, issue_id, url):
    """Add one click of `url` in the issue (a reader's GET only: no bots, no prefetches)."""
    if request.method != "GET" or not is_reader_request(request):
        return False
    table = connection.ops.quote_name(LinkClick._meta.db_table)
    issues = connection.ops.quote_name(Issue._meta.db_table)
    # One statement, as in blog/stats.py; the SELECT adds nothing for an issue deleted since.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (issue_id, url, clicks, first_click_at) "
            f"SELECT id, %s, 1, %s FROM {issues} WHERE id = %s "
            f"ON CONFLICT (issue_id, url) DO UPDATE SET clicks = {table}.clicks + 1",
            [url, timezone.now(), issue_id],
        )
        return cursor.rowcount > 0


def tracked_issue(issue, rendered):
    """A RenderedIssue (newsletter/emails.py) whose HTML links count clicks."""
    from . import emails

    return dataclasses.replace(
        rendered, html=track_links(issue, rendered.html, emails.absolute_url)
    )


@require_safe
@never_cache
def link_redirect(request, token):
    """A link of a sent issue: counted (anonymously), then on to the address it was signed for."""
    try:
        issue_id, url = read_token(token)
    except signing.BadSignature:
        return render(request, "newsletter/link_invalid.html", {"action": "follow"}, status=400)
    count_click(request, issue_id, url)
    return HttpResponseRedirect(url)
