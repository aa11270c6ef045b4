"""Background work, run by the django-tasks worker (`manage.py db_worker`)."""

from django.db.models import Min, Q
from django_tasks import task

from . import sending
from .models import Delivery, Issue


@task()
def send_issue(issue_id):
    """Start (if still a draft) and send one issue; schedule a run for any retries."""
    issue = Issue.objects.get(pk=issue_id)
    report = sending.start_and_send(issue)
    schedule_retries(issue)
    return {"sent": report.sent, "failed": report.failed, "deferred": report.deferred}


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
