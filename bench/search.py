"""
Search benchmark: search page latency with 20,000 generated articles, on PostgreSQL and SQLite,
against a plain `icontains` search over the same data, in the same run; and the latency of the
header dialog's instant results (/search/suggest/) for the same queries.

    python bench/search.py                 # both databases, 20,000 articles
    python bench/search.py --articles 2000 --engines sqlite
    python bench/search.py --engines postgresql --keep    # reuse the loaded database next time

Each database is a throwaway: a new PostgreSQL database (BENCH_POSTGRES_URL, by default
postgres://postgres@127.0.0.1:5432/bn_search_bench, dropped afterwards) and a temporary SQLite
file (--keep keeps the PostgreSQL one and reuses it, migrated, on the next run: for trying
changes without loading 20,000 articles each time). Pages are requested one after another
through Django's test client with production settings (DEBUG off, persistent connections), so
times include the middleware, the view, every query and template rendering, but not the
network. See docs/benchmarks.md.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/bn_search_bench"
)
ROUNDS = 5

# What readers type: plain words, phrases, exclusions, or, lay words that need synonyms, a typo.
QUERIES = [
    "sciatica",
    "neck pain",
    "lower back pain exercises",
    "sciatica when sitting",
    "neck stretches for desk work",
    "slipped disc",
    '"herniated disc" surgery',
    "posture -surgery",
    "stres relief",
    "physiotherapy or chiropractor",
    "pillow for neck pain",
    "tailbone pain",
    "whiplash recovery",
    "stiff neck in the morning",
    "ergonomic chair",
    "core strength",
    "heat or ice",
    "pinched nerve shoulder",
    "yoga for back pain",
    "best mattress",
]

CATEGORIES = [
    "Lower Back Pain", "Neck Pain", "Upper Back", "Sciatica", "Posture", "Exercises",
    "Sleep", "Treatments",
]  # fmt: skip
TAGS = [
    "stretching", "yoga", "pilates", "desk work", "driving", "pregnancy", "running", "sleep",
    "pillow", "mattress", "heat therapy", "ice", "massage", "physiotherapy", "chiropractic",
    "surgery", "posture", "core strength", "walking", "swimming", "ergonomics", "stress",
    "headache", "shoulder", "hip", "hamstrings", "glutes", "disc", "nerve", "inflammation",
]  # fmt: skip
CONDITIONS = [
    "sciatica", "a herniated disc", "a slipped disc", "lumbar strain", "neck strain",
    "a stiff neck", "whiplash", "radiculopathy", "a pinched nerve", "spinal stenosis",
    "degenerative disc disease", "facet joint pain", "muscle spasm", "scoliosis", "kyphosis",
    "tension headache", "torticollis", "coccydynia", "piriformis syndrome", "osteoarthritis",
    "thoracic stiffness", "upper back tension", "cervical spondylosis", "lower back pain",
]  # fmt: skip
PARTS = [
    "lower back", "neck", "upper back", "shoulders", "hips", "hamstrings", "glutes", "spine",
    "lumbar spine", "cervical spine", "thoracic spine", "core", "pelvis", "tailbone",
    "shoulder blades", "jaw", "sacroiliac joint", "discs", "vertebrae", "nerves",
]  # fmt: skip
ACTIONS = [
    "stretching", "strengthening", "walking", "resting", "sitting", "standing", "sleeping",
    "lifting", "driving", "swimming", "breathing slowly", "relaxing", "bracing", "bending",
    "twisting", "massaging", "applying heat", "applying ice", "foam rolling", "working at a desk",
]  # fmt: skip
ADVICE = [
    "a physiotherapist", "your doctor", "a chiropractor", "an osteopath", "a pain specialist",
    "a personal trainer", "a sports therapist",
]  # fmt: skip
TITLE_PATTERNS = [
    "{n} {adj} stretches for {part}",
    "How to relieve {condition} at home",
    "{Action} with {condition}: what helps",
    "Why your {part} hurts after {action}",
    "The best {thing} for {condition}",
    "{condition_cap}: causes, symptoms and treatment",
    "A {adj} routine for {part} pain",
    "When to see {advice} about {condition}",
    "{n} mistakes that make {condition} worse",
    "Does {action} help {condition}?",
]
ADJECTIVES = ["gentle", "simple", "daily", "quick", "effective", "safe", "morning", "evening"]
THINGS = ["pillow", "mattress", "office chair", "sleeping position", "standing desk", "shoes"]
SENTENCES = [
    "Many people with {condition} find that {action} eases the pain in the {part}.",
    "If the pain spreads down the leg or you feel numbness, talk to {advice} before {action}.",
    "Research suggests that regular {action} reduces stiffness in the {part} within weeks.",
    "Avoid {action} for long periods when {condition} flares up; short breaks help more.",
    "A {adj} routine of {action} and {action2} keeps the {part} moving without strain.",
    "Heat relaxes tight muscles around the {part}, while ice calms fresh inflammation.",
    "Posture matters: when {action}, keep the {part} supported and the shoulders relaxed.",
    "Most episodes of {condition} improve within six weeks with movement and patience.",
    "Ask {advice} to check your technique, especially if {action} makes the {part} ache.",
    "Sleep on a supportive {thing}; it takes pressure off the {part} overnight.",
    "Stress tightens the muscles of the {part}, so relaxation techniques can bring relief.",
    "Strong core muscles protect the {part} when {action} or lifting heavy things.",
]
FILLER = (
    "In our experience readers notice the difference after a few days. Start slowly, listen to "
    "your body and stop if anything feels sharp or wrong. Consistency beats intensity."
)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--engines", default="postgresql,sqlite")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="PostgreSQL: keep the loaded database, and reuse it if it is there (development)",
    )
    parser.add_argument("--run-one", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.run_one:
        print(json.dumps(run_one(args.run_one, args.articles, keep=args.keep)))
        return
    # Each engine runs in its own process: Django's settings (the database) are set once.
    results = {}
    for vendor in args.engines.split(","):
        print(f"== {vendor}: {args.articles:,} articles …", file=sys.stderr, flush=True)
        command = [sys.executable, __file__, "--run-one", vendor, "--articles", str(args.articles)]
        output = subprocess.run(
            command + (["--keep"] if args.keep else []),
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        results[vendor] = json.loads(output.strip().splitlines()[-1])
    report(results, args.articles)


def run_one(vendor, articles, keep=False):
    with throwaway_database(vendor, keep=keep) as url:
        os.environ.update(
            DATABASE_URL=url,
            DJANGO_SETTINGS_MODULE="backandneck.settings",
            SECRET_KEY="bench-" + "x" * 50,
            ALLOWED_HOSTS="testserver",
            DEBUG="0",
            CONN_MAX_AGE="600",
            LOG_LEVEL="ERROR",
            # The icontains baseline is a plain page: it must be computed, never served from
            # the page cache (searches themselves are never page-cached).
            PAGE_CACHE_SECONDS="0",
            # Loading tens of thousands of articles takes longer than a reader's statement may.
            DATABASE_STATEMENT_TIMEOUT="0",
        )
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command
        from django.test.utils import override_settings

        # Production settings, except static files are not collected: file names stay plain.
        override_settings(
            STORAGES={
                "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            },
            ROOT_URLCONF=__name__,
        ).enable()
        call_command("migrate", verbosity=0)
        from blog.models import Post

        started = time.perf_counter()
        if not Post.objects.exists():
            generate(articles)
        load_seconds = time.perf_counter() - started
        settle(vendor)
        return {
            "load_seconds": round(load_seconds, 1),
            "search": measure("/search/"),
            "suggest": measure("/search/suggest/"),
            # The baseline takes seconds a page at 20,000 posts: one round is enough to compare.
            "icontains": measure("/bench/icontains/", rounds=1),
            "queries_per_page": queries_per_page(),
        }


class throwaway_database:
    """A new, empty database, dropped afterwards; with keep (PostgreSQL), the last one kept."""

    def __init__(self, vendor, keep=False):
        self.vendor, self.keep = vendor, keep and vendor != "sqlite"

    def __enter__(self):
        if self.vendor == "sqlite":
            self.directory = tempfile.TemporaryDirectory(prefix="bench-search-")
            return f"sqlite:///{self.directory.name}/bench.sqlite3"
        if not (self.keep and self._exists()):
            self._admin(
                f'DROP DATABASE IF EXISTS "{self._name}"', f'CREATE DATABASE "{self._name}"'
            )
        return POSTGRES_URL

    def __exit__(self, *exc):
        if self.vendor == "sqlite":
            self.directory.cleanup()
        elif not self.keep:
            from django.db import connections

            connections.close_all()
            self._admin(f'DROP DATABASE IF EXISTS "{self._name}"')

    @property
    def _name(self):
        return urlsplit(POSTGRES_URL).path.lstrip("/")

    def _exists(self):
        return self._admin(("SELECT 1 FROM pg_database WHERE datname = %s", [self._name]))

    def _admin(self, *statements):
        """Run statements (SQL, or SQL and parameters) in the postgres database; the last's rows."""
        import psycopg2

        connection = psycopg2.connect(POSTGRES_URL.rsplit("/", 1)[0] + "/postgres")
        connection.autocommit = True
        rows = None
        with connection.cursor() as cursor:
            for statement in statements:
                sql, params = statement if isinstance(statement, tuple) else (statement, None)
                cursor.execute(sql, params)
                rows = cursor.fetchall() if cursor.description else None
        connection.close()
        return rows


def generate(count, seed=20_000):
    """Articles with back-and-neck vocabulary, 95% published over eight years, 5% drafts."""
    from django.contrib.auth.models import User
    from django.utils import timezone
    from taggit.models import Tag, TaggedItem

    from blog.models import Category, Post

    rng = random.Random(seed)
    authors = [User.objects.create_user(f"author{n}", password=None) for n in range(5)]
    categories = [
        Category.objects.create(name=name, slug=name.lower().replace(" ", "-"))
        for name in CATEGORIES
    ]
    tags = [Tag.objects.create(name=name, slug=name.replace(" ", "-")) for name in TAGS]
    now = timezone.now()
    for start in range(0, count, 1000):
        posts = [article(rng, n, now, authors, categories) for n in range(start, start + 1000)]
        posts = Post.objects.bulk_create(posts[: count - start])
        TaggedItem.objects.bulk_create(
            TaggedItem(content_object=post, tag=tag)
            for post in posts
            for tag in rng.sample(tags, rng.randint(1, 4))
        )


def settle(vendor):
    """What autovacuum does on a live PostgreSQL site after a bulk load: fresh statistics."""
    if vendor == "postgresql":
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def article(rng, n, now, authors, categories):
    from blog.models import Post

    def fill(pattern):
        condition = rng.choice(CONDITIONS)
        action = rng.choice(ACTIONS)
        return pattern.format(
            n=rng.randint(3, 12),
            adj=rng.choice(ADJECTIVES),
            part=rng.choice(PARTS),
            condition=condition,
            condition_cap=condition.removeprefix("a ").capitalize(),
            action=action,
            Action=action.capitalize(),
            action2=rng.choice(ACTIONS),
            advice=rng.choice(ADVICE),
            thing=rng.choice(THINGS),
        )

    title = fill(rng.choice(TITLE_PATTERNS))
    paragraphs = []
    for _ in range(rng.randint(5, 10)):
        sentences = " ".join(fill(rng.choice(SENTENCES)) for _ in range(rng.randint(3, 6)))
        paragraphs.append(f"<p>{sentences} {FILLER if rng.random() < 0.3 else ''}</p>")
        if rng.random() < 0.3:
            paragraphs.append(f"<h2>{fill(rng.choice(TITLE_PATTERNS))}</h2>")
    body = "\n".join(paragraphs)
    return Post(
        title=title,
        slug=f"article-{n}",
        excerpt=fill(rng.choice(SENTENCES)),
        body=body,
        author=rng.choice(authors),
        category=rng.choice(categories),
        status=Post.Status.DRAFT if rng.random() < 0.05 else Post.Status.RELEASED,
        published_at=now - timedelta(minutes=rng.randint(60, 60 * 24 * 365 * 8)),
        word_count=len(body.split()),
    )


def reader_address(round_number, n):
    """A made-up address per request, so the per-client search rate limit never applies."""
    return f"192.0.2.{(round_number * len(QUERIES) + n) % 250 + 1}"


def measure(path, rounds=ROUNDS):
    """Latency in milliseconds of each query's first page, after one warm-up round."""
    from django.test import Client

    client = Client()
    by_query = {query: [] for query in QUERIES}
    for round_number in range(rounds + 1):
        for n, query in enumerate(QUERIES):
            started = time.perf_counter()
            response = client.get(path, {"q": query}, REMOTE_ADDR=reader_address(round_number, n))
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, (path, query, response.status_code)
            if round_number:
                by_query[query].append(elapsed)
    timings = sorted(t for query_timings in by_query.values() for t in query_timings)
    return {
        "p50": round(statistics.median(timings), 1),
        "p95": round(timings[int(len(timings) * 0.95) - 1], 1),
        "max": round(timings[-1], 1),
        "requests": len(timings),
        # Which queries make the p95: each one's median and slowest request.
        "by_query": {
            query: [round(statistics.median(t), 1), round(max(t), 1)]
            for query, t in by_query.items()
        },
    }


def queries_per_page():
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    counts = {}
    for n, query in enumerate(QUERIES):
        with CaptureQueriesContext(connection) as captured:
            client.get("/search/", {"q": query}, REMOTE_ADDR=reader_address(99, n))
        counts[query] = len(captured)
    return {"min": min(counts.values()), "max": max(counts.values())}


def icontains_search(request):
    """The baseline: what a site without full-text search does. Same template work per row."""
    from django.core.paginator import Paginator
    from django.db.models import Q
    from django.shortcuts import render

    from blog.models import Post
    from search.query import parse

    words = [w for clause in parse(request.GET.get("q", "")).positive for w in clause_words(clause)]
    posts = Post.objects.published().for_cards().defer("body")
    for word in words:
        posts = posts.filter(
            Q(title__icontains=word) | Q(excerpt__icontains=word) | Q(body__icontains=word)
        )
    page = Paginator(posts, 10).get_page(1)
    return render(request, "blog/post_list.html", {"posts": page, "page_obj": page})


def clause_words(clause):
    return clause.alternatives[0].words


def report(results, articles):
    lines = [f"Search page latency, {articles:,} articles, ms (sequential, test client)", ""]
    lines.append(
        f"{'database':<11} {'engine':<10} {'p50':>8} {'p95':>8} {'max':>8}  queries/page  load"
    )
    for vendor, result in results.items():
        for name in ["search", "suggest", "icontains"]:
            r = result[name]
            queries = result["queries_per_page"] if name == "search" else {}
            per_page = f"{queries.get('min', '')}–{queries.get('max', '')}" if queries else ""
            load = f"{result['load_seconds']} s" if name == "search" else ""
            lines.append(
                f"{vendor:<11} {name:<10} {r['p50']:>8} {r['p95']:>8} {r['max']:>8}"
                f"  {per_page:>12}  {load}"
            )
        ratio50 = result["icontains"]["p50"] / result["search"]["p50"]
        ratio95 = result["icontains"]["p95"] / result["search"]["p95"]
        lines.append(
            f"{vendor:<11} full-text is {ratio50:.1f}× (p50) / {ratio95:.1f}× (p95) faster"
        )
        lines.append("")
    print("\n".join(lines))
    print(json.dumps(results, indent=2), file=sys.stderr)


def _urlpatterns():
    from django.urls import include, path

    return [
        path("bench/icontains/", icontains_search),
        path("", include("backandneck.urls")),
    ]


def __getattr__(name):
    # This module is the benchmark's ROOT_URLCONF: the site's URLs plus the baseline.
    if name == "urlpatterns":
        return _urlpatterns()
    raise AttributeError(name)


if __name__ == "__main__":
    main()
