"""
Signed tokens for the links in newsletter emails.

Each purpose has its own salt, so a token made for one purpose (say, undoing an unsubscribe)
can never be replayed for another (confirming an address).
"""

import hashlib
from datetime import timedelta

from django.core import signing

CONFIRM_MAX_AGE = timedelta(days=7)
RESUBSCRIBE_MAX_AGE = timedelta(minutes=30)

_CONFIRM = "newsletter.confirm"
_UNSUBSCRIBE = "newsletter.unsubscribe"
_RESUBSCRIBE = "newsletter.resubscribe"


class InvalidToken(Exception):
    """The link was altered, belongs to someone else, or has expired (see `expired`)."""

    def __init__(self, expired=False):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def _fingerprint(email):
    # Ties a link to the address it was sent to, without putting the address in URLs and logs.
    return hashlib.sha256(email.lower().encode()).hexdigest()[:16]


def make_confirm_token(subscriber):
    return signing.dumps([subscriber.pk, _fingerprint(subscriber.email)], salt=_CONFIRM)


def make_unsubscribe_token(subscriber):
    # No expiry: an unsubscribe link in a years-old email must still work.
    return signing.dumps(subscriber.pk, salt=_UNSUBSCRIBE)


def make_resubscribe_token(subscriber):
    return signing.dumps(subscriber.pk, salt=_RESUBSCRIBE)


def read_confirm_token(token, subscribers):
    pk, fingerprint = _load(token, _CONFIRM, CONFIRM_MAX_AGE)
    subscriber = _find(subscribers.filter(pk=pk))
    if _fingerprint(subscriber.email) != fingerprint:
        raise InvalidToken
    return subscriber


def read_unsubscribe_token(token, subscribers):
    return _find(subscribers.filter(pk=_load(token, _UNSUBSCRIBE)))


def read_resubscribe_token(token, subscribers):
    return _find(subscribers.filter(pk=_load(token, _RESUBSCRIBE, RESUBSCRIBE_MAX_AGE)))


def _load(token, salt, max_age=None):
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        raise InvalidToken(expired=True) from None
    except (signing.BadSignature, ValueError, TypeError):
        raise InvalidToken from None


def _find(subscribers):
    subscriber = subscribers.first()
    if subscriber is None:  # Erased since the link was sent.
        raise InvalidToken
    return subscriber
