"""The pre-send checklist of a newsletter issue: on its page, in the list, and as a gate."""

from io import StringIO

import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks import default_task_backend

from blog.models import Post
from newsletter.checklist import check_issue
from newsletter.models import Issue

pytestmark = pytest.mark.django_db

DRAFT_LINK = '<p>Coming soon: <a href="/desk-stretches/">desk stretches</a>.</p>'


@pytest.fixture
def draft(make_post):
    return make_post(slug="desk-stretches", title="Desk stretches", status=Post.Status.DRAFT)


@pytest.fixture
def sender(client, editor):
    client.force_login(editor)
    return client


def send_now(client, issue, **data):
    return client.post(
        reverse("admin:newsletter_issue_send_now", args=[issue.pk]), data, follow=True
    )


def test_an_issue_is_checked_as_the_email_readers_get(make_issue):
    checklist = check_issue(make_issue())
    assert checklist.ready, checklist.errors
    messages = [check.message for check in checklist.checks]
    assert "The email has an unsubscribe link." in messages
    assert "Links look right: 7 internal links to public pages." in messages


def test_a_link_in_the_intro_to_a_draft_is_an_error(make_issue, draft):
    checklist = check_issue(make_issue(intro=DRAFT_LINK))
    assert [check.message for check in checklist.errors] == [
        "/desk-stretches/ links to a draft that readers cannot open."
    ]


def test_a_featured_draft_is_left_out_of_the_email_with_a_warning(make_issue, make_post, draft):
    checklist = check_issue(make_issue(posts=[make_post(), draft]))
    assert checklist.ready
    assert [check.message for check in checklist.warnings] == [
        "Left out of the email because readers cannot open them yet: “Desk stretches”. "
        "Publish them, or take them out of the issue."
    ]


def test_a_featured_image_without_alt_text_is_an_error(make_issue, make_post, make_image):
    post = make_post(featured_image=make_image("neck.jpg"), featured_image_alt="")
    checklist = check_issue(make_issue(posts=[post]))
    assert not checklist.ready
    assert "has no alt text" in checklist.errors[0].message


def test_the_issue_page_shows_the_checklist(sender, make_issue, draft):
    issue = make_issue(intro=DRAFT_LINK)
    page = sender.get(reverse("admin:newsletter_issue_change", args=[issue.pk])).content.decode()
    assert "Ready to send?" in page
    assert "blog/admin/checklist.css" in page
    assert "1 error" in page
    assert "/desk-stretches/ links to a draft that readers cannot open." in page


def test_a_sent_issue_shows_no_checklist(sender, make_issue):
    issue = make_issue()
    issue.start_sending()
    page = sender.get(reverse("admin:newsletter_issue_change", args=[issue.pk])).content.decode()
    assert "Ready to send?" not in page


def test_the_issue_list_says_which_drafts_are_ready(sender, make_issue, draft):
    make_issue(subject="Good one")
    make_issue(subject="Bad one", intro=DRAFT_LINK)
    make_issue(subject="Gone out").start_sending()
    page = sender.get(reverse("admin:newsletter_issue_changelist")).content.decode()
    assert "Ready?" in page
    assert page.count("checklist-summary--pass") == 1
    assert page.count("checklist-summary--error") == 1
    assert page.count("> 1 error</span>") == 1


def test_the_ready_column_costs_the_same_queries_for_3_or_12_issues(sender, make_issue, make_post):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert sender.get(reverse("admin:newsletter_issue_changelist")).status_code == 200
        return len(queries)

    def add_issues(n):
        for _ in range(n):
            make_issue(posts=[make_post(), make_post()], intro='<p><a href="/nowhere/">x</a></p>')

    count()  # Warm up: the first request creates the site settings row.
    add_issues(3)
    with_3 = count()
    add_issues(9)
    assert count() == with_3


def test_a_ready_issue_sends(sender, make_subscriber, make_issue):
    make_subscriber()
    issue = make_issue()
    default_task_backend.clear()
    confirm_page = sender.get(reverse("admin:newsletter_issue_send_now", args=[issue.pk]))
    assert "Send anyway" not in confirm_page.content.decode()
    send_now(sender, issue)
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENDING
    assert len(default_task_backend.results) == 1


def test_an_issue_linking_to_a_draft_is_not_sent_and_says_why(
    sender, make_subscriber, make_issue, draft
):
    make_subscriber()
    issue = make_issue(intro=DRAFT_LINK)
    default_task_backend.clear()
    confirm_page = sender.get(reverse("admin:newsletter_issue_send_now", args=[issue.pk]))
    assert "/desk-stretches/ links to a draft" in confirm_page.content.decode()
    assert 'name="send_anyway"' in confirm_page.content.decode()

    page = send_now(sender, issue).content.decode()

    assert "Not sent: the checklist found problems readers would see." in page
    assert "/desk-stretches/ links to a draft that readers cannot open." in page
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT
    assert not issue.deliveries.exists()
    assert not default_task_backend.results


def test_an_editor_may_send_anyway_after_confirming(sender, make_subscriber, make_issue, draft):
    make_subscriber()
    issue = make_issue(intro=DRAFT_LINK)
    default_task_backend.clear()
    page = send_now(sender, issue, send_anyway="on").content.decode()
    assert "Sending despite the checklist&#x27;s errors, as you confirmed." in page
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENDING
    assert len(default_task_backend.results) == 1
    entry = LogEntry.objects.get(object_id=str(issue.pk))
    assert "Sent despite the checklist's errors: /desk-stretches/" in entry.get_change_message()


def test_resuming_a_partly_sent_issue_is_not_checked_again(sender, make_issue, draft):
    issue = make_issue(intro=DRAFT_LINK)
    issue.start_sending()
    default_task_backend.clear()
    send_now(sender, issue)
    assert len(default_task_backend.results) == 1


def weekly_run(*args):
    out = StringIO()
    call_command("send_newsletter", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def post_without_alt(make_post, make_image, privacy_page):
    return make_post(title="Neck stretches", featured_image=make_image(), featured_image_alt="")


def test_the_weekly_run_holds_back_an_issue_with_errors_and_says_so(
    smtp_sink, make_subscriber, post_without_alt
):
    make_subscriber()
    output = weekly_run()
    assert "Held back “New this week: Neck stretches”, because its checklist has errors" in output
    assert "has no alt text" in output
    assert not smtp_sink.received
    assert Issue.objects.get().status == Issue.Status.DRAFT


def test_a_later_weekly_run_sends_the_held_issue_once_it_is_fixed(
    smtp_sink, make_subscriber, post_without_alt
):
    make_subscriber()
    weekly_run()
    Post.objects.filter(pk=post_without_alt.pk).update(featured_image_alt="A woman stretching")
    output = weekly_run()
    assert "1 sent" in output
    assert sum(smtp_sink.received.values()) == 1


def test_the_weekly_run_sends_anyway_when_told(smtp_sink, make_subscriber, post_without_alt):
    make_subscriber()
    output = weekly_run("--send-anyway")
    assert "Sending despite its checklist’s errors (--send-anyway)" in output
    assert sum(smtp_sink.received.values()) == 1


def test_the_archive_answers_404_past_its_last_page(client, make_issue):
    from django.utils import timezone

    from newsletter.models import Issue

    make_issue(status=Issue.Status.SENT, sent_at=timezone.now())
    assert client.get("/newsletter/archive/").status_code == 200
    assert client.get("/newsletter/archive/?page=1").status_code == 200
    for page in ("2", "9999", "0", "x"):
        assert client.get(f"/newsletter/archive/?page={page}").status_code == 404, page


def test_the_unsubscribe_check_holds_when_a_second_ticks_over(make_issue, monkeypatch):
    # Unsubscribe tokens carry the time they were made: two made a second apart differ, and
    # the check once compared the link in the email with a second token.
    from itertools import count

    from newsletter import tokens

    ticks = count()
    monkeypatch.setattr(tokens, "make_unsubscribe_token", lambda subscriber: f"t{next(ticks)}")
    checklist = check_issue(make_issue())
    assert checklist.ready, checklist.errors
