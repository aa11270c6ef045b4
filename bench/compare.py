"""
Before and after on one machine, in one run: a benchmark of this checkout and the same
benchmark of another checkout (an earlier commit), taking turns, with both outputs printed.

    git worktree add ../before <commit>   # and a venv there: make -C ../before .venv/.installed-dev
    python bench/compare.py ../before pages --seconds 5
    python bench/compare.py ../before search --engines sqlite --rounds 2

Each side runs with its own checkout's Python (its .venv) and bench/<name>.py; any further
arguments go to both. Turns alternate (before, after, before, …) so a machine that gets busier
during the run weighs on both sides alike.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def python_of(tree):
    venv = tree / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def run(label, tree, name, arguments):
    command = [python_of(tree), str(tree / "bench" / f"{name}.py"), *arguments]
    started = time.monotonic()
    load = os.getloadavg()[0]
    print(f"\n===== {label}: {tree} ({name} {' '.join(arguments)}), load {load:.2f}", flush=True)
    status = subprocess.run(command, cwd=tree).returncode
    print(f"===== {label}: exit {status} in {time.monotonic() - started:.0f} s", flush=True)
    return status


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", type=Path, help="the other checkout (the earlier commit)")
    parser.add_argument("name", help="a benchmark in bench/, e.g. pages, search, newsletter")
    parser.add_argument("--rounds", type=int, default=1, help="turns for each side")
    options, arguments = parser.parse_known_args(argv)
    before = options.before.resolve()
    if not (before / "bench" / f"{options.name}.py").exists():
        parser.error(f"{before} has no bench/{options.name}.py")
    statuses = []
    for turn in range(options.rounds):
        statuses.append(run(f"before #{turn + 1}", before, options.name, arguments))
        statuses.append(run(f"after #{turn + 1}", HERE, options.name, arguments))
    return max(statuses)


if __name__ == "__main__":
    sys.exit(main())
