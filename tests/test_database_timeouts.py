"""A PostgreSQL server that stops answering (frozen, not down) must not hold a request for long."""

import contextlib
import socket
import threading
import time

import pytest
from django.db import OperationalError, connection, connections

from backandneck import database

pytestmark = pytest.mark.django_db


class FreezableProxy:
    """
    Passes bytes between clients and the real server until frozen; then holds them, as a
    SIGSTOPped server (or a network that drops packets) does: connections stay open, nothing
    comes back, and new connections are accepted but never greeted.
    """

    def __init__(self, host, port):
        self.upstream = (host, port)
        self.frozen = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets = [self.listener]
        self.upstream_ports = []
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            self.sockets.append(client)
            if self.frozen.is_set():
                continue
            server = socket.create_connection(self.upstream)
            self.sockets.append(server)
            self.upstream_ports.append(server.getsockname()[1])
            threading.Thread(target=self.pump, args=(client, server), daemon=True).start()
            threading.Thread(target=self.pump, args=(server, client), daemon=True).start()

    def pump(self, source, target):
        while True:
            try:
                data = source.recv(65536)
            except OSError:
                return
            if not data:
                return
            while self.frozen.is_set():
                time.sleep(0.05)
            try:
                target.sendall(data)
            except OSError:
                return

    def close(self):
        self.frozen.clear()
        for sock in self.sockets:
            # shutdown() first: close() alone leaves a socket open while a thread reads it.
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        # The test database is dropped at the end: wait until its sessions through us are gone.
        deadline = time.monotonic() + 5
        with connection.cursor() as cursor:
            while time.monotonic() < deadline:
                cursor.execute("SELECT pg_stat_clear_snapshot()")  # Else fixed per transaction.
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE client_port = ANY(%s)",
                    [self.upstream_ports],
                )
                if cursor.fetchone()[0] == 0:
                    return
                time.sleep(0.05)


def answer_once(monkeypatch):
    """Connect to the live server at once: afterwards the process knows the server answers."""
    if connection.vendor != "postgresql":
        return  # The connection waits are psycopg's (backandneck/database.py).
    with monkeypatch.context() as patch:
        patch.setattr(database, "RETRY_AFTER", 0)
        fresh = type(connections["default"])(dict(connection.settings_dict), alias="fresh")
        fresh.ensure_connection()
        fresh.close()


@pytest.fixture(autouse=True)
def _server_answered(monkeypatch):
    """A server that did not answer makes this process wait before it tries again; each test
    starts, and leaves the next one, with a server that has just answered."""
    answer_once(monkeypatch)
    yield
    answer_once(monkeypatch)


@pytest.fixture
def proxy():
    if connection.vendor != "postgresql":
        pytest.skip("the client-side timeouts are PostgreSQL's (backandneck/database.py)")
    settings_dict = connection.settings_dict
    proxy = FreezableProxy(settings_dict["HOST"] or "127.0.0.1", int(settings_dict["PORT"] or 5432))
    yield proxy
    proxy.close()


@pytest.fixture
def through(proxy):
    """A new connection to the test database, through the proxy."""
    opened = []

    def through():
        settings_dict = {**connection.settings_dict, "HOST": "127.0.0.1", "PORT": proxy.port}
        wrapper = type(connections["default"])(settings_dict, alias="through-proxy")
        opened.append(wrapper)
        return wrapper

    yield through
    for wrapper in opened:
        wrapper.close()


def run(database, sql="SELECT 1"):
    with database.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def test_a_query_on_a_frozen_server_gives_up_after_the_statement_timeout(proxy, through, settings):
    settings.DATABASE_STATEMENT_TIMEOUT = 1
    database = through()
    assert run(database) == 1
    proxy.frozen.set()
    started = time.monotonic()
    with pytest.raises(OperationalError, match="did not answer"):
        run(database)
    assert time.monotonic() - started < 1 + 2 + 1  # The timeout, the grace period, slack.


def test_connecting_to_a_frozen_server_gives_up_after_the_connect_timeout(proxy, through, settings):
    settings.DATABASE_CONNECT_TIMEOUT = 1
    proxy.frozen.set()
    started = time.monotonic()
    with pytest.raises(OperationalError, match="did not answer"):
        run(through())
    assert time.monotonic() - started < 2


def test_a_thawed_server_is_used_again_without_a_restart(proxy, through, settings):
    settings.DATABASE_STATEMENT_TIMEOUT = 1
    database_ = through()
    assert run(database_) == 1
    proxy.frozen.set()
    with pytest.raises(OperationalError):
        run(database_)
    proxy.frozen.clear()
    database_.close_if_unusable_or_obsolete()  # What Django does at the end of each request.
    time.sleep(database.RETRY_AFTER)
    assert run(database_) == 1


def test_the_server_still_cancels_slow_statements_itself(settings):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's statement_timeout")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 200")
        with pytest.raises(OperationalError, match="statement timeout"):
            cursor.execute("SELECT pg_sleep(2)")


def test_after_the_server_did_not_answer_new_connections_fail_at_once_then_retry_quickly(
    proxy, through, settings, monkeypatch
):
    settings.DATABASE_CONNECT_TIMEOUT = 5
    proxy.frozen.set()
    with database.time_limit(0.5), pytest.raises(OperationalError):
        run(through())
    started = time.monotonic()
    with pytest.raises(OperationalError, match="a moment ago"):
        run(through())
    assert time.monotonic() - started < 0.2
    monkeypatch.setattr(database, "RETRY_AFTER", 0)  # The pause is over.
    started = time.monotonic()
    with pytest.raises(OperationalError, match=f"within {database.QUICK} s"):
        run(through())
    assert time.monotonic() - started < database.QUICK + 0.5
    proxy.frozen.clear()
    assert run(through()) == 1


def test_django_checks_a_reused_connection_to_a_frozen_server_quickly(proxy, through, settings):
    settings.DATABASE_STATEMENT_TIMEOUT = 10
    database_ = through()
    assert run(database_) == 1
    proxy.frozen.set()
    started = time.monotonic()
    assert database_.is_usable() is False
    assert time.monotonic() - started < database.QUICK + 0.5


def test_healthz_answers_within_two_seconds_when_the_server_is_frozen(proxy, settings, monkeypatch):
    settings_dict = {**connection.settings_dict, "HOST": "127.0.0.1", "PORT": proxy.port}
    frozen = type(connections["default"])(settings_dict, alias="default")
    monkeypatch.setattr("backandneck.health.connection", frozen)
    from backandneck.health import database_status

    assert database_status() == "ok"
    proxy.frozen.set()
    started = time.monotonic()
    assert database_status() == "unavailable"
    assert time.monotonic() - started < database.QUICK + 0.5
    frozen.close()
