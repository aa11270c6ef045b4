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
"""

import select
import time

from django.conf import settings

# The server's statement_timeout answers first, with a proper error, when the server is alive.
GRACE_SECONDS = 2


def wait_within_timeouts(connection):
    """A psycopg2 wait callback (psycopg2.extensions.set_wait_callback)."""
    import psycopg2
    from psycopg2 import extensions

    connecting = connection.status == extensions.STATUS_SETUP
    if connecting:
        limit = settings.DATABASE_CONNECT_TIMEOUT
    elif settings.DATABASE_STATEMENT_TIMEOUT:
        limit = settings.DATABASE_STATEMENT_TIMEOUT + GRACE_SECONDS
    else:
        limit = None  # No limit asked for.
    deadline = time.monotonic() + limit if limit else None
    while True:
        state = connection.poll()
        if state == extensions.POLL_OK:
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
            raise psycopg2.OperationalError(
                f"the database server did not answer within {limit:g} s "
                f"({'connecting' if connecting else 'running a statement'})"
            )


def install():
    """From AppConfig.ready, for PostgreSQL."""
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        from psycopg2 import extensions

        extensions.set_wait_callback(wait_within_timeouts)
