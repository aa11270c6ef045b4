"""Run wrk (Debian's `wrk` package) and read its report."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

LOAD_SCRIPT = Path(__file__).with_name("wrk_load.lua")


def require_wrk():
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk (make bench installs it)")


def _duration_ms(text):
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def run(url, seconds=10, connections=16, threads=2, script=None, env=None):
    """Requests/s, p50 and p99 in ms, socket errors and non-2xx/3xx answers of one wrk run."""
    args = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if script:
        args += ["-s", str(script)]
    output = subprocess.run(
        [*args, url], capture_output=True, text=True, check=True, timeout=seconds + 60, env=env
    ).stdout
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, re.MULTILINE))
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    statuses = dict(re.findall(r"^status (\d+): (\d+)$", output, re.MULTILINE))
    return {
        "requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "p50_ms": _duration_ms(percentiles["50"]),
        "p99_ms": _duration_ms(percentiles["99"]),
        "socket_errors": dict(
            zip(
                ["connect", "read", "write", "timeout"],
                map(int, socket_errors.groups()),
                strict=True,
            )
        )
        if socket_errors
        else {"connect": 0, "read": 0, "write": 0, "timeout": 0},
        "non_2xx_3xx": int(non_2xx.group(1)) if non_2xx else 0,
        "statuses": {int(k): int(v) for k, v in statuses.items()},
        "output": output,
    }


def run_as_readers(url, paths, seconds, connections, threads):
    """run() visiting `paths` in turn, each request from another made-up reader (wrk_load.lua)."""
    return run(
        url,
        seconds,
        connections,
        threads,
        script=LOAD_SCRIPT,
        env={**os.environ, "BENCH_PATHS": " ".join(paths)},
    )
