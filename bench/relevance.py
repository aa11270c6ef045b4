"""
Search relevance on both engines: the judged reader queries of search/relevance.py on the demo
content, in a throwaway database of each kind (as bench/search.py makes them).

    python bench/relevance.py                      # SQLite and PostgreSQL
    python bench/relevance.py --engines sqlite -v  # every query, what came first

Prints, per engine, mean hit rate at 3, top-1 accuracy and the queries with no result.
PostgreSQL: BENCH_RELEVANCE_POSTGRES_URL, by default
postgres://postgres@127.0.0.1:5432/bn_search_relevance, created and dropped.
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ["BENCH_POSTGRES_URL"] = os.environ.get(
    "BENCH_RELEVANCE_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/bn_search_relevance"
)
sys.path.insert(0, str(ROOT))

from bench.search import throwaway_database  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.add_argument("--run-one", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.run_one:
        return run_one(args.run_one, args.verbose)
    status = 0
    for vendor in args.engines.split(","):
        command = [sys.executable, __file__, "--run-one", vendor]
        status |= subprocess.run(command + (["-v"] if args.verbose else [])).returncode
    return status


def run_one(vendor, verbose):
    with throwaway_database(vendor) as url, tempfile.TemporaryDirectory() as media:
        os.environ.update(
            DATABASE_URL=url,
            DJANGO_SETTINGS_MODULE="backandneck.settings",
            DEBUG="1",
            MEDIA_ROOT=media,
            LOG_LEVEL="ERROR",
        )
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        call_command("measure_relevance", verbosity=2 if verbose else 1)
        from django.db import connections

        connections.close_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
