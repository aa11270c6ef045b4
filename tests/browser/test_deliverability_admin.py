"""The newsletter's deliverability panel and schedule controls, as an editor uses them."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from newsletter.models import Issue, IssuePost, SendingSettings, Subscriber

from .steps import log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def shot(page, name):
    if folder := os.environ.get("EMAIL_SHOTS_DIR"):
        page.screenshot(path=f"{folder}/admin-{name}.png", full_page=True)


@pytest.fixture
def logged_in_editor(page, make_user):
    # A superuser rather than the Editor group: see tests/browser/test_checklist.py.
    editor = make_user(is_staff=True, is_superuser=True, email="editor@example.com")
    log_in(page, editor.username, "pw")
    return page


def sent_issue(subject, days_ago, **counts):
    issue = Issue.objects.create(subject=subject)
    Issue.objects.filter(pk=issue.pk).update(
        status="sent",
        send_started_at=timezone.now() - timedelta(days=days_ago),
        sent_at=timezone.now() - timedelta(days=days_ago),
        **counts,
    )
    return issue


@pytest.mark.parametrize("width", [1280, 375])
def test_an_editor_sees_each_issues_rates_in_their_bands_and_is_warned_before_sending(
    logged_in_editor, make_post, width
):
    page = logged_in_editor
    page.set_viewport_size({"width": width, "height": 900})
    sent_issue(
        "Three weeks ago: sleeping positions",
        21,
        recipients_count=4000,
        sent_count=3990,
        failed_count=10,
        hard_bounce_count=10,
        deferred_count=31,
        complaint_count=2,
    )
    sent_issue(
        "Two weeks ago: desk set-up",
        14,
        recipients_count=4000,
        sent_count=3700,
        failed_count=300,
        hard_bounce_count=290,
        soft_bounce_count=10,
        complaint_count=6,
    )
    last = sent_issue(
        "Last week: lifting safely",
        7,
        recipients_count=4100,
        sent_count=4060,
        failed_count=40,
        hard_bounce_count=25,
        soft_bounce_count=15,
        deferred_count=120,
        complaint_count=16,
    )
    Subscriber.objects.create(email="reader@example.com", status="confirmed")
    draft = Issue.objects.create(
        subject="New this week: easing a stiff neck",
        scheduled_for=timezone.now() + timedelta(hours=20),
    )
    IssuePost.objects.create(issue=draft, post=make_post(), position=0)

    page.goto("/admin/newsletter/issue/")
    row = page.locator("tr", has_text="Two weeks ago")
    expect(row.locator(".band--problematic")).to_have_text("7.25 % · problematic")
    expect(page.locator("tr", has_text="Three weeks").locator(".band--good").first).to_be_visible()
    shot(page, f"issue-list-{width}")

    page.goto(f"/admin/newsletter/issue/{last.pk}/change/")
    expect(page.get_by_text("What the mail servers said")).to_be_visible()
    expect(page.locator(".deliverability .band--dangerous")).to_have_text("0.39 % · dangerous")
    shot(page, f"issue-panel-{width}")

    page.goto(f"/admin/newsletter/issue/{draft.pk}/change/")
    page.get_by_role("button", name="Hold").click()
    expect(page.get_by_text("Held: it won’t go until someone releases it.")).to_be_visible()
    assert Issue.objects.get(pk=draft.pk).held
    page.get_by_role("link", name="Send now…").click()
    expect(page.locator(".messagelist .warning").first).to_contain_text(
        "“Last week: lifting safely” drew complaints from 0.39 % of readers (dangerous"
    )
    shot(page, f"send-warning-{width}")


def test_an_editor_resumes_a_paused_send(logged_in_editor):
    page = logged_in_editor
    issue = Issue.objects.create(subject="This week: neck pain at night")
    reader = Subscriber.objects.create(email="reader@example.com", status="confirmed")
    Issue.objects.filter(pk=issue.pk).update(
        status="paused",
        send_started_at=timezone.now(),
        paused_at=timezone.now(),
        recipients_count=1,
        pause_reason="31 of the last 500 messages were refused or deferred (6.2 %, above the "
        "5 % limit)",
    )
    issue.deliveries.create(subscriber=reader)

    page.goto(f"/admin/newsletter/issue/{issue.pk}/change/")
    expect(page.locator(".messagelist .error")).to_contain_text("paused by itself: 31 of the")
    shot(page, "paused")
    page.get_by_role("link", name="Resume sending").click()
    page.get_by_role("button", name="Resume sending").click()
    expect(page.get_by_text("Resumed: the send goes on from where it stopped")).to_be_visible()
    assert Issue.objects.get(pk=issue.pk).status == Issue.Status.SENDING


def test_an_editor_sets_the_weekly_send_in_the_admin(logged_in_editor):
    page = logged_in_editor
    page.goto("/admin/newsletter/sendingsettings/")
    page.get_by_label("Send day").select_option(label="Thursday")
    page.get_by_label("Send time").fill("08:30:00")
    page.get_by_label("Sending window (hours)").fill("6")
    page.get_by_label("Warm-up daily caps").fill("500, 1000, 2000")
    shot(page, "sending-settings")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    saved = SendingSettings.load()
    assert (saved.weekday, saved.window_hours, saved.daily_caps()) == (3, 6, [500, 1000, 2000])
