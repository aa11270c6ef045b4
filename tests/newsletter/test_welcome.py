"""The welcome email: once, after confirming, as editors wrote it, with one-click unsubscribe."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from newsletter import tokens
from newsletter.models import Subscriber, WelcomeEmail

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _run_tasks_at_once(settings):
    settings.TASKS = IMMEDIATE


@pytest.fixture
def pending(make_subscriber):
    return make_subscriber(email="reader@example.com", status=Subscriber.Status.PENDING)


def confirm(client, subscriber):
    token = tokens.make_confirm_token(subscriber)
    return client.post(reverse("newsletter:confirm", args=[token]))


def welcomes():
    return [m for m in mail.outbox if m.subject == WelcomeEmail.load().subject]


def test_confirming_sends_one_welcome_email_even_when_confirm_is_clicked_twice(client, pending):
    assert confirm(client, pending).status_code == 200
    assert confirm(client, pending).status_code == 200
    [welcome] = welcomes()
    assert welcome.to == ["reader@example.com"]
    assert Subscriber.objects.get().welcomed_at is not None


def test_the_welcome_email_says_what_the_editors_wrote_and_recommends_their_articles(
    client, pending, make_post, settings
):
    guide = make_post(title="Ten minutes a day for a calmer back", excerpt="Start here.")
    draft = make_post(title="Unfinished draft", status="draft")
    welcome = WelcomeEmail.load()
    welcome.subject = "Welcome to Back & Neck"
    welcome.body = '<p>Hello and welcome. Read <a href="/about/">about us</a>.</p>'
    welcome.save()
    welcome.posts.set([guide, draft])
    confirm(client, pending)
    [message] = welcomes()
    assert message.subject == "Welcome to Back & Neck"
    html = message.alternatives[0].content
    assert message.alternatives[0].mimetype == "text/html"
    assert "Hello and welcome." in message.body
    assert "Ten minutes a day for a calmer back" in message.body
    assert "Unfinished draft" not in message.body + html
    assert f'href="{settings.SITE_URL}/about/"' in html  # Editors' /paths/ work in a mail client.
    assert f'href="{settings.SITE_URL}{guide.get_absolute_url()}"' in html
    assert "every Monday" in message.body


def test_the_welcome_email_has_the_same_one_click_unsubscribe_as_an_issue(client, pending):
    confirm(client, pending)
    [message] = welcomes()
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    one_click = re.fullmatch(r"<(.+)>", message.extra_headers["List-Unsubscribe"]).group(1)
    assert one_click.endswith("/one-click/")
    path = "/" + one_click.split("/", 3)[3]
    assert client.post(path).status_code == 200
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED


def test_no_welcome_email_when_editors_switched_it_off(client, pending):
    welcome = WelcomeEmail.load()
    welcome.enabled = False
    welcome.save()
    confirm(client, pending)
    assert welcomes() == []


def test_a_reader_who_comes_back_is_not_welcomed_again(client, pending):
    confirm(client, pending)
    subscriber = Subscriber.objects.get()
    subscriber.unsubscribe()
    confirm(client, subscriber)
    assert len(welcomes()) == 1


def test_a_mail_outage_leaves_the_welcome_to_send_later(client, pending, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1  # Nothing listens there.
    assert confirm(client, pending).status_code == 200
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED
    assert Subscriber.objects.get().welcomed_at is None


def test_editors_edit_and_preview_the_welcome_email_in_the_admin(admin_client, make_post):
    guide = make_post(title="Where to start")
    changelist = admin_client.get(reverse("admin:newsletter_welcomeemail_changelist"))
    assert changelist.status_code == 302
    page = admin_client.get(changelist["Location"])
    assert page.status_code == 200
    assert b"Evergreen articles to recommend" in page.content
    answer = admin_client.post(
        changelist["Location"],
        {"enabled": "on", "subject": "Hello", "body": "<p>Hi</p>", "posts": [guide.pk]},
    )
    assert answer.status_code == 302
    assert list(WelcomeEmail.load().posts.all()) == [guide]
    preview = admin_client.get(reverse("admin:newsletter_welcomeemail_preview"))
    assert b"Where to start" in preview.content


def test_the_admin_refuses_more_than_five_recommended_articles(admin_client, make_post):
    posts = [make_post(title=f"Guide {n}", slug=f"guide-{n}").pk for n in range(6)]
    WelcomeEmail.load()
    answer = admin_client.post(
        reverse("admin:newsletter_welcomeemail_change", args=[1]),
        {"enabled": "on", "subject": "Hello", "body": "", "posts": posts},
    )
    assert answer.status_code == 200
    assert b"Choose at most 5 articles" in answer.content


@pytest.mark.parametrize("name", ["newsletter:signup", "newsletter:issue_list"])
def test_the_signup_and_archive_pages_say_what_subscribers_get_and_how_often(client, name):
    from newsletter.models import SendingSettings

    SendingSettings(weekday=SendingSettings.Weekday.THURSDAY).save()
    page = client.get(reverse(name)).content.decode()
    assert "One email every Thursday" in page or "one email every Thursday" in page
    assert "welcome email" in page
