"""
Rate limits for the sign-up form, kept in Django's cache.

Keys are keyed hashes: the cache never holds a visitor's IP address or an email address in
the clear, and the hashes are useless without SECRET_KEY.
"""

from django.core.cache import cache
from django.utils.crypto import salted_hmac

from backandneck.ratelimits import counted, hit

SIGNUPS_PER_IP = 10
IP_WINDOW = 60 * 60  # seconds
CONFIRMATION_INTERVAL = 5 * 60  # seconds between two confirmation emails to one mailbox
CONFIRMATIONS_PER_DAY = 3  # to one mailbox
DAY = 24 * 60 * 60
# Gmail delivers a.b.c@gmail.com to abc@gmail.com, and googlemail.com is the same service.
_DOTLESS_DOMAINS = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}


def _key(kind, value):
    return f"newsletter:{kind}:" + salted_hmac(f"newsletter.limits.{kind}", value).hexdigest()


def allow_signup_from(request):
    """Count a sign-up from this client; False once it has made too many this hour."""
    return hit("newsletter-signup", request, SIGNUPS_PER_IP, IP_WINDOW)


def mailbox(email):
    """
    The mailbox an address delivers to, as far as can be told from outside: "Ann+news@X.org"
    and "ann+other@x.org" are both "ann@x.org" (sub-addressing), and Gmail ignores dots. Only
    for limits: the stored address stays what the reader typed.
    """
    local, _, domain = email.lower().rpartition("@")
    local = local.split("+", 1)[0]
    if domain in _DOTLESS_DOMAINS:
        local, domain = local.replace(".", ""), _DOTLESS_DOMAINS[domain]
    return f"{local}@{domain}"


def allow_confirmation_to(email):
    """
    True at most once per interval and a few times a day for a mailbox, however its address is
    spelled, so the form can't be used to mail-bomb someone.
    """
    box = mailbox(email)
    if not cache.add(_key("email", box), 1, CONFIRMATION_INTERVAL):
        return False
    return counted(_key("email-day", box), CONFIRMATIONS_PER_DAY, DAY)
