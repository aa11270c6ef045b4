"""
Load run: 64 connections for 60 seconds against the home page, an article and search, each
request from a different made-up reader, with production settings behind a (pretend) proxy.
Passes with zero socket errors and zero 5xx answers.

    python bench/load.py
    python bench/load.py --seconds 20 --connections 32

Same setup as bench/pages.py (throwaway PostgreSQL database, Redis DB 5, gunicorn with 2
workers on 127.0.0.1). See docs/benchmarks.md.
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import server, wrk  # noqa: E402
from bench.pages import page_paths  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--pages", default="home,article,search", help="comma-separated, from bench/pages.py"
    )
    args = parser.parse_args(argv)
    wrk.require_wrk()
    server.clean_up_on_sigterm()

    prefix = f"bn-bench-{os.getpid()}-load"
    with (
        server.site_database(args.posts) as database_url,
        server.collected_static() as static_root,
        tempfile.TemporaryDirectory(prefix="bn-bench-") as tmp,
    ):
        paths = page_paths(database_url)
        env = server.production_env(
            database_url,
            STATIC_ROOT=str(static_root),
            REDIS_URL=server.REDIS_URL,
            CACHE_KEY_PREFIX=prefix,
            NUM_PROXIES="1",
        )
        try:
            with server.gunicorn(env, Path(tmp) / "gunicorn.log", "backandneck.wsgi") as base:
                visited = [
                    paths[name]
                    for name in args.pages.split(",")
                    if server.fetch(base + paths[name])[0] != 404  # Search may not exist yet.
                ]
                print(f"Loading {' '.join(visited)} for {args.seconds} s…", flush=True)
                result = wrk.run_as_readers(
                    base, visited, args.seconds, args.connections, args.threads
                )
        finally:
            server.clear_redis_prefix(prefix)

    errors = sum(result["socket_errors"].values())
    server_errors = sum(n for status, n in result["statuses"].items() if status >= 500)
    print(
        f"\n{args.connections} connections, {args.seconds} s, {args.posts} articles, "
        f"page cache on: {result['requests']:,} requests, "
        f"{result['requests_per_second']:,.0f} requests/s, "
        f"p50 {result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms"
    )
    print(f"Answers by status: {dict(sorted(result['statuses'].items()))}")
    print(f"Socket errors: {result['socket_errors']}")
    passed = errors == 0 and server_errors == 0
    print("PASS: no errors, no 5xx" if passed else "FAIL: errors or 5xx answers")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
