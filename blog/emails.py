"""Emails the blog sends to staff. Each kind has a subject, a text and an HTML template."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone


def review_reminder(posts, editor):
    """The message telling an editor which public articles need a medical review."""
    today = timezone.localdate()
    rows = [
        {
            "post": post,
            "url": settings.SITE_URL + post.get_absolute_url(),
            "admin_url": settings.SITE_URL + reverse("admin:blog_post_change", args=[post.pk]),
            "overdue_days": post.next_review_on and (today - post.next_review_on).days,
        }
        for post in posts
    ]
    overdue = [row for row in rows if row["post"].is_review_overdue]
    due_soon = [row for row in rows if not row["post"].is_review_overdue]
    context = {
        "editor": editor,
        "sections": [
            section
            for section in [
                {"title": "Overdue or never reviewed", "rows": overdue, "colour": "#b4532a"},
                {"title": "Due soon", "rows": due_soon, "colour": "#0f5c5a"},
            ]
            if section["rows"]
        ],
        "count": len(rows),
        "list_url": settings.SITE_URL + reverse("admin:blog_post_changelist") + "?review=due",
    }
    subject = render_to_string("blog/email/review_reminder_subject.txt", context)
    message = EmailMultiAlternatives(
        " ".join(subject.split()),
        render_to_string("blog/email/review_reminder.txt", context),
        to=[editor.email],
    )
    message.attach_alternative(
        render_to_string("blog/email/review_reminder.html", context), "text/html"
    )
    return message
