"""
Query plans of every reader page at scale: each page is requested in-process (Django's test
client, page cache off) on a database of 100,000 articles, every query it runs is explained
with the database's own EXPLAIN, and the run fails if a reader's request scans a big table
from end to end, or (PostgreSQL, EXPLAIN ANALYZE) reads more than ROW_BUDGET of its rows.

    python bench/plans.py                                   # loads 100,000 articles (long)
    python bench/plans.py --database-url postgres://…/db    # reuses a loaded database
    python bench/plans.py --database-url sqlite:////tmp/bench.sqlite3

Each page is requested twice. The first request after a content change also builds what the
site keeps per page cache generation (the navigation with its counts, a list's count, an
article's related posts): those queries are shown as "per change" and may read more rows, but
never scan a table; the second request is what every other reader costs. See
docs/benchmarks.md.
"""

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Tables that grow with the archive (or with readers): never read from end to end.
BIG_TABLES = {
    "blog_post", "taggit_taggeditem", "blog_post_other_categories", "blog_reference",
    "blog_historicalpost", "blog_carecard", "blog_feedback", "search_word", "django_redirect",
    "search_dailysearch",
}  # fmt: skip
# Rows of a big table one reader's request may read (PostgreSQL, measured by EXPLAIN ANALYZE).
ROW_BUDGET = 5_000


def reader_pages():
    """Every page a reader can land on, at addresses that exist in this database."""
    from django.contrib.auth import get_user_model
    from taggit.models import Tag

    from blog.models import Category, Post
    from people.models import AuthorProfile, Reviewer

    public = Post.objects.published()
    middle = public.order_by("-published_at")[public.count() // 2]
    category = Category.objects.with_public_posts().order_by("-post_count").first()
    tag = Tag.objects.filter(taggit_taggeditem_items__isnull=False).first()
    author = AuthorProfile.objects.filter(user__in=get_user_model().objects.all()).first()
    reviewer = Reviewer.objects.first()
    pages = {
        "home": "/",
        "list": "/articles/",
        "list p2": "/articles/?page=2",
        "list p100 (the last)": "/articles/?page=100",
        "category p2": f"{category.get_absolute_url()}?page=2",
        "tag": f"/tag/{tag.slug}/",
        "article": middle.get_absolute_url(),
        "year archive": f"/{middle.published_at.year}/",
        "feed": "/feed/",
        "atom feed": "/feed/atom/",
        "category feed": f"{category.get_absolute_url()}feed/",
        "search": "/search/?q=neck+pain+stretches",
        "sitemap index": "/sitemap.xml",
    }
    if author:
        pages["author"] = author.get_absolute_url()
    if reviewer:
        pages["reviewer"] = reviewer.get_absolute_url()
    return pages


class Recorder:
    """Every statement a request runs, with its parameters (execute_wrapper)."""

    def __init__(self):
        self.statements = []

    def __call__(self, execute, sql, params, many, context):
        # EXECUTE: the search page's prepared statement (search/engines/postgres.py).
        if not many and sql.lstrip().upper().startswith(("SELECT", "WITH", "EXECUTE")):
            self.statements.append((sql, params))
        return execute(sql, params, many, context)


def explain(sql, params):
    """(plan text, [problems]) for one statement on this database."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            return postgres_problems(plan[0]["Plan"])
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return sqlite_problems([row[-1] for row in cursor.fetchall()])


def postgres_problems(root):
    lines, problems = [], []

    def walk(node, depth):
        relation = node.get("Relation Name")
        rows = node.get("Actual Rows", 0) * node.get("Actual Loops", 1)
        removed = node.get("Rows Removed by Filter", 0) * node.get("Actual Loops", 1)
        label = node["Node Type"] + (f" on {relation}" if relation else "")
        if node.get("Index Name"):
            label += f" using {node['Index Name']}"
        lines.append(f"{'  ' * depth}{label} (rows {rows:,.0f}, filtered out {removed:,.0f})")
        if relation in BIG_TABLES:
            # Scanning a table that holds a handful of rows (no care cards yet) costs nothing.
            if node["Node Type"] == "Seq Scan" and table_rows(relation) > ROW_BUDGET:
                problems.append(f"sequential scan of {relation}")
            elif rows + removed > ROW_BUDGET:
                problems.append(f"reads {rows + removed:,.0f} rows of {relation}")
        for child in node.get("Plans", []):
            walk(child, depth + 1)

    walk(root, 0)
    return "\n".join(lines), problems


_table_rows = {}


def table_rows(table):
    """The planner's estimate of a PostgreSQL table's rows."""
    from django.db import connection

    if table not in _table_rows:
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
            _table_rows[table] = cursor.fetchone()[0]
    return _table_rows[table]


def sqlite_problems(details):
    problems = [
        f"full scan: {detail}"
        for detail in details
        if detail.startswith("SCAN ")
        and detail.split()[1] in BIG_TABLES
        and "USING" not in detail  # A scan in an index's order stops at the LIMIT.
    ]
    return "\n".join(details), problems


def check_page(client, path):
    """{"per change": [...], "every request": [...]}: (sql, plan, problems) per statement."""
    from django.db import connection

    import pagecache

    pagecache.new_generation()  # As just after an edit: per-generation values are built again.
    pagecache.forget_local()
    found = {}
    for moment in ("per change", "every request"):
        recorder = Recorder()
        with connection.execute_wrapper(recorder):
            response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
        found[moment] = [(sql, *explain(sql, params)) for sql, params in recorder.statements]
    return found


def report(pages, results, verbose):
    failed = []
    for name, path in pages.items():
        steady = results[name]["every request"]
        print(f"\n## {name}: {path} ({len(steady)} queries on every request)")
        for moment, statements in results[name].items():
            for sql, plan, problems in statements:
                # Per change, reading many rows is allowed (once per edit); a scan never is.
                fatal = [
                    p
                    for p in problems
                    if moment == "every request" or p.startswith(("seq", "full"))
                ]
                if fatal:
                    failed.append((name, fatal))
                if verbose or problems:
                    mark = "FAIL" if fatal else ("note" if problems else "")
                    print(f"\n[{moment}] {mark} {'; '.join(problems)}\n{sql[:300]}\n{plan}")
    print()
    if failed:
        print("Reader requests whose cost grows with the archive:")
        for name, problems in failed:
            print(f"  {name}: {'; '.join(problems)}")
        return 1
    print(f"No reader page scans a big table or reads more than {ROW_BUDGET:,} of its rows.")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="a loaded database to reuse (else a new one)")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--verbose", action="store_true", help="print every plan")
    args = parser.parse_args(argv)

    if args.database_url:
        return run(args.database_url, args)
    from bench import server

    server.clean_up_on_sigterm()
    with server.site_database(args.articles) as database_url:
        return run(database_url, args)


def run(database_url, args):
    os.environ.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="backandneck.settings",
        SECRET_KEY="bench-" + "x" * 50,
        ALLOWED_HOSTS="testserver",
        DEBUG="0",
        LOG_LEVEL="ERROR",
        PAGE_CACHE_SECONDS="0",
        # A plan is worth seeing even when the database is busy; the site's own limit is 10 s.
        DATABASE_STATEMENT_TIMEOUT="120",
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from blog.models import Post

    override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()
    call_command("migrate", verbosity=0)
    if Post.objects.count() < args.articles and not args.database_url:
        from bench.content import generate

        generate(args.articles)
    print(f"{Post.objects.count():,} posts on {connection.vendor}")
    pages = reader_pages()
    client = Client()
    results = {name: check_page(client, path) for name, path in pages.items()}
    return report(pages, results, args.verbose)


if __name__ == "__main__":
    sys.exit(main())
