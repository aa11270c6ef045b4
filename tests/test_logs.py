import json
import logging
import sys

import pytest
from django.db import connection

from backandneck.logs import JsonFormatter

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
