"""The weekly schedule, the sending window, the pace and the warm-up; reviewing before it goes."""

import io
from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from newsletter import compose, emails, pacing, schedule, sending
from newsletter.models import Delivery, Issue, SendingSettings, Subscriber
from newsletter.subscriber_csv import import_csv

pytestmark = pytest.mark.django_db


def confirmed(make_subscriber, n):
    return [make_subscriber(email=f"reader{i}@example.com") for i in range(n)]


def local(*args):
    return timezone.make_aware(datetime(*args))


# --- The weekly send's day and time -------------------------------------------------------


def test_the_next_weekly_send_is_the_editors_day_and_time(settings):
    settings.TIME_ZONE = "Europe/London"
    timezone.activate("Europe/London")
    SendingSettings(weekday=SendingSettings.Weekday.THURSDAY, send_time=time(9, 30)).save()
    monday = local(2026, 12, 7, 12, 0)

    assert schedule.next_weekly_send(monday) == local(2026, 12, 10, 9, 30)
    assert schedule.next_weekly_send(local(2026, 12, 10, 9, 31)) == local(2026, 12, 17, 9, 30)
    assert schedule.last_weekly_send(monday) == local(2026, 12, 3, 9, 30)
    assert schedule.weekly_send_time() == {
        "weekday": "Thursday",
        "time": "09:30",
        "time_zone": "Europe/London",
        "text": "every Thursday at 09:30",
    }
    timezone.deactivate()


def test_the_sending_window_opens_every_day_at_the_send_time():
    sending_settings = SendingSettings(send_time=time(22, 0), window_hours=4)

    late = schedule.sending_window(local(2026, 12, 7, 23, 0), sending_settings)
    assert late.open and late.ends_at == local(2026, 12, 8, 2, 0)
    past_midnight = schedule.sending_window(local(2026, 12, 8, 1, 0), sending_settings)
    assert past_midnight.open and past_midnight.ends_at == local(2026, 12, 8, 2, 0)
    closed = schedule.sending_window(local(2026, 12, 8, 9, 0), sending_settings)
    assert not closed.open and closed.opens_at == local(2026, 12, 8, 22, 0)
    assert schedule.sending_window(local(2026, 12, 8, 9, 0), SendingSettings()).open


def window_from(minutes_ago, hours):
    start = timezone.localtime() - timedelta(minutes=minutes_ago)
    SendingSettings(send_time=start.time().replace(microsecond=0), window_hours=hours).save()


def test_outside_its_window_a_send_waits_for_the_next_one(smtp_sink, make_subscriber, make_issue):
    confirmed(make_subscriber, 3)
    window_from(minutes_ago=120, hours=1)  # closed an hour ago; opens again tomorrow
    issue = make_issue()

    report = sending.start_and_send(issue)

    assert report.stopped == "window"
    assert report.resume_at > timezone.now() + timedelta(hours=20)
    assert not smtp_sink.received
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENDING


class FastClock:
    """timezone for the sender, with each reading a minute after the last."""

    def __init__(self):
        self.moment = timezone.now()

    def now(self):
        self.moment += timedelta(minutes=1)
        return self.moment

    def __getattr__(self, name):
        return getattr(timezone, name)


def test_a_send_that_runs_past_its_window_stops_and_goes_on_in_the_next(
    smtp_sink, make_subscriber, make_issue, monkeypatch
):
    readers = confirmed(make_subscriber, 120)
    window_from(minutes_ago=1, hours=1)
    issue = make_issue()
    issue.start_sending()
    monkeypatch.setattr(sending, "timezone", FastClock())

    report = sending.send_issue(issue)

    assert report.stopped == "window"
    assert 0 < report.sent < 120
    assert report.resume_at > timezone.now() + timedelta(hours=22)
    # The next window: the rest, and nobody twice.
    monkeypatch.undo()
    sending.send_issue(issue)
    assert {r.email: smtp_sink.received[r.email] for r in readers} == {r.email: 1 for r in readers}


# --- The pace -------------------------------------------------------------------------------


class FakeTime:
    def __init__(self):
        self.now, self.sleeps = 0.0, []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def test_a_rate_per_second_spaces_single_messages_instead_of_sleeping_batches():
    fake = FakeTime()
    pacer = pacing.Pacer(per_second=10, clock=fake.clock, sleep=fake.sleep)
    for _ in range(30):
        assert pacer.take()
    assert len(fake.sleeps) == 20  # after a one-second burst, one wait per message
    assert max(fake.sleeps) == pytest.approx(0.1)
    assert fake.now == pytest.approx(2.0)  # 30 messages at 10 a second, the first 10 at once


def test_a_rate_per_hour_never_lets_an_hour_hold_more():
    fake = FakeTime()
    pacer = pacing.Pacer(per_hour=3600, clock=fake.clock, sleep=fake.sleep)
    sent_in_first_hour = 0
    while fake.now < 3600:
        pacer.take()
        sent_in_first_hour += fake.now < 3600
    assert 3500 < sent_in_first_hour <= 3600
    assert max(fake.sleeps) < 1.1


def test_the_sender_paces_each_message(smtp_sink, make_subscriber, make_issue):
    confirmed(make_subscriber, 12)
    fake = FakeTime()
    issue = make_issue()

    sending.start_and_send(
        issue, pacer=pacing.Pacer(per_second=4, clock=fake.clock, sleep=fake.sleep)
    )

    assert len(smtp_sink.received) == 12
    assert len(fake.sleeps) == 8 and max(fake.sleeps) == pytest.approx(0.25)


def test_a_warm_up_caps_each_day_and_the_rest_waits_for_the_next(
    smtp_sink, make_subscriber, make_issue
):
    readers = confirmed(make_subscriber, 12)
    SendingSettings(warmup_started_on=timezone.localdate(), warmup_daily_caps="5, 10").save()
    issue = make_issue()

    report = sending.start_and_send(issue)

    assert (report.sent, report.stopped) == (5, "daily cap")
    assert report.resume_at.date() == timezone.localdate() + timedelta(days=1)
    assert sending.send_issue(issue).sent == 0  # The same day: the cap holds across runs.
    # Tomorrow's cap is 10: the other 7 go, once each.
    Delivery.objects.update(sent_at=timezone.now() - timedelta(days=1))
    SendingSettings(
        warmup_started_on=timezone.localdate() - timedelta(days=1), warmup_daily_caps="5, 10"
    ).save()
    sending.send_issue(issue)
    assert sorted(smtp_sink.received.values()) == [1] * 12
    assert set(smtp_sink.received) == {r.email for r in readers}


def test_after_the_warm_up_there_is_no_daily_cap():
    sending_settings = SendingSettings(
        warmup_started_on=timezone.localdate() - timedelta(days=3), warmup_daily_caps="5, 10"
    )
    assert sending_settings.daily_cap_on(timezone.localdate()) is None


@pytest.mark.parametrize("caps", ["5, ten", "0, 10", "-5", ",".join(["1"] * 61)])
def test_warm_up_caps_must_be_numbers_an_editor_can_read(admin_client, caps):
    url = reverse("admin:newsletter_sendingsettings_change", args=[1])
    admin_client.get(reverse("admin:newsletter_sendingsettings_changelist"))
    form = {
        "weekday": 0,
        "send_time": "07:00",
        "lead_hours": 24,
        "window_hours": 0,
        "per_second": 0,
        "per_hour": 0,
        "warmup_daily_caps": caps,
        "pause_error_percent": 5,
        "pause_sample": 500,
    }
    page = admin_client.post(url, form)
    assert page.status_code == 200
    assert "errornote" in page.content.decode()


def test_editors_set_the_day_and_time_in_the_admin(admin_client):
    listing = admin_client.get(reverse("admin:newsletter_sendingsettings_changelist"))
    url = reverse("admin:newsletter_sendingsettings_change", args=[1])
    assert listing.url == url
    assert "Next weekly send" in admin_client.get(url).content.decode()
    form = {
        "weekday": 3,
        "send_time": "08:15",
        "lead_hours": 48,
        "window_hours": 6,
        "per_second": 14,
        "per_hour": 10000,
        "warmup_started_on": "2026-12-01",
        "warmup_daily_caps": "500, 1000, 2000",
        "pause_error_percent": "4.5",
        "pause_sample": 400,
    }
    assert admin_client.post(url, form).status_code == 302
    saved = SendingSettings.load()
    assert (saved.weekday, saved.send_time, saved.per_hour) == (3, time(8, 15), 10000)
    assert saved.daily_caps() == [500, 1000, 2000]


# --- Composed ahead, reviewed, sent unless held -----------------------------------------------


@pytest.fixture
def send_in_two_hours():
    moment = timezone.localtime() + timedelta(hours=2)
    SendingSettings(
        weekday=moment.weekday(), send_time=moment.time().replace(microsecond=0), lead_hours=24
    ).save()
    return schedule.next_weekly_send()


@pytest.fixture
def editor_with_email(make_user):
    return make_user(role="Editor", email="editor@example.com")


def test_the_issue_is_composed_ahead_as_a_draft_and_the_editors_are_told(
    make_post, make_subscriber, privacy_page, send_in_two_hours, editor_with_email
):
    make_post(title="Sitting well at a desk")
    run = compose.run_schedule()

    issue = run.composed
    assert issue.status == Issue.Status.DRAFT
    assert issue.subject == "New this week: Sitting well at a desk"
    assert issue.scheduled_for == send_in_two_hours
    [notice] = mail.outbox
    assert notice.to == ["editor@example.com"]
    assert notice.subject == f"Ready for review: {issue.subject}"
    assert reverse("admin:newsletter_issue_change", args=[issue.pk]) in notice.body
    # Not yet its time: nothing started, and running again composes nothing twice.
    again = compose.run_schedule()
    assert again.composed is None and again.started == []


def test_the_composed_issue_goes_at_its_time(
    make_post, make_subscriber, privacy_page, send_in_two_hours
):
    make_post()
    make_subscriber()
    issue = compose.run_schedule().composed

    run = compose.run_schedule(now=send_in_two_hours + timedelta(minutes=1))

    assert run.started == [issue]
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENDING


def test_a_held_issue_waits_until_someone_releases_it(
    admin_client, make_post, make_subscriber, privacy_page, send_in_two_hours
):
    make_post()
    make_subscriber()
    issue = compose.run_schedule().composed
    change_page = admin_client.get(reverse("admin:newsletter_issue_change", args=[issue.pk]))
    assert "Goes to every subscriber by itself on" in change_page.content.decode()

    admin_client.post(reverse("admin:newsletter_issue_hold", args=[issue.pk]), {"hold": "1"})
    late = send_in_two_hours + timedelta(minutes=1)
    assert compose.run_schedule(now=late).started == []
    issue.refresh_from_db()
    assert issue.held and issue.status == Issue.Status.DRAFT

    admin_client.post(reverse("admin:newsletter_issue_hold", args=[issue.pk]), {"hold": "0"})
    assert compose.run_schedule(now=late).started == [issue]


def test_a_scheduled_issue_with_checklist_errors_is_held_and_the_editors_told(
    make_post, make_subscriber, send_in_two_hours, editor_with_email
):
    make_post()  # No privacy policy page: the checklist refuses the footer's link.
    issue = compose.run_schedule().composed
    mail.outbox.clear()

    run = compose.run_schedule(now=send_in_two_hours + timedelta(minutes=1))

    assert run.started == []
    issue.refresh_from_db()
    assert issue.held
    assert mail.outbox[0].subject == f"Not sent: {issue.subject}"


def test_the_hourly_command_follows_the_schedule(
    make_post, make_subscriber, privacy_page, send_in_two_hours
):
    from django.core.management import call_command

    make_post()
    out = io.StringIO()
    call_command("send_newsletter", "--scheduled", stdout=out)
    assert "Composed “New this week:" in out.getvalue()
    assert Issue.objects.get().status == Issue.Status.DRAFT  # not its time yet


def test_the_schedule_task_queues_itself_for_its_next_moment(send_in_two_hours):
    from django_tasks import default_task_backend

    from newsletter import tasks

    default_task_backend.clear()
    tasks.run_schedule.call()
    [queued] = default_task_backend.results
    assert queued.task.func == tasks.run_schedule.func
    assert queued.task.run_after <= timezone.now() + timedelta(hours=1, seconds=5)


# --- Test sends and greetings ---------------------------------------------------------------


def test_a_test_send_is_marked_and_its_unsubscribe_link_unsubscribes_nobody(
    admin_client, client, make_subscriber, make_issue
):
    boss = make_subscriber(email="boss@example.com")  # The editor reads the newsletter too.
    issue = make_issue()

    admin_client.post(reverse("admin:newsletter_issue_send_test", args=[issue.pk]))

    [message] = mail.outbox
    assert message.subject == f"[TEST] {issue.subject}"
    unsubscribe_url = next(
        line.split(": ", 1)[1] for line in message.body.splitlines() if "Unsubscribe:" in line
    )
    path = unsubscribe_url.removeprefix("http://testserver")
    page = client.get(path)
    assert page.status_code == 200
    assert "nobody was unsubscribed" in page.content.decode()
    assert client.post(path).status_code == 200
    one_click = message.extra_headers["List-Unsubscribe"].strip("<>").split("testserver", 1)[-1]
    assert client.post(one_click).status_code == 200
    boss.refresh_from_db()
    assert boss.status == Subscriber.Status.CONFIRMED
    assert Subscriber.objects.count() == 1


def test_names_from_a_csv_import_greet_the_reader(smtp_sink, make_issue):
    upload = SimpleUploadedFile(
        "list.csv",
        b"Email,First Name\nsam@example.com,Sam\nnoname@example.com,\n"
        b"odd@example.com,<b>Zo\xc3\xab</b>\n",
    )
    import_csv(upload, "list.csv")
    assert Subscriber.objects.get(email="sam@example.com").name == "Sam"
    issue = make_issue()

    sending.start_and_send(issue)

    copies = {m["To"]: m for m in smtp_sink.messages}
    sam = copies["sam@example.com"]
    assert "Hello Sam," in sam.get_body(("plain",)).get_content()
    assert "Hello Sam," in sam.get_body(("html",)).get_content()
    assert "Hello," in copies["noname@example.com"].get_body(("plain",)).get_content()
    odd_html = copies["odd@example.com"].get_body(("html",)).get_content()
    assert "Hello &lt;b&gt;Zoë&lt;/b&gt;," in odd_html
    assert "<b>Zo" not in odd_html


def test_the_wire_copy_greets_like_the_preview(make_subscriber, make_issue):
    reader = make_subscriber(name="Sam Jones")
    rendered = emails.render_issue(make_issue())
    wire = rendered.smtp_copy_for(reader).data.decode()
    assert "Hello Sam," in wire
    assert "Hello Sam," in rendered.message_for(reader).body


def test_editors_may_change_the_sending_settings(client, editor):
    client.force_login(editor)
    url = reverse("admin:newsletter_sendingsettings_change", args=[1])
    assert client.get(url).status_code == 200


def test_a_name_with_an_apostrophe_is_the_same_on_the_wire_as_in_the_preview(
    make_subscriber, make_issue
):
    reader = make_subscriber(name="D'Arcy")
    rendered = emails.render_issue(make_issue())
    wire = rendered.smtp_copy_for(reader).data
    html = rendered.message_for(reader).alternatives[0].content
    assert "Hello D&#x27;Arcy," in html
    assert b"Hello D&#x27;Arcy," in wire
    assert b"Hello D'Arcy," in wire
