"""
`make bench`: run the benchmarks in bench/ one after another and report how each ended.

    python bench/run.py                 # pages, shared_cache, search, newsletter
    python bench/run.py load fault      # named ones only

Each benchmark is a bench/<name>.py with a main(argv) that returns an exit status.
"""

import importlib.util
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT = ["pages", "shared_cache", "search", "newsletter"]


def load(name):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", HERE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv=None):
    names = (sys.argv[1:] if argv is None else argv) or DEFAULT
    outcomes = {}
    for name in names:
        if not (HERE / f"{name}.py").exists():
            print(f"== {name}: no bench/{name}.py here, skipped\n", flush=True)
            continue
        print(f"== {name}", flush=True)
        started = time.monotonic()
        status = load(name).main([])
        outcomes[name] = (status or 0, time.monotonic() - started)
        print(flush=True)
    for name, (status, seconds) in outcomes.items():
        print(f"{name}: {'ok' if status == 0 else f'exit {status}'} ({seconds:.0f} s)")
    return max((status for status, _ in outcomes.values()), default=0)


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    sys.exit(main())
