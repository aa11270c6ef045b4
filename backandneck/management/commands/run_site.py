import os
import signal
import subprocess
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "The whole site on this machine, as `make run` starts it: the development server and the "
        "task worker that sends “Send now” newsletters and retries. Ctrl+C stops both."
    )

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *, addrport, **options):
        # The newsletter's weekly schedule runs in the worker, as a task that queues itself
        # again for its next moment (newsletter/compose.py); this starts (or restarts) it.
        from newsletter.tasks import queue_schedule

        queue_schedule()
        manage = [sys.executable, sys.argv[0]]
        # Each in a process group of its own, stopped as a group: both run under Django's
        # autoreloader, whose child would otherwise outlive a stopped parent (and go on sending).
        children = [
            subprocess.Popen([*manage, "runserver", addrport], start_new_session=True),
            subprocess.Popen(
                [*manage, "db_worker", "--reload", "--no-startup-delay"], start_new_session=True
            ),
        ]
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        try:
            os.wait()  # Until Ctrl+C, a stop, or either child ends.
        except (KeyboardInterrupt, ChildProcessError):
            pass
        finally:
            for child in children:
                if child.poll() is None:
                    os.killpg(child.pid, signal.SIGTERM)
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(child.pid, signal.SIGKILL)
