import csv
import io

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks import default_task_backend

from newsletter import emails
from newsletter.models import Delivery, Issue, Subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, make_user):
    user = make_user(is_staff=True, is_superuser=True, email="boss@example.com")
    client.force_login(user)
    client.user = user
    return client


def test_the_subscriber_list_shows_counts_per_status_and_finds_an_address(
    admin_client, make_subscriber
):
    make_subscriber(email="one@example.com"), make_subscriber(email="two@example.com")
    make_subscriber(email="gone@example.com", status="unsubscribed")
    url = reverse("admin:newsletter_subscriber_changelist")
    page = admin_client.get(url).content.decode()
    assert "Confirmed (2)" in page
    assert "Unsubscribed (1)" in page
    found = admin_client.get(url, {"q": "two@"}).content.decode()
    assert "two@example.com" in found
    assert "one@example.com" not in found


def test_the_csv_export_carries_the_consent_evidence(admin_client, make_subscriber):
    make_subscriber(email="reader@example.com", source_url="/neck-pain/")
    response = admin_client.get(reverse("admin:newsletter_export"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0]["email"] == "reader@example.com"
    assert rows[0]["status"] == "confirmed"
    assert rows[0]["confirmed"]
    assert rows[0]["signed_up"]
    assert rows[0]["signup_page"] == "/neck-pain/"


def test_a_csv_import_adds_new_addresses_as_imported_and_leaves_known_ones_alone(
    admin_client, make_subscriber
):
    make_subscriber(email="left@example.com", status="unsubscribed")
    upload = SimpleUploadedFile(
        "list.csv", b"name,email\nAna,ana@example.com\nLeft,LEFT@example.com\nBad,not-an-email\n"
    )
    response = admin_client.post(
        reverse("admin:newsletter_import"), {"file": upload, "consent": "on"}, follow=True
    )
    assert "Imported 1 new subscriber(s); 1 already known" in response.content.decode()
    ana = Subscriber.objects.get(email="ana@example.com")
    assert ana.imported and ana.status == Subscriber.Status.CONFIRMED
    assert "list.csv" in ana.source_url
    assert Subscriber.objects.get(email="left@example.com").status == "unsubscribed"


def test_a_csv_import_needs_the_consent_box_ticked(admin_client):
    upload = SimpleUploadedFile("list.csv", b"email\nana@example.com\n")
    response = admin_client.post(reverse("admin:newsletter_import"), {"file": upload})
    assert response.status_code == 200
    assert not Subscriber.objects.exists()


def test_erasing_a_subscriber_leaves_no_trace_of_the_address(
    admin_client, make_subscriber, make_issue
):
    subscriber = make_subscriber(email="forget-me@example.com")
    make_issue().start_sending()
    admin_client.post(
        reverse("admin:newsletter_subscriber_change", args=[subscriber.pk]), {"_continue": "1"}
    )
    LogEntry.objects.log_actions(admin_client.user.pk, [subscriber], 2, change_message="noted")
    response = admin_client.post(
        reverse("admin:newsletter_subscriber_changelist"),
        {"action": "erase", "_selected_action": [subscriber.pk]},
        follow=True,
    )
    assert "Erased 1 subscriber(s)" in response.content.decode()
    assert not Subscriber.objects.exists()
    assert not Delivery.objects.exists()
    assert not LogEntry.objects.filter(object_repr__icontains="forget-me").exists()


def test_the_preview_is_the_email_exactly_as_sent(admin_client, make_issue):
    issue = make_issue()
    html = admin_client.get(reverse("admin:newsletter_issue_preview", args=[issue.pk]))
    text = admin_client.get(reverse("admin:newsletter_issue_preview_text", args=[issue.pk]))
    sent = emails.issue_message(issue, Subscriber(email="boss@example.com"))
    assert html.content.decode() == sent.alternatives[0].content
    assert text.content.decode() == sent.body
    assert text["Content-Type"].startswith("text/plain")


def test_send_a_test_to_me_mails_only_the_editor(admin_client, make_subscriber, make_issue):
    make_subscriber()
    issue = make_issue()
    admin_client.post(reverse("admin:newsletter_issue_send_test", args=[issue.pk]))
    [message] = mail.outbox
    assert message.to == ["boss@example.com"]
    assert message.subject == "[TEST] " + issue.subject
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT


def test_send_now_queues_the_send_for_the_worker(admin_client, make_subscriber, make_issue):
    make_subscriber(), make_subscriber()
    issue = make_issue()
    default_task_backend.clear()
    confirm_page = admin_client.get(reverse("admin:newsletter_issue_send_now", args=[issue.pk]))
    assert "Send to 2 subscribers" in confirm_page.content.decode()

    admin_client.post(reverse("admin:newsletter_issue_send_now", args=[issue.pk]))

    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENDING
    assert issue.deliveries.count() == 2
    [queued] = default_task_backend.results
    assert queued.args == [issue.pk]


def test_with_the_immediate_task_backend_send_now_sends_in_the_request(
    admin_client, make_subscriber, make_issue, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    first, second = make_subscriber(), make_subscriber()
    issue = make_issue()
    mail.outbox.clear()
    admin_client.post(reverse("admin:newsletter_issue_send_now", args=[issue.pk]))
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.email, second.email])


def test_an_editor_may_write_and_send_issues_but_not_see_subscribers(client, editor, make_issue):
    issue = make_issue()
    client.force_login(editor)
    assert client.get(reverse("admin:newsletter_issue_change", args=[issue.pk])).status_code == 200
    send_now = reverse("admin:newsletter_issue_send_now", args=[issue.pk])
    assert client.get(send_now).status_code == 200
    assert client.get(reverse("admin:newsletter_subscriber_changelist")).status_code == 403


def test_the_issue_page_shows_the_queue(admin_client, make_subscriber, make_issue):
    make_subscriber(), make_subscriber()
    issue = make_issue()
    issue.start_sending()
    page = admin_client.get(reverse("admin:newsletter_issue_change", args=[issue.pk]))
    assert "2 pending · 0 sent · 0 failed" in page.content.decode()


def test_an_issue_can_be_written_in_the_admin(admin_client, make_post):
    post = make_post()
    response = admin_client.post(
        reverse("admin:newsletter_issue_add"),
        {
            "subject": "Our best neck tips",
            "preheader": "",
            "intro": "<p>Hi</p><script>x()</script>",
            "post_links-TOTAL_FORMS": "1",
            "post_links-INITIAL_FORMS": "0",
            "post_links-0-post": post.pk,
            "post_links-0-position": "0",
        },
    )
    assert response.status_code == 302
    issue = Issue.objects.get()
    assert issue.intro == "<p>Hi</p>"
    assert list(issue.featured_posts()) == [post]
