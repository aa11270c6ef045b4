import re
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.urls import reverse

from newsletter import limits, tokens
from newsletter.models import Subscriber

pytestmark = pytest.mark.django_db

SUBSCRIBE = reverse("newsletter:subscribe")
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _run_tasks_at_once(settings):
    """The sign-up's work is a task (tasks.request_subscription); here it runs on enqueue."""
    settings.TASKS = IMMEDIATE


def subscribe(client, email, **extra):
    return client.post(SUBSCRIBE, {"email": email, "source": "/some-article/", **extra})


def link_in(message):
    return re.search(r"https?://\S+/newsletter/confirm/[^/\s]+/", message.body).group(0)


def without_csrf_tokens(content):
    # The CSRF token is masked afresh for every response.
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)


def path_of(url):
    return "/" + url.split("/", 3)[3]


def test_every_page_has_the_signup_form_in_its_footer(client):
    response = client.get("/")
    assert b'<form class="signup-form" action="/newsletter/subscribe/"' in response.content
    assert b'<input type="email" id="footer-email" name="email"' in response.content
    assert b'href="/privacy-policy/"' in response.content


def test_the_newsletter_page_shows_the_form(client):
    response = client.get(reverse("newsletter:signup"))
    assert response.status_code == 200
    assert b'id="page-email"' in response.content


def test_a_new_address_gets_a_confirmation_email_and_a_neutral_answer(client):
    response = subscribe(client, "  Reader@Example.COM ")
    assert response.status_code == 200
    assert b"Please check your inbox" in response.content
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "Reader@example.com"
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.source_url == "/some-article/"
    [message] = mail.outbox
    assert message.to == ["Reader@example.com"]
    assert "confirm" in message.subject.lower()
    assert link_in(message)
    assert message.alternatives[0].mimetype == "text/html"


@pytest.mark.parametrize("status", ["pending", "confirmed", "unsubscribed", "bounced"])
def test_the_answer_is_the_same_whatever_the_address_state(client, make_subscriber, status):
    make_subscriber(email="known@example.com", status=status)
    known = subscribe(client, "KNOWN@example.com")
    unknown = subscribe(client, "stranger@example.com")
    assert known.status_code == unknown.status_code == 200
    assert without_csrf_tokens(known.content) == without_csrf_tokens(unknown.content)
    assert Subscriber.objects.with_email("known@example.com").count() == 1


def test_the_json_answer_is_the_same_whatever_the_address_state(client, make_subscriber):
    make_subscriber(email="known@example.com")
    answers = [
        client.post(SUBSCRIBE, {"email": email}, headers={"accept": "application/json"}).json()
        for email in ["known@example.com", "new@example.com"]
    ]
    assert answers[0] == answers[1]
    assert answers[0]["ok"] is True


def test_a_confirmed_subscriber_gets_no_new_confirmation_email(client, make_subscriber):
    make_subscriber(email="known@example.com")
    subscribe(client, "known@example.com")
    assert mail.outbox == []


def test_an_address_differing_only_in_case_is_the_same_subscriber(client, make_subscriber):
    known = make_subscriber(email="Reader@example.com", status="pending")
    subscribe(client, " reader@EXAMPLE.com")
    assert list(Subscriber.objects.all()) == [known]
    [message] = mail.outbox  # A fresh confirmation link, to the address as first written.
    assert message.to == ["Reader@example.com"]
    client.post(path_of(link_in(message)))
    known.refresh_from_db()
    assert known.status == Subscriber.Status.CONFIRMED


def test_addresses_are_unique_whatever_their_case(make_subscriber):
    from django.db import IntegrityError, transaction

    make_subscriber(email="someone@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscriber.objects.create(email="SOMEONE@EXAMPLE.COM")


@pytest.mark.parametrize(
    "email",
    ["not-an-address", "", "a" * 250 + "@example.com", "x@example.com\r\nBcc: victim@example.com"],
)
def test_a_bad_address_gets_a_clear_message_and_no_email(client, email):
    response = subscribe(client, email)
    assert response.status_code == 400
    assert b"signup-form__status is-error" in response.content
    assert mail.outbox == []
    assert not Subscriber.objects.exists()


def test_a_bad_address_gets_a_clear_json_message(client):
    response = client.post(SUBSCRIBE, {"email": "nope"}, headers={"accept": "application/json"})
    assert response.status_code == 400
    assert response.json() == {
        "ok": False,
        "message": "Please enter a valid email address, like name@example.com.",
    }


def test_a_filled_honeypot_gets_the_neutral_answer_and_nothing_happens(client):
    response = subscribe(client, "bot@example.com", website="http://spam.example")
    assert response.status_code == 200
    assert b"Please check your inbox" in response.content
    assert not Subscriber.objects.exists()
    assert mail.outbox == []


def test_an_address_gets_at_most_one_confirmation_email_per_interval(client):
    for _ in range(3):
        assert subscribe(client, "reader@example.com").status_code == 200
    assert len(mail.outbox) == 1


def test_one_client_may_sign_up_only_so_many_times_an_hour(client):
    for n in range(limits.SIGNUPS_PER_IP):
        assert subscribe(client, f"reader{n}@example.com").status_code == 200
    response = subscribe(client, "one-more@example.com")
    assert response.status_code == 429
    assert b"Too many sign-ups" in response.content
    assert not Subscriber.objects.with_email("one-more@example.com").exists()


def test_the_rate_limit_keeps_no_address_in_the_clear(client):
    from django.core.cache import cache

    subscribe(client, "reader@example.com")
    keys = list(cache._cache.keys())
    assert keys
    assert not any("127.0.0.1" in key or "reader" in key for key in keys)


def test_a_mail_server_outage_does_not_break_the_signup(client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1  # Nothing listens there.
    response = subscribe(client, "reader@example.com")
    assert response.status_code == 200
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_the_confirmation_link_shows_a_button_and_only_the_post_confirms(client):
    subscribe(client, "reader@example.com")
    url = path_of(link_in(mail.outbox[0]))
    page = client.get(url)
    assert page.status_code == 200
    assert b"Yes, subscribe me" in page.content
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING

    response = client.post(url)
    assert response.status_code == 200
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert subscriber.confirmed_at is not None
    assert subscriber.source_url == "/some-article/"


def test_a_tampered_confirmation_link_gets_a_clear_400_page(client, make_subscriber):
    subscriber = make_subscriber(status="pending")
    token = tokens.make_confirm_token(subscriber)
    response = client.post(reverse("newsletter:confirm", args=[token[:-2] + "xx"]))
    assert response.status_code == 400
    assert b"This link is not valid" in response.content
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING


def test_an_expired_confirmation_link_gets_a_clear_410_page(client, make_subscriber, monkeypatch):
    subscriber = make_subscriber(status="pending")
    token = tokens.make_confirm_token(subscriber)
    monkeypatch.setattr(tokens, "CONFIRM_MAX_AGE", timedelta(seconds=-1))
    response = client.get(reverse("newsletter:confirm", args=[token]))
    assert response.status_code == 410
    assert b"This link has expired" in response.content


def test_a_token_made_for_another_purpose_is_not_valid(client, make_subscriber):
    subscriber = make_subscriber(status="pending")
    unsubscribe_token = tokens.make_unsubscribe_token(subscriber)
    response = client.post(reverse("newsletter:confirm", args=[unsubscribe_token]))
    assert response.status_code == 400
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_a_link_for_an_erased_subscriber_is_not_valid(client, make_subscriber):
    subscriber = make_subscriber()
    token = tokens.make_unsubscribe_token(subscriber)
    subscriber.erase()
    assert client.get(reverse("newsletter:unsubscribe", args=[token])).status_code == 400


def test_the_unsubscribe_link_shows_a_button_and_only_the_post_unsubscribes(
    client, make_subscriber
):
    subscriber = make_subscriber()
    url = reverse("newsletter:unsubscribe", args=[tokens.make_unsubscribe_token(subscriber)])
    page = client.get(url)
    assert b"<button" in page.content
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED

    response = client.post(url)
    assert b"You\xe2\x80\x99re unsubscribed" in response.content
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert subscriber.unsubscribed_at is not None


def test_the_unsubscribe_page_offers_an_undo_that_keeps_the_old_consent(client, make_subscriber):
    subscriber = make_subscriber()
    confirmed_at = subscriber.confirmed_at
    url = reverse("newsletter:unsubscribe", args=[tokens.make_unsubscribe_token(subscriber)])
    response = client.post(url)
    undo_token = response.context["undo_token"]

    response = client.post(reverse("newsletter:resubscribe"), {"token": undo_token})
    assert b"still subscribed" in response.content
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert subscriber.confirmed_at == confirmed_at


def test_the_undo_expires(client, make_subscriber, monkeypatch):
    subscriber = make_subscriber(status="unsubscribed")
    token = tokens.make_resubscribe_token(subscriber)
    monkeypatch.setattr(tokens, "RESUBSCRIBE_MAX_AGE", timedelta(seconds=-1))
    response = client.post(reverse("newsletter:resubscribe"), {"token": token})
    assert response.status_code == 410
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


def test_one_click_unsubscribe_works_without_csrf_or_cookies(make_subscriber):
    from django.test import Client

    subscriber = make_subscriber()
    client = Client(enforce_csrf_checks=True)
    url = reverse(
        "newsletter:unsubscribe_one_click", args=[tokens.make_unsubscribe_token(subscriber)]
    )
    response = client.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


def test_one_click_unsubscribe_does_nothing_on_get(client, make_subscriber):
    subscriber = make_subscriber()
    url = reverse(
        "newsletter:unsubscribe_one_click", args=[tokens.make_unsubscribe_token(subscriber)]
    )
    assert client.get(url).status_code == 405
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED


def test_one_click_unsubscribe_with_a_bad_token_is_a_400(client):
    url = reverse("newsletter:unsubscribe_one_click", args=[signing.dumps(1, salt="other")])
    assert client.post(url).status_code == 400


def test_the_other_newsletter_forms_still_need_csrf(make_subscriber):
    from django.test import Client

    subscriber = make_subscriber()
    client = Client(enforce_csrf_checks=True)
    url = reverse("newsletter:unsubscribe", args=[tokens.make_unsubscribe_token(subscriber)])
    assert client.post(url).status_code == 403


def test_a_source_longer_than_the_column_is_dropped_not_a_server_error(client):
    response = subscribe(client, "reader@example.com", source="/" + "a" * 600)
    assert response.status_code == 200
    assert b"Please check your inbox" in response.content
    assert Subscriber.objects.get().source_url == ""


@pytest.mark.parametrize("source", ["/a\r\nb/", "/a b/", "/\u202eevil/", "//evil.example/"])
def test_a_source_that_is_not_a_plain_local_path_is_dropped(client, source):
    assert subscribe(client, "reader@example.com", source=source).status_code == 200
    assert Subscriber.objects.get().source_url == ""


def test_a_nul_in_the_honeypot_is_a_clear_400_not_a_server_error(client):
    response = subscribe(client, "reader@example.com", website="a\0b")
    assert response.status_code == 400
    assert "characters we can’t accept" in response.content.decode()
    assert not Subscriber.objects.exists()


def test_a_bad_address_and_a_bad_source_show_the_address_message(client):
    response = client.post(SUBSCRIBE, {"email": "not-an-address", "source": "x" * 600})
    assert response.status_code == 400
    assert b"Please enter a valid email address" in response.content


@pytest.mark.parametrize(
    "body",
    [
        "email=" + "a" * 100_000 + "@example.com",
        "email=reader@example.com%0D%0ABcc:%20victim@example.com",
        "email=reader%ED%A0%80@example.com",  # A lone surrogate, as UTF-8 can't carry one.
        "email=reader%FF@example.com",
        "source=/",
    ],
)
def test_an_unusable_address_is_a_clear_400(client, body):
    response = client.post(
        SUBSCRIBE,
        body,
        "application/x-www-form-urlencoded",
        headers={"accept": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["message"].startswith(("Please enter", "That address is too long"))
    assert not Subscriber.objects.exists()


def _statement_shape(sql):
    """An SQL statement without its values: what was done, not to whom."""
    return re.sub(r"'(?:[^']|'')*'|\b\d+(?:\.\d+)?\b", "?", sql)


def test_signing_up_does_the_same_work_for_a_new_and_a_confirmed_address(
    client, settings, make_subscriber
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    make_subscriber(email="known@example.com")
    subscribe(client, "warm-up@example.com")  # The page's per-process caches fill once.
    answers, shapes = [], []
    for email in ["known@example.com", "stranger@example.com"]:
        with CaptureQueriesContext(connection) as queries:
            answers.append(subscribe(client, email))
        shapes.append([_statement_shape(query["sql"]) for query in queries.captured_queries])
    assert without_csrf_tokens(answers[0].content) == without_csrf_tokens(answers[1].content)
    assert shapes[0] == shapes[1]
    assert not any("newsletter_subscriber" in statement for statement in shapes[0])
    queued = DBTaskResult.objects.order_by("enqueued_at").values_list("task_path", "args_kwargs")
    assert [(path, kw["args"][0]) for path, kw in queued][1:] == [
        ("newsletter.tasks.request_subscription", "known@example.com"),
        ("newsletter.tasks.request_subscription", "stranger@example.com"),
    ]
    # Nothing is looked up or mailed until the worker runs the tasks.
    assert mail.outbox == []
    assert Subscriber.objects.count() == 1


def test_the_sign_up_task_mails_only_addresses_that_need_a_confirmation(make_subscriber):
    from newsletter.tasks import request_subscription

    make_subscriber(email="known@example.com")
    assert request_subscription.call("known@example.com", "/") is False
    assert request_subscription.call("stranger@example.com", "/") is True
    assert [message.to for message in mail.outbox] == [["stranger@example.com"]]


@pytest.mark.parametrize("leave", ["unsubscribe", "mark_bounced"])
def test_an_old_confirmation_link_does_not_bring_back_someone_who_left(client, leave):
    subscribe(client, "reader@example.com")
    old_link = path_of(link_in(mail.outbox[0]))
    client.post(old_link)
    subscriber = Subscriber.objects.get()
    getattr(subscriber, leave)()
    for method in (client.get, client.post):
        response = method(old_link)
        assert response.status_code == 410
        assert b"only until you unsubscribe" in response.content
    subscriber.refresh_from_db()
    assert subscriber.status != Subscriber.Status.CONFIRMED


def test_a_fresh_sign_up_after_leaving_can_be_confirmed(client, make_subscriber):
    subscriber = make_subscriber(email="reader@example.com")
    subscriber.unsubscribe()
    subscribe(client, "reader@example.com")
    response = client.post(path_of(link_in(mail.outbox[0])))
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED


def test_a_link_from_before_links_carried_their_time_cannot_undo_a_later_unsubscribe(
    client, make_subscriber
):
    subscriber = make_subscriber()
    old = signing.dumps(
        [subscriber.pk, tokens._fingerprint(subscriber.email)], salt=tokens._CONFIRM
    )
    subscriber.unsubscribe()
    assert client.post(reverse("newsletter:confirm", args=[old])).status_code == 410
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


def test_the_undo_link_works_only_once(client, make_subscriber):
    subscriber = make_subscriber()
    unsubscribe_url = reverse(
        "newsletter:unsubscribe", args=[tokens.make_unsubscribe_token(subscriber)]
    )
    undo_token = client.post(unsubscribe_url).context["undo_token"]
    resubscribe = reverse("newsletter:resubscribe")
    assert client.post(resubscribe, {"token": undo_token}).status_code == 200

    client.post(unsubscribe_url)  # Leaves again, later.
    response = client.post(resubscribe, {"token": undo_token})
    assert response.status_code == 410
    assert b"This link has been used" in response.content
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


@pytest.mark.parametrize(
    "addresses",
    [
        ["ann@example.com", "ann+news@example.com", "Ann+other@EXAMPLE.com"],
        ["j.doe@gmail.com", "jdoe+x@googlemail.com", "J.D.o.e@gmail.com"],
    ],
)
def test_one_mailbox_gets_one_confirmation_however_its_address_is_spelled(client, addresses):
    for address in addresses:
        subscribe(client, address)
    assert len(mail.outbox) == 1
    # The addresses are kept as typed: the mailbox is only for the limit.
    assert Subscriber.objects.count() == len(addresses)


def test_a_mailbox_gets_one_confirmation_a_day_and_only_a_few_ever_until_it_confirms(client):
    from django.db.models import F

    from newsletter import signup_brake
    from newsletter.models import ConfirmationQuota

    for day in range(signup_brake.LIFETIME_CONFIRMATIONS + 2):
        for n in range(3):
            subscribe(client, f"ann+{day}-{n}@example.com")
        assert len(mail.outbox) == min(day + 1, signup_brake.LIFETIME_CONFIRMATIONS)
        # A day passes.
        ConfirmationQuota.objects.update(last_sent_at=F("last_sent_at") - timedelta(days=1))
    assert len(mail.outbox) == signup_brake.LIFETIME_CONFIRMATIONS


def test_erasing_a_subscriber_deletes_their_queued_sign_ups(client, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    subscribe(client, "reader@example.com")
    subscribe(client, "other@example.com")
    Subscriber.objects.create(email="Reader@example.com").erase()
    [left] = DBTaskResult.objects.values_list("args_kwargs", flat=True)
    assert left["args"][0] == "other@example.com"
