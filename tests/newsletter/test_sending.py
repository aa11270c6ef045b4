import smtplib
import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from newsletter import sending
from newsletter.models import Delivery, Issue, Subscriber

pytestmark = pytest.mark.django_db


def confirmed(make_subscriber, n):
    return [make_subscriber(email=f"reader{i}@example.com") for i in range(n)]


def test_an_issue_goes_once_to_every_confirmed_subscriber_and_nobody_else(
    smtp_sink, make_subscriber, make_issue
):
    readers = confirmed(make_subscriber, 5)
    for status in ["pending", "unsubscribed", "bounced"]:
        make_subscriber(email=f"{status}@example.com", status=status)
    issue = make_issue()

    report = sending.start_and_send(issue)

    assert report.sent == 5
    assert dict(smtp_sink.received) == {reader.email: 1 for reader in readers}
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    assert (issue.recipients_count, issue.sent_count, issue.failed_count) == (5, 5, 0)


def test_a_send_interrupted_after_k_messages_and_resumed_delivers_exactly_one_to_everyone(
    smtp_sink, make_subscriber, make_issue, monkeypatch
):
    readers = confirmed(make_subscriber, 23)
    issue = make_issue()
    issue.start_sending()
    real_send = smtplib.SMTP.sendmail
    calls = 0

    def send_then_die(self, *args):
        nonlocal calls
        calls += 1
        if calls > 10:
            raise KeyboardInterrupt  # The process is killed here, between two messages.
        return real_send(self, *args)

    monkeypatch.setattr(smtplib.SMTP, "sendmail", send_then_die)
    with pytest.raises(KeyboardInterrupt):
        sending.send_issue(issue, batch_size=4)
    assert sum(smtp_sink.received.values()) == 10
    assert issue.deliveries.filter(status="sent").count() == 10

    monkeypatch.setattr(smtplib.SMTP, "sendmail", real_send)
    sending.send_issue(issue, batch_size=4)
    sending.send_issue(issue, batch_size=4)  # And once more, for good measure.

    assert dict(smtp_sink.received) == {reader.email: 1 for reader in readers}
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    assert issue.sent_count == 23


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    "sqlite" in __import__("os").environ.get("DATABASE_URL", "sqlite"),
    reason="SQLite's shared in-memory test database can't host two writers at once",
)
def test_two_workers_at_once_never_send_the_same_delivery(smtp_sink, make_subscriber, make_issue):
    readers = confirmed(make_subscriber, 60)
    issue = make_issue()
    issue.start_sending()
    errors = []

    def worker():
        try:
            sending.send_issue(Issue.objects.get(pk=issue.pk), batch_size=10)
        except Exception as error:  # Reported to the test thread below.
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert dict(smtp_sink.received) == {reader.email: 1 for reader in readers}


def test_a_permanent_rejection_fails_the_delivery_and_bounces_the_address(
    smtp_sink, make_subscriber, make_issue
):
    good, bad = make_subscriber(email="good@example.com"), make_subscriber(email="bad@example.com")
    smtp_sink.replies["bad@example.com"] = "550 5.1.1 No such user"
    issue = make_issue()

    report = sending.start_and_send(issue)

    assert (report.sent, report.failed) == (1, 1)
    assert dict(smtp_sink.received) == {"good@example.com": 1}
    delivery = issue.deliveries.get(subscriber=bad)
    assert delivery.status == Delivery.Status.FAILED
    assert "550" in delivery.error
    bad.refresh_from_db()
    assert bad.status == Subscriber.Status.BOUNCED
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    assert issue.failed_count == 1

    next_issue = make_issue(subject="Next week")
    sending.start_and_send(next_issue)
    assert smtp_sink.received["bad@example.com"] == 0
    assert not next_issue.deliveries.filter(subscriber=bad).exists()
    assert good.deliveries.count() == 2


def test_a_temporary_rejection_is_retried_later_without_waiting(
    smtp_sink, make_subscriber, make_issue
):
    from django_tasks import default_task_backend

    make_subscriber(email="busy@example.com")
    smtp_sink.replies["busy@example.com"] = "451 4.3.0 Mailbox busy, try again later"
    issue = make_issue()

    report = sending.start_and_send(issue)

    assert report.deferred == 1
    delivery = issue.deliveries.get()
    assert delivery.status == Delivery.Status.PENDING
    assert delivery.next_attempt_at > timezone.now() + timedelta(minutes=4)
    assert delivery.attempts == 1
    # Sending again now does nothing: the retry isn't due.
    assert sending.send_issue(issue).handled == 0

    from newsletter import tasks

    default_task_backend.clear()
    assert tasks.schedule_retries(issue) == delivery.next_attempt_at
    [retry] = default_task_backend.results
    assert retry.task.run_after == delivery.next_attempt_at

    del smtp_sink.replies["busy@example.com"]
    Delivery.objects.update(next_attempt_at=timezone.now())
    assert sending.send_issue(issue).sent == 1
    assert smtp_sink.received["busy@example.com"] == 1


def test_a_delivery_that_keeps_failing_temporarily_fails_in_the_end(
    smtp_sink, make_subscriber, make_issue
):
    make_subscriber(email="busy@example.com")
    smtp_sink.replies["busy@example.com"] = "452 4.2.2 Mailbox full"
    issue = make_issue()
    issue.start_sending()
    for _ in range(len(Delivery.RETRY_DELAYS) + 1):
        Delivery.objects.update(next_attempt_at=None)
        sending.send_issue(issue)
    delivery = issue.deliveries.get()
    assert delivery.status == Delivery.Status.FAILED
    assert "452" in delivery.error
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    # A full mailbox is not a dead address.
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED


def test_the_mail_server_being_down_loses_nothing(
    settings, smtp_sink, make_subscriber, make_issue, make_post
):
    readers = confirmed(make_subscriber, 4)
    make_post()
    real_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 1  # Nothing listens there.

    with pytest.raises(CommandError, match="Could not connect to the mail server"):
        call_command("send_newsletter", stdout=StringIO())

    issue = Issue.objects.get()
    assert issue.status == Issue.Status.SENDING
    assert issue.deliveries.filter(status="pending", attempts=0).count() == 4

    settings.EMAIL_PORT = real_port
    call_command("send_newsletter", stdout=StringIO())
    assert dict(smtp_sink.received) == {reader.email: 1 for reader in readers}


def test_a_dropped_connection_defers_that_message_and_reconnects(
    smtp_sink, make_subscriber, make_issue, monkeypatch
):
    readers = confirmed(make_subscriber, 5)
    issue = make_issue()
    issue.start_sending()
    real_send = smtplib.SMTP.sendmail
    calls = 0

    def drop_the_third(self, *args):
        nonlocal calls
        calls += 1
        if calls == 3:
            self.sock.close()
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return real_send(self, *args)

    monkeypatch.setattr(smtplib.SMTP, "sendmail", drop_the_third)
    report = sending.send_issue(issue)

    assert (report.sent, report.deferred) == (4, 1)
    deferred = issue.deliveries.get(status="pending")
    assert "Connection" in deferred.error
    Delivery.objects.update(next_attempt_at=None)
    sending.send_issue(issue)
    assert dict(smtp_sink.received) == {reader.email: 1 for reader in readers}


def test_someone_who_leaves_during_a_send_is_not_mailed(smtp_sink, make_subscriber, make_issue):
    stays, leaves = make_subscriber(), make_subscriber()
    issue = make_issue()
    issue.start_sending()
    leaves.unsubscribe()

    report = sending.send_issue(issue)

    assert (report.sent, report.skipped) == (1, 1)
    assert dict(smtp_sink.received) == {stays.email: 1}
    assert issue.deliveries.get(subscriber=leaves).status == Delivery.Status.SKIPPED


def test_starting_a_send_twice_queues_each_subscriber_once(make_subscriber, make_issue):
    confirmed(make_subscriber, 3)
    issue = make_issue()
    assert issue.start_sending() is True
    assert issue.start_sending() is False
    assert issue.deliveries.count() == 3


def test_sending_takes_a_constant_number_of_queries_per_message(
    smtp_sink, make_subscriber, make_issue, django_assert_max_num_queries
):
    confirmed(make_subscriber, 20)
    issue = make_issue()
    issue.start_sending()
    # Per message: claim (two statements on SQLite), mark sent, and the savepoint pair the
    # test's own transaction adds; per batch one query for ids; a few for rendering and counts.
    with django_assert_max_num_queries(20 * 5 + 15):
        assert sending.send_issue(issue, batch_size=10).sent == 20
