"""
The weekly schedule's work: compose the issue ahead of its send (SendingSettings.lead_hours),
tell the editors it is ready for review, and start it at its time unless someone holds it.

Run by the task worker (tasks.run_schedule, which queues itself again for the next moment
anything is due) and by `manage.py send_newsletter --scheduled` (the systemd timer's hourly
run); either way, running it twice does nothing twice.
"""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from . import deliverability, emails, schedule
from .checklist import check_issue
from .models import Issue, SendingSettings

logger = logging.getLogger(__name__)

# A schedule run that comes late (the worker or the machine was down) still composes and sends
# the week's issue within this long after its time; later than that, it waits for next week.
LATE_GRACE = timedelta(hours=12)


@dataclass
class ScheduleRun:
    composed: Issue | None = None
    started: list = field(default_factory=list)
    notes: list = field(default_factory=list)


def run_schedule(now=None):
    """Compose the coming issue if its lead time has come, start the issues whose time has."""
    now = now or timezone.now()
    sending_settings = SendingSettings.load()
    run = ScheduleRun()
    run.composed = compose_ahead(now, sending_settings, run.notes)
    run.started = start_due(now, run.notes)
    return run


def compose_ahead(now, sending_settings, notes):
    upcoming = schedule.next_weekly_send(now, sending_settings)
    last = schedule.last_weekly_send(now, sending_settings)
    if now >= upcoming - timedelta(hours=sending_settings.lead_hours):
        send_at = upcoming
    elif now - last <= LATE_GRACE:
        send_at = last
    else:
        return None
    issue = Issue.objects.compose_weekly(now, send_at=send_at)
    if issue is None:
        return None
    when = date_format(timezone.localtime(send_at), "l j F, H:i")
    notes.append(f"Composed “{issue.subject}” to go on {when}.")
    deliverability.notify_editors(
        subject=f"Ready for review: {issue.subject}",
        headline="This week’s newsletter is ready for review",
        paragraphs=[
            f"“{issue.subject}” was composed from {issue.post_links.count()} new articles and "
            f"goes to every subscriber on {when}.",
            "Read it, write an intro, change the subject or the articles, send yourself a "
            "test. If it must not go yet, press “Hold”: it then waits until someone releases it.",
        ],
        action_url=emails.absolute_url(reverse("admin:newsletter_issue_change", args=[issue.pk])),
        action_label="Review the issue",
    )
    return issue


def start_due(now, notes):
    """Start each scheduled draft whose time has come, unless held or its checklist fails."""
    started = []
    due = Issue.objects.filter(
        status=Issue.Status.DRAFT, held=False, scheduled_for__lte=now
    ).order_by("scheduled_for")
    for issue in due:
        errors = " ".join(check.message for check in check_issue(issue).errors)
        if errors:
            hold(issue)
            notes.append(f"Held back “{issue.subject}”: {errors}")
            deliverability.notify_editors(
                subject=f"Not sent: {issue.subject}",
                headline="This week’s newsletter was held back",
                paragraphs=[
                    f"“{issue.subject}” was due to go now, but its checklist found problems "
                    f"readers would see: {errors}",
                    "Fix them, then release it (it goes at once) or send it from the admin.",
                ],
                action_url=emails.absolute_url(
                    reverse("admin:newsletter_issue_change", args=[issue.pk])
                ),
                action_label="Fix the issue",
            )
            continue
        if issue.start_sending():
            started.append(issue)
            notes.append(f"Started “{issue.subject}”, as scheduled.")
    return started


def hold(issue):
    Issue.objects.filter(pk=issue.pk).update(held=True)
    issue.held = True


def release(issue):
    Issue.objects.filter(pk=issue.pk).update(held=False)
    issue.held = False


def next_wake(now=None, sending_settings=None):
    """When the schedule next has something to do: compose or send, at most an hour away."""
    now = now or timezone.now()
    sending_settings = sending_settings or SendingSettings.load()
    upcoming = schedule.next_weekly_send(now, sending_settings)
    compose_at = upcoming - timedelta(hours=sending_settings.lead_hours)
    moments = [m for m in (compose_at, upcoming) if m > now]
    return min([*moments, now + timedelta(hours=1)])
