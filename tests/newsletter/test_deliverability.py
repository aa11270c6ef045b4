"""Deliverability: counts per issue, the error brake, pausing and resuming, the bands."""

from datetime import timedelta

import pytest
from anymail.signals import AnymailTrackingEvent, EventType, tracking
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from newsletter import deliverability, sending
from newsletter.models import Delivery, Issue, SendingSettings, Subscriber

pytestmark = pytest.mark.django_db


def confirmed(make_subscriber, n):
    return [make_subscriber(email=f"reader{i}@example.com") for i in range(n)]


@pytest.fixture
def editor_with_email(make_user):
    return make_user(role="Editor", email="editor@example.com")


def refuse(smtp_sink, readers, reply="550 5.1.1 No such user"):
    for reader in readers:
        smtp_sink.replies[reader.email] = reply


def test_a_send_with_ten_percent_refused_pauses_and_resumes_to_one_copy_each(
    smtp_sink, make_subscriber, make_issue, editor_with_email
):
    readers = confirmed(make_subscriber, 300)
    refused = readers[::10]  # 10 % of the list answers 550.
    refuse(smtp_sink, refused)
    issue = make_issue()

    report = sending.start_and_send(issue, batch_size=50)

    issue.refresh_from_db()
    assert report.stopped == "paused"
    assert issue.status == Issue.Status.PAUSED
    assert "above the 5 % limit" in issue.pause_reason
    delivered_before = sum(smtp_sink.received[r.email] for r in readers)
    assert 0 < delivered_before < 270  # It stopped part-way, not at the end.
    # The editors heard about it (their mail goes through the same server).
    assert smtp_sink.received["editor@example.com"] == 1
    notice = next(m for m in smtp_sink.messages if m["To"] == "editor@example.com")
    assert notice["Subject"] == f"Newsletter paused: {issue.subject}"
    # Paused means paused: another run sends nothing.
    assert sending.send_issue(issue).sent == 0

    pauses = 1
    while issue.status == Issue.Status.PAUSED:
        assert deliverability.resume(issue)
        issue.refresh_from_db()
        sending.send_issue(issue, batch_size=50)
        issue.refresh_from_db()
        pauses += issue.status == Issue.Status.PAUSED
    assert issue.status == Issue.Status.SENT
    accepted = [r for r in readers if r not in refused]
    assert {r.email: smtp_sink.received[r.email] for r in readers} == {
        **{r.email: 1 for r in accepted},
        **{r.email: 0 for r in refused},
    }
    assert (issue.sent_count, issue.failed_count, issue.hard_bounce_count) == (270, 30, 30)
    assert pauses >= 1


def test_a_few_refusals_do_not_pause_a_send(smtp_sink, make_subscriber, make_issue):
    readers = confirmed(make_subscriber, 200)
    refuse(smtp_sink, readers[::50])  # 2 %
    issue = make_issue()

    report = sending.start_and_send(issue)

    issue.refresh_from_db()
    assert report.stopped == ""
    assert issue.status == Issue.Status.SENT
    assert issue.hard_bounce_count == 4


def test_the_threshold_and_sample_are_the_editors_to_set(smtp_sink, make_subscriber, make_issue):
    SendingSettings(pause_error_percent=1, pause_sample=20).save()
    readers = confirmed(make_subscriber, 60)
    refuse(smtp_sink, readers[::25])  # 3 of 60: 5 %, above 1 % of the last 20
    issue = make_issue()

    assert sending.start_and_send(issue).stopped == "paused"


def test_deferrals_are_counted_and_count_towards_the_brake(smtp_sink, make_subscriber, make_issue):
    readers = confirmed(make_subscriber, 150)
    refuse(smtp_sink, readers[:20], reply="451 4.7.1 Try again later")
    issue = make_issue()

    report = sending.start_and_send(issue)

    issue.refresh_from_db()
    retrying = issue.deliveries.filter(status="pending").exclude(next_attempt_at=None)
    assert issue.deferred_count == report.deferred == retrying.count() > 5
    assert issue.hard_bounce_count == 0
    # 6 of the last 100 deferred (the 20 come last): above 5 %.
    assert issue.status == Issue.Status.PAUSED


def test_a_delivery_that_keeps_being_deferred_ends_as_a_soft_bounce(make_subscriber, make_issue):
    reader = make_subscriber()
    issue = make_issue()
    issue.start_sending()
    delivery = issue.deliveries.get(subscriber=reader)
    for _ in range(len(Delivery.RETRY_DELAYS) + 1):
        delivery.defer("451 try later")
    issue.update_counts()
    assert (issue.failed_count, issue.soft_bounce_count, issue.hard_bounce_count) == (1, 1, 0)


def tracking_event(kind, recipient):
    event = AnymailTrackingEvent(event_type=kind, recipient=recipient)
    tracking.send(sender=object, event=event, esp_name="Test")


def test_complaints_and_bounces_reported_later_count_on_the_issue_the_reader_got(
    smtp_sink, make_subscriber, make_issue
):
    readers = confirmed(make_subscriber, 10)
    older = make_issue(subject="Last week")
    sending.start_and_send(older)
    issue = make_issue(subject="This week")
    sending.start_and_send(issue)

    tracking_event(EventType.COMPLAINED, readers[0].email)
    tracking_event(EventType.BOUNCED, readers[1].email)

    issue.refresh_from_db()
    older.refresh_from_db()
    assert (issue.complaint_count, issue.hard_bounce_count) == (1, 1)
    assert (older.complaint_count, older.hard_bounce_count) == (0, 0)
    assert Subscriber.objects.get(pk=readers[0].pk).status == Subscriber.Status.UNSUBSCRIBED
    assert deliverability.complaint_band(issue) == "dangerous"  # 1 in 10
    assert deliverability.failure_band(issue) == "problematic"


@pytest.mark.parametrize(
    ("complaints", "sent", "band"),
    [(0, 1000, "good"), (1, 2000, "good"), (2, 1000, "watch"), (3, 1000, "watch"),
     (4, 1000, "dangerous")],
)  # fmt: skip
def test_complaint_rates_fall_in_the_industry_bands(complaints, sent, band):
    issue = Issue(sent_count=sent, complaint_count=complaints)
    assert deliverability.complaint_band(issue) == band


@pytest.mark.parametrize(
    ("bounces", "attempted", "band"),
    [(0, 100, "good"), (9, 1000, "good"), (10, 1000, "watch"), (50, 1000, "watch"),
     (51, 1000, "problematic")],
)  # fmt: skip
def test_permanent_failure_rates_fall_in_the_industry_bands(bounces, attempted, band):
    issue = Issue(sent_count=attempted - bounces, failed_count=bounces, hard_bounce_count=bounces)
    assert deliverability.failure_band(issue) == band


def sent_issue_with(make_issue, **counts):
    issue = make_issue(subject="Last week’s issue")
    Issue.objects.filter(pk=issue.pk).update(status="sent", sent_at=timezone.now(), **counts)
    return issue


def test_the_send_page_warns_when_the_last_issue_crossed_a_band(
    admin_client, make_subscriber, make_issue
):
    sent_issue_with(make_issue, sent_count=1000, complaint_count=4, hard_bounce_count=2)
    make_subscriber()
    draft = make_issue(subject="Next one")

    page = admin_client.get(reverse("admin:newsletter_issue_send_now", args=[draft.pk]))

    text = page.content.decode()
    assert "drew complaints from 0.40 % of readers (dangerous" in text
    assert "failed permanently" not in text  # 0.2 %: good


def test_the_next_drafts_page_warns_when_the_last_issue_crossed_a_band(admin_client, make_issue):
    sent_issue_with(make_issue, sent_count=1000, failed_count=60, hard_bounce_count=60)
    draft = make_issue(subject="Next one")

    page = admin_client.get(reverse("admin:newsletter_issue_change", args=[draft.pk]))

    assert "Before you send this one: “Last week’s issue” failed permanently" in (
        page.content.decode()
    )


def test_the_dashboard_says_when_a_send_is_paused_or_a_band_was_crossed(admin_client, make_issue):
    sent_issue_with(make_issue, sent_count=1000, complaint_count=5)
    paused = make_issue(subject="Paused one")
    Issue.objects.filter(pk=paused.pk).update(status="paused", pause_reason="31 of the last 500")

    page = admin_client.get(reverse("admin:index")).content.decode()

    assert "Newsletter: “Last week’s issue” drew complaints from 0.50 % of readers" in page
    assert "Newsletter: “Paused one” is paused: 31 of the last 500" in page


def test_the_issue_list_shows_each_issues_rates_in_their_bands(admin_client, make_issue):
    sent_issue_with(make_issue, sent_count=990, failed_count=10, hard_bounce_count=10)

    page = admin_client.get(reverse("admin:newsletter_issue_changelist")).content.decode()

    assert '<span class="band band--good">0.00 % · good</span>' in page
    assert '<span class="band band--watch">1.00 % · watch</span>' in page


def test_the_issue_page_shows_what_the_mail_servers_said(admin_client, make_issue):
    issue = sent_issue_with(
        make_issue, sent_count=500, deferred_count=7, hard_bounce_count=3, complaint_count=1
    )

    page = admin_client.get(reverse("admin:newsletter_issue_change", args=[issue.pk]))

    text = page.content.decode()
    assert "What the mail servers said" in text
    assert "Deferred (4xx, retried later)" in text
    assert "0.20 % · watch" in text  # complaints, 1 of 500
    assert "under 0.1 % good, over 0.3 % dangerous" in text


def test_an_editor_resumes_a_paused_send_from_its_page(
    admin_client, make_subscriber, make_issue, django_capture_on_commit_callbacks
):
    from django_tasks import default_task_backend

    make_subscriber()
    issue = make_issue()
    issue.start_sending()
    Issue.objects.filter(pk=issue.pk).update(status="paused", pause_reason="12 of the last 100")
    default_task_backend.clear()

    page = admin_client.get(reverse("admin:newsletter_issue_change", args=[issue.pk]))
    assert "paused by itself: 12 of the last 100" in page.content.decode()
    admin_client.post(reverse("admin:newsletter_issue_send_now", args=[issue.pk]))

    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENDING
    assert issue.pause_reason == ""
    assert [r.args for r in default_task_backend.results] == [[issue.pk]]


def test_pausing_emails_every_editor_who_can_send(make_user, make_subscriber, make_issue):
    make_user(role="Editor", email="ed@example.com")
    make_user(role="Author", email="author@example.com")  # can't send issues
    make_user(is_staff=True, is_superuser=True, email="boss@example.com")
    make_user(role="Editor", email="gone@example.com", is_active=False)
    make_subscriber()
    issue = make_issue()
    issue.start_sending()

    assert deliverability.pause(issue, "too many refusals")

    [notice] = mail.outbox
    assert sorted(notice.to) == ["boss@example.com", "ed@example.com"]
    assert reverse("admin:newsletter_issue_change", args=[issue.pk]) in notice.body
    assert not deliverability.pause(issue, "again")  # Already paused: no second email.


def test_a_brake_judges_only_the_most_recent_messages():
    brake = deliverability.Brake(percent=5, sample=100)
    # One in 20 fails, 5 %: never above it, however long the send.
    assert not any(brake.record_failure(n) for n in range(20, 1001, 20))
    # Failures long ago don't count: one more now is 6 of the last 100.
    assert brake.record_failure(1001)
    # The first messages of a send are not judged: 3 of 10 is noise yet.
    early = deliverability.Brake(percent=5, sample=500)
    assert not any(early.record_failure(n) for n in (3, 6, 9))


def test_paused_sends_are_not_picked_up_by_the_weekly_run(smtp_sink, make_subscriber, make_issue):
    from django.core.management import call_command

    make_subscriber()
    issue = make_issue()
    issue.start_sending()
    Issue.objects.filter(pk=issue.pk).update(status="paused", paused_at=timezone.now())
    call_command("send_newsletter", "--scheduled")
    assert not smtp_sink.received


def test_a_pause_just_before_the_end_finishes_on_resume(make_issue):
    issue = make_issue()
    Issue.objects.filter(pk=issue.pk).update(status="paused", send_started_at=timezone.now())
    issue.refresh_from_db()
    assert deliverability.resume(issue)
    issue.refresh_from_db()
    issue.update_counts()
    assert issue.status == Issue.Status.SENT
    assert issue.sent_at > timezone.now() - timedelta(minutes=1)
