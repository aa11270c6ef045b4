"""
The sending engine: deliver an issue's pending deliveries over one reused mail connection.

Each delivery is locked, sent and marked in its own short transaction, so:
- a process killed at any moment leaves every delivery either sent (and marked) or pending;
  the next run sends exactly what is left;
- two workers never send the same delivery: on PostgreSQL a worker skips rows another holds
  (SELECT … FOR UPDATE SKIP LOCKED); SQLite has one writer at a time, and the claim re-checks
  the status under that lock;
- memory stays flat: deliveries are read a batch of ids at a time, never the whole list.

Nothing here sleeps. A temporary failure sets the delivery's next attempt time, and a later run
(the worker's scheduled retry, or the next cron run) picks it up.
"""

import logging
import smtplib
from dataclasses import dataclass

from anymail.exceptions import AnymailError, AnymailRecipientsRefused
from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import sanitize_address
from django.db import connection as db
from django.db import transaction
from django.utils import timezone

from . import emails
from .models import Delivery, Issue, Subscriber

logger = logging.getLogger(__name__)

BATCH_SIZE = 500


class MailServerUnavailable(Exception):
    """The mail server can't be reached or refuses us as a sender; nothing was lost."""


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    deferred: int = 0
    skipped: int = 0

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


def send_issue(issue, *, batch_size=BATCH_SIZE, progress=None, connection=None):
    """
    Send the issue to every subscriber whose delivery is due. Returns a SendReport.

    Safe to call again at any time, and from several processes at once. Raises
    MailServerUnavailable (leaving the rest pending) if the mail server can't be reached.
    """
    rendered = emails.render_issue(issue)
    report = SendReport()
    mail = _Mail(connection or get_connection())
    _relax_commit_flush(True)
    try:
        last_pk = 0
        while True:
            pks = list(
                issue.deliveries.due()
                .filter(pk__gt=last_pk)
                .order_by("pk")
                .values_list("pk", flat=True)[:batch_size]
            )
            if not pks:
                break
            last_pk = pks[-1]
            for pk in pks:
                if _send_one(pk, rendered, mail, report) == "connection lost":
                    mail.reconnect()
            if progress:
                progress(report)
    finally:
        _relax_commit_flush(False)
        mail.close()
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


def _send_one(pk, rendered, mail, report):
    """Lock, send and mark one delivery, in one transaction."""
    with transaction.atomic():
        delivery = _claim(pk)
        if delivery is None:  # Another worker has it, or it was dealt with meanwhile.
            return
        subscriber = delivery.subscriber
        if subscriber.status != Subscriber.Status.CONFIRMED:
            # Left or bounced after the send started: never mail them again.
            delivery.mark_skipped()
            report.skipped += 1
            return
        try:
            mail.send(rendered, subscriber)
        except _Permanent as error:
            delivery.mark_failed(error)
            subscriber.mark_bounced()
            report.failed += 1
        except _Temporary as error:
            delivery.defer(error)
            report.deferred += 1 if delivery.status == Delivery.Status.PENDING else 0
            report.failed += 1 if delivery.status == Delivery.Status.FAILED else 0
        except _ConnectionLost as error:
            delivery.defer(error)
            report.deferred += 1
            return "connection lost"
        else:
            # Marked in the same transaction that locked it, committed right away: the window
            # in which a crash could lead to a second copy is this one statement.
            _mark_sent(pk)
            report.sent += 1


# The two statements every message runs are plain SQL: building them through the ORM each
# time cost more than the SMTP exchange itself (see docs/benchmarks.md, "Newsletter").
_DELIVERY = Delivery._meta.db_table
_SUBSCRIBER = Subscriber._meta.db_table
_SELECT = (
    f"SELECT d.attempts, s.id, s.email, s.status FROM {_DELIVERY} d"
    f" JOIN {_SUBSCRIBER} s ON s.id = d.subscriber_id WHERE d.id = %s AND d.status = %s"
)
_MARK_SENT = (
    f"UPDATE {_DELIVERY} SET status = %s, sent_at = %s, attempts = attempts + 1 WHERE id = %s"
)
_TAKE_WRITE_LOCK = f"UPDATE {_DELIVERY} SET attempts = attempts WHERE id = %s AND status = %s"


def _claim(pk):
    """Lock one pending delivery for the current transaction, or return None."""
    pending = Delivery.Status.PENDING
    with db.cursor() as cursor:
        if db.features.has_select_for_update_skip_locked:
            # PostgreSQL: skip a delivery another worker holds instead of waiting for it.
            cursor.execute(_SELECT + " FOR UPDATE OF d SKIP LOCKED", [pk, pending])
        else:
            # SQLite: the UPDATE takes the database's write lock until commit and re-checks the
            # status under it, so a second worker waits, then finds the delivery already sent.
            cursor.execute(_TAKE_WRITE_LOCK, [pk, pending])
            if not cursor.rowcount:
                return None
            cursor.execute(_SELECT, [pk, pending])
        row = cursor.fetchone()
    if row is None:
        return None
    attempts, subscriber_id, email, status = row
    subscriber = Subscriber(id=subscriber_id, email=email, status=status)
    return Delivery(id=pk, attempts=attempts, status=pending, subscriber=subscriber)


def _mark_sent(pk):
    with db.cursor() as cursor:
        cursor.execute(_MARK_SENT, [Delivery.Status.SENT, timezone.now(), pk])


class _Mail:
    """One mail connection, opened once and reused; errors sorted into what they mean for us."""

    def __init__(self, backend):
        self.backend = backend
        # Django's SMTP backend can take ready-made bytes; any other backend gets messages.
        self.smtp = isinstance(backend, SMTPBackend)
        self.envelope_from = sanitize_address(settings.NEWSLETTER_FROM_EMAIL, "utf-8")
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
            wire = rendered.wire_bytes_for(subscriber) if self.smtp else None
            if wire is None:
                self.backend.send_messages([rendered.message_for(subscriber)])
            else:
                self.backend.connection.sendmail(self.envelope_from, [subscriber.email], wire)
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
