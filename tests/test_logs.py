import json
import logging
import sys
import time

import pytest
from django.db import OperationalError, connection
from django.test import Client

from backandneck.logs import JsonFormatter, ThrottledAdminEmailHandler

from .test_health import Database, closed_port

pytestmark = pytest.mark.django_db


def json_lines(caplog, logger):
    formatter = JsonFormatter()
    return [json.loads(formatter.format(r)) for r in caplog.records if r.name == logger]


def test_each_request_is_logged_as_one_json_line(client, caplog, settings):
    settings.PAGE_CACHE_SECONDS = 600
    with caplog.at_level(logging.INFO, logger="backandneck.requests"):
        client.get("/")
        client.get("/")
        client.get("/no-such-page/")
    first, second, missing = json_lines(caplog, "backandneck.requests")
    assert first["method"] == "GET"
    assert first["path"] == "/"
    assert first["status"] == 200
    assert first["duration_ms"] >= 0
    assert (first["cache"], second["cache"]) == ("miss", "hit")
    assert missing["status"] == 404
    assert first["level"] == "INFO"
    assert "time" in first


def test_slow_queries_are_logged_without_their_parameters(caplog, settings):
    settings.SLOW_QUERY_MS = 0
    with caplog.at_level(logging.WARNING, logger="backandneck.db"), connection.cursor() as cursor:
        cursor.execute("SELECT %s", ["reader@example.com"])
    (entry,) = json_lines(caplog, "backandneck.db")
    assert entry["message"].startswith("Slow query")
    assert "SELECT" in entry["sql"]
    assert "reader@example.com" not in json.dumps(entry)


def test_fast_queries_are_not_logged(caplog, settings):
    settings.SLOW_QUERY_MS = 10_000
    with caplog.at_level(logging.WARNING, logger="backandneck.db"), connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    assert json_lines(caplog, "backandneck.db") == []


def test_errors_are_logged_with_their_traceback():
    try:
        raise ValueError("broken")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "Failed", None, sys.exc_info())
    entry = json.loads(JsonFormatter().format(record))
    assert entry["level"] == "ERROR"
    assert "ValueError: broken" in entry["exception"]


def test_each_newsletter_send_logs_a_summary(caplog):
    from newsletter.models import Issue
    from newsletter.sending import send_issue

    issue = Issue.objects.create(subject="This week")
    with caplog.at_level(logging.INFO, logger="newsletter.sending"):
        send_issue(issue)
    (entry,) = json_lines(caplog, "newsletter.sending")
    assert entry["issue"] == issue.pk
    assert (entry["sent"], entry["failed"], entry["deferred"], entry["skipped"]) == (0, 0, 0, 0)


def failed_request(error=None, line=None):
    """An error record as Django's request log makes it, from an exception raised here."""
    try:
        raise (error or OperationalError("connection to server failed"))
    except Exception:
        exc_info = sys.exc_info()
    return logging.LogRecord(
        "django.request",
        logging.ERROR,
        __file__,
        line or 1,
        "Internal Server Error: %s",
        ("/",),
        exc_info,
    )


@pytest.fixture
def mail_handler(settings):
    settings.ADMINS = [("Ops", "ops@backandneck.example")]
    settings.ERROR_MAIL_INTERVAL_MINUTES = 10
    return ThrottledAdminEmailHandler()


def test_the_same_error_is_mailed_once_per_interval(mail_handler, mailoutbox):
    for _ in range(50):
        mail_handler.emit(failed_request())
    assert len(mailoutbox) == 1
    assert "OperationalError" in mailoutbox[0].body


def test_a_different_error_gets_its_own_mail(mail_handler, mailoutbox):
    mail_handler.emit(failed_request())
    mail_handler.emit(failed_request(ValueError("a bug")))
    mail_handler.emit(failed_request(ValueError("a bug")))
    assert len(mailoutbox) == 2


def test_the_next_mail_says_how_many_were_not_mailed(mail_handler, mailoutbox, settings):
    settings.ERROR_MAIL_INTERVAL_MINUTES = 1 / 60
    for _ in range(13):
        mail_handler.emit(failed_request())
    time.sleep(1.1)
    mail_handler.emit(failed_request())
    assert len(mailoutbox) == 2
    assert "12 more like it" in mailoutbox[1].subject


def test_error_mail_is_still_limited_when_the_cache_is_down(mail_handler, mailoutbox, settings):
    settings.CACHES = {
        **settings.CACHES,  # With the fragments cache.
        "default": {
            "BACKEND": "pagecache.redis_cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        },
    }
    for _ in range(20):
        mail_handler.emit(failed_request())
    assert len(mailoutbox) == 1


def test_a_database_outage_mails_admins_once(mail_handler, mailoutbox, monkeypatch, make_post):
    make_post()
    request_log = logging.getLogger("django.request")
    monkeypatch.setattr(request_log, "handlers", [mail_handler])
    Database(monkeypatch).stop()
    reader = Client(raise_request_exception=False)
    assert {reader.get(path).status_code for path in ["/", "/search/?q=neck"] * 10} == {503}
    assert len(mailoutbox) == 1
