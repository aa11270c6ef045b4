"""Every public page runs a constant number of SQL queries, however many posts exist."""

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
]


@pytest.fixture
def add_posts(make_post, category, make_user, make_image):
    authors = [make_user() for _ in range(3)]
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
                tags=["posture", f"tag-{n}"],
                featured_image=image if n % 2 else None,
                featured_image_alt="A calm picture",
                is_featured=n == 1,
            )
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
