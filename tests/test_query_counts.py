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
    "/sitemap-posts.xml",
    "/sitemap-categories.xml",
    "/sitemap-people.xml",
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


def test_page_query_count_is_the_same_for_15_and_50_posts(client, add_posts):
    def counts():
        counted = {}
        for url in PAGES:
            # Warm up: first requests create the site settings row and fill caches; after a
            # change, site-wide values (settings, navigation) are read again.
            client.get(url)
            counted[url] = count_queries(client, url)
        return counted

    # One database for every page: making 50 posts for each page alone was most of the time.
    add_posts(15)
    with_15 = counts()
    add_posts(35)
    assert counts() == with_15
    assert {url: n for url, n in with_15.items() if n > 12} == {}


def test_a_preview_with_reviewer_notes_runs_as_many_queries_for_1_and_20_notes(
    client, make_post, django_user_model
):
    from blog.models import Post, PreviewLink, ReviewerNote

    body = "".join(f"<p>Paragraph {n}.</p>" for n in range(1, 30))
    draft = make_post(status=Post.Status.DRAFT, body=body)
    link = PreviewLink.objects.create(post=draft, shared_with="Dr Who")
    url = link.get_absolute_url()

    def add_notes(count):
        ReviewerNote.objects.bulk_create(
            ReviewerNote(post=draft, preview_link=link, paragraph=n % 29 + 1, text=f"Note {n}")
            for n in range(count)
        )

    add_notes(1)
    client.get(url)
    with_1 = count_queries(client, url)
    add_notes(19)
    client.get(url)
    assert count_queries(client, url) == with_1


def test_the_post_form_with_notes_and_reviews_runs_as_many_queries_for_1_and_20_notes(
    client, make_post, django_user_model
):
    from blog.models import Post, PreviewLink, ReviewerNote, ReviewRequest

    admin = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw")
    client.force_login(admin)
    draft = make_post(status=Post.Status.DRAFT, body="<p>One.</p><p>Two.</p>")
    link = PreviewLink.objects.create(post=draft)
    ReviewRequest.objects.create(post=draft, submitted_by=draft.author)
    url = f"/admin/blog/post/{draft.pk}/change/"

    def add_notes(count):
        ReviewerNote.objects.bulk_create(
            ReviewerNote(post=draft, preview_link=link, paragraph=1, text="x") for _ in range(count)
        )

    add_notes(1)
    client.get(url)
    with_1 = count_queries(client, url)
    add_notes(19)
    client.get(url)
    assert count_queries(client, url) == with_1


def test_the_dashboard_runs_as_many_queries_for_1_and_10_posts_awaiting_review(
    client, make_post, django_user_model
):
    from blog.models import Post, ReviewRequest

    admin = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw")
    client.force_login(admin)

    def submit(count):
        for _ in range(count):
            post = make_post(status=Post.Status.DRAFT)
            ReviewRequest.objects.create(post=post, submitted_by=post.author)

    submit(1)
    client.get("/admin/")
    with_1 = count_queries(client, "/admin/")
    submit(9)
    client.get("/admin/")
    assert count_queries(client, "/admin/") == with_1


@pytest.fixture
def add_library_images():
    """Library images (renditions skipped), each used in the body of one post."""
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from blog.media_library import LibraryImage

    made = []

    def add_library_images(count):
        for _ in range(count):
            buffer = BytesIO()
            Image.new("RGB", (40, 30), (len(made) % 250, 50, 60)).save(buffer, format="PNG")
            image = LibraryImage(
                file=SimpleUploadedFile("a.png", buffer.getvalue()), alt=f"Image {len(made)}"
            )
            image.save()
            made.append(image)
        return made

    return add_library_images


def test_an_article_with_more_library_images_runs_no_more_queries(
    client, make_post, add_library_images
):
    images = add_library_images(12)
    one = make_post(slug="one", body=f'<p><img src="{images[0].url}"></p>')
    many = make_post(
        slug="many", body="".join(f'<p><img src="{image.url}"></p>' for image in images)
    )
    import pagecache

    def cold_count(url):
        # Rendered afresh (a parameter keeps it out of the page cache), body images looked up.
        client.get(url)
        pagecache.forget_local()
        return count_queries(client, f"{url}?x=1")

    assert cold_count(one.get_absolute_url()) == cold_count(many.get_absolute_url())


@pytest.mark.parametrize(
    "url",
    [
        "/admin/blog/libraryimage/",
        "/admin/blog/libraryimage/?attention=any",
        "/ckeditor/browse/",
        "/ckeditor/browse/?q=image",
        "/admin/blog/post/add/",
    ],
)
def test_media_library_pages_query_count_is_the_same_for_5_and_30_images(
    client, editor, add_library_images, make_post, url
):
    client.force_login(editor)
    images = add_library_images(5)
    make_post(featured_image=images[0].file.name, body=f'<img src="{images[1].url}" alt="x">')
    client.get(url)
    with_5 = count_queries(client, url)
    add_library_images(25)
    client.get(url)
    with_30 = count_queries(client, url)
    assert with_30 == with_5


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
