from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

pytestmark = pytest.mark.django_db


def remind(*args):
    out = StringIO()
    call_command("review_reminders", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def due_posts(make_post, make_reviewer):
    reviewer = make_reviewer(name="Dr Hannah Cole", credentials="PT, DPT")
    today = timezone.localdate()
    return {
        "overdue": make_post(
            title="Sciatica & you", reviewed_by=reviewer, last_reviewed=today - timedelta(days=400)
        ),
        "soon": make_post(
            title="Heat or ice", reviewed_by=reviewer, last_reviewed=today - timedelta(days=350)
        ),
        "never": make_post(title="Sleeping positions"),
        "current": make_post(
            title="Fresh article", reviewed_by=reviewer, last_reviewed=today - timedelta(days=3)
        ),
    }


def test_editors_with_an_email_get_the_list_of_articles_due_for_review(
    due_posts, make_user, editor, author
):
    editor.email = "ed@example.com"
    editor.save()
    make_user(role="Editor", email="")  # No address: skipped.
    make_user(role="Editor", email="gone@example.com", is_active=False)
    author.email = "writer@example.com"
    author.save()

    output = remind()

    assert [message.to for message in mail.outbox] == [["ed@example.com"]]
    message = mail.outbox[0]
    assert message.subject == "3 articles due for medical review"
    assert "Sent the list of 3 article(s) to 1 editor(s)." in output
    text = message.body
    overdue, soon = text.split("OVERDUE OR NEVER REVIEWED")[1].split("DUE SOON")
    assert "Sleeping positions" in overdue and "Never medically reviewed." in overdue
    assert "Sciatica & you" in overdue and "by Dr Hannah Cole, PT, DPT" in overdue
    assert "Heat or ice" in soon
    assert "Fresh article" not in text
    assert f"http://127.0.0.1:8000/admin/blog/post/{due_posts['never'].pk}/change/" in text
    assert "/admin/blog/post/?review=due" in text


def test_the_reminder_has_an_html_version_with_links(due_posts, editor):
    editor.email = "ed@example.com"
    editor.save()
    remind()
    html, mimetype = mail.outbox[0].alternatives[0]
    assert mimetype == "text/html"
    assert "<h2" in html and "Overdue or never reviewed" in html and "Due soon" in html
    assert "Sciatica &amp; you" in html
    assert f'href="http://127.0.0.1:8000/admin/blog/post/{due_posts["soon"].pk}/change/"' in html


def test_no_email_is_sent_when_nothing_is_due(make_post, make_reviewer, editor):
    editor.email = "ed@example.com"
    editor.save()
    make_post(reviewed_by=make_reviewer(), last_reviewed=timezone.localdate())
    assert "no email sent" in remind()
    assert mail.outbox == []


def test_the_notice_period_can_be_changed(due_posts, editor):
    editor.email = "ed@example.com"
    editor.save()
    remind("--days", "0")
    assert mail.outbox[0].subject == "2 articles due for medical review"
