"""
Newsletter sending benchmark: messages per second and peak memory of the real sender
(`newsletter.sending`) against plain smtplib pushing one pre-rendered message.

    python bench/newsletter.py [--sizes 10000,100000]

Needs PostgreSQL on 127.0.0.1:5432 (user postgres). It creates and drops a throwaway database
(bn_newsletter_bench, or the name in BENCH_DATABASE). The SMTP sink (aiosmtpd) runs in its own
process on 127.0.0.1 on a port the system picks; each measured side runs in its own process too,
so its peak memory (ru_maxrss, from wait4) is its own. Results: docs/benchmarks.md, section
"Newsletter".
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE = os.environ.get("BENCH_DATABASE", "bn_newsletter_bench")
PG = "postgres://postgres@127.0.0.1:5432"
FROM = "hello@backandneck.com"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default="10000,100000", help="subscriber counts, comma-separated"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return CHILDREN[args.child](args)

    sizes = [int(size) for size in args.sizes.split(",")]
    env = _env()
    _recreate_database()
    try:
        _run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"], env)
        sink = subprocess.Popen(
            [sys.executable, __file__, "--child", "sink"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        try:
            port = int(sink.stdout.readline())
            rows = [_measure(size, port, env, sink) for size in sizes]
        finally:
            sink.stdin.close()
            sink.wait(timeout=30)
    finally:
        _drop_database()
    _report(rows)
    return 0


def _measure(size, port, env, sink):
    _run([sys.executable, __file__, "--child", "setup", "--size", str(size)], env)
    # The machine may be shared, and its load changes over minutes: the baseline runs right
    # before and right after the sender, and the sender is compared with both together.
    before = _child("baseline", size, port, env)
    pushed_before = _sink_count(sink)
    sender = _child("send", size, port, env)
    sent = _sink_count(sink)
    after = _child("baseline", size, port, env)
    pushed_after = _sink_count(sink)
    if not pushed_before == sent == pushed_after == size:
        raise SystemExit(
            f"Sink counted {pushed_before}, {sent} (sender) and {pushed_after}, expected {size}"
        )
    seconds = before["seconds"] + after["seconds"]
    baseline = {
        "rate": 2 * size / seconds,
        "seconds": seconds / 2,
        "rates": [before["rate"], after["rate"]],
        "peak_mb": max(before["peak_mb"], after["peak_mb"]),
    }
    return {"size": size, "sender": sender, "baseline": baseline}


def _child(kind, size, port, env):
    """Run one measured side in its own process; its peak RSS comes from wait4."""
    process = subprocess.Popen(
        [sys.executable, __file__, "--child", kind, "--size", str(size), "--port", str(port)],
        stdout=subprocess.PIPE,
        cwd=ROOT,
        env=env,
    )
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"{kind} failed with exit code {process.returncode}")
    # The result is the last line: a slow-query log line may come before it on a busy machine.
    result = json.loads(output.splitlines()[-1])
    result["peak_mb"] = usage.ru_maxrss / 1024  # Linux reports kilobytes.
    return result


def _sink_count(sink):
    sink.stdin.write("count\n")
    sink.stdin.flush()
    return int(sink.stdout.readline())


def _report(rows):
    print()
    print("| subscribers | sender msg/s | baseline msg/s | ratio | sender peak MB | baseline MB |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        sender, baseline = row["sender"], row["baseline"]
        print(
            f"| {row['size']:,} | {sender['rate']:,.0f} | {baseline['rate']:,.0f} | "
            f"{sender['rate'] / baseline['rate']:.0%} | {sender['peak_mb']:.0f} | "
            f"{baseline['peak_mb']:.0f} |"
        )
    for row in rows:
        print(
            f"{row['size']:,}: queueing the deliveries took {row['sender']['queue_seconds']:.1f} s "
            f"(not in msg/s); sending {row['sender']['seconds']:.1f} s, "
            f"baseline {row['baseline']['seconds']:.1f} s (on average; "
            f"{row['baseline']['rates'][0]:,.0f} msg/s before the sender, "
            f"{row['baseline']['rates'][1]:,.0f} after)."
        )


def _env():
    return {
        **os.environ,
        "DATABASE_URL": f"{PG}/{DATABASE}",
        "SECRET_KEY": "benchmark-only",
        "DEBUG": "0",  # DEBUG keeps every query in memory; production doesn't.
        "SITE_URL": "https://backandneck.example",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_USE_TLS": "0",
        "TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
        "LOG_LEVEL": "WARNING",
    }


def _run(command, env):
    subprocess.run(command, cwd=ROOT, env=env, check=True)


def _admin_sql(sql):
    import psycopg2

    connection = psycopg2.connect(f"{PG}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(sql)
    connection.close()


def _recreate_database():
    _drop_database()
    _admin_sql(f"CREATE DATABASE {DATABASE}")


def _drop_database():
    _admin_sql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


# Children ------------------------------------------------------------------------------------


def _django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backandneck.settings")
    import django

    django.setup()


def child_sink(args):
    """The SMTP sink: prints its port, then answers "count" on stdin with messages received
    (and forgets them), "stats" with messages and recipients so far."""
    sys.path.insert(0, str(ROOT))
    from tests.smtp_sink import start_sink

    sink, controller = start_sink(keep_messages=False)
    print(controller.port, flush=True)
    for line in sys.stdin:
        if line.strip() == "count":
            print(sum(sink.received.values()), flush=True)
            sink.received.clear()
        elif line.strip() == "stats":  # Messages so far, and to how many recipients.
            total, unique = sum(sink.received.values()), len(sink.received)
            print(json.dumps({"total": total, "unique": unique}), flush=True)
    controller.stop()


def child_setup(args):
    """A fresh list of `size` confirmed subscribers and this week's issue (three new posts)."""
    _django()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.utils import timezone

    from blog.models import Category, Post
    from newsletter.models import Delivery, Issue, Subscriber

    Delivery.objects.all().delete()
    Issue.objects.all().delete()
    Subscriber.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO newsletter_subscriber"
            " (email, status, created_at, confirmed_at, source_url, imported)"
            " SELECT 'reader' || n || '@example.com', 'confirmed', now(), now(), '/', false"
            " FROM generate_series(1, %s) AS n",
            [args.size],
        )
    if not Post.objects.exists():
        author = User.objects.create_user("bench")
        category = Category.objects.create(name="Neck Pain", slug="neck-pain")
        for n in range(3):
            Post.objects.create(
                title=f"Gentle stretches for a stiff neck, part {n + 1}",
                excerpt="Simple moves you can do at your desk to loosen tight neck muscles.",
                body="<p>Text.</p>",
                author=author,
                category=category,
                status=Post.Status.RELEASED,
                published_at=timezone.now(),
            )
    Issue.objects.compose_weekly()


def child_send(args):
    """The real sender: queue this week's issue and send it over SMTP."""
    os.environ["EMAIL_PORT"] = str(args.port)
    _django()
    from newsletter import sending
    from newsletter.models import Issue

    issue = Issue.objects.get()
    started = time.perf_counter()
    issue.start_sending()
    queued = time.perf_counter()
    report = sending.send_issue(issue)
    seconds = time.perf_counter() - queued
    assert report.sent == args.size, report
    print(
        json.dumps(
            {
                "rate": report.sent / seconds,
                "seconds": seconds,
                "queue_seconds": queued - started,
            }
        )
    )


def child_baseline(args):
    """Plain smtplib: the same message, rendered once, pushed over one connection."""
    os.environ["EMAIL_PORT"] = str(args.port)
    _django()
    import smtplib

    from newsletter import emails
    from newsletter.models import Issue, Subscriber

    issue = Issue.objects.get()
    message = (
        emails.issue_message(issue, Subscriber.objects.first()).message().as_bytes(linesep="\r\n")
    )
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", args.port) as smtp:
        for n in range(1, args.size + 1):
            smtp.sendmail(FROM, [f"reader{n}@example.com"], message)
    seconds = time.perf_counter() - started
    print(json.dumps({"rate": args.size / seconds, "seconds": seconds}))


CHILDREN = {
    "sink": child_sink,
    "setup": child_setup,
    "send": child_send,
    "baseline": child_baseline,
}


if __name__ == "__main__":
    sys.exit(main())
