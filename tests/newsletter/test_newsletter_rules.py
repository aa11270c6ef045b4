"""The newsletter's own checklist rules, with an email that passes and emails that fail."""

import pytest

from blog.checklist import Level, Outline
from blog.models import Post
from newsletter import checklist as checks


def levels(results):
    return [check.level for check in results]


def messages(results):
    return " ".join(check.message for check in results)


@pytest.fixture
def site_content(make_post):
    make_post(slug="public-article")
    make_post(slug="draft-article", status=Post.Status.DRAFT)


NEWSLETTER = """<html><body><h1>This week</h1>
<img src="https://backandneck.example/static/logo.png" alt="Back &amp; Neck">
<p><a href="http://127.0.0.1:8000/public-article/">Read it</a></p>
<p><a href="https://backandneck.example/newsletter/unsubscribe/abc/">Unsubscribe</a></p>
</body></html>"""


@pytest.mark.django_db
def test_a_good_newsletter_issue_is_ready(site_content):
    checklist = checks.check_newsletter(NEWSLETTER)
    assert checklist.ready, checklist.errors
    assert levels(checklist.checks) == [Level.PASS] * 4


def test_an_email_over_gmails_clipping_limit_is_an_error():
    assert levels(checks.email_size("x" * 50_000)) == [Level.PASS]
    assert levels(checks.email_size("x" * 95_000)) == [Level.WARNING]
    result = checks.email_size("<p>" + "x" * 105_000 + "</p>")
    assert levels(result) == [Level.ERROR]
    assert "103 KB" in messages(result)


def test_a_newsletter_without_an_unsubscribe_link_is_an_error():
    assert levels(checks.unsubscribe_link(Outline('<a href="/x/">Read</a>'))) == [Level.ERROR]
    by_words = Outline('<a href="/n/leave/abc/">Unsubscribe</a>')
    assert levels(checks.unsubscribe_link(by_words)) == [Level.PASS]
    exact = Outline('<a href="https://b.example/u/1/">Stop these emails</a>')
    assert levels(checks.unsubscribe_link(exact, "https://b.example/u/1/")) == [Level.PASS]


@pytest.mark.django_db
def test_a_newsletter_linking_to_unpublished_content_or_without_alt_text_is_not_ready(
    site_content,
):
    html = NEWSLETTER.replace('alt="Back &amp; Neck"', "")
    checklist = checks.check_newsletter(
        html, urls=["http://127.0.0.1:8000/public-article/", "/draft-article/"]
    )
    assert [check.message for check in checklist.errors] == [
        "Image “logo.png” has no alt text: describe it for screen readers.",
        "/draft-article/ links to a draft that readers cannot open.",
    ]


def test_featured_articles_left_out_of_an_email_are_a_warning():
    assert checks.left_out_posts([]) == []
    result = checks.left_out_posts(["Desk stretches", "Pillows"])
    assert levels(result) == [Level.WARNING]
    assert "“Desk stretches”, “Pillows”" in messages(result)
