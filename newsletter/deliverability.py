"""
Deliverability: what mail servers said about each issue, the brake that pauses a send when
too many of its recent messages are refused or deferred, and the industry's bands for
complaint and permanent-failure rates (the ones Gmail's and Yahoo's sender rules and the
big email services use).

- Accepted: the server answered 2xx (Delivery "sent").
- Deferred: a 4xx answer; the delivery is retried later (Delivery.RETRY_DELAYS).
- Hard bounce: a 5xx answer, or a bounce the email service reported later (webhook).
- Soft bounce: a delivery still deferred after its last retry.
- Complaint: a reader pressed "this is spam" (the email service's webhook).
"""

import logging
from collections import deque

from django.contrib.auth import get_user_model
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from . import emails
from .models import Delivery, Issue

logger = logging.getLogger(__name__)

# A brake judges nothing before this many messages (or its whole sample, if smaller): two
# refusals among the first ten messages say little about a list.
MIN_JUDGED = 100


class Brake:
    """
    The error share of a send's most recent messages; trips above the threshold. It is told
    only of failures, with how many messages the send had attempted by then, so an accepted
    message costs the sender nothing here.
    """

    def __init__(self, percent, sample):
        self.percent = float(percent)
        self.sample = sample
        self.errors = deque()  # The attempt numbers of the recent failures.
        self.attempted = 0
        self.min_judged = min(MIN_JUDGED, sample)

    def record_failure(self, attempted):
        """A message, the `attempted`-th of the send, failed; True when the brake trips."""
        errors, self.attempted = self.errors, attempted
        errors.append(attempted)
        while errors[0] <= attempted - self.sample:
            errors.popleft()
        judged = min(attempted, self.sample)
        return judged >= self.min_judged and len(errors) * 100 > self.percent * judged

    def describe(self):
        judged = min(self.attempted, self.sample)
        share = 100 * len(self.errors) / max(judged, 1)
        return (
            f"{len(self.errors)} of the last {judged} messages were refused or deferred "
            f"({share:.1f} %, above the {self.percent:g} % limit)"
        )


def _band(rate, good_below, bad_above, bad_name):
    """Where a rate sits: "good", "watch", or the bad band's name."""
    if rate is None or rate < good_below:
        return "good"
    if rate > bad_above:
        return bad_name
    return "watch"


# Percentages. Complaints: Gmail's bulk-sender rule keeps them under 0.3 %, and advises 0.1 %.
COMPLAINTS_GOOD, COMPLAINTS_DANGEROUS = 0.1, 0.3
# Permanent failures (hard bounces): under 1 % is a clean list; over 5 % looks like a bought one.
FAILURES_GOOD, FAILURES_PROBLEMATIC = 1.0, 5.0


def complaint_rate(issue):
    """Complaints per 100 accepted messages, or None before any was accepted."""
    return 100 * issue.complaint_count / issue.sent_count if issue.sent_count else None


def permanent_failure_rate(issue):
    """Hard bounces per 100 messages attempted, or None before any was."""
    attempted = issue.sent_count + issue.failed_count
    return 100 * issue.hard_bounce_count / attempted if attempted else None


def complaint_band(issue):
    return _band(complaint_rate(issue), COMPLAINTS_GOOD, COMPLAINTS_DANGEROUS, "dangerous")


def failure_band(issue):
    return _band(permanent_failure_rate(issue), FAILURES_GOOD, FAILURES_PROBLEMATIC, "problematic")


def band_warnings(issue):
    """Plain sentences for each band the issue is outside "good" in."""
    warnings = []
    complaints, failures = complaint_band(issue), failure_band(issue)
    if complaints != "good":
        warnings.append(
            f"“{issue.subject}” drew complaints from {complaint_rate(issue):.2f} % of readers "
            f"({complaints}: keep it under {COMPLAINTS_GOOD:g} %; over "
            f"{COMPLAINTS_DANGEROUS:g} % Gmail and Yahoo send you to spam)."
        )
    if failures != "good":
        warnings.append(
            f"“{issue.subject}” failed permanently for {permanent_failure_rate(issue):.2f} % of "
            f"addresses ({failures}: keep it under {FAILURES_GOOD:g} %; over "
            f"{FAILURES_PROBLEMATIC:g} % looks like an old or bought list; check where the "
            "addresses came from before sending again)."
        )
    return warnings


def band_warnings_of_last_issue():
    last = Issue.objects.sent().order_by("-sent_at").first()
    return band_warnings(last) if last else []


def warnings_before_next_send():
    """What editors must know before sending: bands the last sent issue crossed, and pauses."""
    warnings = band_warnings_of_last_issue()
    for issue in Issue.objects.filter(status=Issue.Status.PAUSED):
        warnings.append(f"“{issue.subject}” is paused: {issue.pause_reason}")
    return warnings


def pause(issue, reason):
    """Stop a send by itself (the sender saw too many errors); editors are emailed."""
    paused = Issue.objects.filter(pk=issue.pk, status=Issue.Status.SENDING).update(
        status=Issue.Status.PAUSED, paused_at=timezone.now(), pause_reason=reason[:300]
    )
    if not paused:
        return False
    issue.refresh_from_db()
    logger.warning("Newsletter send of issue %s paused: %s", issue.pk, reason)
    notify_editors(
        subject=f"Newsletter paused: {issue.subject}",
        headline="A newsletter send paused by itself",
        paragraphs=[
            f"Sending “{issue.subject}” stopped after {issue.sent_count:,} of "
            f"{issue.recipients_count:,} messages, because {reason}.",
            "That many refusals usually means the list has old addresses in it, or a mail "
            "provider has started to distrust the sender. Look at the failed deliveries (the "
            "servers' own words are there), fix what they point at, then resume: nobody "
            "gets the issue twice.",
        ],
        action_url=emails.absolute_url(reverse("admin:newsletter_issue_change", args=[issue.pk])),
        action_label="Review and resume",
    )
    return True


def resume(issue):
    """Let a paused send go on from where it stopped. Returns False if it wasn't paused."""
    return bool(
        Issue.objects.filter(pk=issue.pk, status=Issue.Status.PAUSED).update(
            status=Issue.Status.SENDING, paused_at=None, pause_reason=""
        )
    )


def record_deferrals(issue, count):
    if count:
        Issue.objects.filter(pk=issue.pk).update(deferred_count=F("deferred_count") + count)


def record_reported_problem(subscriber, problem):
    """
    A bounce or complaint an email service reported after the fact: count it on the issue the
    reader got last (services report within hours or days of delivery).
    """
    delivery = (
        subscriber.deliveries.filter(status=Delivery.Status.SENT)
        .select_related("issue")
        .order_by("-sent_at")
        .first()
    )
    if delivery is None:
        return None
    # A complaint outranks a bounce reported for the same message.
    if delivery.problem != Delivery.Problem.COMPLAINT:
        delivery.problem = problem
        delivery.save(update_fields=["problem"])
    delivery.issue.update_counts()
    return delivery.issue


def editors():
    """Staff who can send issues, with an address to write to."""
    users = get_user_model().objects.filter(is_active=True, is_staff=True).exclude(email="")
    can_send = Q(is_superuser=True) | Q(user_permissions__codename="send_issue")
    can_send |= Q(groups__permissions__codename="send_issue")
    return users.filter(can_send).distinct().order_by("pk")


def notify_editors(**notice):
    """Email every editor who can send issues; an outage is logged, never raised."""
    addresses = list(editors().values_list("email", flat=True))
    if not addresses:
        return 0
    try:
        emails.editor_notice_message(addresses, **notice).send()
    except OSError:
        logger.exception("Could not email the editors: %s", notice["subject"])
        return 0
    return len(addresses)
