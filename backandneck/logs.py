"""
Structured logs: one JSON object per line on stdout, a line per request, and slow queries.

A log shipper (journald, Vector, a PaaS's log drain) can then filter on fields such as
`status` or `duration_ms` instead of parsing prose.
"""

import json
import logging
import time
from datetime import UTC, datetime

from django.conf import settings

request_logger = logging.getLogger("backandneck.requests")
query_logger = logging.getLogger("backandneck.db")

# Attributes every LogRecord has; anything else was passed in `extra=` and becomes a field.
_STANDARD_ATTRS = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}
# Django's request logger attaches the request and response objects; they are not data.
_SKIPPED_EXTRAS = {"request", "response", "server_time"}


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name, value in vars(record).items():
            if name not in _STANDARD_ATTRS and name not in _SKIPPED_EXTRAS:
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class RequestLogMiddleware:
    """One line per request: method, path, status, time taken and whether the page cache hit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        cache = getattr(response, "page_cache", None)
        log_request(request.method, request.path, response.status_code, started, cache)
        return response


def log_request(method, path, status, started, cache=None):
    duration_ms = round((time.perf_counter() - started) * 1000, 1)
    request_logger.info(
        "%s %s %s %sms",
        method,
        path,
        status,
        duration_ms,
        extra={
            "method": method,
            "path": path,
            "status": status,
            "duration_ms": duration_ms,
            "cache": cache,
        },
    )


def log_slow_queries(execute, sql, params, many, context):
    """A database execute wrapper (installed on every connection by apps.py)."""
    started = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        duration_ms = (time.perf_counter() - started) * 1000
        if duration_ms >= settings.SLOW_QUERY_MS:
            # The SQL without its parameters: they may hold an email address or a search.
            query_logger.warning(
                "Slow query (%.0f ms): %s",
                duration_ms,
                sql[:500],
                extra={"duration_ms": round(duration_ms, 1), "sql": sql[:2000]},
            )


def install_slow_query_log(sender, connection, **kwargs):
    """connection_created receiver: time every query this connection runs."""
    if log_slow_queries not in connection.execute_wrappers:
        connection.execute_wrappers.append(log_slow_queries)
