"""
The sending engine: deliver an issue's due deliveries over one reused mail connection.

A sender works through the queue a small batch at a time:

1. One statement claims the next batch of due deliveries (DeliveryQuerySet.due()): status
   "sending", the sender's token (claimed_by) and a lease (claimed_until, LEASE from now). On
   PostgreSQL it skips rows another sender is claiming at that instant (FOR UPDATE SKIP LOCKED);
   SQLite has one writer at a time, and the statement reads what is due under its write lock.
   Two senders never hold the same delivery.
2. Each message goes out over the one connection, and as soon as the server accepted it one
   autocommitted UPDATE (a prepared statement on PostgreSQL) marks it sent: one statement per
   message, where a transaction per message (BEGIN / SELECT … FOR UPDATE / UPDATE / COMMIT)
   took four round trips. The SMTP exchange is sendmail()'s, for a copy that comes framed for
   SMTP (newsletter/emails.py builds it; see _sendmail): on a small machine, the sender's CPU
   time per message is on the critical path.
3. Anything left unsent when sending stops early (an error, Ctrl-C, the mail server going away)
   goes straight back to "pending".

A sender killed outright leaves its batch "sending". Those deliveries are due again once the
lease has run out: every send first puts expired claims back in the queue (and looks again when
it reaches the end), and a send that finds claims of another sender left schedules a run for
when they run out (newsletter/tasks.py); the next cron run would take them anyway. So none is
skipped, and the only reader who can get a second copy is the one whose message was in
flight at the kill (accepted by the server, not yet marked). A sender never starts a message
with less than LEASE_MARGIN left on its lease, so a claim that runs out is never still being
sent by its owner when another sender takes it over.

Memory stays flat: a sender holds one batch of deliveries, never the whole list. Nothing here
sleeps: a temporary failure sets the delivery's next attempt time, and a later run (the worker's
scheduled retry, or the next cron run) picks it up.
"""

import contextlib
import logging
import os
import secrets
import smtplib
import socket
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as datetime_time
from typing import NamedTuple

from anymail.exceptions import AnymailError, AnymailRecipientsRefused
from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import sanitize_address
from django.db import connection as db
from django.db import transaction
from django.utils import timezone

import prepared_statements

from . import deliverability, emails, link_tracking, pacing, schedule
from .models import Delivery, Issue, SendingSettings, Subscriber

logger = logging.getLogger(__name__)

# Deliveries claimed at a time. Small, so that senders working side by side share the queue
# evenly and a claim is short-lived; large enough that the claim's cost per message is nil.
BATCH_SIZE = 100
# How long a claim keeps other senders away, and how much of it must be left to start a message:
# more than one SMTP exchange can take (EMAIL_TIMEOUT per socket operation, a few operations),
# plus any difference between the clocks of the machines senders run on.
LEASE = timedelta(minutes=10)
LEASE_MARGIN = timedelta(minutes=5)


class MailServerUnavailable(Exception):
    """The mail server can't be reached or refuses us as a sender; nothing was lost."""


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    deferred: int = 0
    skipped: int = 0
    # Why the send stopped before the queue was empty ("paused", "window", "daily cap"), and
    # when it may go on ("window", "daily cap"; a paused send waits for an editor).
    stopped: str = ""
    resume_at: object = None

    @property
    def handled(self):
        return self.sent + self.failed + self.deferred + self.skipped

    def add(self, other):
        for name in ("sent", "failed", "deferred", "skipped"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


class _Permanent(Exception):
    """The server refused this message for good (5xx)."""


class _Temporary(Exception):
    """This message may go through later (4xx)."""


class _ConnectionLost(Exception):
    """The connection broke while sending; the message may or may not have arrived."""


class _Stop(Exception):
    """Sending must stop before the queue is empty: see SendReport.stopped."""

    def __init__(self, reason, resume_at=None, detail=""):
        super().__init__(reason)
        self.reason, self.resume_at, self.detail = reason, resume_at, detail


class _Limits:
    """
    What a send must respect besides the queue: its sending window, the pace and daily cap
    (newsletter/pacing.py), and the error brake (newsletter/deliverability.py).
    """

    def __init__(self, issue, sending_settings, pacer=None):
        self.window = schedule.sending_window(sending_settings=sending_settings)
        self.pacer = pacer or pacing.pacer_for(sending_settings, sent_today=_sent_today)
        self.brake = deliverability.Brake(
            sending_settings.pause_error_percent, sending_settings.pause_sample
        )
        self.window_ends = self.window.ends_at
        self.next_window = (
            schedule.sending_window(self.window_ends, sending_settings).opens_at
            if self.window_ends
            else None
        )
        # Only a send with limits pays for checking them before each message.
        self.paced = self.pacer.limits_anything or self.window_ends is not None

    def before_message(self):
        if not self.pacer.take():
            raise _Stop("daily cap", _next_opening(self.window, self.next_window))
        if self.window_ends is not None and timezone.now() >= self.window_ends:
            raise _Stop("window", self.next_window)

    def failed(self, report):
        if self.brake.record_failure(report.sent + report.failed + report.deferred):
            raise _Stop("paused", detail=self.brake.describe())


def _next_opening(window, next_window):
    """Tomorrow's first chance: the next window's start, or tomorrow at midnight."""
    if next_window is not None:
        return next_window
    midnight = _start_of_day(timezone.localdate() + timedelta(days=1))
    return max(midnight, window.opens_at or midnight)


def _start_of_day(day):
    return timezone.make_aware(datetime.combine(day, datetime_time.min))


def _sent_today():
    start = _start_of_day(timezone.localdate())
    return Delivery.objects.filter(status=Delivery.Status.SENT, sent_at__gte=start).count()


def send_issue(issue, *, batch_size=BATCH_SIZE, progress=None, connection=None, pacer=None):
    """
    Send the issue to every subscriber whose delivery is due. Returns a SendReport.

    Safe to call again at any time, and from several processes at once. Raises
    MailServerUnavailable (putting back what it had claimed) if the mail server can't be reached.
    Stops early (report.stopped) outside the sending window, at the warm-up's daily cap, and
    when the error brake trips (the issue is then paused and editors are told).
    """
    if issue.status == Issue.Status.PAUSED:
        return SendReport(stopped="paused")
    limits = _Limits(issue, SendingSettings.load(), pacer)
    if not limits.window.open:
        return SendReport(stopped="window", resume_at=limits.window.opens_at)
    rendered = link_tracking.tracked_issue(issue, emails.render_issue(issue))
    report = SendReport()
    mail = _Mail(connection or get_connection())
    claims = _Claims(issue, batch_size)
    _relax_commit_flush(True)
    try:
        issue.deliveries.release_expired()
        # Claims walk the queue in id order from a cursor, so each one reads only the index
        # entries ahead of it, never the ever longer run of rows already dealt with.
        after = 0
        while True:
            batch = claims.take(after)
            if not batch:
                if after == 0:
                    break  # A pass from the start found nothing due: done.
                # The end of the queue. Behind us, a dead sender's lease may have run out or
                # another sender may have handed deliveries back: one more pass from the start.
                issue.deliveries.release_expired()
                after = 0
                continue
            after = _send_batch(batch, rendered, mail, claims, report, limits)
            if progress:
                progress(report)
    except _Stop as stop:
        report.stopped, report.resume_at = stop.reason, stop.resume_at
        if stop.reason == "paused":
            claims.release()  # Hand back the batch before the issue's counts are taken.
            issue.update_counts()
            deliverability.pause(issue, stop.detail)
    finally:
        claims.close()
        _relax_commit_flush(False)
        mail.close()
        deliverability.record_deferrals(issue, report.deferred)
        issue.update_counts()
        # One structured line per send, for the logs (backandneck/logs.py), however it ended.
        logger.info(
            "Newsletter send of issue %s: %s sent, %s failed, %s to retry, %s skipped",
            issue.pk,
            report.sent,
            report.failed,
            report.deferred,
            report.skipped,
            extra={"issue": issue.pk, **vars(report)},
        )
    return report


def _relax_commit_flush(relax):
    """
    On PostgreSQL, don't wait for each "sent" mark to reach the disk (synchronous_commit off).

    The per-message fsync was the largest cost of sending. A killed sender loses nothing by
    this: its commits are in the server's hands. Only a crash of the database server itself
    could forget the last fraction of a second of marks, and those few readers would get the
    issue again when the send resumes; no delivery is ever skipped.
    """
    if db.vendor == "postgresql":
        with db.cursor() as cursor:
            cursor.execute("SET synchronous_commit = off" if relax else "RESET synchronous_commit")


def _send_batch(batch, rendered, mail, claims, report, limits):
    """Send a claimed batch; return the id the next claim starts after."""
    paced = limits.paced
    for n, claimed in enumerate(batch):
        if n and claims.running_out():
            # Sending has been so slow that the lease could end mid-message: hand the rest
            # back, and claim them afresh (with a new lease) next. (The first message of a
            # batch was claimed a moment ago, so every batch makes progress.)
            claims.release()
            return claimed.pk - 1
        if paced:
            limits.before_message()  # May wait for the pace, or stop (_Stop).
        outcome = _send_one(claimed, rendered, mail, claims, report)
        if outcome is not None:
            if outcome == "connection lost":
                mail.reconnect()
            else:
                limits.failed(report)  # May trip the brake (_Stop).
    return batch[-1].pk


def _send_one(claimed, rendered, mail, claims, report):
    """Send one message; None when accepted (or skipped), else what went wrong."""
    if claimed.reader.status != Subscriber.Status.CONFIRMED:
        # Left or bounced after the send started: never mail them again.
        claimed.delivery().mark_skipped()
        report.skipped += 1
        return
    try:
        mail.send(rendered, claimed.reader)
    except _Permanent as error:
        delivery = claimed.delivery()
        with transaction.atomic():
            delivery.mark_failed(error)
            delivery.subscriber.mark_bounced()
        report.failed += 1
        return "refused"
    except _Temporary as error:
        delivery = claimed.delivery()
        delivery.defer(error)
        report.deferred += 1 if delivery.status == Delivery.Status.PENDING else 0
        report.failed += 1 if delivery.status == Delivery.Status.FAILED else 0
        return "deferred"
    except _ConnectionLost as error:
        claimed.delivery().defer(error)
        report.deferred += 1
        return "connection lost"
    else:
        # Right after the server's "accepted", in its own (autocommitted) statement: the window
        # in which a kill could lead to a second copy is this one round trip.
        claims.mark_sent(claimed.pk)
        report.sent += 1


class _Reader(NamedTuple):
    """What a reader's copy needs of the subscriber (see emails.RenderedIssue)."""

    pk: int
    email: str
    status: str
    name: str


class _Claimed(NamedTuple):
    """
    A claimed delivery, as plain values: building two model instances per message was ~10 µs,
    a fifteenth of the sender's own CPU time. The rare paths (a failure, a skip) load them.
    """

    pk: int
    reader: _Reader

    def delivery(self):
        return Delivery.objects.select_related("subscriber").get(pk=self.pk)


# The per-message statement is plain SQL: building it through the ORM cost more than the SMTP
# exchange itself (see docs/benchmarks.md, "Newsletter").
_DELIVERY = Delivery._meta.db_table
_MARK_SENT = (
    f"UPDATE {_DELIVERY} SET status = %s, sent_at = %s, attempts = attempts + 1"
    " WHERE id = %s AND claimed_by = %s"
)
# On PostgreSQL the mark is a prepared statement: parsing and planning it took a third of the
# database's time per message.


def _execute_plainly(cursor, sql, params):
    cursor.execute(sql, params)
    return cursor


class _Claims:
    """One sender's claims on an issue's queue: a batch at a time, each batch under a lease."""

    def __init__(self, issue, batch_size):
        self.issue = issue
        self.batch_size = batch_size
        # Says which sender holds a delivery (shown in the admin), unique to this send.
        self.token = f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(4)}"
        self.held = []
        self.deadline = 0.0
        # One cursor for all of this send's marks.
        self.cursor = db.cursor()
        self.execute_mark = (
            prepared_statements.execute if db.vendor == "postgresql" else _execute_plainly
        )

    def take(self, after):
        """Claim up to batch_size due deliveries with ids above `after`, in id order."""
        # The deadline counts from before the claim, so it ends before the lease does.
        self.deadline = time.monotonic() + (LEASE - LEASE_MARGIN).total_seconds()
        now = timezone.now()
        # Which deliveries are due is DeliveryQuerySet.due()'s to say. One UPDATE claims them:
        # on PostgreSQL it skips rows another sender is claiming at that instant instead of
        # waiting for them (the lock needs a transaction); SQLite has one writer at a time, and
        # the UPDATE holds the write lock while it reads what is due.
        due = (
            self.issue.deliveries.due(now)
            .filter(pk__gt=after)
            .order_by("pk")
            .select_for_update(skip_locked=True)
            .values("pk")[: self.batch_size]
        )
        with transaction.atomic(savepoint=False):
            claimed = Delivery.objects.filter(pk__in=due).update(
                status=Delivery.Status.SENDING, claimed_by=self.token, claimed_until=now + LEASE
            )
        if not claimed:
            self.held = []
            return []
        rows = (
            self.issue.deliveries.filter(status=Delivery.Status.SENDING, claimed_by=self.token)
            .order_by("pk")
            .values_list(
                "pk", "subscriber_id", "subscriber__email", "subscriber__status", "subscriber__name"
            )
        )
        batch = [_Claimed(pk, _Reader(*reader)) for pk, *reader in rows]
        self.held = [claimed.pk for claimed in batch]
        return batch

    def running_out(self):
        return time.monotonic() >= self.deadline

    def mark_sent(self, pk):
        params = [Delivery.Status.SENT, timezone.now(), pk, self.token]
        # No row: can't happen while running_out() is respected.
        if not self.execute_mark(self.cursor, _MARK_SENT, params).rowcount:
            logger.error("Delivery %s was sent after its claim had been taken over", pk)

    def close(self):
        self.release()
        self.cursor.close()

    def release(self):
        """Put what this sender holds and hasn't dealt with back in the queue."""
        if self.held:
            Delivery.objects.filter(
                pk__in=self.held, claimed_by=self.token, status=Delivery.Status.SENDING
            ).update(status=Delivery.Status.PENDING, claimed_by="", claimed_until=None)
            self.held = []


class _Mail:
    """One mail connection, opened once and reused; errors sorted into what they mean for us."""

    def __init__(self, backend):
        self.backend = backend
        # Django's SMTP backend can take ready-made bytes; any other backend gets messages.
        self.smtp = isinstance(backend, SMTPBackend)
        # Quoted for the MAIL command once per send (see _sendmail).
        self.envelope_from = smtplib.quoteaddr(
            sanitize_address(settings.NEWSLETTER_FROM_EMAIL, "utf-8")
        )
        self._open()

    def _open(self):
        try:
            self.backend.open()
        except (OSError, AnymailError) as error:
            raise MailServerUnavailable(_describe_outage(self.backend, error)) from error

    def reconnect(self):
        self.close()
        self._open()

    def close(self):
        try:
            self.backend.close()
        except (OSError, AnymailError):
            logger.warning("Closing the mail connection failed", exc_info=True)

    def send(self, rendered, subscriber):
        try:
            copy = rendered.smtp_copy_for(subscriber) if self.smtp else None
            if copy is None:
                self.backend.send_messages([rendered.message_for(subscriber)])
            else:
                _sendmail(self.backend.connection, self.envelope_from, copy)
        except smtplib.SMTPRecipientsRefused as error:
            [(code, text)] = error.recipients.values()
            raise (_Permanent if code >= 500 else _Temporary)(_smtp_text(code, text)) from error
        except smtplib.SMTPSenderRefused as error:
            # Our own From address is refused: every message would be. Stop, lose nothing.
            reply = _smtp_text(error.smtp_code, error.smtp_error)
            raise MailServerUnavailable(
                f"The mail server refused our sender address: {reply}"
            ) from error
        except smtplib.SMTPDataError as error:
            exc = _Permanent if error.smtp_code >= 500 else _Temporary
            raise exc(_smtp_text(error.smtp_code, error.smtp_error)) from error
        except AnymailRecipientsRefused as error:
            raise _Permanent(str(error)) from error
        except AnymailError as error:
            raise _Temporary(str(error)) from error
        except smtplib.SMTPResponseException as error:
            raise _Temporary(_smtp_text(error.smtp_code, error.smtp_error)) from error
        except OSError as error:  # Includes SMTPServerDisconnected, resets and timeouts.
            raise _ConnectionLost(f"Connection lost: {error}") from error


def _sendmail(smtp, sender, copy):
    """
    smtplib's SMTP.sendmail() for one reader's emails.SMTPCopy, with less CPU work per
    message, which here is on the critical path (docs/benchmarks.md, "Newsletter"): the copy
    comes framed for DATA, where sendmail() dot-stuffs every message with a regular expression
    (~60 µs for 13 KB), and its recipient comes as a plain address, like `sender` quoted once
    per send, where sendmail() parses both for every message (~20 µs).

    The commands, the replies expected, the errors raised and the RSET or close after a
    refusal are sendmail()'s. Like sendmail(), nothing is pipelined: each command waits for
    its reply (the server would have to advertise PIPELINING, RFC 2920).
    """
    smtp.ehlo_or_helo_if_needed()
    options = f" size={copy.size}" if smtp.does_esmtp and smtp.has_extn("size") else ""
    code, reply = smtp.docmd("mail", f"FROM:{sender}{options}")
    if code != 250:
        _abandon(smtp, code)
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    code, reply = smtp.docmd("rcpt", f"TO:<{copy.recipient}>")
    if code not in (250, 251):
        _abandon(smtp, code)
        raise smtplib.SMTPRecipientsRefused({copy.recipient: (code, reply)})
    code, reply = smtp.docmd("data")
    if code != 354:
        raise smtplib.SMTPDataError(code, reply)
    smtp.send(copy.data)
    code, reply = smtp.getreply()
    if code != 250:
        _abandon(smtp, code)
        raise smtplib.SMTPDataError(code, reply)


def _abandon(smtp, code):
    """After a refusal: close if the server is closing the connection (421), else RSET."""
    if code == 421:
        smtp.close()
        return
    # If the connection is gone, the next message finds out and reconnects.
    with contextlib.suppress(smtplib.SMTPServerDisconnected):
        smtp.rset()


def _smtp_text(code, text):
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}"


def _describe_outage(backend, error):
    where = f" at {backend.host}:{backend.port}" if hasattr(backend, "host") else ""
    return f"Could not connect to the mail server{where}: {error}. Nothing was sent or lost."


def start_and_send(issue, **kwargs):
    """Start a draft (queueing its deliveries) if needed, then send what is due."""
    if issue.status == Issue.Status.DRAFT:
        issue.start_sending()
        issue.refresh_from_db()
    return send_issue(issue, **kwargs)
