"""
Try every external link of the public articles (links in the text and their sources) over the
network and report those that fail, with the articles that use them.

Needs outbound network access, so it is not part of publishing; run it by hand or from a
monthly cron job. Exits with an error when a link is broken, so cron mails the report. Only
public web servers on ports 80 and 443 are contacted, after every redirect too (blog/outbound.py):
a link to anything else is reported as not checked.
"""

import http.client
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from blog import outbound
from blog.checks import Outline, SiteLinks
from blog.models import Post

# Servers that refuse HEAD (or answer it wrongly) are asked again with GET.
RETRY_WITH_GET = {403, 404, 405, 501}


class Command(BaseCommand):
    help = "Check the external links of public articles over the network and list broken ones."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=10, help="Seconds per request.")
        parser.add_argument("--workers", type=int, default=8, help="Requests at a time.")
        parser.add_argument(
            "--drafts", action="store_true", help="Also check drafts and scheduled posts."
        )

    def handle(self, *args, timeout, workers, drafts, **options):
        posts = (Post.objects.all() if drafts else Post.objects.published()).prefetch_related(
            "references"
        )
        site = SiteLinks()
        used_by = defaultdict(list)
        for post in posts:
            urls = Outline(post.body).links + [r.link for r in post.references.all() if r.link]
            for url in dict.fromkeys(urls):
                if urlsplit(url).scheme in {"http", "https"} and not site.is_internal(url):
                    used_by[url].append(post)

        user_agent = f"BackAndNeckLinkChecker/1.0 (+{settings.SITE_URL})"
        with ThreadPoolExecutor(max_workers=workers) as pool:
            problems = dict(
                zip(
                    used_by,
                    pool.map(lambda url: problem(url, timeout, user_agent), used_by),
                    strict=True,
                )
            )

        broken = {url: reason for url, reason in problems.items() if reason}
        for url, reason in broken.items():
            self.stdout.write(f"{reason}: {url}")
            for post in used_by[url]:
                admin_url = settings.SITE_URL + reverse("admin:blog_post_change", args=[post.pk])
                self.stdout.write(f"    in “{post.title}” {admin_url}")
        summary = f"Checked {len(problems)} external link(s): {len(broken)} broken."
        if broken:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))


def problem(url, timeout, user_agent):
    """Why `url` does not answer with a page (after redirects), or None when it does."""
    for method in ("HEAD", "GET"):
        try:
            status = outbound.final_status(url, method, timeout, {"User-Agent": user_agent})
        except outbound.Refused as refusal:
            return f"not checked ({refusal})"
        except (OSError, http.client.HTTPException, ValueError) as error:
            return f"unreachable ({error})"
        if status < 400:
            return None
        if method == "HEAD" and status in RETRY_WITH_GET:
            continue
        return f"HTTP {status}"
