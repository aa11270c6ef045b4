"""
Client-side timeouts for PostgreSQL, for a server that stops answering altogether.

statement_timeout (settings.py) is kept by the server: a server that is frozen (SIGSTOP, a
hung virtual machine, a network that drops packets) never sends the cancellation, libpq's
connect_timeout does not cover the queries on an open connection, and TCP keepalives are
answered by the server's kernel. A request then waited until gunicorn killed its worker, and
with every worker waiting even cached pages went unanswered.

So psycopg2 waits for the server through this callback (its "green" mode: psycopg2 then runs
every connection and query asynchronously and calls us instead of blocking in libpq), which
waits at most DATABASE_CONNECT_TIMEOUT while connecting and DATABASE_STATEMENT_TIMEOUT plus a
grace period per query; the server's own statement_timeout fires first whenever it can. Giving
up closes the connection (psycopg2 does so whenever the callback fails), and the reader gets the
503 page. Green mode does not support COPY or large objects; the site uses neither.

Once the server has failed to answer, this process does not wait on it again for a while: new
connections fail at once for RETRY_AFTER seconds, then the next attempt allows it QUICK seconds,
and Django's check of a reused connection at the start of a request (is_usable) allows QUICK
seconds too. A worker thus stays free for the pages that need no database (the page cache).
"""

import contextvars
import select
import time
from contextlib import contextmanager

from django.conf import settings
from django.db.backends.signals import connection_created

# The server's statement_timeout answers first, with a proper error, when the server is alive.
GRACE_SECONDS = 2
RETRY_AFTER = 2  # seconds without connection attempts after the server did not answer
QUICK = 2  # seconds: a health check, and a connection attempt after the server did not answer
# (a live server answers SELECT 1 in a millisecond; two seconds leaves room for a loaded one)

_limit = contextvars.ContextVar("database_time_limit", default=None)
_silent_since = None  # When the server last failed to answer this process, if it has not since.


@contextmanager
def time_limit(seconds):
    """Wait at most `seconds` for the server in this block (connecting or running statements)."""
    token = _limit.set(seconds)
    try:
        yield
    finally:
        _limit.reset(token)


def wait_within_timeouts(connection):
    """A psycopg2 wait callback (psycopg2.extensions.set_wait_callback)."""
    global _silent_since
    import psycopg2
    from psycopg2 import extensions

    connecting = connection.status == extensions.STATUS_SETUP
    if connecting:
        limit = settings.DATABASE_CONNECT_TIMEOUT
        if _silent_since is not None:
            if time.monotonic() - _silent_since < RETRY_AFTER:
                raise psycopg2.OperationalError("the database server did not answer a moment ago")
            limit = min(limit, QUICK)
    elif settings.DATABASE_STATEMENT_TIMEOUT:
        limit = settings.DATABASE_STATEMENT_TIMEOUT + GRACE_SECONDS
    else:
        limit = None  # No limit asked for.
    if _limit.get() is not None:
        limit = min(limit or _limit.get(), _limit.get())
    deadline = time.monotonic() + limit if limit else None
    while True:
        state = connection.poll()
        if state == extensions.POLL_OK:
            if connecting:
                _silent_since = None
            return
        if state not in (extensions.POLL_READ, extensions.POLL_WRITE):
            raise psycopg2.OperationalError(f"unexpected state from poll(): {state!r}")
        # A new poll object each time: libpq may switch sockets while connecting.
        poller = select.poll()
        poller.register(
            connection.fileno(), select.POLLIN if state == extensions.POLL_READ else select.POLLOUT
        )
        if deadline is None:
            poller.poll()
            continue
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not poller.poll(remaining * 1000):
            _silent_since = time.monotonic()
            raise psycopg2.OperationalError(
                f"the database server did not answer within {limit:g} s "
                f"({'connecting' if connecting else 'running a statement'})"
            )


def quick_health_checks(sender, connection, **kwargs):
    """connection_created receiver: Django's check of a reused connection waits QUICK at most."""
    if connection.vendor != "postgresql" or "is_usable" in vars(connection):
        return
    is_usable = connection.is_usable

    def is_usable_quickly():
        with time_limit(QUICK):
            return is_usable()

    connection.is_usable = is_usable_quickly


def install():
    """From AppConfig.ready, for PostgreSQL."""
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        from psycopg2 import extensions

        extensions.set_wait_callback(wait_within_timeouts)
        connection_created.connect(quick_health_checks, dispatch_uid="quick-health-checks")
