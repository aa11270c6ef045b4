import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from newsletter.models import Subscriber

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _run_tasks_at_once(settings):
    """The sign-up's work is a task (newsletter.tasks.request_subscription): run it on enqueue."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_a_reader_subscribes_from_the_footer_of_an_article_without_leaving_it(page, make_post):
    post = make_post(title="Easing a stiff neck")
    page.goto(post.get_absolute_url())
    footer = page.locator(".site-footer")
    footer.get_by_label("Your email address").fill("reader@example.com")
    footer.get_by_role("button", name="Subscribe").click()

    expect(footer.get_by_role("status")).to_have_text(re.compile("Please check your inbox"))
    assert page.url.endswith(post.get_absolute_url())  # Answered inline, no page load.
    expect(footer.get_by_label("Your email address")).to_have_value("")
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "reader@example.com"
    assert subscriber.source_url == post.get_absolute_url()
    assert [m.to for m in mail.outbox] == [["reader@example.com"]]


def test_a_mistyped_address_is_explained_inline(page, make_post):
    post = make_post()
    page.goto(post.get_absolute_url())
    footer = page.locator(".site-footer")
    # The browser accepts an address without a top-level domain; the server does not.
    footer.get_by_label("Your email address").fill("reader@example")
    footer.get_by_role("button", name="Subscribe").click()
    expect(footer.get_by_role("status")).to_have_text(re.compile("valid email address"))
    assert not Subscriber.objects.exists()
