from itertools import count

import pytest
from django.core.cache import cache
from django.utils import timezone

from newsletter.models import Subscriber

_sequence = count(1)


@pytest.fixture(autouse=True)
def _empty_cache():
    # Rate limits live in the cache; each test starts with none used.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make_subscriber():
    def make_subscriber(**kwargs):
        kwargs.setdefault("email", f"reader{next(_sequence)}@example.com")
        kwargs.setdefault("status", Subscriber.Status.CONFIRMED)
        if kwargs["status"] == Subscriber.Status.CONFIRMED:
            kwargs.setdefault("confirmed_at", timezone.now())
        return Subscriber.objects.create(**kwargs)

    return make_subscriber
