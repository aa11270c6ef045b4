"""
What keeps the sign-up form from being used to bomb other people's inboxes.

Bots that sign victims up from many addresses (Tor exits, rotating proxies) get past any limit
per client. Three things hold them:

- each mailbox gets at most one confirmation email a day, and at most LIFETIME_CONFIRMATIONS
  while it never confirms (ConfirmationQuota; "+tag" and Gmail-dot spellings are one mailbox);
- the brake: once settings.NEWSLETTER_SIGNUP_BRAKE sign-ups of the last hour are unconfirmed,
  the form asks for a proof of work (ALTCHA, solved in the reader's browser, no third party),
  and sign-ups without one get no email, so a burst mails at most that many addresses an hour;
- editors hear of each spike once, by email, and on the admin dashboard.
"""

from datetime import timedelta

import altcha
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from . import limits
from .models import ConfirmationQuota, SignupSpike, Subscriber

LIFETIME_CONFIRMATIONS = 3
CONFIRMATION_INTERVAL = timedelta(days=1)
WINDOW = timedelta(hours=1)
# A spike seen again within this long is the same spike: one alert for it.
SPIKE_GAP = timedelta(hours=1)

# SHA-256 repeated, with a key prefix of 4 hex digits: 65,536 tries on average, under a second
# in a browser's worker, and the same again for every sign-up a bot wants to make.
CHALLENGE_ALGORITHM = "SHA-256"
CHALLENGE_COST = 1
CHALLENGE_PREFIX = "0000"
CHALLENGE_MAX_AGE = timedelta(minutes=10)


def unconfirmed_last_hour(now=None):
    now = now or timezone.now()
    return Subscriber.objects.filter(
        status=Subscriber.Status.PENDING, created_at__gte=now - WINDOW
    ).count()


def is_on(now=None):
    """
    True during a spike: what the sign-up form asks before it takes a sign-up. It reads the
    spike table, never the subscribers, so it costs the same whatever the address.
    """
    return current_spike(now) is not None


def still_braking(now=None):
    """
    A sign-up was refused for want of a challenge: the attack goes on, so the spike lasts.
    Written at most once a minute, however fast the bots post.
    """
    now = now or timezone.now()
    if cache.add("newsletter:signup-spike-seen", 1, 60):
        SignupSpike.objects.filter(last_seen_at__gte=now - SPIKE_GAP).update(last_seen_at=now)


def holds_back(proven=False):
    """
    True when the brake is on and this sign-up brings no solved challenge: it gets no email.
    Run in the task worker, before the sign-up is recorded; notes the spike for the editors.
    """
    count = unconfirmed_last_hour()
    if count < settings.NEWSLETTER_SIGNUP_BRAKE:
        return False
    note_spike(count)
    return not proven


def take_confirmation(email, now=None):
    """
    Count a confirmation email to this address's mailbox, and return False (send none) when it
    had one in the last day or LIFETIME_CONFIRMATIONS without confirming. One conditional
    UPDATE, so two workers can't both take the last one.
    """
    now = now or timezone.now()
    key = _mailbox_hash(email)
    try:
        with transaction.atomic():
            ConfirmationQuota.objects.get_or_create(mailbox_hash=key)
    except IntegrityError:  # Another worker created it just now.
        pass
    return bool(
        ConfirmationQuota.objects.filter(
            Q(last_sent_at=None) | Q(last_sent_at__lte=now - CONFIRMATION_INTERVAL),
            mailbox_hash=key,
            sent_count__lt=LIFETIME_CONFIRMATIONS,
        ).update(sent_count=F("sent_count") + 1, last_sent_at=now)
    )


def forget_confirmations(email):
    """The mailbox confirmed: its count of unanswered confirmations starts again."""
    ConfirmationQuota.objects.filter(mailbox_hash=_mailbox_hash(email)).delete()


def _mailbox_hash(email):
    return salted_hmac("newsletter.signup_brake.mailbox", limits.mailbox(email)).hexdigest()


def note_spike(count, now=None):
    """Record that the brake is on; the first time in a spike, email the editors."""
    now = now or timezone.now()
    ongoing = SignupSpike.objects.filter(last_seen_at__gte=now - SPIKE_GAP).update(
        last_seen_at=now, peak=Greatest(F("peak"), count)
    )
    if ongoing:
        return None
    # Two workers may both see no ongoing spike; the cache lets one of them alert.
    if not cache.add("newsletter:signup-spike-alert", 1, int(SPIKE_GAP.total_seconds())):
        return None
    spike = SignupSpike.objects.create(started_at=now, last_seen_at=now, peak=count)
    _alert_editors(spike)
    return spike


def current_spike(now=None):
    """The spike going on now, or None (for the dashboard)."""
    now = now or timezone.now()
    return SignupSpike.objects.filter(last_seen_at__gte=now - SPIKE_GAP).first()


def _alert_editors(spike):
    editors = (
        get_user_model()
        .objects.filter(Q(groups__name="Editor") | Q(is_superuser=True), is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    if not editors:
        return
    admin_url = settings.SITE_URL + reverse("admin:index")
    send_mail(
        subject="Newsletter sign-ups: unusual burst, anti-bot check turned on",
        message=(
            f"{spike.peak} newsletter sign-ups made in the last hour are still unconfirmed "
            f"(the limit is {settings.NEWSLETTER_SIGNUP_BRAKE}). This is what a bot signing up "
            "other people's addresses looks like.\n\n"
            "Until it calms down, the sign-up form asks each reader's browser to solve a short "
            "proof-of-work check, and sign-ups without it get no confirmation email. Readers "
            "without JavaScript are asked to try again later. Nothing needs doing; it turns "
            "itself off an hour after the burst ends.\n\n"
            f"The dashboard shows it while it lasts: {admin_url}\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=list(editors),
    )


def _hmac_secret():
    return salted_hmac("newsletter.signup_brake.altcha", "challenge").hexdigest()


def new_challenge():
    """An ALTCHA challenge as the widget fetches it (a dict to send as JSON)."""
    challenge = altcha.create_challenge(
        CHALLENGE_ALGORITHM,
        CHALLENGE_COST,
        key_prefix=CHALLENGE_PREFIX,
        expires_at=timezone.now() + CHALLENGE_MAX_AGE,
        hmac_secret=_hmac_secret(),
    )
    return challenge.to_dict()


def solved(payload):
    """
    True when `payload` (the widget's form field) solves a challenge we made, in time, for the
    first time: a solution can't be replayed for a second sign-up.
    """
    if not payload or len(payload) > 4000:
        return False
    try:
        result = altcha.verify_solution(payload, _hmac_secret())
    except (ValueError, TypeError):
        return False
    if not result.verified:
        return False
    # Keyed on the challenge's signature, not the payload's text, which could be re-encoded.
    signature = altcha.Payload.from_base64(payload).challenge.signature
    used_key = "newsletter:altcha-used:" + salted_hmac("altcha-used", signature).hexdigest()
    return cache.add(used_key, 1, int(CHALLENGE_MAX_AGE.total_seconds()) + 60)
