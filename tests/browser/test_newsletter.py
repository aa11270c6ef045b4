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


@pytest.fixture
def brake_on(settings):
    """A bot burst has just happened: the brake is on (newsletter/signup_brake.py)."""
    from newsletter.models import SignupSpike

    settings.NEWSLETTER_SIGNUP_BRAKE = 3
    for n in range(3):
        Subscriber.objects.create(email=f"victim{n}@example.org")
    SignupSpike.objects.create(peak=3)


def test_during_a_burst_a_reader_subscribes_after_the_browser_solves_the_challenge(page, brake_on):
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + "
        "e.blockedURI))"
    )
    page.goto("/newsletter/")
    form = page.locator(".newsletter-page__form")
    form.get_by_label("Your email address").fill("reader@example.com")
    form.get_by_role("button", name="Subscribe").click()

    # The widget appears, solves the proof of work in a worker, and the form goes again.
    expect(form.locator("altcha-widget")).to_be_visible()
    expect(form.get_by_role("status")).to_have_text(
        re.compile("Please check your inbox"), timeout=30_000
    )
    assert [m.to for m in mail.outbox] == [["reader@example.com"]]
    assert Subscriber.objects.get(email="reader@example.com").status == "pending"
    # 429 is the answer that asks for the challenge; nothing else may go wrong.
    assert [p for p in problems if "429" not in p] == []


def test_during_a_burst_a_reader_without_javascript_is_told_to_try_later(
    browser, live_server, brake_on
):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/newsletter/")
        form = page.locator(".newsletter-page__form")
        form.get_by_label("Your email address").fill("reader@example.com")
        form.get_by_role("button", name="Subscribe").click()
        expect(page.locator(".signup-form__status")).to_contain_text("try again in an hour")
        # What the reader typed is still there.
        expect(form.get_by_label("Your email address")).to_have_value("reader@example.com")
        assert mail.outbox == []
    finally:
        context.close()
