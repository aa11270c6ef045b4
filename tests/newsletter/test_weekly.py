from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from blog.models import Post
from newsletter.models import Issue, WeeklyRun

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("privacy_page")]


def run(*args):
    out = StringIO()
    call_command("send_newsletter", *args, stdout=out)
    return out.getvalue()


def test_the_weekly_issue_features_the_posts_published_since_the_last_issue(make_post, make_issue):
    now = timezone.now()
    last = make_issue(posts=[])
    Issue.objects.filter(pk=last.pk).update(
        status="sent", send_started_at=now - timedelta(days=7), week=now.date() - timedelta(days=7)
    )
    make_post(title="Old news", published_at=now - timedelta(days=8))
    older = make_post(title="Stretches for the desk", published_at=now - timedelta(days=3))
    newer = make_post(title="Pillows that help", published_at=now - timedelta(hours=2))
    make_post(title="A draft", status=Post.Status.DRAFT)
    make_post(title="Scheduled", published_at=now + timedelta(days=1))

    issue = Issue.objects.compose_weekly()

    assert list(issue.featured_posts()) == [newer, older]
    assert issue.subject == "New this week: Pillows that help"
    assert issue.status == Issue.Status.DRAFT


def test_nothing_new_means_no_issue_and_the_command_says_so(make_subscriber):
    make_subscriber()
    output = run()
    assert "Nothing new since" in output
    assert not Issue.objects.exists()
    assert WeeklyRun.objects.get().summary.startswith("Nothing new")


def test_the_command_composes_and_sends_with_a_one_line_summary(
    smtp_sink, make_subscriber, make_post
):
    make_subscriber(), make_subscriber()
    make_post(title="Neck stretches")
    output = run()
    assert output.count("\n") == 1
    assert "Composed “New this week: Neck stretches” (1 posts)." in output
    assert "2 sent, 0 failed" in output
    assert sum(smtp_sink.received.values()) == 2
    run_record = WeeklyRun.objects.get()
    assert run_record.sent == 2
    assert run_record.composed_issue == Issue.objects.get()


def test_running_the_command_twice_in_a_week_sends_nothing_twice(
    smtp_sink, make_subscriber, make_post
):
    readers = [make_subscriber(), make_subscriber()]
    make_post()
    run()
    make_post(title="Published after this week's issue")
    output = run()
    assert "Nothing to send" in output
    assert dict(smtp_sink.received) == {reader.email: 1 for reader in readers}
    assert Issue.objects.count() == 1


def test_a_dry_run_says_what_would_happen_and_changes_nothing(make_subscriber, make_post):
    make_subscriber()
    make_post(title="Neck stretches")
    output = run("--dry-run")
    assert "Would compose an issue with 1 posts" in output
    assert "Neck stretches" in output
    assert "1 confirmed subscribers" in output
    assert not Issue.objects.exists()
    assert not WeeklyRun.objects.exists()


def test_the_command_resumes_an_interrupted_send(smtp_sink, make_subscriber, make_issue):
    readers = [make_subscriber(), make_subscriber()]
    issue = make_issue()
    issue.start_sending()
    output = run()
    assert "2 sent" in output
    assert dict(smtp_sink.received) == {reader.email: 1 for reader in readers}
