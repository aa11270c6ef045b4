"""
Fault run: under traffic, PostgreSQL stops and comes back, PostgreSQL freezes (SIGSTOP) and
thaws, Redis stops and comes back. Readers must never get a 500 or a dropped connection; pages
in the page cache must be served throughout; pages that need the database get the friendly 503
only while it is gone; and the site must answer 200 again within 5 s by itself, without
restarting gunicorn. Then the newsletter sender is killed (SIGKILL) mid-send, again and again,
and started afresh each time: every subscriber must get the issue, at most one of them twice per
kill (the message on the wire when the sender died).

    python bench/fault.py
    python bench/fault.py --down 15 --faults db-freeze
    python bench/fault.py --faults sender-kill --kills 5

Nothing shared is touched: the script starts its own PostgreSQL server (initdb in a temporary
folder, run as the `postgres` user) and its own Redis (no persistence), on 127.0.0.1 ports of
their own (BENCH_FAULT_PG_PORT, BENCH_FAULT_REDIS_PORT; gunicorn on BENCH_PORT), breaks and
mends only those, and removes them at the end. Needs root (to run PostgreSQL as `postgres`),
Debian's postgresql package and redis-server.
"""

import argparse
import contextlib
import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import server  # noqa: E402


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


PORT = int(os.environ.get("BENCH_FAULT_PG_PORT") or free_port())
REDIS_PORT = int(os.environ.get("BENCH_FAULT_REDIS_PORT") or free_port())
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
    """A PostgreSQL server of our own; yields its faults: stop, start, freeze, thaw."""
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

    def processes():
        """The postmaster and every server process it started (connections included)."""
        postmaster = (data / "postmaster.pid").read_text().split()[0]
        children = subprocess.run(["pgrep", "-P", postmaster], capture_output=True, text=True)
        return [int(postmaster), *map(int, children.stdout.split())]

    def freeze():
        for pid in processes():
            os.kill(pid, signal.SIGSTOP)

    def thaw():
        for pid in processes():
            os.kill(pid, signal.SIGCONT)

    try:
        start()
        yield {"stop": stop, "start": start, "freeze": freeze, "thaw": thaw}
    finally:
        with contextlib.suppress(Exception):
            thaw()
        subprocess.run(
            ["runuser", "-u", "postgres", "--", pg_bin("pg_ctl"), "-D", data, "-m", "immediate",
             "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def own_redis():
    """A Redis server of our own, without persistence; yields its faults: stop, start."""
    redis_server = shutil.which("redis-server")
    if not redis_server:
        sys.exit("redis-server not found: apt-get install redis-server")
    folder = Path(tempfile.mkdtemp(prefix="bn-fault-redis-"))
    process = None

    def start():
        nonlocal process
        process = subprocess.Popen(
            [redis_server, "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(folder)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", REDIS_PORT)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop():
        process.terminate()
        process.wait()

    try:
        start()
        yield {"stop": stop, "start": start}
    finally:
        if process and process.poll() is None:
            stop()
        shutil.rmtree(folder, ignore_errors=True)


# What readers ask for. "cached": pages in the page cache (visited before the faults); "fresh":
# the same pages for a reader with a cookie that bypasses the page cache, so every one is
# rendered from the database; "health": the load balancer's check.
PATHS = ["/", "/articles/?page=3", "/feed/"]
BYPASS = {"Cookie": "messages=bench"}


def fetch(url, headers):
    """(status, body) of a GET, without raising on 4xx/5xx."""
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def traffic(base, kind, answers, stop_event):
    """Request in turn until told to stop; record (kind, start, end, status, as expected?)."""
    paths = ["/healthz"] if kind == "health" else PATHS
    headers = BYPASS if kind == "fresh" else {}
    n = 0
    while not stop_event.is_set():
        path = paths[n % len(paths)]
        n += 1
        started = time.monotonic()
        try:
            status, body = fetch(base + path, headers)
        except OSError as error:  # A dropped or refused connection: never acceptable.
            answers.append((kind, started, time.monotonic(), type(error).__name__, False))
            continue
        if kind == "health":  # For machines: JSON that says what is down.
            expected = status == 200 or b'"unavailable"' in body
        else:
            expected = status == 200 or FRIENDLY in body.decode().lower()
        answers.append((kind, started, time.monotonic(), status, expected))
        time.sleep(0.01)


FAULTS = {
    # name: (service, break, mend, what the database-backed pages may answer meanwhile)
    "db-stop": ("postgres", "stop", "start", {200, 503}),
    "db-freeze": ("postgres", "freeze", "thaw", {200, 503}),
    "redis-stop": ("redis", "stop", "start", {200}),
}
READERS = ["cached", "cached", "fresh", "health"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--down", type=float, default=10, help="seconds each fault lasts")
    parser.add_argument(
        "--faults", nargs="+", choices=[*FAULTS, "sender-kill"], default=[*FAULTS, "sender-kill"]
    )
    parser.add_argument("--kills", type=int, default=3, help="sender kills in sender-kill")
    parser.add_argument("--subscribers", type=int, default=3000, help="for sender-kill")
    parser.add_argument("--child-send", type=int, metavar="SMTP_PORT", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_send:
        return child_send(args.child_send)
    if os.geteuid() != 0:
        sys.exit("bench/fault.py runs PostgreSQL as the postgres user and needs root")
    server.clean_up_on_sigterm()

    database_url = f"postgres://postgres@127.0.0.1:{PORT}/bn_fault"
    redis_url = f"redis://127.0.0.1:{REDIS_PORT}/0"
    with (
        own_postgres() as postgres,
        own_redis() as redis,
        tempfile.TemporaryDirectory(prefix="bn-fault-") as tmp,
    ):
        services = {"postgres": postgres, "redis": redis}
        subprocess.run(["createdb", "-h", "127.0.0.1", "-p", str(PORT), "-U", "postgres",
                        "bn_fault"], check=True)  # fmt: skip
        env = server.production_env(database_url, LOG_LEVEL="WARNING")
        print("Preparing the database: migrations, 200 articles…", flush=True)
        server.run([server.BIN / "python", "manage.py", "migrate", "--no-input", "-v0"], env)
        server.run([server.BIN / "python", "bench/content.py", "200"], env,
                   stdout=subprocess.DEVNULL)  # fmt: skip
        with server.collected_static() as static_root:
            env = server.production_env(
                database_url, STATIC_ROOT=str(static_root), REDIS_URL=redis_url
            )
            log = Path(tmp) / "gunicorn.log"
            results = []
            with server.gunicorn(env, log, "backandneck.wsgi") as base:
                for name in [name for name in args.faults if name in FAULTS]:
                    service, breaks, mends, allowed = FAULTS[name]
                    for path in PATHS:  # Into the page cache (again, after a Redis restart).
                        fetch(base + path, {})
                    answers, stop_event = [], threading.Event()
                    readers = [
                        threading.Thread(target=traffic, args=(base, kind, answers, stop_event))
                        for kind in READERS
                    ]
                    for reader in readers:
                        reader.start()
                    time.sleep(5)
                    print(f"{name}: {breaks} {service} for {args.down:g} s…", flush=True)
                    breaking_at = time.monotonic()
                    services[service][breaks]()
                    broken_at = time.monotonic()
                    time.sleep(args.down)
                    mending_at = time.monotonic()
                    services[service][mends]()
                    mended_at = time.monotonic()
                    time.sleep(10)
                    stop_event.set()
                    for reader in readers:
                        reader.join()
                    results.append(
                        report(
                            name, answers, (breaking_at, broken_at), (mending_at, mended_at),
                            allowed,
                        )
                    )  # fmt: skip
            if "sender-kill" in args.faults:
                results.append(sender_kill(env, args.kills, args.subscribers))
            return 0 if all(results) else 1


def percentile(values, share):
    values = sorted(values)
    return values[min(len(values) - 1, int(share * len(values)))] if values else float("nan")


def report(name, answers, breaking, mending, allowed):
    """
    Phases by request: before = done before the fault began, during = begun once it was in
    place and done before it was mended, after = begun once it was mended. Requests that
    overlapped the fault's start or end are judged only by "never a 500".
    """
    (breaking_at, broken_at), (mending_at, mended_at) = breaking, mending

    def phase(kind, when):
        rows = [a[1:] for a in answers if a[0] == kind]
        phases = {
            "before": [r for r in rows if r[1] < breaking_at],
            "during": [r for r in rows if r[0] >= broken_at and r[1] < mending_at],
            "after": [r for r in rows if r[0] >= mended_at],
        }
        phases["across"] = [r for r in rows if not any(r in p for p in phases.values())]
        return phases[when]

    def summary(rows):
        counts = {}
        for _, _, status, expected in rows:
            label = f"{status} friendly" if status == 503 and expected else str(status)
            counts[label] = counts.get(label, 0) + 1
        return ", ".join(f"{n} × {label}" for label, n in sorted(counts.items())) or "none"

    def latency(rows):
        times = [(end - start) * 1000 for start, end, _, _ in rows]
        return f"p50 {percentile(times, 0.5):.0f} ms, p99 {percentile(times, 0.99):.0f} ms, " + (
            f"max {max(times):.0f} ms" if times else "max –"
        )

    print(f"\n{name}")
    for kind in ("cached", "fresh", "health"):
        for when in ("before", "during", "across", "after"):
            rows = phase(kind, when)
            print(f"  {kind:7} {when:7} {summary(rows)}; {latency(rows)}")
    fresh_after = phase("fresh", "after")
    first_ok = next((start for start, _, status, _ in fresh_after if status == 200), None)
    after = [a[1:] for a in answers if a[1] >= mended_at]
    # Recovered: from then on, every answer (every worker, every kind of page) is a 200.
    last_failure = max((end for _, end, status, _ in after if status != 200), default=mended_at)
    recovered_in = last_failure - mended_at if first_ok else None
    if first_ok is not None:
        print(f"  first fresh 200 after the repair: {first_ok - mended_at:.2f} s")
    if recovered_in is not None:
        print(f"  every answer 200 from: {recovered_in:.2f} s after the repair")
    checks = {
        "never a 500 or a dropped connection": all(
            status in (200, 503) and expected for _, _, _, status, expected in answers
        ),
        "cached pages: 200 throughout": all(
            status == 200 for _, _, _, status, _ in (a for a in answers if a[0] == "cached")
        ),
        "fresh pages while broken: " + " or ".join(map(str, sorted(allowed))): all(
            status in allowed for _, _, status, _ in phase("fresh", "during")
        ),
        "recovered within 5 s, no restart": recovered_in is not None and recovered_in < 5,
    }
    for check, passed in checks.items():
        print(f"  {'PASS' if passed else 'FAIL'}: {check}")
    return all(checks.values())


# The sender, killed ---------------------------------------------------------------------------

# The sender's lease is shortened for this run only, so the deliveries a killed sender held come
# back in seconds rather than the real 10 minutes (newsletter/sending.py).
BENCH_LEASE_SECONDS, BENCH_LEASE_MARGIN_SECONDS = 12, 4


def sender_kill(env, kills, subscribers):
    """Send an issue to `subscribers`, killing the sender `kills` times; True when nobody was
    missed and no kill cost more than one duplicate."""
    newsletter_bench = [server.BIN / "python", "bench/newsletter.py", "--child"]
    env = {**env, "EMAIL_HOST": "127.0.0.1", "EMAIL_USE_TLS": "0", "LOG_LEVEL": "WARNING"}
    server.run([*newsletter_bench, "setup", "--size", str(subscribers)], env)
    sink = subprocess.Popen(
        [*newsletter_bench, "sink"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        cwd=server.ROOT,
    )  # fmt: skip
    try:
        port = int(sink.stdout.readline())
        print(f"sender-kill: {subscribers} subscribers, {kills} kills…", flush=True)
        started = time.monotonic()
        send = [server.BIN / "python", __file__, "--child-send", str(port)]
        for kill in range(kills):
            # Kill at evenly spread points of the send, while a message is going out.
            target = subscribers * (kill + 1) // (kills + 1)
            sender = subprocess.Popen(send, env=env, cwd=server.ROOT, stdout=subprocess.DEVNULL)
            while sink_stats(sink)["total"] < target and sender.poll() is None:
                time.sleep(0.02)
            sender.send_signal(signal.SIGKILL)
            sender.wait()
        # Started again until the issue is sent: the dead senders' claims come back when their
        # leases run out.
        rounds = 0
        while True:
            rounds += 1
            output = subprocess.run(
                send, env=env, cwd=server.ROOT, check=True, capture_output=True, text=True
            ).stdout
            if output.strip().endswith("sent"):
                break
            time.sleep(2)
        seconds = time.monotonic() - started
        stats = sink_stats(sink)
    finally:
        sink.stdin.close()
        sink.wait(timeout=30)
    lost = subscribers - stats["unique"]
    duplicates = stats["total"] - stats["unique"]
    ok = lost == 0 and duplicates <= kills
    print(
        f"  {'ok' if ok else 'FAILED'}: {stats['unique']} of {subscribers} subscribers got the "
        f"issue ({lost} lost), {duplicates} duplicate(s) for {kills} kill(s); "
        f"{seconds:.0f} s in all, {rounds} sender run(s) after the last kill",
        flush=True,
    )
    return ok


def sink_stats(sink):
    sink.stdin.write("stats\n")
    sink.stdin.flush()
    return json.loads(sink.stdout.readline())


def child_send(port):
    """One sender process: send what is due of the issue, then say whether it is all sent."""
    from datetime import timedelta

    os.environ["EMAIL_PORT"] = str(port)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backandneck.settings")
    import django

    django.setup()
    from newsletter import sending
    from newsletter.models import Issue

    sending.LEASE = timedelta(seconds=BENCH_LEASE_SECONDS)
    sending.LEASE_MARGIN = timedelta(seconds=BENCH_LEASE_MARGIN_SECONDS)
    issue = Issue.objects.get()
    if issue.status == Issue.Status.DRAFT:
        issue.start_sending()
    sending.send_issue(issue)
    left = issue.deliveries.filter(status__in=["pending", "sending"]).exists()
    print("sending" if left else "sent")
    return 0


if __name__ == "__main__":
    sys.exit(main())
