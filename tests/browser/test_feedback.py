""" "Was this page helpful?" on a phone, with and without JavaScript."""

from datetime import date

import pytest
from playwright.sync_api import expect

from blog.models import Feedback

from .test_reading import serious_violations

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone_context(browser, live_server):
    contexts = []

    def phone_context(**options):
        context = browser.new_context(
            base_url=live_server.url, viewport=PHONE, is_mobile=True, **options
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield phone_context
    for context in contexts:
        context.close()


@pytest.fixture
def article(make_post, make_reviewer):
    return make_post(
        title="Neck pain at your desk",
        reviewed_by=make_reviewer(name="Dr Sam Adeyemi"),
        last_reviewed=date.today(),
        body="<p>Most neck pain settles in a few weeks.</p>" * 6,
    )


def test_a_reader_without_javascript_answers_on_a_phone_and_is_thanked(phone_context, article):
    page = phone_context(java_script_enabled=False)
    page.goto(article.get_absolute_url())
    form = page.get_by_role("group", name="Was this page helpful?")
    form.scroll_into_view_if_needed()
    no = form.get_by_role("radio", name="No")
    assert no.bounding_box()["height"] >= 16
    form.get_by_text("No", exact=True).click()  # The whole pill is the target.
    expect(no).to_be_checked()
    form.get_by_label("What could we do better?").fill("Pictures of the stretches, please.")
    form.get_by_role("button", name="Send feedback").click()
    expect(page.get_by_role("heading", name="Thank you for your feedback")).to_be_visible()
    assert page.url.endswith("?feedback=thanks#feedback")
    assert page.context.cookies() == []
    answer = Feedback.objects.get()
    assert (answer.helpful, answer.comment) == (False, "Pictures of the stretches, please.")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_feedback_form_has_no_serious_accessibility_problems(phone_context, article):
    page = phone_context()
    page.goto(article.get_absolute_url())
    page.locator("#feedback").scroll_into_view_if_needed()
    for choice in page.locator(".feedback__choice").all():
        assert choice.bounding_box()["height"] >= 44  # A thumb-sized target.
    assert serious_violations(page) == []
    page.goto(f"{article.get_absolute_url()}?feedback=thanks#feedback")
    assert serious_violations(page) == []
