"""
Fault run: PostgreSQL stops during traffic and comes back. While it is down readers must get
the friendly 503 page (never a 500 or a dropped connection); once it is back the site must
answer 200 again by itself, without restarting gunicorn.

    python bench/fault.py
    python bench/fault.py --down 15

Nothing shared is touched: the script starts its own PostgreSQL server (initdb in a temporary
folder, a free port on 127.0.0.1, run as the `postgres` user), stops and restarts only that one,
and removes it at the end. The page cache is off so that every request needs the database.
Needs root (to run PostgreSQL as `postgres`) and Debian's postgresql package.
"""

import argparse
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import server  # noqa: E402


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


PORT = int(os.environ.get("BENCH_FAULT_PG_PORT") or free_port())
FRIENDLY = "be back in a moment"


def pg_bin(name):
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        sys.exit(f"{name} not found: apt-get install postgresql")
    return found[-1]


def as_postgres(*args):
    subprocess.run(
        ["runuser", "-u", "postgres", "--", *map(str, args)],
        check=True,
        stdout=subprocess.DEVNULL,
    )


@contextmanager
def own_postgres():
    """A PostgreSQL server of our own; yields (start, stop) for it."""
    folder = Path(tempfile.mkdtemp(prefix="bn-fault-pg-"))
    shutil.chown(folder, "postgres", "postgres")
    data = folder / "data"
    as_postgres(pg_bin("initdb"), "-D", data, "-A", "trust", "-U", "postgres", "--no-sync")
    options = f"-p {PORT} -c listen_addresses=127.0.0.1 -k {folder} -c fsync=off"

    def start():
        as_postgres(
            pg_bin("pg_ctl"), "-D", data, "-o", options, "-l", folder / "log", "-w", "start"
        )

    def stop():
        as_postgres(pg_bin("pg_ctl"), "-D", data, "-m", "fast", "-w", "stop")

    try:
        start()
        yield start, stop
    finally:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", pg_bin("pg_ctl"), "-D", data, "-m", "immediate",
             "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)


def traffic(base, paths, answers, stop_event):
    """Request the paths in turn until told to stop; record (start, end, status, as expected?)."""
    n = 0
    while not stop_event.is_set():
        path = paths[n % len(paths)]
        n += 1
        started = time.monotonic()
        try:
            status, body = server.fetch(base + path)
        except OSError as error:  # A dropped or refused connection: never acceptable.
            answers.append((started, time.monotonic(), type(error).__name__, False))
            continue
        if path == "/healthz":  # For machines: JSON that says what is down.
            expected = status == 200 or b'"database": "unavailable"' in body
        else:
            expected = status == 200 or FRIENDLY in body.decode().lower()
        answers.append((started, time.monotonic(), status, expected))
        time.sleep(0.01)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--down", type=float, default=10, help="seconds PostgreSQL stays down")
    parser.add_argument("--readers", type=int, default=4)
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        sys.exit("bench/fault.py runs PostgreSQL as the postgres user and needs root")
    server.clean_up_on_sigterm()

    database_url = f"postgres://postgres@127.0.0.1:{PORT}/bn_fault"
    with (
        own_postgres() as (start_postgres, stop_postgres),
        tempfile.TemporaryDirectory(prefix="bn-fault-") as tmp,
    ):
        subprocess.run(["createdb", "-h", "127.0.0.1", "-p", str(PORT), "-U", "postgres",
                        "bn_fault"], check=True)  # fmt: skip
        env = server.production_env(database_url, LOG_LEVEL="WARNING")
        print("Preparing the database: migrations, 200 articles…", flush=True)
        server.run([server.BIN / "python", "manage.py", "migrate", "--no-input", "-v0"], env)
        server.run([server.BIN / "python", "bench/content.py", "200"], env,
                   stdout=subprocess.DEVNULL)  # fmt: skip
        with server.collected_static() as static_root:
            env = server.production_env(
                database_url, STATIC_ROOT=str(static_root), PAGE_CACHE_SECONDS="0"
            )
            log = Path(tmp) / "gunicorn.log"
            with server.gunicorn(env, log, "backandneck.wsgi") as base:
                paths = ["/", "/articles/?page=3", "/feed/", "/healthz"]
                answers, stop_event = [], threading.Event()
                readers = [
                    threading.Thread(target=traffic, args=(base, paths, answers, stop_event))
                    for _ in range(args.readers)
                ]
                for reader in readers:
                    reader.start()
                time.sleep(5)
                print(f"Stopping PostgreSQL for {args.down:.0f} s…", flush=True)
                stopping_at = time.monotonic()
                stop_postgres()
                down_at = time.monotonic()
                time.sleep(args.down)
                starting_at = time.monotonic()
                start_postgres()
                up_at = time.monotonic()
                print("PostgreSQL is back.", flush=True)
                time.sleep(15)
                stop_event.set()
                for reader in readers:
                    reader.join()
            return report(answers, (stopping_at, down_at), (starting_at, up_at))


def report(answers, stopping, starting):
    """
    Phases by request: before = done before the stop began, down = begun once PostgreSQL was
    down and done before it was started again, after = begun once it was back. Requests that
    overlapped a stop or start may go either way; they are judged only by "never a 500".
    """
    (stopping_at, down_at), (starting_at, up_at) = stopping, starting
    before = [a[1:] for a in answers if a[1] < stopping_at]
    during = [a[1:] for a in answers if a[0] >= down_at and a[1] < starting_at]
    after = [a[1:] for a in answers if a[0] >= up_at]
    overlapping = [a[1:] for a in answers if not (a[1] < stopping_at or a[0] >= up_at)]
    overlapping = [a for a in overlapping if a not in during]
    first_ok = next((t for t, status, _ in after if status == 200), None)
    recovered_in = first_ok - up_at if first_ok else None
    settled = [a for a in after if first_ok and a[0] > first_ok + 1]

    def summary(phase):
        counts = {}
        for _, status, expected in phase:
            label = (
                f"{status} (friendly page or health JSON)"
                if status == 503 and expected
                else str(status)
            )
            counts[label] = counts.get(label, 0) + 1
        return ", ".join(f"{label}: {n}" for label, n in sorted(counts.items())) or "none"

    print(f"\nBefore the stop: {summary(before)}")
    print(f"While down:      {summary(during)}")
    print(f"After the start: {summary(after)}")
    print(f"Across a stop or start: {summary(overlapping)}")
    if recovered_in is not None:
        print(f"First 200 after PostgreSQL was back: {recovered_in:.2f} s")
    checks = {
        "all 200 before the stop": all(status == 200 for _, status, _ in before),
        "only the friendly 503 while down": bool(during)
        and all(status == 503 and expected for _, status, expected in during),
        "never a 500 or a dropped connection": all(
            status in (200, 503) for _, _, status, _ in answers
        ),
        "recovered within 5 s, no restart": recovered_in is not None and recovered_in < 5,
        "all 200 once recovered": bool(settled) and all(status == 200 for _, status, _ in settled),
    }
    for check, passed in checks.items():
        print(f"{'PASS' if passed else 'FAIL'}: {check}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
