"""
A sent demo issue of the newsletter with its link clicks, so the issue admin has something to
show (run after `seed_demo`, as `make run` does). Creates nothing when the demo issue exists.
"""

import random
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from blog.models import Post
from newsletter.emails import absolute_url
from newsletter.models import Issue, IssuePost, LinkClick

SUBJECT = "This week: sitting, sleeping and sciatica"


class Command(BaseCommand):
    help = "Add a sent demo newsletter issue with anonymous link click counts (demo content)."

    @transaction.atomic
    def handle(self, *args, **options):
        if Issue.objects.filter(subject=SUBJECT).exists():
            self.stdout.write("The demo issue exists already; nothing created.")
            return
        posts = list(Post.objects.published().order_by("-published_at")[:4])
        if not posts:
            self.stdout.write("No published articles (run seed_demo first); nothing created.")
            return
        sent_at = timezone.now() - timedelta(days=3)
        issue = Issue.objects.create(
            subject=SUBJECT,
            intro="<p>Three things our readers asked about this week.</p>",
            status=Issue.Status.SENT,
            send_started_at=sent_at,
            sent_at=sent_at,
        )
        IssuePost.objects.bulk_create(
            IssuePost(issue=issue, post=post, position=n) for n, post in enumerate(posts)
        )
        chance = random.Random(SUBJECT)
        LinkClick.objects.bulk_create(
            LinkClick(
                issue=issue,
                url=absolute_url(post.get_absolute_url()),
                clicks=chance.randint(5, 140),
                first_click_at=sent_at + timedelta(minutes=chance.randint(2, 60)),
            )
            for post in posts
        )
        self.stdout.write(self.style.SUCCESS(f"Created the demo issue “{SUBJECT}” with clicks."))
