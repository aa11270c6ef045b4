"""Background work, run by the django-tasks worker (`manage.py db_worker`)."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import Min, Q
from django.utils import timezone
from django_tasks import task

from . import emails, sending, signup_brake
from .models import Delivery, Issue, Subscriber

logger = logging.getLogger(__name__)


@task()
def request_subscription(email, source_url="", proven=False):
    """
    A sign-up's work, done here rather than in the request: record it, and mail a confirmation
    unless the address is already confirmed, its mailbox had one lately, or the sign-up brake
    is on and this sign-up came without a solved challenge (`proven`). The sign-up form then
    does the same work for every address (queue this), so its answer and its timing say
    nothing about who is subscribed.
    """
    held = signup_brake.holds_back(proven)
    subscriber = Subscriber.objects.request(email, source_url)
    if subscriber is None or held or not signup_brake.take_confirmation(subscriber.email):
        return False
    try:
        emails.confirm_message(subscriber).send()
    except OSError:  # smtplib's errors are OSErrors too.
        # The reader can ask again once the interval has passed; the outage is for the logs.
        logger.exception("Could not send a newsletter confirmation email")
        return False
    return True


@task()
def send_issue(issue_id):
    """
    Start (if still a draft) and send one issue; schedule a run for any retries, and for the
    next sending window or day when the window or the warm-up's cap stopped it.
    """
    issue = Issue.objects.get(pk=issue_id)
    report = sending.start_and_send(issue)
    schedule_retries(issue)
    if report.resume_at and send_issue.get_backend().supports_defer:
        send_issue.using(run_after=report.resume_at).enqueue(issue.pk)
    return {
        "sent": report.sent,
        "failed": report.failed,
        "deferred": report.deferred,
        "stopped": report.stopped,
    }


@task()
def run_schedule():
    """
    The weekly schedule (newsletter/compose.py): compose ahead, start what is due, send it,
    then queue this task again for the next moment anything is due.
    """
    from . import compose  # compose imports the checklist, which imports the blog's checks.

    run = compose.run_schedule()
    for issue in run.started:
        send_issue.enqueue(issue.pk)
    queue_schedule(compose.next_wake())
    return run.notes


def queue_schedule(run_after=None):
    """
    Queue run_schedule (at `run_after`) unless a run is queued already, so restarts and
    settings changes never multiply the chain. Needs a queue that can run tasks later.
    """
    if not run_schedule.get_backend().supports_defer:
        return False
    if settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend":
        from django_tasks_db.models import DBTaskResult

        path = f"{run_schedule.func.__module__}.{run_schedule.func.__qualname__}"
        waiting = DBTaskResult.objects.ready().filter(task_path=path)
        if run_after is None:
            waiting.delete()  # Settings changed: run now, and reschedule from there.
        elif waiting.exists():
            return False
    run_schedule.using(run_after=run_after).enqueue() if run_after else run_schedule.enqueue()
    return True


def schedule_retries(issue):
    """
    Queue a send for when the issue's earliest deferred delivery is due again, or the earliest
    claim of a sender that died runs out, whichever comes first.
    """
    times = issue.deliveries.aggregate(
        retry=Min("next_attempt_at", filter=Q(status=Delivery.Status.PENDING)),
        lease_ends=Min("claimed_until", filter=Q(status=Delivery.Status.SENDING)),
    )
    retry_at = min(filter(None, times.values()), default=None)
    if retry_at and send_issue.get_backend().supports_defer:
        send_issue.using(run_after=retry_at).enqueue(issue.pk)
    return retry_at


def forget_sign_ups(email):
    """
    Delete the queue's records of sign-ups by this address (an erasure must not leave it in
    the task arguments the database queue keeps). Returns how many were deleted.
    """
    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        return 0  # Another queue keeps its own records, or none.
    from django_tasks_db.models import DBTaskResult

    path = f"{request_subscription.func.__module__}.{request_subscription.func.__qualname__}"
    deleted, _ = DBTaskResult.objects.filter(
        task_path=path, args_kwargs__args__0__iexact=email
    ).delete()
    return deleted


# A worker polls every second; a task still waiting after this long has no worker to run it.
WORKER_SILENCE = timedelta(minutes=2)


def waiting_without_worker():
    """How many queued tasks are overdue by WORKER_SILENCE: none, while a worker runs."""
    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        return 0  # Another queue has its own monitoring.
    from django_tasks_db.models import DBTaskResult, get_date_max

    overdue = timezone.now() - WORKER_SILENCE
    return (
        DBTaskResult.objects.ready()
        .filter(Q(run_after=get_date_max(), enqueued_at__lte=overdue) | Q(run_after__lte=overdue))
        .count()
    )
