from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from blog.models import Post

pytestmark = pytest.mark.django_db


def test_the_dashboard_lists_drafts_scheduled_and_recent_posts(client, editor, make_post):
    make_post(title="Waiting draft", status=Post.Status.DRAFT)
    when = timezone.now() + timedelta(days=3)
    make_post(title="Coming soon", published_at=when)
    make_post(title="Out already")
    client.force_login(editor)
    response = client.get("/admin/")
    html = response.content.decode()
    assert "Drafts waiting (1)" in html
    assert "Waiting draft" in html
    assert "Coming soon" in html
    assert timezone.localtime(when).strftime("%-d %b %Y, %H:%M") in html
    assert "Out already" in html
    assert "Site administration" in html or "blog" in html.lower()  # The app list stays.


def test_an_authors_dashboard_shows_only_their_posts(client, author, make_post):
    make_post(title="My draft", status=Post.Status.DRAFT, author=author)
    make_post(title="Someone else's draft", status=Post.Status.DRAFT)
    client.force_login(author)
    html = client.get("/admin/").content.decode()
    assert "My draft" in html
    assert "Someone else" not in html


def test_the_dashboard_takes_a_constant_number_of_queries(client, editor, make_post):
    def add_posts(count):
        for _ in range(count):
            make_post(status=Post.Status.DRAFT)
            make_post()
            make_post(published_at=timezone.now() + timedelta(days=2))

    def queries():
        with CaptureQueriesContext(connection) as context:
            client.get("/admin/")
        return len(context.captured_queries)

    client.force_login(editor)
    add_posts(1)
    client.get("/admin/")  # Creates the site settings row, itself a content change.
    client.get("/admin/")
    few = queries()
    add_posts(10)
    client.get("/admin/")  # Site-wide values are read again once after content changes.
    assert queries() == few


def test_scheduled_posts_stand_out_in_the_post_list(client, editor, make_post):
    when = timezone.now() + timedelta(days=1)
    make_post(title="Tomorrow", published_at=when)
    client.force_login(editor)
    html = client.get("/admin/blog/post/").content.decode()
    assert f"<strong>Scheduled for {timezone.localtime(when):%-d %b %Y, %H:%M}</strong>" in html


def test_an_editor_duplicates_a_post_as_a_new_draft(client, editor, make_post, make_image):
    original = make_post(
        title="Desk stretches",
        tags=["desk"],
        is_featured=True,
        featured_image=make_image(),
        featured_image_alt="A desk",
    )
    client.force_login(editor)
    response = client.post(
        "/admin/blog/post/",
        {"action": "duplicate", "_selected_action": [original.pk]},
        follow=True,
    )
    copy = Post.objects.exclude(pk=original.pk).get()
    assert copy.title == "Desk stretches (copy)"
    assert copy.slug == "desk-stretches-copy"
    assert copy.status == Post.Status.DRAFT and copy.published_at is None
    assert not copy.is_featured
    assert copy.author == original.author
    assert copy.body == original.body
    assert list(copy.tags.names()) == ["desk"]
    assert copy.featured_image.name == original.featured_image.name
    assert "Created the draft" in response.content.decode()


def test_deleting_a_duplicate_keeps_the_shared_image(
    make_post, make_image, django_capture_on_commit_callbacks
):
    original = make_post(featured_image=make_image(), featured_image_alt="A desk")
    copy = original.duplicate()
    with django_capture_on_commit_callbacks(execute=True):
        copy.delete()
    assert original.featured_image.storage.exists(original.featured_image.name)


def test_an_author_duplicates_their_own_post_as_their_draft(client, author, make_post):
    mine = make_post(author=author, status=Post.Status.DRAFT)
    client.force_login(author)
    client.post("/admin/blog/post/", {"action": "duplicate", "_selected_action": [mine.pk]})
    assert Post.objects.filter(author=author).count() == 2
    assert not Post.objects.published().exists()


def test_the_dashboard_shows_reviews_due_subscribers_and_the_last_newsletter(
    client, editor, make_post
):
    from newsletter.models import Issue, Subscriber

    make_post(title="Never reviewed")
    Subscriber.objects.create(email="reader@example.com", status=Subscriber.Status.CONFIRMED)
    Subscriber.objects.create(email="waiting@example.com", status=Subscriber.Status.PENDING)
    Issue.objects.create(
        subject="Five stretches",
        status=Issue.Status.SENT,
        sent_at=timezone.now(),
        recipients_count=120,
        sent_count=118,
        failed_count=2,
    )
    client.force_login(editor)
    html = " ".join(client.get("/admin/").content.decode().split())
    assert "<strong>1</strong> article due for medical review" in html
    assert "<strong>1</strong> confirmed subscriber" in html
    assert "<strong>Five stretches</strong>" in html and "118 of 120 sent, 2 failed" in html


def test_authors_do_not_see_the_editors_figures(client, author):
    client.force_login(author)
    html = client.get("/admin/").content.decode()
    assert "medical review" not in html and "subscriber" not in html


def test_editors_are_warned_when_no_task_worker_runs(client, editor, settings):
    from django_tasks_db.models import DBTaskResult

    from newsletter import tasks

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.force_login(editor)
    tasks.send_issue.enqueue(1)  # "Send now", just pressed: a worker would take it within 1 s.
    assert "no task worker" not in client.get("/admin/").content.decode()

    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=3))
    dashboard = client.get("/admin/").content.decode()
    assert "1 background task (“Send now”, retries) has waited over two minutes" in dashboard
    assert (
        "no task worker seems to be running"
        in client.get("/admin/newsletter/issue/").content.decode()
    )

    DBTaskResult.objects.update(status="SUCCESSFUL")  # A worker came and ran it.
    assert "no task worker" not in client.get("/admin/").content.decode()
