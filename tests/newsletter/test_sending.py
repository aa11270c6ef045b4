import os
import signal
import smtplib
import subprocess
import sys
import threading
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from newsletter import sending
from newsletter.models import Delivery, Issue, Subscriber

pytestmark = pytest.mark.django_db

LEASE_LEFT = timedelta(minutes=3)


def confirmed(make_subscriber, n):
    return [make_subscriber(email=f"reader{i}@example.com") for i in range(n)]


def at_each_message(monkeypatch, action):
    """Call action(smtp, n) as the n-th message (from 1) starts: before its MAIL command."""
    real_putcmd = smtplib.SMTP.putcmd
    messages = 0

    def putcmd(self, cmd, args=""):
        nonlocal messages
        if cmd.lower() == "mail":
            messages += 1
            action(self, messages)
        return real_putcmd(self, cmd, args)

    monkeypatch.setattr(smtplib.SMTP, "putcmd", putcmd)


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

    def die_after_ten(smtp, n):
        if n > 10:
            raise KeyboardInterrupt  # The process is killed here, between two messages.

    at_each_message(monkeypatch, die_after_ten)
    with pytest.raises(KeyboardInterrupt):
        sending.send_issue(issue, batch_size=4)
    assert sum(smtp_sink.received.values()) == 10
    assert issue.deliveries.filter(status="sent").count() == 10

    monkeypatch.undo()
    sending.send_issue(issue, batch_size=4)
    sending.send_issue(issue, batch_size=4)  # And once more, for good measure.

    assert dict(smtp_sink.received) == {reader.email: 1 for reader in readers}
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    assert issue.sent_count == 23


only_on_postgresql = pytest.mark.skipif(
    "sqlite" in os.environ.get("DATABASE_URL", "sqlite"),
    reason="SQLite's shared in-memory test database can't host two writers at once",
)


@pytest.mark.django_db(transaction=True)
@only_on_postgresql
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


def test_a_message_refused_at_its_end_fails_for_good_or_is_retried(
    smtp_sink, make_subscriber, make_issue
):
    good = make_subscriber(email="good@example.com")
    bad, busy = make_subscriber(email="bad@example.com"), make_subscriber(email="busy@example.com")
    replies = {bad.email: "554 5.6.0 Message refused", busy.email: "451 4.3.0 Try again later"}
    accept = smtp_sink.handle_DATA

    async def refuse_some(server, session, envelope):  # The reply to the data's final ".".
        return replies.get(envelope.rcpt_tos[0]) or await accept(server, session, envelope)

    smtp_sink.handle_DATA = refuse_some
    issue = make_issue()

    report = sending.start_and_send(issue)

    assert (report.sent, report.failed, report.deferred) == (1, 1, 1)
    assert dict(smtp_sink.received) == {good.email: 1}
    assert issue.deliveries.get(subscriber=bad).status == Delivery.Status.FAILED
    assert Subscriber.objects.get(pk=bad.pk).status == Subscriber.Status.BOUNCED
    assert issue.deliveries.get(subscriber=busy).status == Delivery.Status.PENDING
    assert Subscriber.objects.get(pk=busy.pk).status == Subscriber.Status.CONFIRMED


def test_lines_that_start_with_a_dot_arrive_whole(smtp_sink, make_subscriber, make_issue):
    # A line holding only "." ends an SMTP message: the sender must double leading dots.
    make_subscriber()
    issue = make_issue(intro="<p>.</p><p>.NET developers, this one is for you.</p>")

    assert sending.start_and_send(issue).sent == 1

    [message] = smtp_sink.messages
    lines = message.get_body(preferencelist=("plain",)).get_content().splitlines()
    dot = lines.index(".")
    assert lines[dot : dot + 3] == [".", "", ".NET developers, this one is for you."]
    assert any("/newsletter/unsubscribe/" in line for line in lines)  # The end is there too.


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


def test_a_refused_sender_address_stops_the_send_and_loses_nothing(
    smtp_sink, make_subscriber, make_issue
):
    confirmed(make_subscriber, 3)

    async def refuse_our_address(server, session, envelope, address, mail_options):
        return "550 5.7.1 Sender not allowed"

    smtp_sink.handle_MAIL = refuse_our_address
    issue = make_issue()
    issue.start_sending()

    with pytest.raises(sending.MailServerUnavailable, match="refused our sender address"):
        sending.send_issue(issue)

    assert issue.deliveries.filter(status="pending", attempts=0).count() == 3


def test_a_dropped_connection_defers_that_message_and_reconnects(
    smtp_sink, make_subscriber, make_issue, monkeypatch
):
    readers = confirmed(make_subscriber, 5)
    issue = make_issue()
    issue.start_sending()

    def drop_the_third(smtp, n):
        if n == 3:
            smtp.sock.close()
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    at_each_message(monkeypatch, drop_the_third)
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


# Autocommitted, as the sender runs: inside a transaction each mark also takes a savepoint
# (prepared_statements). Autocommitted, a send's own queries are one more (b9e511d: two more).
@pytest.mark.django_db(transaction=True)
def test_sending_takes_one_query_per_message(
    smtp_sink, make_subscriber, make_issue, django_assert_max_num_queries
):
    confirmed(make_subscriber, 20)
    issue = make_issue()
    issue.start_sending()
    # Per message: the "sent" mark. Per batch: the claim and loading what it claimed. Per send:
    # a few for rendering, putting back expired claims, the final look for more, counts, and
    # the new content generation the sent issue starts (now and at commit; pagecache/), and on
    # PostgreSQL preparing the "sent" mark once in the session (prepared_statements/).
    with django_assert_max_num_queries(20 * 1 + 2 * 2 + 26):
        assert sending.send_issue(issue, batch_size=10).sent == 20


def claimed_by_another_sender(issue, *, lease_ends):
    """What a sender leaves behind when it is killed outright: claims under its lease."""
    return issue.deliveries.update(
        status=Delivery.Status.SENDING, claimed_by="dead-host:4242:0", claimed_until=lease_ends
    )


def test_claims_of_a_killed_sender_are_sent_exactly_once_after_their_lease_ends(
    smtp_sink, make_subscriber, make_issue
):
    readers = confirmed(make_subscriber, 5)
    issue = make_issue()
    issue.start_sending()
    claimed_by_another_sender(issue, lease_ends=timezone.now() - timedelta(seconds=1))

    report = sending.send_issue(issue, batch_size=2)
    sending.send_issue(issue, batch_size=2)

    assert report.sent == 5
    assert dict(smtp_sink.received) == {reader.email: 1 for reader in readers}
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT


def test_claims_still_under_their_lease_are_left_to_their_sender(
    smtp_sink, make_subscriber, make_issue
):
    from newsletter import tasks

    confirmed(make_subscriber, 3)
    issue = make_issue()
    issue.start_sending()
    lease_ends = timezone.now() + timedelta(minutes=3)
    claimed_by_another_sender(issue, lease_ends=lease_ends)

    assert sending.send_issue(issue).handled == 0

    assert sum(smtp_sink.received.values()) == 0
    assert issue.deliveries.filter(status=Delivery.Status.SENDING).count() == 3
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENDING  # Not done until those are.
    # Should that sender have died, a run is scheduled for when its lease ends.
    assert tasks.schedule_retries(issue) == lease_ends


def test_the_sender_takes_exactly_the_deliveries_that_are_due(
    smtp_sink, make_subscriber, make_issue
):
    confirmed(make_subscriber, 6)
    issue = make_issue()
    issue.start_sending()
    now = timezone.now()
    first, retry_now, retry_later, under_lease, sent, failed = issue.deliveries.order_by("pk")
    retry_now.defer("451 try again")
    Delivery.objects.filter(pk=retry_now.pk).update(next_attempt_at=now - timedelta(minutes=1))
    retry_later.defer("451 try again")  # Its next attempt is minutes away.
    Delivery.objects.filter(pk=under_lease.pk).update(
        status=Delivery.Status.SENDING, claimed_by="other:1:0", claimed_until=now + LEASE_LEFT
    )
    Delivery.objects.filter(pk=sent.pk).update(status=Delivery.Status.SENT, sent_at=now)
    failed.mark_failed("550 no such user")
    due = {delivery.subscriber.email for delivery in issue.deliveries.due()}
    assert due == {first.subscriber.email, retry_now.subscriber.email}

    report = sending.send_issue(issue, batch_size=2)

    assert report.handled == report.sent == 2
    assert dict(smtp_sink.received) == dict.fromkeys(due, 1)


def test_a_delivery_that_is_not_due_yet_is_not_sent_until_it_is(
    smtp_sink, make_subscriber, make_issue
):
    [reader] = confirmed(make_subscriber, 1)
    issue = make_issue()
    issue.start_sending()
    issue.deliveries.get().defer("451 mailbox busy")

    assert sending.send_issue(issue).handled == 0
    assert not smtp_sink.received

    issue.deliveries.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert sending.send_issue(issue).sent == 1
    assert dict(smtp_sink.received) == {reader.email: 1}


def test_a_sender_that_stops_early_hands_back_what_it_claimed(
    settings, smtp_sink, make_subscriber, make_issue, monkeypatch
):
    readers = confirmed(make_subscriber, 6)
    issue = make_issue()
    issue.start_sending()

    def fail_on_the_third(smtp, n):
        if n == 3:
            raise RuntimeError("A bug, or anything else that ends the send")

    at_each_message(monkeypatch, fail_on_the_third)
    with pytest.raises(RuntimeError):
        sending.send_issue(issue, batch_size=5)

    # Nothing waits for a lease to run out: the rest is due again at once.
    assert not issue.deliveries.filter(status=Delivery.Status.SENDING).exists()
    monkeypatch.undo()
    sending.send_issue(issue, batch_size=5)
    assert dict(smtp_sink.received) == {reader.email: 1 for reader in readers}


def test_a_sender_short_of_lease_hands_back_the_rest_of_its_batch_and_claims_it_again(
    smtp_sink, make_subscriber, make_issue, monkeypatch
):
    readers = confirmed(make_subscriber, 5)
    issue = make_issue()
    issue.start_sending()
    # As if each message took longer than the lease allows: after each one, the lease is short.
    monkeypatch.setattr(sending, "LEASE_MARGIN", sending.LEASE)

    report = sending.send_issue(issue, batch_size=3)

    assert report.sent == 5
    assert dict(smtp_sink.received) == {reader.email: 1 for reader in readers}
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT


# A sender in its own process, as cron or the worker runs it, against the test database.
_SENDER = """
import sys, django
django.setup()
from newsletter import sending
from newsletter.models import Issue
sending.send_issue(Issue.objects.get(pk=int(sys.argv[1])), batch_size=7)
"""


@pytest.mark.django_db(transaction=True)
@only_on_postgresql
def test_a_sender_killed_outright_mails_no_one_twice_but_the_message_in_flight(
    smtp_sink, make_subscriber, make_issue
):
    readers = confirmed(make_subscriber, 150)
    issue = make_issue()
    issue.start_sending()
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "backandneck.settings",
        "SECRET_KEY": django_settings.SECRET_KEY,
        "DATABASE_URL": (
            f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:"
            f"{database['PORT']}/{database['NAME']}"
        ),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_sink.port),
        "EMAIL_USE_TLS": "0",
    }
    sender = subprocess.Popen(
        [sys.executable, "-c", _SENDER, str(issue.pk)], env=env, cwd=django_settings.BASE_DIR
    )
    deadline = time.monotonic() + 60
    while sum(smtp_sink.received.values()) < 40 and sender.poll() is None:
        assert time.monotonic() < deadline, "The sender sent nothing"
        time.sleep(0.001)
    assert sender.poll() is None, "The sender stopped by itself"
    sender.send_signal(signal.SIGKILL)  # No cleanup: its claims stay, under their lease.
    sender.wait()

    # Ten minutes later, as far as the leases are concerned.
    issue.deliveries.filter(status="sending").update(
        claimed_until=timezone.now() - timedelta(seconds=1)
    )
    sending.send_issue(issue)

    received = smtp_sink.received
    assert set(received) == {reader.email for reader in readers}  # No one skipped,
    assert sum(received.values()) - len(readers) <= 1  # and at most the one in flight twice.
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
