"""
Try every external link of the public articles (links in the text and their sources) over the
network, store what was found (the admin's "Checked links", and a line on the dashboard) and
mail the editors the broken ones, with the articles that use them.

Runs weekly from deploy/backandneck-links.timer (or the cron line in the README). Exits with an
error when a link is broken, so a timer or cron also reports it. Only public web servers on
ports 80 and 443 are contacted, after every redirect too (blog/outbound.py): a link to anything
else is reported as not checked. Each host gets one request at a time, at most one a second
(LINK_CHECK_HOST_INTERVAL), so a weekly check never hammers a journal's server.
"""

import http.client
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from blog import outbound
from blog.checklist import Outline, SiteLinks
from blog.models import CheckedLink, Post

# Servers that refuse HEAD (or answer it wrongly) are asked again with a GET of one byte.
RETRY_WITH_GET = {403, 404, 405, 501}
# "Range not satisfiable" for bytes=0-0: the resource exists, it is just empty.
ALIVE_STATUSES = {416}


class Command(BaseCommand):
    help = (
        "Check the external links of public articles over the network, store the results for "
        "the admin and mail the editors the broken ones."
    )

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=10, help="Seconds per request.")
        parser.add_argument("--workers", type=int, default=8, help="Hosts checked at a time.")
        parser.add_argument(
            "--drafts", action="store_true", help="Also check drafts and scheduled posts."
        )
        parser.add_argument(
            "--no-email", action="store_true", help="Do not mail the editors the broken links."
        )

    def handle(self, *args, timeout, workers, drafts, no_email, **options):
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
        by_host = defaultdict(list)
        for url in used_by:
            by_host[(urlsplit(url).hostname or "").lower()].append(url)
        pace = HostPace(settings.LINK_CHECK_HOST_INTERVAL)

        def check_host(urls):
            return [(url, problem(url, timeout, user_agent, pace)) for url in urls]

        problems = {}
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            for results in pool.map(check_host, by_host.values()):
                problems.update(results)

        broken = {url: reason for url, reason in problems.items() if reason}
        store_results(problems, used_by)
        report = []
        for url, reason in broken.items():
            report.append(f"{reason}: {url}")
            for post in used_by[url]:
                admin_url = settings.SITE_URL + reverse("admin:blog_post_change", args=[post.pk])
                report.append(f"    in “{post.title}” {admin_url}")
        if report:
            self.stdout.write("\n".join(report))
        summary = f"Checked {len(problems)} external link(s): {len(broken)} broken."
        if broken and not no_email:
            mail_editors(summary, report)
        if broken:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))


class HostPace:
    """At most one request per host per `interval` seconds, whichever thread asks."""

    clock = staticmethod(time.monotonic)
    sleep = staticmethod(time.sleep)

    def __init__(self, interval):
        self.interval = interval
        self.next_allowed = {}
        self.lock = threading.Lock()

    def wait(self, host):
        with self.lock:
            now = self.clock()
            start = max(now, self.next_allowed.get(host, now))
            self.next_allowed[host] = start + self.interval
        if start > now:
            self.sleep(start - now)


def problem(url, timeout, user_agent, pace):
    """Why `url` does not answer with a page (after redirects), or None when it does."""
    host = (urlsplit(url).hostname or "").lower()
    for method, headers in (("HEAD", {}), ("GET", {"Range": "bytes=0-0"})):
        pace.wait(host)
        try:
            status = outbound.final_status(
                url, method, timeout, {"User-Agent": user_agent, **headers}
            )
        except outbound.Refused as refusal:
            return f"not checked ({refusal})"
        except (http.client.HTTPException, ValueError) as error:
            if method == "HEAD":
                continue  # Some servers mishandle HEAD; a GET may still work.
            return f"unreachable ({error})"
        except OSError as error:
            return f"unreachable ({error})"
        if status < 400 or status in ALIVE_STATUSES:
            return None
        if method == "HEAD" and status in RETRY_WITH_GET:
            continue
        return f"HTTP {status}"


def store_results(problems, used_by):
    """Keep this check's findings for the admin; links no article uses any more are dropped."""
    now = timezone.now()
    CheckedLink.objects.exclude(url__in=list(problems)).delete()
    known = CheckedLink.objects.in_bulk(list(problems), field_name="url")
    for url, reason in problems.items():
        link = known.get(url) or CheckedLink(url=url)
        was_broken = link.pk and link.is_broken
        link.is_broken, link.problem, link.checked_at = bool(reason), (reason or "")[:300], now
        link.broken_since = (link.broken_since if was_broken else now) if reason else None
        link.save()
        link.posts.set(used_by[url])


def mail_editors(summary, report):
    """The broken links, to everyone who may publish (they fix or unpublish the articles)."""
    editors = (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .filter(
            Q(is_superuser=True)
            | Q(groups__permissions__codename="publish_post")
            | Q(user_permissions__codename="publish_post")
        )
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    if not editors:
        return
    list_url = settings.SITE_URL + reverse("admin:blog_checkedlink_changelist")
    send_mail(
        subject=f"Broken links in articles: {summary}",
        message=(
            f"This week's link check found links in published articles that no longer work.\n"
            f"Fix or remove them in each article (the admin lists them: {list_url}"
            "?is_broken__exact=1).\n\n" + "\n".join(report) + "\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=sorted(editors),
    )
