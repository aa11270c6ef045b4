"""`make run`, the embedded default, started and stopped the way a newcomer does it."""

import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

from .conftest import ROOT, free_port


def processes_marked(marker):
    """PIDs of the processes whose environment carries the marker."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker.encode() in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


def command_line(pid):
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def test_make_run_serves_on_its_port_runs_the_task_worker_and_stops_everything(tmp_path):
    port = free_port()
    marker = f"BN_MAKE_RUN_TEST={uuid.uuid4().hex}"
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/root"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PYTHON": sys.executable,
        marker.split("=")[0]: marker.split("=")[1],
    }
    log = tmp_path / "make-run.log"
    make = subprocess.Popen(
        ["make", "run", f"PORT={port}"], cwd=ROOT, env=env, stdout=log.open("w"),
        stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        for _ in range(1200):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/feed/", timeout=5) as feed:
                    body = feed.read().decode()
                break
            except OSError:
                assert make.poll() is None, log.read_text()
                time.sleep(0.1)
        else:
            raise AssertionError(f"make run did not serve on {port}:\n{log.read_text()}")
        # Links in feeds, the sitemap and mail point at the port the site runs on.
        assert f"http://127.0.0.1:{port}/" in body
        assert "127.0.0.1:8000" not in body

        running = processes_marked(marker)
        assert any("db_worker" in command_line(pid) for pid in running), log.read_text()
        # The worker does the background work: a queued task is taken and run.
        queued = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c",
             "from newsletter.tasks import send_issue; print(send_issue.enqueue(0).id)"],
            cwd=ROOT, env={**env, "DEBUG": "1"}, capture_output=True, text=True, check=True,
        ).stdout.strip().splitlines()[-1]  # fmt: skip
        status = ""
        for _ in range(200):
            status = subprocess.run(
                [sys.executable, "manage.py", "shell", "-c",
                 "from django_tasks_db.models import DBTaskResult;"
                 f"print(DBTaskResult.objects.get(id='{queued}').status)"],
                cwd=ROOT, env={**env, "DEBUG": "1"}, capture_output=True, text=True, check=True,
            ).stdout.strip().splitlines()[-1]  # fmt: skip
            if status not in ("READY", "RUNNING"):
                break
            time.sleep(0.2)
        assert status in ("SUCCESSFUL", "FAILED"), status  # Taken: issue 0 does not exist.
    finally:
        # Ctrl+C in the terminal: SIGINT to the foreground process group.
        os.killpg(make.pid, signal.SIGINT)
        make.wait(30)
    for _ in range(150):
        left = [pid for pid in processes_marked(marker) if command_line(pid)]
        if not left:
            break
        time.sleep(0.1)
    assert not left, [command_line(pid) for pid in left]
