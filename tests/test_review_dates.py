"""Review dates readers can trust: shown on the article, honest when late, cheap to renew."""

import time
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.utils import timezone

from blog.models import Post, add_months
from siteconfig.models import SiteSettings

pytestmark = pytest.mark.django_db


def days_ago(n):
    return timezone.localdate() - timedelta(days=n)


def record_review(client, *posts, **kwargs):
    data = {"action": "reviewed_no_change", "_selected_action": [post.pk for post in posts]}
    return client.post("/admin/blog/post/", data, **kwargs)


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 600


@pytest.fixture
def reviewed_post(make_post, make_reviewer):
    def reviewed_post(last_reviewed, **kwargs):
        reviewer = make_reviewer(name="Dr Priya <b>Shah</b>", credentials="MCSP")
        return make_post(reviewed_by=reviewer, last_reviewed=last_reviewed, **kwargs)

    return reviewed_post


def test_an_article_says_who_reviewed_it_when_and_when_the_next_review_is_due(
    client, reviewed_post
):
    post = reviewed_post(date(2026, 3, 10), review_interval_months=12)
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Medically reviewed by" in page
    assert "Dr Priya &lt;b&gt;Shah&lt;/b&gt;, MCSP" in page
    assert '<time datetime="2026-03-10">10 March 2026</time>' in page
    assert 'Next review due <time datetime="2027-03-10">10 March 2027</time>' in page
    assert "due for review" not in page


def test_an_overdue_article_says_so_instead_of_claiming_a_current_review(client, reviewed_post):
    post = reviewed_post(days_ago(400))
    page = client.get(post.get_absolute_url()).content.decode()
    assert "This article is due for review;</strong> it was last checked on" in page
    assert days_ago(400).strftime("%-d %B %Y") in page
    assert "review-note__reviewed" not in page
    assert "Next review due" not in page
    assert '<p class="author-box__role">Last medically reviewed by</p>' in page


def test_reviewed_no_change_updates_only_the_review_date_and_the_history(
    client, editor, reviewed_post, page_cache
):
    post = reviewed_post(days_ago(400), title="Sciatica", body="<p>Words.</p>")
    assert "due for review" in client.get(post.get_absolute_url()).content.decode()
    updated_at, revisions = post.updated_at, post.history.count()
    client.force_login(editor)
    response = client.post(
        "/admin/blog/post/",
        {"action": "reviewed_no_change", "_selected_action": [post.pk]},
        follow=True,
    )
    assert "Recorded today’s review of 1 post(s)." in response.content.decode()
    post.refresh_from_db()
    assert post.last_reviewed == timezone.localdate()
    assert post.updated_at == updated_at
    assert (post.title, post.body) == ("Sciatica", "<p>Words.</p>")
    assert post.history.count() == revisions + 1
    latest = post.history.first()
    assert latest.history_change_reason == "Reviewed, no change"
    assert latest.history_user == editor
    assert latest.last_reviewed == timezone.localdate()
    # The page shows the new review at once, though a bulk update sends no signal.
    client.logout()
    page = client.get(post.get_absolute_url()).content.decode()
    assert "due for review" not in page


def test_reviewed_no_change_skips_articles_nobody_reviewed(client, editor, make_post):
    post = make_post(title="Never checked")
    client.force_login(editor)
    response = client.post(
        "/admin/blog/post/", {"action": "reviewed_no_change", "_selected_action": [post.pk]},
        follow=True,
    )  # fmt: skip
    assert "no reviewer is named: Never checked" in response.content.decode()
    post.refresh_from_db()
    assert post.last_reviewed is None


def test_authors_cannot_record_a_review(client, author, reviewed_post):
    post = reviewed_post(days_ago(400), author=author, status=Post.Status.DRAFT)
    client.force_login(author)
    record_review(client, post)
    post.refresh_from_db()
    assert post.last_reviewed == days_ago(400)
    assert 'value="reviewed_no_change"' not in client.get("/admin/blog/post/").content.decode()


def test_a_reviewer_account_with_the_permission_records_reviews_but_edits_nothing(
    client, make_user, reviewed_post
):
    reviewer = make_user(role="Author")
    reviewer.user_permissions.add(Permission.objects.get(codename="record_review"))
    post = reviewed_post(days_ago(400))
    client.force_login(reviewer)
    record_review(client, post)
    post.refresh_from_db()
    assert post.last_reviewed == timezone.localdate()
    response = client.post(f"/admin/blog/post/{post.pk}/change/", {"title": "Changed"})
    assert response.status_code == 403 or Post.objects.get(pk=post.pk).title != "Changed"


def test_articles_reviewed_together_fall_due_in_different_weeks_within_the_interval(
    client, editor, reviewed_post
):
    posts = [reviewed_post(days_ago(400)) for _ in range(13)]
    client.force_login(editor)
    client.post(
        "/admin/blog/post/",
        {"action": "reviewed_no_change", "_selected_action": [post.pk for post in posts]},
    )
    today = timezone.localdate()
    full_interval = add_months(today, 12)
    due = [Post.objects.get(pk=post.pk).next_review_on for post in posts]
    assert len(set(due)) == 13
    assert all(full_interval - timedelta(weeks=12) <= day <= full_interval for day in due)
    # The rule depends on the article alone: the same article gets the same date again.
    for post in Post.objects.filter(pk__in=[post.pk for post in posts]):
        assert post.next_review_on == post.review_due_after(today)


def test_an_edit_keeps_a_spread_out_due_date(client, editor, reviewed_post):
    post = reviewed_post(days_ago(400))
    client.force_login(editor)
    record_review(client, post)
    spread = Post.objects.get(pk=post.pk)
    due = spread.next_review_on
    spread.title = "A better title"
    spread.save()
    assert Post.objects.get(pk=post.pk).next_review_on == due


def test_the_daily_check_keeps_overdue_articles_public_by_default(reviewed_post):
    post = reviewed_post(days_ago(400))
    call_command("check_reviews", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Post.objects.published().filter(pk=post.pk).exists()


def test_the_daily_check_can_unpublish_overdue_articles(client, reviewed_post):
    site = SiteSettings.load()
    site.overdue_reviews = SiteSettings.OverdueReviews.UNPUBLISH
    site.save()
    late, current = reviewed_post(days_ago(400)), reviewed_post(days_ago(10))
    call_command("check_reviews", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert set(Post.objects.published()) == {current}
    assert client.get(late.get_absolute_url()).status_code == 404
    assert late.history.first().history_change_reason == "Unpublished: medical review overdue"


def test_the_daily_check_refreshes_stored_pages_whose_review_fell_due(
    client, reviewed_post, page_cache
):
    post = reviewed_post(days_ago(10))
    assert "Next review due" in client.get(post.get_absolute_url()).content.decode()
    # The review falls due; the stored page must not keep saying otherwise.
    Post.objects.filter(pk=post.pk).update(next_review_on=days_ago(1))
    call_command("check_reviews", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert "due for review" in client.get(post.get_absolute_url()).content.decode()


def test_a_stored_page_says_the_review_is_due_once_its_date_passes_without_any_command(
    client, reviewed_post, settings, monkeypatch
):
    settings.PAGE_CACHE_SECONDS = 3 * 24 * 60 * 60  # Stored pages outlive the day.
    post = reviewed_post(days_ago(10))
    Post.objects.filter(pk=post.pk).update(next_review_on=timezone.localdate())
    client.get(post.get_absolute_url())
    page = client.get(post.get_absolute_url())
    assert page.page_cache == "hit" and "Next review due" in page.content.decode()
    tomorrow, in_a_day = timezone.now() + timedelta(days=1), time.time() + 24 * 60 * 60
    monkeypatch.setattr(timezone, "now", lambda: tomorrow)
    monkeypatch.setattr(time, "time", lambda: in_a_day)
    assert "due for review" in client.get(post.get_absolute_url()).content.decode()
