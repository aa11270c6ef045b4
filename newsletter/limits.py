"""
Rate limits for the sign-up form, kept in Django's cache.

Keys are keyed hashes: the cache never holds a visitor's IP address or an email address in
the clear, and the hashes are useless without SECRET_KEY.
"""

from django.core.cache import cache
from django.utils.crypto import salted_hmac

from backandneck.ratelimits import hit

SIGNUPS_PER_IP = 10
IP_WINDOW = 60 * 60  # seconds
CONFIRMATION_INTERVAL = 5 * 60  # seconds between two confirmation emails to one address


def _key(kind, value):
    return f"newsletter:{kind}:" + salted_hmac(f"newsletter.limits.{kind}", value).hexdigest()


def allow_signup_from(request):
    """Count a sign-up from this client; False once it has made too many this hour."""
    return hit("newsletter-signup", request, SIGNUPS_PER_IP, IP_WINDOW)


def allow_confirmation_to(email):
    """True at most once per interval for an address, so the form can't be used to mail-bomb."""
    return cache.add(_key("email", email.lower()), 1, CONFIRMATION_INTERVAL)
