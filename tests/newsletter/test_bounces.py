"""Bounce and complaint webhooks, with the payloads the email services (and anymail) document."""

import base64
import json

import pytest
from anymail.signals import AnymailTrackingEvent, EventType, tracking

from newsletter.models import Subscriber

pytestmark = pytest.mark.django_db

AUTH = {"Authorization": "Basic " + base64.b64encode(b"hook:secret").decode()}


@pytest.fixture(autouse=True)
def webhook_secret(settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": "hook:secret"}


def postmark(client, payload):
    return client.post(
        "/anymail/postmark/tracking/", json.dumps(payload), "application/json", headers=AUTH
    )


POSTMARK_HARD_BOUNCE = {
    "RecordType": "Bounce",
    "MessageStream": "outbound",
    "ID": 4323372036854775807,
    "Type": "HardBounce",
    "TypeCode": 1,
    "Name": "Hard bounce",
    "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
    "ServerID": 23,
    "Description": (
        "The server was unable to deliver your message (ex: unknown user, mailbox not found)."
    ),
    "Details": "Test bounce details",
    "Email": "john@example.com",
    "From": "sender@example.com",
    "BouncedAt": "2019-11-05T16:33:54.9070259Z",
    "DumpAvailable": True,
    "Inactive": True,
    "CanActivate": True,
    "Subject": "Test subject",
}

POSTMARK_SPAM_COMPLAINT = {
    **POSTMARK_HARD_BOUNCE,
    "RecordType": "SpamComplaint",
    "Type": "SpamComplaint",
    "TypeCode": 512,
    "Name": "Spam complaint",
    "Details": "Test spam complaint details",
    "CanActivate": False,
}

SENDGRID_BOUNCE = [
    {
        "email": "john@example.com",
        "timestamp": 1513299569,
        "smtp-id": "<14c5d75ce93.dfd.64b469@ismtpd-555>",
        "event": "bounce",
        "category": "cat facts",
        "sg_event_id": "6g4ZI7SA-xmRDv57GoPIPw==",
        "sg_message_id": "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0",
        "reason": "500 unknown recipient",
        "status": "5.0.0",
        "type": "bounce",
    }
]


def test_a_hard_bounce_from_the_service_marks_the_subscriber_bounced(client, make_subscriber):
    subscriber = make_subscriber(email="John@Example.com")
    assert postmark(client, POSTMARK_HARD_BOUNCE).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.BOUNCED
    assert subscriber.bounced_at is not None


def test_a_spam_complaint_unsubscribes_the_subscriber(client, make_subscriber):
    subscriber = make_subscriber(email="john@example.com")
    assert postmark(client, POSTMARK_SPAM_COMPLAINT).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


def test_a_bounce_from_another_service_works_the_same(client, make_subscriber):
    subscriber = make_subscriber(email="john@example.com")
    response = client.post(
        "/anymail/sendgrid/tracking/", json.dumps(SENDGRID_BOUNCE), "application/json", headers=AUTH
    )
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.BOUNCED


def test_the_webhook_refuses_callers_without_the_secret(client, make_subscriber):
    subscriber = make_subscriber(email="john@example.com")
    response = client.post(
        "/anymail/postmark/tracking/", json.dumps(POSTMARK_HARD_BOUNCE), "application/json"
    )
    assert response.status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED


@pytest.mark.parametrize(
    ("event_type", "status"),
    [
        (EventType.BOUNCED, "bounced"),
        (EventType.REJECTED, "bounced"),
        (EventType.COMPLAINED, "unsubscribed"),
        (EventType.DELIVERED, "confirmed"),
        (EventType.DEFERRED, "confirmed"),
    ],
)
def test_the_tracking_signal_suppresses_only_bounces_and_complaints(
    make_subscriber, event_type, status
):
    subscriber = make_subscriber(email="john@example.com")
    event = AnymailTrackingEvent(event_type=event_type, recipient="john@example.com")
    tracking.send(sender=object, event=event, esp_name="Test")
    subscriber.refresh_from_db()
    assert subscriber.status == status


def test_an_event_for_an_unknown_address_is_ignored(make_subscriber):
    event = AnymailTrackingEvent(event_type=EventType.BOUNCED, recipient="nobody@example.com")
    tracking.send(sender=object, event=event, esp_name="Test")
    assert not Subscriber.objects.exists()
