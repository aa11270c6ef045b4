"""
Shared cache benchmark: the shipped deploy/nginx-backandneck.conf (TLS, proxy cache on) in front of
gunicorn (deploy/gunicorn.conf.py, production settings, 2 workers, Redis, 2,000 generated
articles on PostgreSQL), loaded with wrk. In the same run, the same nginx serves a saved copy of
the article page from disk, before and after the pages: the pages' rates are shown as shares
of the faster of those two runs.

Then, while wrk keeps reading the article through nginx, another process edits it five times:
how long until each edit shows through nginx (within a second on average); and the gunicorn
workers' memory after a long run of cached pages against a warm start (it must stay flat, with
no worker recycled).

    python bench/shared_cache.py                  # about two minutes
    python bench/shared_cache.py --seconds 5 --posts 500

Needs nginx and wrk (Debian's), PostgreSQL at BENCH_POSTGRES_URL and Redis at BENCH_REDIS_URL, as
bench/pages.py; BENCH_PORT is gunicorn's port. See docs/benchmarks.md.
"""

import argparse
import http.client
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import server, wrk  # noqa: E402
from bench.pages import page_paths  # noqa: E402

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
STATIC_COPY = "/__static_copy__.html"
SHARE_TARGET = 0.50
# nginx keeps a copy to the end of the current second (it counts whole seconds), then the page
# is rendered once: an edit shows within a second on average, and at worst a second plus that
# render (slow on a busy machine).
VISIBLE_WITHIN = 1.0  # seconds, on average
VISIBLE_AT_WORST = 1.5  # seconds
MEMORY_GROWTH_LIMIT = 10 * 1024  # kB per worker


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def nginx_config(tmp, upstream_port, https_port, http_port, static_file):
    """The shipped site config with this run's ports, a throwaway certificate and folders."""
    site = (server.ROOT / "deploy" / "nginx-backandneck.conf").read_text()
    site = site.replace("127.0.0.1:8000", f"127.0.0.1:{upstream_port}")
    site = re.sub(r"listen \[::\]:\d+[^;]*;", "", site)
    site = site.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    site = site.replace("listen 443 ssl", f"listen 127.0.0.1:{https_port} ssl")
    site = re.sub(r"ssl_certificate\s+\S+;", f"ssl_certificate {tmp / 'cert.pem'};", site)
    site = re.sub(r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {tmp / 'key.pem'};", site)
    site = site.replace("/srv/backandneck/media/", f"{tmp / 'media'}/")
    site = site.replace("/var/cache/nginx/backandneck", str(tmp / "nginx-cache"))
    # wrk names the host by its address; the site's own server answers it.
    site = site.replace("server_name backandneck.example;", "server_name 127.0.0.1;")
    # The baseline: the same bytes as the article, from a file, by the same server.
    site = site.replace(
        "    location /media/ {",
        f"    location = {STATIC_COPY} {{ alias {static_file}; }}\n\n    location /media/ {{",
    )
    assert STATIC_COPY in site and "proxy_cache backandneck;" in site
    temp_paths = "".join(
        f"    {kind}_temp_path {tmp}/nginx-{kind};\n"
        for kind in ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]
    )
    return f"""
daemon off;
{"user root;" if os.geteuid() == 0 else ""}
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
{temp_paths}
{site}
}}
"""


@contextmanager
def nginx(tmp, upstream_port, static_file):
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
         "/CN=127.0.0.1", "-keyout", tmp / "key.pem", "-out", tmp / "cert.pem"],
        check=True, capture_output=True,
    )  # fmt: skip
    (tmp / "media").mkdir(exist_ok=True)
    https_port, http_port = free_port(), free_port()
    conf = tmp / "nginx.conf"
    conf.write_text(nginx_config(tmp, upstream_port, https_port, http_port, static_file))
    process = subprocess.Popen(
        [NGINX, "-p", str(tmp), "-c", str(conf)], stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", https_port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError(process.stderr.read().decode()) from None
                time.sleep(0.1)
        yield f"https://127.0.0.1:{https_port}"
    finally:
        process.terminate()
        process.wait(10)


def https_get(base, path):
    port = int(base.rsplit(":", 1)[1])
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    connection = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=10)
    connection.request("GET", path, headers={"X-Forwarded-For": "10.9.8.7"})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, response.getheader("X-Cache"), body


def load(base, path, args, name, seconds=None):
    result = wrk.run_as_readers(
        base, [path], seconds or args.seconds, args.connections, args.threads
    )
    other = {status: n for status, n in result["statuses"].items() if status != 200}
    if other or sum(result["socket_errors"].values()):
        raise RuntimeError(f"{path}: answers other than 200 {other}, {result['socket_errors']}")
    print(f"  {name}: {result['requests_per_second']:,.0f} requests/s", flush=True)
    return result


def workers(master_pid):
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    return sorted(int(pid) for pid in children)


def rss_kb(pid):
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE).group(1))


def gunicorn_master(port):
    """The pid of the gunicorn listening on `port` (the one server.gunicorn started)."""
    output = subprocess.run(
        ["pgrep", "-f", f"gunicorn --config deploy/gunicorn.conf.py --workers {server.WORKERS} "
         f"--bind 127.0.0.1:{port}"],
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    return min(int(pid) for pid in output)


EDIT = """
import time
from blog.models import Post
post = Post.objects.get(slug={slug!r})
post.title = {title!r}
post.save()
print("saved at", time.time(), flush=True)
"""


def edit_visibility(base, env, slug, path, args, edits=5):
    """Seconds from each committed edit (in another process) to the first reader who sees it."""
    readers = threading.Thread(
        target=wrk.run_as_readers,
        args=(base, [path], args.edit_seconds, args.connections, args.threads),
    )
    readers.start()
    delays = []
    try:
        time.sleep(1)
        for n in range(edits):
            title = f"Edited for the shared cache benchmark, take {n + 1}"
            editor = subprocess.Popen(
                [server.BIN / "python", "manage.py", "shell", "-c",
                 EDIT.format(slug=slug, title=title)],
                cwd=server.ROOT, env=env, stdout=subprocess.PIPE, text=True,
            )  # fmt: skip
            # Read from the moment it is committed, while that process is still exiting.
            line = ""
            while not line.startswith("saved at "):
                line = editor.stdout.readline()
                if not line:
                    raise RuntimeError("the edit failed; see the output above")
            saved_at = float(line.split()[-1])
            while title.encode() not in https_get(base, path)[2]:
                if time.time() - saved_at > 10:
                    raise RuntimeError(f"edit {n + 1} not visible through nginx after 10 s")
            delays.append(time.time() - saved_at)
            editor.communicate()
            print(f"  edit {n + 1}: visible after {delays[-1] * 1000:.0f} ms", flush=True)
    finally:
        readers.join()
    return delays


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--seconds", type=int, default=10, help="per row")
    parser.add_argument("--memory-seconds", type=int, default=30, help="cached load for memory")
    parser.add_argument("--edit-seconds", type=int, default=15, help="load while editing")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    wrk.require_wrk()
    if not Path(NGINX).exists():
        sys.exit("nginx is not installed: apt-get install nginx")
    server.clean_up_on_sigterm()

    prefix = f"bn-bench-shared-{os.getpid()}"
    with (
        server.site_database(args.posts) as database_url,
        server.collected_static() as static_root,
        tempfile.TemporaryDirectory(prefix="bn-bench-shared-") as tmp,
    ):
        tmp = Path(tmp)
        paths = page_paths(database_url)
        env = server.production_env(
            database_url,
            STATIC_ROOT=str(static_root),
            REDIS_URL=server.REDIS_URL,
            CACHE_KEY_PREFIX=prefix,
            NUM_PROXIES="1",
            BEHIND_HTTPS_PROXY="1",
        )
        static_file = tmp / "article.html"
        try:
            with (
                server.gunicorn(env, tmp / "gunicorn.log", app="backandneck.wsgi:application")
                as direct,
                nginx(tmp, server.PORT, static_file) as proxied,
            ):  # fmt: skip
                master = gunicorn_master(server.PORT)
                article = paths["article"]
                status, _, body = https_get(proxied, article)
                if status != 200:
                    raise RuntimeError(f"{article} answered {status} through nginx")
                static_file.write_bytes(body)
                print(f"Pages through nginx ({len(body):,} bytes of article HTML):", flush=True)
                first_static = load(proxied, STATIC_COPY, args, "static copy")
                results = {}
                for name in ["article", "home", "category p2", "feed"]:
                    https_get(proxied, paths[name])
                    results[name] = load(proxied, paths[name], args, name)
                # Before and after the pages, so that a busy moment cannot flatter them.
                last_static = load(proxied, STATIC_COPY, args, "static copy, again")
                results = {
                    "static copy": max(
                        first_static, last_static, key=lambda r: r["requests_per_second"]
                    ),
                    **results,
                }
                print("Memory of the gunicorn workers under cached pages:", flush=True)
                load(direct, article, args, "warm-up, straight to gunicorn", seconds=5)
                pids_before = workers(master)
                rss_before = {pid: rss_kb(pid) for pid in pids_before}
                direct_run = load(
                    direct, article, args, "straight to gunicorn", seconds=args.memory_seconds
                )
                pids_after = workers(master)
                rss_after = {pid: rss_kb(pid) for pid in pids_after if pid in rss_before}
                print("An edit while readers load the article through nginx:", flush=True)
                slug = article.strip("/")
                delays = edit_visibility(proxied, env, slug, article, args)
        finally:
            server.clear_redis_prefix(prefix)

    static_rate = results["static copy"]["requests_per_second"]
    lines = [
        "| Through nginx | Requests/s | p50 (ms) | p99 (ms) | Share of the static copy | Target |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    verdicts = []
    for name, result in results.items():
        share = result["requests_per_second"] / static_rate
        verdict = ""
        if name != "static copy":
            verdicts.append(share >= SHARE_TARGET)
            verdict = f"≥ {SHARE_TARGET:.0%}: {'met' if verdicts[-1] else 'MISSED'}"
        lines.append(
            f"| {name} | {result['requests_per_second']:,.0f} | {result['p50_ms']:.2f} | "
            f"{result['p99_ms']:.2f} | {share:.1%} | {verdict} |"
        )
    slowest, average = max(delays), sum(delays) / len(delays)
    visible = average <= VISIBLE_WITHIN and slowest <= VISIBLE_AT_WORST
    verdicts.append(visible)
    recycled = pids_before != pids_after
    growth = {pid: rss_after[pid] - rss_before[pid] for pid in rss_after}
    verdicts.append(not recycled and max(growth.values()) <= MEMORY_GROWTH_LIMIT)

    print()
    print(
        f"{args.posts} articles on PostgreSQL, Redis; gunicorn, {server.WORKERS} sync workers, "
        f"behind the shipped nginx (1 worker, TLS); wrk -t{args.threads} -c{args.connections} "
        f"-d{args.seconds}s per row, every answer a 200"
    )
    print("\n".join(lines))
    print(
        f"\nEdits visible through nginx after {', '.join(f'{d * 1000:.0f}' for d in delays)} ms "
        f"(average {average * 1000:.0f} ms, target ≤ {VISIBLE_WITHIN * 1000:.0f}; slowest "
        f"{slowest * 1000:.0f} ms, target ≤ {VISIBLE_AT_WORST * 1000:.0f}: "
        f"{'met' if visible else 'MISSED'})"
    )
    print(
        f"gunicorn workers over {direct_run['requests']:,} cached requests straight to them "
        f"({direct_run['requests_per_second']:,.0f}/s): "
        + ", ".join(
            f"{rss_before[pid] / 1024:.1f} → {rss_after[pid] / 1024:.1f} MB" for pid in rss_after
        )
        + ("; a worker was recycled" if recycled else "; no worker recycled")
    )
    return 0 if all(verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
