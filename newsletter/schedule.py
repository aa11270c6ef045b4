"""When the weekly issue goes out, as readers are told it (sign-up page, archive, emails)."""

from django.conf import settings


def weekly_send_day():
    """The weekday the weekly issue is sent on, e.g. "Monday"."""
    return settings.NEWSLETTER_SEND_DAY
