"""
Email every editor the public articles that are overdue or soon due for a medical review.

Meant for a weekly cron job, e.g. `0 8 * * 1 manage.py review_reminders`. Editors are active
members of the Editor group with an email address. Nothing is sent when nothing is due.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.mail import get_connection
from django.core.management.base import BaseCommand

from blog.emails import review_reminder
from blog.models import REVIEW_NOTICE, Post


class Command(BaseCommand):
    help = "Email editors the articles overdue or due for medical review. Run weekly."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=REVIEW_NOTICE.days,
            help="Also list reviews falling due within this many days (default %(default)s).",
        )

    def handle(self, *args, days, **options):
        posts = list(
            Post.objects.review_due(within=timedelta(days=days)).select_related("reviewed_by")
        )
        if not posts:
            self.stdout.write("No articles are due for medical review; no email sent.")
            return
        editors = (
            get_user_model()
            .objects.filter(groups__name="Editor", is_active=True)
            .exclude(email="")
            .distinct()
        )
        messages = [review_reminder(posts, editor) for editor in editors]
        sent = get_connection().send_messages(messages) if messages else 0
        self.stdout.write(
            self.style.SUCCESS(f"Sent the list of {len(posts)} article(s) to {sent} editor(s).")
        )
