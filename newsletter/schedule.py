"""
When the weekly newsletter goes and when mail may go at all (the sending window), from the
editors' SendingSettings. Times are in the site's time zone (settings.TIME_ZONE).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.formats import time_format

from .models import SendingSettings


def weekly_send_time(sending_settings=None):
    """
    The weekly send's day and time, for pages that tell readers when the newsletter arrives:
    `{"weekday": "Monday", "time": "07:00", "time_zone": "Europe/London", "text": "every Monday
    at 07:00"}`.
    """
    sending_settings = sending_settings or SendingSettings.load()
    weekday = SendingSettings.Weekday(sending_settings.weekday).label
    at = time_format(sending_settings.send_time, "H:i")
    return {
        "weekday": weekday,
        "time": at,
        "time_zone": timezone.get_current_timezone_name(),
        "text": f"every {weekday} at {at}",
    }


def _at(day, moment_of_day):
    return timezone.make_aware(datetime.combine(day, moment_of_day))


def next_weekly_send(now=None, sending_settings=None):
    """The next moment (at or after `now`) the weekly issue is due to go."""
    now = now or timezone.now()
    sending_settings = sending_settings or SendingSettings.load()
    today = timezone.localdate(now)
    ahead = (sending_settings.weekday - today.weekday()) % 7
    moment = _at(today + timedelta(days=ahead), sending_settings.send_time)
    if moment < now:
        moment = _at(today + timedelta(days=ahead + 7), sending_settings.send_time)
    return moment


def last_weekly_send(now=None, sending_settings=None):
    """The latest moment (before `now`) the weekly issue was due."""
    now = now or timezone.now()
    return next_weekly_send(now - timedelta(days=7), sending_settings)


@dataclass(frozen=True)
class Window:
    open: bool
    ends_at: datetime | None = None  # While open; None: never closes.
    opens_at: datetime | None = None  # While closed: when it opens next.


def sending_window(now=None, sending_settings=None):
    """Whether mail may go now: every day from the send time for window_hours."""
    now = now or timezone.now()
    sending_settings = sending_settings or SendingSettings.load()
    hours = sending_settings.window_hours
    if hours in (0, 24):
        return Window(open=True)
    today = timezone.localdate(now)
    for day in (today - timedelta(days=1), today):  # A window may run past midnight.
        start = _at(day, sending_settings.send_time)
        end = start + timedelta(hours=hours)
        if start <= now < end:
            return Window(open=True, ends_at=end)
    start = _at(today, sending_settings.send_time)
    return Window(open=False, opens_at=start if now < start else start + timedelta(days=1))


def weekly_send_day():
    """The weekday the weekly issue is sent on, e.g. "Monday", as readers are told it."""
    return weekly_send_time()["weekday"]
