""" "Was this page helpful?" under every article: anonymous, cache-safe, spam-safe."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from blog.models import Feedback, Post

pytestmark = pytest.mark.django_db


def feedback_url(post):
    return f"{post.get_absolute_url()}feedback/"


def test_every_article_asks_whether_it_helped_with_a_plain_form(client, make_post):
    post = make_post()
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Was this page helpful?" in page
    assert f'<form action="{feedback_url(post)}" method="post"' in page
    assert 'name="helpful" value="yes"' in page and 'name="helpful" value="no"' in page
    assert 'maxlength="500"' in page


def test_asking_keeps_the_article_cacheable(client, make_post, settings):
    settings.PAGE_CACHE_SECONDS = 600
    post = make_post()
    first = client.get(post.get_absolute_url())
    assert "csrfmiddlewaretoken" not in first.content.decode()
    assert not first.cookies
    assert client.get(post.get_absolute_url()).page_cache == "hit"


def test_an_answer_is_saved_and_the_reader_thanked_without_a_cookie(make_post):
    post = make_post()
    client = Client(enforce_csrf_checks=True)  # No token on the page: none is needed.
    response = client.post(feedback_url(post), {"helpful": "no", "comment": "Too vague."})
    assert response.status_code == 302
    assert response["Location"] == f"{post.get_absolute_url()}?feedback=thanks#feedback"
    assert not response.cookies
    answer = Feedback.objects.get()
    assert (answer.post, answer.helpful, answer.comment) == (post, False, "Too vague.")
    thanks = client.get(response["Location"]).content.decode()
    assert "Thank you for your feedback" in thanks
    assert "Was this page helpful?" not in thanks


def test_the_thank_you_page_is_the_same_for_everybody_so_it_may_be_cached(
    client, make_post, settings
):
    settings.PAGE_CACHE_SECONDS = 600
    post = make_post()
    url = f"{post.get_absolute_url()}?feedback=thanks"
    assert not client.get(url).cookies
    assert client.get(url).page_cache == "hit"
    assert "Was this page helpful?" in client.get(post.get_absolute_url()).content.decode()


def test_a_yes_needs_no_comment(client, make_post):
    post = make_post()
    assert client.post(feedback_url(post), {"helpful": "yes"}).status_code == 302
    assert Feedback.objects.get().helpful is True


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose yes or no."),
        ({"helpful": "maybe"}, "Choose yes or no."),
        ({"helpful": "no", "comment": "x" * 501}, "Please keep your comment to 500 characters."),
    ],
)
def test_bad_answers_are_a_clear_400_that_keeps_what_was_typed(client, make_post, data, message):
    post = make_post()
    response = client.post(feedback_url(post), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert f'href="{post.get_absolute_url()}"' in page
    assert not Feedback.objects.exists()


def test_a_bot_filling_the_hidden_field_is_thanked_and_ignored(client, make_post):
    post = make_post()
    response = client.post(
        feedback_url(post), {"helpful": "no", "comment": "Buy pills", "website": "spam.example"}
    )
    assert response.status_code == 302
    assert not Feedback.objects.exists()


def test_drafts_and_missing_articles_take_no_feedback(client, make_post):
    draft = make_post(status=Post.Status.DRAFT)
    assert client.post(feedback_url(draft), {"helpful": "yes"}).status_code == 404
    assert client.post("/no-such-article/feedback/", {"helpful": "yes"}).status_code == 404
    assert client.get(feedback_url(make_post())).status_code == 405


def test_one_client_cannot_flood_the_feedback(client, make_post):
    post = make_post()
    statuses = [client.post(feedback_url(post), {"helpful": "no"}).status_code for _ in range(25)]
    assert statuses.count(302) == 20
    assert statuses[-1] == 429
    assert Feedback.objects.count() == 20


def test_editors_see_counts_and_comments_escaped_and_unlinked(client, editor, make_post):
    post = make_post(title="Sciatica")
    Feedback.objects.create(post=post, helpful=True)
    Feedback.objects.create(
        post=post, helpful=False, comment="<script>alert(1)</script> see https://spam.example"
    )
    client.force_login(editor)
    for url in [f"/admin/blog/post/{post.pk}/change/", "/admin/", "/admin/blog/feedback/"]:
        page = client.get(url).content.decode()
        assert "&lt;script&gt;alert(1)&lt;/script&gt; see https://spam.example" in page, url
        assert "<script>alert(1)" not in page
        assert 'href="https://spam.example' not in page
    change_page = client.get(f"/admin/blog/post/{post.pk}/change/").content.decode()
    assert "1 found it helpful, 1 did not." in change_page


def test_unhelpful_answers_with_comments_push_an_article_up_the_review_queue(
    client, editor, make_post, make_reviewer
):
    reviewer = make_reviewer()
    overdue = make_post(
        title="Overdue", reviewed_by=reviewer, last_reviewed=timezone.localdate() - timedelta(400)
    )
    current = make_post(title="Current but confusing", reviewed_by=reviewer,
                        last_reviewed=timezone.localdate() - timedelta(10))  # fmt: skip
    make_post(title="Current and fine", reviewed_by=reviewer, last_reviewed=timezone.localdate())
    Feedback.objects.create(post=current, helpful=False, comment="The exercises are unclear.")
    Feedback.objects.create(post=overdue, helpful=False)  # No comment: no push.
    queue = list(Post.objects.review_queue().values_list("title", "complaint_count"))
    assert queue == [("Current but confusing", 1), ("Overdue", 0)]
    client.force_login(editor)
    page = client.get("/admin/").content.decode()
    assert page.index("Current but confusing") < page.index("Overdue")
    assert "1 reader complaint" in page


def test_a_complaint_from_before_the_last_review_no_longer_pushes(make_post, make_reviewer):
    post = make_post(reviewed_by=make_reviewer(), last_reviewed=timezone.localdate())
    answer = Feedback.objects.create(post=post, helpful=False, comment="Out of date.")
    answer.created_at = timezone.now() - timedelta(days=30)
    answer.save()
    assert not Post.objects.review_queue().exists()


def test_authors_do_not_see_the_review_queue(client, author):
    client.force_login(author)
    assert "Review queue" not in client.get("/admin/").content.decode()
