"""
The welcome email: sent once to each new subscriber by the task worker, after they confirm.

Exactly once: the task claims the subscriber with a conditional UPDATE of `welcomed_at`, so a
second click on the confirm button, a second worker or a retried task sends nothing more.
"""

import logging
from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from . import emails
from .models import Subscriber, WelcomeEmail

logger = logging.getLogger(__name__)

RETRY_AFTER = timedelta(minutes=30)


def welcome_after_confirming(subscriber):
    """Queue the welcome email for a subscriber who has just confirmed."""
    if subscriber.welcomed_at is None:
        send_welcome.enqueue(subscriber.pk)


@task()
def send_welcome(subscriber_id):
    """Send the welcome email unless it went already, is switched off, or they have left."""
    welcome = WelcomeEmail.load()
    if not welcome.enabled:
        return False
    claimed = Subscriber.objects.filter(
        pk=subscriber_id, status=Subscriber.Status.CONFIRMED, welcomed_at=None
    ).update(welcomed_at=timezone.now())
    if not claimed:
        return False
    subscriber = Subscriber.objects.get(pk=subscriber_id)
    try:
        emails.welcome_message(subscriber, welcome).send()
    except OSError:  # smtplib's errors are OSErrors too.
        logger.exception("Could not send a newsletter welcome email; trying again later")
        Subscriber.objects.filter(pk=subscriber_id).update(welcomed_at=None)
        if send_welcome.get_backend().supports_defer:
            send_welcome.using(run_after=timezone.now() + RETRY_AFTER).enqueue(subscriber_id)
        return False
    return True
