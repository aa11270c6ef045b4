"""
Signed tokens for the links in newsletter emails.

Each purpose has its own salt, so a token made for one purpose (say, undoing an unsubscribe)
can never be replayed for another (confirming an address).
"""

import hashlib
from datetime import timedelta

from django.core import signing
from django.utils import timezone

CONFIRM_MAX_AGE = timedelta(days=7)
RESUBSCRIBE_MAX_AGE = timedelta(minutes=30)

_CONFIRM = "newsletter.confirm"
_UNSUBSCRIBE = "newsletter.unsubscribe"
_RESUBSCRIBE = "newsletter.resubscribe"


class InvalidToken(Exception):
    """The link was altered, belongs to someone else, has expired or was used (see below)."""

    def __init__(self, expired=False, used=False):
        super().__init__("expired" if expired else "used" if used else "invalid")
        self.expired = expired
        self.used = used


def _fingerprint(email):
    # Ties a link to the address it was sent to, without putting the address in URLs and logs.
    return hashlib.sha256(email.lower().encode()).hexdigest()[:16]


def make_confirm_token(subscriber):
    # When it was asked for: a link older than the reader's last unsubscribe or bounce must not
    # sign them up again (read_confirm_token).
    issued = timezone.now().timestamp()
    return signing.dumps([subscriber.pk, _fingerprint(subscriber.email), issued], salt=_CONFIRM)


# What a test send's unsubscribe link names instead of a subscriber: it works, and unsubscribes
# nobody (the test went to an editor, who may or may not be a subscriber too).
_TEST_SEND = "test-send"


class TestReader:
    """The recipient of a test send or a preview: an address, no subscriber row."""

    pk = None
    name = ""
    status = "test"

    def __init__(self, email):
        self.email = email


def make_unsubscribe_token(subscriber):
    # No expiry: an unsubscribe link in a years-old email must still work.
    return signing.dumps(_TEST_SEND if subscriber.pk is None else subscriber.pk, salt=_UNSUBSCRIBE)


def is_test_send_token(token):
    """True for the unsubscribe token of a test send (or a preview)."""
    try:
        return signing.loads(token, salt=_UNSUBSCRIBE) == _TEST_SEND
    except (signing.BadSignature, ValueError, TypeError, UnicodeError):
        return False


def make_resubscribe_token(subscriber):
    # Names the unsubscribe it undoes, so it works once: undoing clears unsubscribed_at, and a
    # later unsubscribe sets a new one.
    return signing.dumps([subscriber.pk, _moment(subscriber.unsubscribed_at)], salt=_RESUBSCRIBE)


def read_confirm_token(token, subscribers):
    pk, fingerprint, *issued = _load(token, _CONFIRM, CONFIRM_MAX_AGE, list)
    subscriber = _find(subscribers.filter(pk=pk))
    if _fingerprint(subscriber.email) != fingerprint:
        raise InvalidToken
    left = max(filter(None, [subscriber.unsubscribed_at, subscriber.bounced_at]), default=None)
    # Links made before tokens carried their time count as older than any unsubscribe.
    if left and (not issued or issued[0] <= left.timestamp()):
        raise InvalidToken(expired=True)  # They left since: only a fresh sign-up brings them back.
    return subscriber


def read_unsubscribe_token(token, subscribers):
    return _find(subscribers.filter(pk=_load(token, _UNSUBSCRIBE)))


def read_resubscribe_token(token, subscribers):
    pk, unsubscribed_at, *_ = _load(token, _RESUBSCRIBE, RESUBSCRIBE_MAX_AGE, list)
    subscriber = _find(subscribers.filter(pk=pk))
    if _moment(subscriber.unsubscribed_at) != unsubscribed_at:
        raise InvalidToken(used=True)
    return subscriber


def _moment(when):
    return when.isoformat() if when else None


def _load(token, salt, max_age=None, shape=None):
    try:
        value = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        raise InvalidToken(expired=True) from None
    except (signing.BadSignature, ValueError, TypeError, UnicodeError):
        raise InvalidToken from None
    if shape is not None and (not isinstance(value, shape) or len(value) < 2):
        raise InvalidToken  # Signed by us, for an older shape of this link.
    return value


def _find(subscribers):
    subscriber = subscribers.first()
    if subscriber is None:  # Erased since the link was sent.
        raise InvalidToken
    return subscriber
