"""Every public page runs a constant number of SQL queries, however many posts exist."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("skip_renditions")]

PAGES = [
    "/",
    "/articles/",
    "/articles/?page=2",
    "/category/lower-back-pain/",
    "/tag/posture/",
    "/post-3/",
    "/feed/",
    "/feed/atom/",
    "/category/lower-back-pain/feed/",
    "/sitemap.xml",
    "/author/writer/",
    "/reviewer/dr-who/?page=2",
    "/reviewer/dr-who/",
]


@pytest.fixture
def add_posts(make_post, category, make_user, make_image, make_author_profile, make_reviewer):
    authors = [make_user() for _ in range(3)]
    make_author_profile(user=authors[0], slug="writer")
    reviewer = make_reviewer(slug="dr-who")
    image = make_image()
    created = 0

    def add_posts(count):
        nonlocal created
        for n in range(created + 1, created + count + 1):
            make_post(
                title=f"Post {n}",
                slug=f"post-{n}",
                category=category,
                author=authors[n % 3],
                reviewed_by=reviewer,
                last_reviewed=date(2025, 1, 1),
                tags=["posture", f"tag-{n}"],
                featured_image=image if n % 2 else None,
                featured_image_alt="A calm picture",
                is_featured=n == 1,
            ).references.create(title=f"Source for post {n}", url="https://example.org/")
        created += count

    return add_posts


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


@pytest.mark.parametrize("url", PAGES)
def test_page_query_count_is_the_same_for_15_and_50_posts(client, add_posts, url):
    add_posts(15)
    client.get(url)  # Warm up: first requests create the site settings row and fill caches.
    with_15 = count_queries(client, url)
    add_posts(35)
    client.get(url)  # Site-wide values (settings, navigation) are read again after a change.
    with_50 = count_queries(client, url)
    assert with_50 == with_15
    assert with_15 <= 12


def count_post_queries(client, url, **headers):
    with CaptureQueriesContext(connection) as context:
        response = client.post(url, **headers)
    assert response.status_code == 204, url
    return len(context.captured_queries)


def test_counting_a_view_costs_the_same_for_15_and_50_posts(client, add_posts):
    reader = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0"}
    add_posts(15)
    client.post("/post-3/view/", **reader)
    with_15 = count_post_queries(client, "/post-3/view/", **reader)
    add_posts(35)
    with_50 = count_post_queries(client, "/post-3/view/", **reader)
    assert with_50 == with_15 <= 2


def test_a_newsletter_link_click_costs_the_same_for_15_and_50_posts(client, add_posts):
    from newsletter import link_tracking
    from newsletter.models import Issue

    issue = Issue.objects.create(subject="This week", status=Issue.Status.SENT)
    url = link_tracking.tracked_url(issue.pk, "https://example.org/")
    reader = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0"}
    counts = []
    for count in (15, 35):
        add_posts(count)
        with CaptureQueriesContext(connection) as context:
            assert client.get(url, **reader).status_code == 302
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1] <= 1


def test_the_statistics_in_the_admin_cost_the_same_for_15_and_50_posts(client, add_posts, editor):
    from blog import stats
    from blog.models import CheckedLink, Post
    from newsletter.models import Issue, LinkClick

    issue = Issue.objects.create(subject="This week", status=Issue.Status.SENT)
    client.force_login(editor)

    def add_statistics():
        for post in Post.objects.all():
            stats.add_to_day(post.pk, views=post.pk)
            link, _ = CheckedLink.objects.get_or_create(
                url=f"https://example.org/{post.pk}",
                defaults={"checked_at": date(2026, 1, 1), "is_broken": True},
            )
            link.posts.add(post)
            LinkClick.objects.get_or_create(issue=issue, url=f"https://example.org/{post.pk}")

    add_posts(15)
    add_statistics()
    pages = [
        "/admin/",
        f"/admin/blog/post/{Post.objects.get(slug='post-3').pk}/change/",
        "/admin/blog/checkedlink/",
        f"/admin/newsletter/issue/{issue.pk}/change/",
    ]
    for page in pages:
        client.get(page)  # Warm up, as above.
    with_15 = [count_queries(client, page) for page in pages]
    add_posts(35)
    add_statistics()
    for page in pages:
        client.get(page)
    with_50 = [count_queries(client, page) for page in pages]
    assert with_50 == with_15
