"""
Privacy-first statistics: how often each article was read, per day, and how many newsletter
sign-ups each one brought.

An article page loads static/blog/js/beacon.js, which posts one empty request to the article's
/<slug>/view/ once the page is actually shown (a prerendered page waits until it is, and a
prefetched one never runs it). The page itself stays the same for every reader, so the page
cache keeps serving it from memory untouched; counting costs a cached page nothing but that
one small request afterwards (bench/stats.py measures it).

Nothing about a reader is kept: no cookie is set or read, and no address, browser, referrer or
time of day is stored, only one number per article per day. Bots (by their User-Agent), link
previews and prefetches are left out. A client that posts too often in an hour stops being
counted (ratelimits/ keeps only a keyed hash of its address, in the cache, for
that hour).
"""

import atexit
import logging
import re
import threading
import time
from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

import ratelimits

from .models import ArticleDay, Post

# Crawlers, link unfurlers, uptime monitors, HTTP libraries and headless browsers name
# themselves in their User-Agent; people's browsers do not use these words.
BOT_USER_AGENT = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|scrap|archiver|preview|fetch|monitor|checker|validator|"
    r"lighthouse|pagespeed|headless|phantomjs|selenium|puppeteer|playwright|python|curl|wget|"
    r"httpie|go-http|okhttp|java/|libwww|perl|ruby|node-fetch|axios|httpclient|facebookexternal|"
    r"whatsapp|telegram|discord|slack|embedly|bitly|pingdom|uptime|feed|rss|newsblur|inoreader",
    re.IGNORECASE,
)
logger = logging.getLogger(__name__)
VIEWS_PER_CLIENT_PER_HOUR = 120
CHART_DAYS = 30


def is_reader_request(request):
    """Whether a request comes from a person's browser showing the page (not a bot or prefetch)."""
    user_agent = request.headers.get("User-Agent", "")
    if not user_agent.startswith("Mozilla/") or BOT_USER_AGENT.search(user_agent):
        return False
    # Sec-Purpose (Chromium, Firefox, Safari) or the older Purpose / X-Moz / X-Purpose headers.
    purpose = " ".join(
        request.headers.get(name, "") for name in ("Sec-Purpose", "Purpose", "X-Moz", "X-Purpose")
    ).lower()
    return not any(word in purpose for word in ("prefetch", "prerender", "preview"))


def count_view(request, slug):
    """Count one view of the public article at `slug`, if the request is a reader's."""
    # Staff have a session (readers never do: the page cache serves only cookieless requests).
    if settings.SESSION_COOKIE_NAME in request.COOKIES or not is_reader_request(request):
        return False
    if not ratelimits.hit("stats.view", request, VIEWS_PER_CLIENT_PER_HOUR, 60 * 60):
        return False
    pending_views.add(slug, timezone.localdate())
    return True


class PendingViews:
    """
    Views counted by this process and not yet written. A write per view would cost each view a
    database commit (bench/stats.py: tens of milliseconds on SQLite, several on PostgreSQL, and
    SQLite takes one writer at a time); instead the first view after STATS_FLUSH_SECONDS, or
    after MAX_PENDING articles, writes them all, one upsert per article and day. A process that
    dies loses at most those seconds of counts.
    """

    MAX_PENDING = 500

    def __init__(self):
        self.lock = threading.Lock()
        self.counts = Counter()
        self.last_write = time.monotonic()

    def add(self, slug, day):
        with self.lock:
            self.counts[slug, day] += 1
            due = time.monotonic() - self.last_write >= settings.STATS_FLUSH_SECONDS
            if not due and len(self.counts) < self.MAX_PENDING:
                return
        self.write()

    def write(self):
        with self.lock:
            counts, self.counts = self.counts, Counter()
            self.last_write = time.monotonic()
        for (slug, day), views in counts.items():
            # The article is found inside the upsert: unknown or hidden slugs add nothing.
            _add(Post.objects.published().filter(slug=slug), views=views, day=day)


pending_views = PendingViews()


@atexit.register
def _write_pending_views():
    try:
        pending_views.write()
    except Exception:  # The database may be gone at exit; the log says what was lost.
        logger.exception("Views counted in the last seconds were not written")


def count_sign_up(path):
    """A newsletter sign-up was confirmed from a form on `path`: count it for its article."""
    match = re.fullmatch(r"/([-\w]+)/", (path or "").split("?", 1)[0])
    return bool(match) and _add(Post.objects.published().filter(slug=match.group(1)), sign_ups=1)


def add_to_day(post_id, views=0, sign_ups=0, day=None):
    """Add to the article's counts for `day` (today); False if there is no such article."""
    return _add(Post.objects.filter(pk=post_id), views, sign_ups, day)


def _add(posts, views=0, sign_ups=0, day=None):
    """
    Add to the counts for `day` of the article `posts` selects, in one statement. An upsert
    rather than get_or_create + F(): concurrent readers of one article each add in place,
    waiting only for one another's single-row update, never failing on the unique constraint
    or losing a count. SQLite and PostgreSQL both spell it INSERT … ON CONFLICT … DO UPDATE
    (the "WHERE true" is SQLite's, to tell its parser the ON CONFLICT is not a join's).
    """
    day = day or timezone.localdate()
    table = connection.ops.quote_name(ArticleDay._meta.db_table)
    select, params = posts.order_by().values("id")[:1].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (post_id, day, views, sign_ups) "
            f"SELECT post.id, %s, %s, %s FROM ({select}) AS post WHERE true "
            f"ON CONFLICT (post_id, day) DO UPDATE SET views = {table}.views + excluded.views, "
            f"sign_ups = {table}.sign_ups + excluded.sign_ups",
            [day, views, sign_ups, *params],
        )
        return cursor.rowcount > 0


def daily_views(post, days=CHART_DAYS, today=None):
    """(day, views, sign_ups) for each of the last `days` days up to today, zeros included."""
    today = today or timezone.localdate()
    first = today - timedelta(days=days - 1)
    counts = {
        row.day: row for row in ArticleDay.objects.filter(post=post, day__gte=first, day__lte=today)
    }
    return [
        (
            day,
            counts[day].views if day in counts else 0,
            counts[day].sign_ups if day in counts else 0,
        )
        for day in (first + timedelta(days=n) for n in range(days))
    ]


def week_top_articles(limit, today=None):
    """The most read public articles of the last seven days, as (post, views) pairs."""
    today = today or timezone.localdate()
    top = list(ArticleDay.objects.top_articles(today - timedelta(days=6), limit))
    posts = Post.objects.only("title", "slug").in_bulk([post_id for post_id, _ in top])
    return [(posts[post_id], views) for post_id, views in top if post_id in posts]
