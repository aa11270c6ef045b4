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


@pytest.mark.parametrize("secret", [None, ""])
@pytest.mark.parametrize("service", ["postmark", "sendgrid", "mailgun", "amazon_ses", "brevo"])
def test_without_a_secret_every_webhook_refuses_forged_events(
    client, settings, make_subscriber, secret, service
):
    settings.ANYMAIL = {} if secret is None else {"WEBHOOK_SECRET": secret}
    subscriber = make_subscriber(email="john@example.com")
    for payload in (POSTMARK_HARD_BOUNCE, POSTMARK_SPAM_COMPLAINT, SENDGRID_BOUNCE):
        response = client.post(
            f"/anymail/{service}/tracking/", json.dumps(payload), "application/json", headers=AUTH
        )
        assert response.status_code == 403
        assert b"ANYMAIL_WEBHOOK_SECRET" in response.content
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED


def test_a_wrong_secret_changes_no_subscriber(client, make_subscriber):
    subscriber = make_subscriber(email="john@example.com")
    wrong = {"Authorization": "Basic " + base64.b64encode(b"hook:guess").decode()}
    response = client.post(
        "/anymail/postmark/tracking/",
        json.dumps(POSTMARK_HARD_BOUNCE),
        "application/json",
        headers=wrong,
    )
    assert response.status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED


def test_the_service_signature_secures_a_webhook_without_the_shared_secret(
    client, settings, make_subscriber
):
    import hashlib
    import hmac

    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": "signing-key"}
    subscriber = make_subscriber(email="john@example.com")
    signature = {"timestamp": "1534806000", "token": "a" * 50}
    signature["signature"] = hmac.new(
        b"signing-key", (signature["timestamp"] + signature["token"]).encode(), hashlib.sha256
    ).hexdigest()
    event = {"event": "failed", "severity": "permanent", "recipient": "john@example.com"}
    payload = {"signature": signature, "event-data": {**event, "timestamp": 1534806000}}
    forged = {**payload, "signature": {**signature, "signature": "0" * 64}}
    url = "/anymail/mailgun/tracking/"
    assert client.post(url, json.dumps(forged), "application/json").status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert client.post(url, json.dumps(payload), "application/json").status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.BOUNCED


def test_inbound_mail_webhooks_are_not_routed(client):
    assert client.post("/anymail/postmark/inbound/", "{}", "application/json").status_code == 404


def test_check_deploy_fails_while_an_email_service_runs_without_the_secret(settings):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    settings.EMAIL_BACKEND = "anymail.backends.postmark.EmailBackend"
    settings.ANYMAIL = {"POSTMARK_SERVER_TOKEN": "token"}
    with pytest.raises(SystemCheckError, match="newsletter.E001"):
        call_command("check", "--deploy", "--tag", "security")
    settings.ANYMAIL["WEBHOOK_SECRET"] = "hook:secret"
    call_command("check", "--deploy", "--tag", "security", "--fail-level", "ERROR")


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.mail.backends.smtp.EmailBackend",
        "django.core.mail.backends.console.EmailBackend",
    ],
)
def test_the_webhook_check_is_silent_for_smtp_and_the_console(settings, backend):
    from newsletter.webhooks import check_webhooks_are_secured

    settings.ANYMAIL = {}
    settings.EMAIL_BACKEND = backend
    assert check_webhooks_are_secured() == []
