"""
Structured logs: one JSON object per line on stdout, a line per request, and slow queries.

A log shipper (journald, Vector, a PaaS's log drain) can then filter on fields such as
`status` or `duration_ms` instead of parsing prose.
"""

import hashlib
import json
import logging
import threading
import time
import traceback
from copy import copy
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.utils.log import AdminEmailHandler

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


class ThrottledAdminEmailHandler(AdminEmailHandler):
    """
    Mails ADMINS at most once every ERROR_MAIL_INTERVAL_MINUTES for each kind of error (the
    exception's type and the line that raised it, or for a message without one the line that
    logged it), and says in the next mail of that kind how many were not mailed meanwhile.
    During an outage every request fails the same way: one mail says so, not hundreds.

    Counted in the cache, so with Redis all processes share the count; when the cache fails,
    each process counts for itself. The log keeps every error either way.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.local = {}  # error kind: [may mail again at (monotonic), not mailed since]
        self.lock = threading.Lock()

    def emit(self, record):
        if not settings.ADMINS:
            return
        key = error_kind(record)
        try:
            send, held_back = self.claim_shared(key)
        except Exception:  # Cache down (or anything else): never lose the mail for it.
            send, held_back = self.claim_local(key)
        if not send:
            return
        if held_back:
            record = copy(record)
            record.msg = f"{record.msg} [and {held_back} more like it since the last mail]"
        super().emit(record)

    def interval(self):
        return max(1, round(settings.ERROR_MAIL_INTERVAL_MINUTES * 60))

    def claim_shared(self, key):
        """(may this error be mailed now, how many of its kind were not mailed since)."""
        mailed, held_back = f"errormail:{key}", f"errormail:{key}:held-back"
        if cache.add(mailed, 1, self.interval()):
            count = cache.get(held_back, 0)
            cache.delete(held_back)
            return True, count
        cache.add(held_back, 0, 24 * 60 * 60)
        try:
            cache.incr(held_back)
        except ValueError:  # Taken by a mail that went out just now.
            cache.set(held_back, 1, 24 * 60 * 60)
        return False, 0

    def claim_local(self, key):
        now = time.monotonic()
        with self.lock:
            entry = self.local.setdefault(key, [0.0, 0])
            if now < entry[0]:
                entry[1] += 1
                return False, 0
            held_back, entry[:] = entry[1], [now + self.interval(), 0]
            return True, held_back


def error_kind(record):
    if record.exc_info and record.exc_info[0]:
        kind, _, trace = record.exc_info
        frames = traceback.extract_tb(trace)
        where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else ""
        what = f"{kind.__module__}.{kind.__qualname__}"
    else:
        what, where = str(record.msg), f"{record.pathname}:{record.lineno}"
    return hashlib.sha256(f"{what}|{where}".encode()).hexdigest()[:32]


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
