"""The sign-up form under a bot attack: bounded confirmation mail, a challenge, an alert."""

import json
import re
from datetime import timedelta

import altcha
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from newsletter import signup_brake
from newsletter.models import SignupSpike, Subscriber

pytestmark = pytest.mark.django_db

SUBSCRIBE = reverse("newsletter:subscribe")
CHALLENGE = reverse("newsletter:challenge")
BRAKE = 5  # Small, so the tests are quick; the burst test uses the default.


@pytest.fixture(autouse=True)
def _brake_and_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.NEWSLETTER_SIGNUP_BRAKE = BRAKE
    settings.NUM_PROXIES = 1


def sign_up(client, email, n=0, json_answer=False, **data):
    headers = {
        # Each request from its own address (a rotating proxy) with its own browser.
        "HTTP_X_FORWARDED_FOR": f"203.0.{n // 250}.{n % 250 + 1}",
        "HTTP_USER_AGENT": f"Mozilla/5.0 (bot {n})",
    }
    if json_answer:
        headers["HTTP_ACCEPT"] = "application/json"
    return client.post(SUBSCRIBE, {"email": email, "source": "/", **data}, **headers)


def solve(client):
    """What the ALTCHA widget does in a reader's browser: fetch a challenge and solve it."""
    response = client.get(CHALLENGE)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    challenge = altcha.Challenge.from_dict(response.json())
    solution = altcha.solve_challenge(challenge)
    return altcha.Payload(challenge, solution).to_base64()


def confirmation_mails():
    return [m for m in mail.outbox if "confirm" in m.subject.lower()]


def test_a_burst_of_500_sign_ups_from_500_clients_sends_a_bounded_number_of_mails(client, settings):
    settings.NEWSLETTER_SIGNUP_BRAKE = 20  # The default.
    answers = [
        sign_up(client, f"victim{n}@example.org", n, json_answer=True).status_code
        for n in range(500)
    ]
    # The bound the README states: NEWSLETTER_SIGNUP_BRAKE confirmation mails an hour.
    assert len(confirmation_mails()) == 20
    # The 21st sign-up is the one that finds the limit reached (in the worker): it is recorded
    # but mailed nothing, and from then on the form asks for the challenge.
    assert answers.count(200) == 21 and answers.count(429) == 479
    assert Subscriber.objects.count() == 21
    editors_alert = [m for m in mail.outbox if "unusual burst" in m.subject]
    assert editors_alert == []  # No editor has an address in this test; see the next one.
    assert SignupSpike.objects.count() == 1


def test_a_real_reader_can_still_subscribe_and_confirm_during_the_burst(client):
    for n in range(BRAKE + 30):
        sign_up(client, f"victim{n}@example.org", n)
    sent = len(mail.outbox)

    refused = sign_up(client, "reader@example.com", 999)
    assert refused.status_code == 429
    assert b"check each one for bots" in refused.content
    assert b'value="reader@example.com"' in refused.content  # Nothing the reader typed is lost.
    assert b"data-challenge-required" in refused.content
    assert len(mail.outbox) == sent

    answer = sign_up(client, "reader@example.com", 999, altcha=solve(client))
    assert answer.status_code == 200
    assert b"Please check your inbox" in answer.content
    [confirmation] = mail.outbox[sent:]
    assert confirmation.to == ["reader@example.com"]
    link = re.search(r"https?://\S+(/newsletter/confirm/[^/\s]+/)", confirmation.body).group(1)
    assert client.post(link).status_code == 200
    assert Subscriber.objects.get(email="reader@example.com").status == "confirmed"


def test_the_script_is_told_to_show_the_challenge(client):
    for n in range(BRAKE + 1):
        sign_up(client, f"victim{n}@example.org", n)
    answer = sign_up(client, "reader@example.com", 999, json_answer=True)
    assert answer.status_code == 429
    assert answer.json()["challenge"] is True
    assert "JavaScript" in answer.json()["message"]


def test_a_solution_works_for_one_sign_up_only(client):
    for n in range(BRAKE + 1):
        sign_up(client, f"victim{n}@example.org", n)
    payload = solve(client)
    assert sign_up(client, "reader@example.com", 900, altcha=payload).status_code == 200
    assert sign_up(client, "other@example.com", 901, altcha=payload).status_code == 429


@pytest.mark.parametrize(
    "payload",
    ["", "not base64!", "eyJ9", "A" * 5000, "\u00e9t\u00e9"],
)
def test_a_made_up_solution_is_refused_without_an_error(client, payload):
    for n in range(BRAKE + 1):
        sign_up(client, f"victim{n}@example.org", n)
    assert sign_up(client, "reader@example.com", 900, altcha=payload).status_code == 429


def test_a_forged_challenge_is_refused(client):
    for n in range(BRAKE + 1):
        sign_up(client, f"victim{n}@example.org", n)
    forged = altcha.create_challenge("SHA-256", 1, key_prefix="0", hmac_secret="not our secret")
    payload = altcha.Payload(forged, altcha.solve_challenge(forged)).to_base64()
    assert sign_up(client, "reader@example.com", 900, altcha=payload).status_code == 429


def test_the_brake_answer_is_the_same_for_a_subscribed_and_an_unknown_address(
    client, make_subscriber
):
    make_subscriber(email="known@example.com")
    for n in range(BRAKE + 1):
        sign_up(client, f"victim{n}@example.org", n)
    known = sign_up(client, "known@example.com", 900)
    stranger = sign_up(client, "stranger@example.com", 901)
    assert known.status_code == stranger.status_code == 429
    assert known.content.replace(b"known", b"X") == stranger.content.replace(b"stranger", b"X")


def test_without_an_attack_the_form_needs_no_challenge(client):
    answer = sign_up(client, "reader@example.com")
    assert answer.status_code == 200
    assert b"data-challenge-required" not in answer.content
    assert len(mail.outbox) == 1


def test_editors_get_one_alert_per_spike_and_the_dashboard_says_so(client, editor, admin_client):
    editor.email = "editor@example.com"
    editor.save()
    for n in range(BRAKE + 40):
        sign_up(client, f"victim{n}@example.org", n)
    alerts = [m for m in mail.outbox if "unusual burst" in m.subject]
    assert len(alerts) == 1
    assert "editor@example.com" in alerts[0].to
    assert f"{BRAKE} newsletter sign-ups" in alerts[0].body
    dashboard = admin_client.get(reverse("admin:index")).content.decode()
    assert "Newsletter sign-up brake on since" in dashboard


def test_the_brake_lifts_an_hour_after_the_burst(client):
    for n in range(BRAKE + 1):
        sign_up(client, f"victim{n}@example.org", n)
    assert signup_brake.is_on()
    later = timezone.now() + timedelta(hours=1, minutes=1)
    Subscriber.objects.update(created_at=timezone.now() - timedelta(hours=2))
    SignupSpike.objects.update(last_seen_at=timezone.now() - timedelta(hours=2))
    assert not signup_brake.is_on(later)
    assert sign_up(client, "reader@example.com", 900).status_code == 200


def test_the_challenge_is_a_signed_altcha_challenge(client):
    challenge = json.loads(client.get(CHALLENGE).content)
    assert challenge["parameters"]["algorithm"] == "SHA-256"
    assert challenge["signature"]
    assert client.post(CHALLENGE).status_code == 405
