"""
How fast a send may go: token buckets that pace single messages (never whole batches) to a
provider's per-second and per-hour limits, and the warm-up's daily cap.

A bucket holds up to `capacity` tokens and refills at `rate` tokens a second; each message takes
one, waiting only as long as the next token needs. So a limit of 10 a second sends one message
every 100 ms after the first burst, instead of ten at once and a one-second sleep.
"""

import time

from django.utils import timezone


class TokenBucket:
    def __init__(self, rate, capacity, *, clock=time.monotonic, sleep=time.sleep):
        self.rate = rate
        self.capacity = max(1.0, capacity)
        self.tokens = self.capacity
        self.clock, self.sleep = clock, sleep
        self.updated = clock()

    def take(self):
        """Take one token, waiting for it if the bucket is empty. Returns the seconds waited."""
        now = self.clock()
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        wait = (1 - self.tokens) / self.rate
        self.sleep(wait)
        self.updated = self.clock()
        self.tokens = 0.0
        return wait


class Pacer:
    """
    The rate limits of one send: call take() before each message; False means the warm-up's
    cap for today is used up (what is left goes the next day).
    """

    def __init__(self, *, per_second=0, per_hour=0, daily_allowance=None, **clock):
        self.buckets = []
        if per_second:
            self.buckets.append(TokenBucket(per_second, per_second, **clock))
        if per_hour:
            # A minute's worth of burst, and the refill slowed to match, so that no hour ever
            # holds more than per_hour messages.
            burst = max(1, per_hour // 60)
            rate = max(per_hour - burst, 1) / 3600
            self.buckets.append(TokenBucket(rate, burst, **clock))
        self.daily_allowance = daily_allowance

    @property
    def limits_anything(self):
        return bool(self.buckets) or self.daily_allowance is not None

    def take(self):
        if self.daily_allowance is not None:
            if self.daily_allowance <= 0:
                return False
            self.daily_allowance -= 1
        for bucket in self.buckets:
            bucket.take()
        return True


def pacer_for(sending_settings, now=None, *, sent_today=None, **clock):
    """The pacer the settings ask for; `sent_today` (a callable) counts today's messages."""
    cap = sending_settings.daily_cap_on(timezone.localdate(now))
    allowance = None
    if cap is not None:
        allowance = max(0, cap - (sent_today() if sent_today else 0))
    return Pacer(
        per_second=sending_settings.per_second,
        per_hour=sending_settings.per_hour,
        daily_allowance=allowance,
        **clock,
    )
