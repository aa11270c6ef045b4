"""
No reader page needs to read a whole big table: every query of every page has an index to use.
On SQLite no plan may SCAN a big table without an index; on PostgreSQL, with sequential scans
priced out of reach (enable_seqscan off), none may remain. bench/plans.py checks the plans the
planner really picks, and the rows they read, at 100,000 articles.
"""

import json
from datetime import UTC, date, datetime

import pytest
from django.db import connection

from bench.plans import BIG_TABLES, Recorder

from . import factories

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/articles/",
    "/articles/?page=2",
    "/category/lower-back-pain/?page=2",
    "/tag/posture/",
    "/post-3/",
    "/2025/",
    "/feed/",
    "/feed/atom/",
    "/category/lower-back-pain/feed/",
    "/author/writer/",
    "/reviewer/dr-who/",
    "/search/?q=posture",
    "/sitemap.xml",
    "/sitemap-posts.xml",
]


@pytest.fixture(scope="module")
def site(module_rows):
    """Shared by every page's test: they only read it."""
    category = factories.make_category(name="Lower Back Pain", slug="lower-back-pain")
    author = factories.make_user()
    factories.make_author_profile(user=author, slug="writer")
    reviewer = factories.make_reviewer(slug="dr-who")
    for n in range(1, 30):
        post = factories.make_post(
            title=f"Post {n}",
            slug=f"post-{n}",
            category=category,
            author=author,
            reviewed_by=reviewer,
            last_reviewed=date(2025, 1, 1),
            tags=["posture", f"tag-{n % 4}"],
            is_featured=n == 1,
            published_at=datetime(2025, 6, n, tzinfo=UTC),
        )
        post.references.create(title=f"Source for post {n}", url="https://example.org/")


def full_scans(sql, params):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            details = [row[-1] for row in cursor.fetchall()]
            return [
                d for d in details if d.startswith("SCAN ") and d.split()[1] in BIG_TABLES
                and "USING" not in d
            ]  # fmt: skip
        cursor.execute("SET enable_seqscan = off")
        try:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
        finally:
            cursor.execute("SET enable_seqscan = on")
    plan = json.loads(plan) if isinstance(plan, str) else plan
    scans, nodes = [], [plan[0]["Plan"]]
    while nodes:
        node = nodes.pop()
        if node["Node Type"] == "Seq Scan" and node.get("Relation Name") in BIG_TABLES:
            scans.append(f"Seq Scan on {node['Relation Name']}")
        nodes.extend(node.get("Plans", []))
    return scans


@pytest.mark.parametrize("url", PAGES)
def test_every_query_of_a_reader_page_can_use_an_index(client, site, url):
    recorder = Recorder()
    with connection.execute_wrapper(recorder):
        # The first request also builds what is kept per generation (navigation, counts).
        assert client.get(url, REMOTE_ADDR="192.0.2.1").status_code == 200
        assert client.get(url, REMOTE_ADDR="192.0.2.2").status_code == 200
    assert recorder.statements
    scans = {
        sql: found for sql, params in recorder.statements if (found := full_scans(sql, params))
    }
    assert scans == {}
