"""
The site as production runs it, for the benchmarks: a throwaway PostgreSQL database filled with
generated articles, collected static files, and gunicorn with production settings on 127.0.0.1.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/bn_bench_pages"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
PORT = int(os.environ.get("BENCH_PORT", "8155"))
WORKERS = 2


def clean_up_on_sigterm():
    """Let `finally` blocks drop the database and stop gunicorn when the run is stopped."""
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))


def production_env(database_url, **extra):
    """Production settings (DEBUG off, persistent connections), served on 127.0.0.1."""
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="backandneck.settings",
        SECRET_KEY="bench-" + "x" * 50,
        SITE_URL=f"http://127.0.0.1:{PORT}",
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url,
        PYTHONPATH=str(ROOT),
        LOG_LEVEL=env.get("LOG_LEVEL", "INFO"),
    )
    env.update(extra)
    return env


def run(args, env, **kwargs):
    subprocess.run(args, cwd=ROOT, env=env, check=True, **kwargs)


def _psql(database_url, sql):
    parts = urlsplit(database_url)
    maintenance = parts._replace(path="/postgres").geturl()
    subprocess.run(["psql", maintenance, "-qc", sql], check=True, stdout=subprocess.DEVNULL)


@contextmanager
def site_database(posts=2000):
    """A new PostgreSQL database with the demo site and `posts` articles; dropped afterwards."""
    name = urlsplit(POSTGRES_URL).path.lstrip("/")
    _psql(POSTGRES_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _psql(POSTGRES_URL, f'CREATE DATABASE "{name}"')
    try:
        env = production_env(POSTGRES_URL, LOG_LEVEL="WARNING")
        print(f"Preparing {name}: migrations, {posts} articles…", flush=True)
        run([BIN / "python", "manage.py", "migrate", "--no-input", "-v0"], env)
        run([BIN / "python", "bench/content.py", str(posts)], env, stdout=subprocess.DEVNULL)
        # What autovacuum does on a live site soon after a bulk load: planner statistics and
        # the visibility map (index scans can then skip reading rows).
        subprocess.run(["psql", POSTGRES_URL, "-qc", "VACUUM ANALYZE"], check=True)
        yield POSTGRES_URL
    finally:
        _psql(POSTGRES_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def collected_static():
    static_root = Path(tempfile.mkdtemp(prefix="bn-bench-static-"))
    env = production_env(POSTGRES_URL, STATIC_ROOT=str(static_root))
    run([BIN / "python", "manage.py", "collectstatic", "--no-input", "-v0"], env)
    try:
        yield static_root
    finally:
        shutil.rmtree(static_root, ignore_errors=True)


@contextmanager
def gunicorn(env, log_path, app="bench.ceiling:application"):
    """gunicorn with deploy/gunicorn.conf.py and 2 workers on 127.0.0.1:PORT, serving `app`."""
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", PORT)) == 0:
            raise RuntimeError(f"Port {PORT} is taken; set BENCH_PORT to a free one")
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [
                BIN / "gunicorn",
                "--config",
                "deploy/gunicorn.conf.py",
                "--workers",
                str(WORKERS),
                "--bind",
                f"127.0.0.1:{PORT}",
                app,
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
    try:
        wait_until_up(f"http://127.0.0.1:{PORT}/healthz", process)
        yield f"http://127.0.0.1:{PORT}"
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until_up(url, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}; see its log")
        try:
            with urllib.request.urlopen(url, timeout=10):
                return
        except OSError:  # Refused, reset or timed out while the workers boot.
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def fetch(url):
    """(status, body) of a GET, without raising on 4xx/5xx."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def clear_redis_prefix(prefix):
    """Delete only the keys this run wrote: the Redis database may be shared."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)
