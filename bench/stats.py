"""
What counting article views costs, against the same pages without counting, in one run.

    python bench/stats.py                  # about a minute
    python bench/stats.py --requests 2000 --rounds 7
    python bench/stats.py --database-url postgres://postgres@127.0.0.1/bn_bench_stats

In this process, through the site's real WSGI application (FastPath and all middleware), with
DEBUG off, the page cache on and an SQLite database in a temporary folder (or the PostgreSQL
database given, which it fills with the demo content):

1. a cached article page with statistics on (the page carries the counting script's tag) and
   off, alternating round by round: counting must not slow a cached page;
2. a reader's whole visit: the cached page plus the beacon's POST that counts it, against the
   cached page alone: what one counted view costs the server, as a ratio, with views written in
   batches (the default) and one write per view; and with a beacon that is not counted (a
   bot's), which is Django's handling of the request alone.

Medians of the rounds; each round times the same number of requests for each variant. See
docs/benchmarks.md ("Statistics").
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"


def environ(method, path, user_agent=BROWSER):
    body = io.BytesIO(b"")
    return {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_USER_AGENT": user_agent,
        "HTTP_SEC_FETCH_SITE": "same-origin",
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_LENGTH": "0",
        "wsgi.input": body,
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
    }


def call(application, method, path, user_agent=BROWSER):
    statuses = []
    chunks = application(
        environ(method, path, user_agent), lambda status, headers: statuses.append(status)
    )
    b"".join(chunks)
    if hasattr(chunks, "close"):
        chunks.close()
    return int(statuses[0].split()[0])


def timed(requests, n):
    started = time.perf_counter()
    for _ in range(n):
        requests()
    return (time.perf_counter() - started) / n


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=1000, help="Per variant and round.")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--database-url",
        default="",
        help="A throwaway database to fill (e.g. postgres://…/bn_bench_stats); default SQLite.",
    )
    args = parser.parse_args(argv)

    folder = tempfile.mkdtemp(prefix="bench-stats-")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="tests.settings",
        DATABASE_URL=args.database_url or f"sqlite:///{folder}/db.sqlite3",
        MEDIA_ROOT=f"{folder}/media",
        LOG_LEVEL="ERROR",
        SLOW_QUERY_MS="1000000",
    )
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False
    settings.PAGE_CACHE_SECONDS = 3600
    settings.PAGE_CACHE_GENERATION_FILE = f"{folder}/generation"
    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)

    import pagecache
    from backandneck.wsgi import application
    from blog import stats
    from blog.models import ArticleDay, Post

    stats.VIEWS_PER_CLIENT_PER_HOUR = 10**9  # One client here stands for many readers.
    settings.STATS_FLUSH_SECONDS = 10  # The default (tests.settings writes each view at once).
    post = Post.objects.published().order_by("-published_at").first()
    page, beacon = post.get_absolute_url(), f"/{post.slug}/view/"

    def cached_page_with(counting):
        settings.STATS_ENABLED = counting
        pagecache.new_generation()  # So the page is rendered (and stored) in this mode.
        assert call(application, "GET", page) == 200
        assert call(application, "GET", page) == 200

    def views():
        return sum(ArticleDay.objects.filter(post=post).values_list("views", flat=True))

    before = views()  # The demo's own figures.
    results = {
        "page, counting off": [],
        "page, counting on": [],
        "visit: page + beacon": [],
        "visit, written per view": [],
        "page + uncounted beacon": [],
    }
    for _ in range(args.rounds):
        cached_page_with(False)
        results["page, counting off"].append(
            timed(lambda: call(application, "GET", page), args.requests)
        )
        cached_page_with(True)
        results["page, counting on"].append(
            timed(lambda: call(application, "GET", page), args.requests)
        )
        results["visit: page + beacon"].append(
            timed(
                lambda: (call(application, "GET", page), call(application, "POST", beacon)),
                args.requests,
            )
        )
        settings.STATS_FLUSH_SECONDS = 0  # Each view its own write, to show what batching saves.
        results["visit, written per view"].append(
            timed(
                lambda: (call(application, "GET", page), call(application, "POST", beacon)),
                args.requests,
            )
        )
        settings.STATS_FLUSH_SECONDS = 10  # The default.
        # The same beacon from a bot: Django's handling of the request without the write.
        results["page + uncounted beacon"].append(
            timed(
                lambda: (
                    call(application, "GET", page),
                    call(application, "POST", beacon, user_agent="curl/8.5.0"),
                ),
                args.requests,
            )
        )
    stats.pending_views.write()
    assert views() - before == 2 * args.rounds * args.requests  # Every beacon was counted.

    median = {name: statistics.median(times) for name, times in results.items()}
    base = median["page, counting off"]
    from django.db import connection

    print(f"{connection.vendor}: {args.rounds} rounds of {args.requests} requests per variant")
    for name, seconds in median.items():
        print(f"  {name:24} {seconds * 1e6:8.0f} µs/request   {seconds / base:5.2f}x")
    print(
        f"  a counted view costs the server {(median['visit: page + beacon'] - base) * 1e6:.0f} µs"
        f" (one beacon POST, batched writes), "
        f"{(median['visit, written per view'] - base) * 1e6:.0f} µs with a write per view; "
        f"the cached page itself: {median['page, counting on'] / base:.2f}x with counting on"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
