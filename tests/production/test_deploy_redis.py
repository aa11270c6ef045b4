"""deploy/redis-backandneck.conf, loaded by a real redis-server."""

import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

REDIS_CONF = Path(__file__).resolve().parents[2] / "deploy" / "redis-backandneck.conf"
REDIS_SERVER = shutil.which("redis-server")


def test_redis_is_a_bounded_cache_that_evicts_the_least_recently_used(tmp_path):
    if not REDIS_SERVER:
        pytest.skip("redis-server is not installed")
    import redis

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [REDIS_SERVER, str(REDIS_CONF), "--port", str(port), "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        client = redis.Redis(port=port, socket_connect_timeout=0.2)
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                assert process.poll() is None, process.stderr.read().decode()
                time.sleep(0.05)
        assert client.config_get("maxmemory")["maxmemory"] == str(512 * 1024 * 1024)
        assert client.config_get("maxmemory-policy")["maxmemory-policy"] == "allkeys-lru"
        assert client.config_get("save")["save"] == ""
    finally:
        process.terminate()
        process.wait(10)
