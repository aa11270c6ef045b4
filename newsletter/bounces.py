"""
Bounces and complaints reported by an email service through django-anymail's tracking
webhooks (/anymail/<service>/tracking/). SMTP permanent rejections are handled while sending
(newsletter/sending.py); this covers the ones a service learns about later.
"""

from anymail.signals import EventType

from .deliverability import record_reported_problem
from .models import Delivery, Subscriber

# A complaint ("this is spam") means: stop, now. A bounce or rejection means the address
# doesn't take our mail. Either way it is never mailed again.
BOUNCES = {EventType.BOUNCED, EventType.REJECTED}
LEAVES = {EventType.COMPLAINED, EventType.UNSUBSCRIBED}


def handle_tracking_event(sender, event, esp_name, **kwargs):
    """anymail.signals.tracking receiver."""
    if event.event_type not in BOUNCES | LEAVES or not event.recipient:
        return
    if "\0" in event.recipient:  # Not an address; PostgreSQL would refuse to look it up.
        return
    subscriber = Subscriber.objects.with_email(event.recipient).first()
    if subscriber is None:
        return
    if event.event_type in BOUNCES:
        subscriber.mark_bounced()
        record_reported_problem(subscriber, Delivery.Problem.HARD_BOUNCE)
    else:
        subscriber.unsubscribe()
        if event.event_type == EventType.COMPLAINED:
            record_reported_problem(subscriber, Delivery.Problem.COMPLAINT)
