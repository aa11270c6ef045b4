"""Background work, run by the django-tasks worker (`manage.py db_worker`)."""

from django.db.models import Min
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
    """Queue a send for when the earliest deferred delivery of the issue is due again."""
    retry_at = issue.deliveries.filter(status=Delivery.Status.PENDING).aggregate(
        at=Min("next_attempt_at")
    )["at"]
    if retry_at and send_issue.get_backend().supports_defer:
        send_issue.using(run_after=retry_at).enqueue(issue.pk)
    return retry_at
