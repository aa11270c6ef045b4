"""
Which articles readers were on when they signed up: counted per article and day (blog/stats.py),
once the sign-up is confirmed, so unconfirmed and bot sign-ups never count. The count holds no
trace of who signed up; the subscriber's own "signed up on" stays consent evidence only.
"""

from blog.stats import count_sign_up

from .models import Subscriber


def confirm(subscriber):
    """Record the subscriber's consent, and the article it was made on, in the statistics."""
    # Opening the link again, once confirmed, is no new sign-up.
    newly = subscriber.status != Subscriber.Status.CONFIRMED
    subscriber.confirm()
    if newly:
        count_sign_up(subscriber.source_url)
