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


@pytest.fixture
def smtp_sink(settings):
    """A real SMTP server on 127.0.0.1, with Django's SMTP backend pointed at it."""
    from tests.smtp_sink import start_sink

    sink, controller = start_sink()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    sink.port = controller.port
    yield sink
    controller.stop()


@pytest.fixture
def privacy_page():
    """The page every newsletter's footer links to: without it, the checklist holds issues back."""
    from django.contrib.flatpages.models import FlatPage

    return FlatPage.objects.get_or_create(url="/privacy-policy/", title="Privacy policy")[0]


@pytest.fixture
def make_issue(make_post, privacy_page):
    from newsletter.models import Issue, IssuePost

    def make_issue(posts=None, **kwargs):
        kwargs.setdefault("subject", "This week: easing a stiff neck")
        issue = Issue.objects.create(**kwargs)
        for n, post in enumerate(posts if posts is not None else [make_post()]):
            IssuePost.objects.create(issue=issue, post=post, position=n)
        return issue

    return make_issue
