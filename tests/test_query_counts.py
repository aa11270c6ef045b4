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


NEWSLETTER_ADMIN_PAGES = [
    "/admin/newsletter/issue/",
    "/admin/newsletter/issue/{last}/change/",
    "/admin/newsletter/issue/{draft}/send-now/",
    "/admin/newsletter/sendingsettings/1/change/",
]


@pytest.mark.parametrize("url", NEWSLETTER_ADMIN_PAGES)
def test_newsletter_admin_pages_query_the_same_for_5_and_20_sent_issues(
    client, add_posts, django_user_model, url
):
    from django.utils import timezone

    from blog.models import Post
    from newsletter.models import Issue, IssuePost

    client.force_login(django_user_model.objects.create_superuser("boss", "b@example.com", "pw"))
    add_posts(5)
    posts = list(Post.objects.all()[:3])
    draft = Issue.objects.create(subject="Next")

    def add_sent_issues(count):
        for n in range(count):
            issue = Issue.objects.create(subject=f"Issue {n}")
            IssuePost.objects.bulk_create(
                IssuePost(issue=issue, post=post, position=i) for i, post in enumerate(posts)
            )
            Issue.objects.filter(pk=issue.pk).update(
                status="sent", sent_at=timezone.now(), sent_count=900, complaint_count=n % 4
            )
        return issue

    last = add_sent_issues(5)
    page = url.format(last=last.pk, draft=draft.pk)
    client.get(page)
    with_5 = count_queries(client, page)
    last = add_sent_issues(15)
    page = url.format(last=last.pk, draft=draft.pk)
    client.get(page)
    assert count_queries(client, page) == with_5
