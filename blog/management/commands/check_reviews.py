"""
The daily review check: what happens to public articles whose medical review fell due.

By default they stay public, and their pages say the review is due (the page cache's
generation ends when a review date passes, so no stored page still shows the old "next review
due" line). With the site setting
"Unpublish them", they go back to draft until an editor records a new review. Run once a day
(deploy/backandneck-reviews.timer).
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

import pagecache
from blog.models import Post
from siteconfig.models import SiteSettings


class Command(BaseCommand):
    help = "Unpublish articles overdue for medical review, or mark them so. Run daily."

    def handle(self, *args, **options):
        today = timezone.localdate()
        late = Post.objects.published().filter(next_review_on__lt=today)
        if SiteSettings.load().overdue_reviews == SiteSettings.OverdueReviews.UNPUBLISH:
            count = 0
            with transaction.atomic(), pagecache.changes_batched():
                for post in late:
                    post.status = Post.Status.DRAFT
                    post._change_reason = "Unpublished: medical review overdue"
                    post.save()
                    count += 1
            self.stdout.write(f"Unpublished {count} article(s) overdue for medical review.")
            return
        # Their stored pages ended with the generation when the review date passed (blog/apps.py).
        self.stdout.write(f"{late.count()} public article(s) say their review is due.")
