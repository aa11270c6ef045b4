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


def _message(kind, context, to):
    """The email of `kind` from blog/email/<kind>_subject.txt, <kind>.txt and <kind>.html."""
    context = {"site_url": settings.SITE_URL, **context}
    subject = render_to_string(f"blog/email/{kind}_subject.txt", context)
    message = EmailMultiAlternatives(
        " ".join(subject.split()), render_to_string(f"blog/email/{kind}.txt", context), to=to
    )
    message.attach_alternative(render_to_string(f"blog/email/{kind}.html", context), "text/html")
    return message


def _admin_url(post):
    return settings.SITE_URL + reverse("admin:blog_post_change", args=[post.pk])


def review_submitted(review_request, recipients):
    """Tells editors that an author submitted a draft for review."""
    post = review_request.post
    context = {
        "request": review_request,
        "post": post,
        "author": review_request.submitted_by,
        "admin_url": _admin_url(post),
        "queue_url": settings.SITE_URL + reverse("admin:blog_post_changelist") + "?step=awaiting",
    }
    return _message("review_submitted", context, recipients)


def review_sent_back(review_request):
    """Tells the author what the editor wants changed."""
    post = review_request.post
    context = {"request": review_request, "post": post, "admin_url": _admin_url(post)}
    return _message("review_sent_back", context, [post.author.email])


def preview_link(link, email, editor):
    """Sends an outside reviewer the preview link of a draft."""
    context = {
        "post": link.post,
        "link": link,
        "editor": editor,
        "url": settings.SITE_URL + link.get_absolute_url(),
    }
    return _message("preview_link", context, [email])
