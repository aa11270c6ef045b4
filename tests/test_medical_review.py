from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from blog.models import Post, add_months

pytestmark = pytest.mark.django_db


def days_ago(n):
    return timezone.localdate() - timedelta(days=n)


def test_the_next_review_falls_due_one_interval_after_the_last(make_post, make_reviewer):
    post = make_post(
        reviewed_by=make_reviewer(), last_reviewed=date(2025, 3, 10), review_interval_months=6
    )
    assert post.next_review_on == date(2025, 9, 10)


def test_a_review_on_the_31st_falls_due_on_the_last_day_of_a_short_month():
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2023, 8, 31), 6) == date(2024, 2, 29)
    assert add_months(date(2025, 11, 15), 14) == date(2027, 1, 15)


def test_posts_are_reviewed_every_twelve_months_unless_told_otherwise(make_post, make_reviewer):
    post = make_post(reviewed_by=make_reviewer(), last_reviewed=date(2025, 5, 1))
    assert post.review_interval_months == 12
    assert post.next_review_on == date(2026, 5, 1)


@pytest.fixture
def review_states(make_post, make_reviewer):
    reviewer = make_reviewer()

    def reviewed(title, last_reviewed, **kwargs):
        return make_post(title=title, reviewed_by=reviewer, last_reviewed=last_reviewed, **kwargs)

    return {
        "overdue": reviewed("Overdue", days_ago(400)),
        "due soon": reviewed("Due soon", days_ago(350)),
        "current": reviewed("Current", days_ago(10)),
        "never reviewed": make_post(title="Never reviewed"),
        "overdue draft": reviewed("Overdue draft", days_ago(400), status=Post.Status.DRAFT),
        "overdue scheduled": reviewed(
            "Overdue scheduled", days_ago(400), published_at=timezone.now() + timedelta(days=1)
        ),
    }


def test_overdue_means_public_and_past_its_review_date_or_never_reviewed(review_states):
    overdue = set(Post.objects.review_overdue().values_list("title", flat=True))
    assert overdue == {"Overdue", "Never reviewed"}


def test_due_adds_public_posts_whose_review_falls_due_within_a_month(review_states):
    due = list(Post.objects.review_due().values_list("title", flat=True))
    # Never reviewed first, then by review date: the most urgent at the top.
    assert due == ["Never reviewed", "Overdue", "Due soon"]
    assert review_states["due soon"].is_review_overdue is False
    assert review_states["overdue"].is_review_overdue is True


def test_a_reviewer_needs_a_review_date_and_a_review_date_a_reviewer(make_post, make_reviewer):
    with pytest.raises(ValidationError, match="both the reviewer and the review date"):
        make_post(last_reviewed=days_ago(1)).full_clean()
    with pytest.raises(ValidationError, match="both the reviewer and the review date"):
        make_post(reviewed_by=make_reviewer()).full_clean()


def test_a_review_date_cannot_be_in_the_future(make_post, make_reviewer):
    post = make_post(reviewed_by=make_reviewer(), last_reviewed=days_ago(-1))
    with pytest.raises(ValidationError, match="future"):
        post.full_clean()


def test_editors_filter_the_post_list_by_review_state(client, editor, review_states):
    client.force_login(editor)
    due = client.get("/admin/blog/post/?review=due").context["cl"].result_list
    assert {post.title for post in due} == {"Overdue", "Due soon", "Never reviewed"}
    overdue = client.get("/admin/blog/post/?review=overdue").context["cl"].result_list
    assert {post.title for post in overdue} == {"Overdue", "Never reviewed"}
