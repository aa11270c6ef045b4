"""The pre-send checklist of an issue: blog.checks' newsletter rules, run on the email as sent."""

from django.db.models import prefetch_related_objects

from blog.checks import check_newsletter

from . import emails
from .models import Subscriber, featured_posts_prefetch

# Whose copy is checked: every reader's differs only in their address and unsubscribe link.
SAMPLE_READER = "reader@example.com"


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
