"""deploy/gunicorn.conf.py, run by a real gunicorn (with the standard library's demo app)."""

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def gunicorn():
    port = free_port()
    environment = {**os.environ, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py",
         "wsgiref.simple_server:demo_app"],
        cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                assert process.poll() is None, process.stderr.read().decode()
                time.sleep(0.05)
        yield port
    finally:
        process.terminate()
        process.wait(10)


def test_gunicorn_does_not_name_itself(gunicorn):
    connection = http.client.HTTPConnection("127.0.0.1", gunicorn, timeout=5)
    connection.request("GET", "/")
    response = connection.getresponse()
    response.read()
    assert response.status == 200
    assert response.getheader("Server") == "backandneck"
    assert "gunicorn" not in str(response.headers).lower()
