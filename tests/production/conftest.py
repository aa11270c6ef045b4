"""
The production tier: the site started the way deploy/ and the README start it, then driven in
Chromium. DEBUG is off; `collectstatic` writes the hashed, compressed files WhiteNoise serves;
gunicorn runs deploy/gunicorn.conf.py with two workers behind the shipped nginx configuration
(TLS with a throwaway certificate, /media/ from disk); mail goes over SMTP to a sink.

The database follows the run: the SQLite default with its per-process cache, or, when the suite
runs with DATABASE_URL on PostgreSQL, a database of its own beside the test database and Redis
(REDIS_TEST_URL) for the cache, as a production install has them.
"""

import http.client
import os
import random
import re
import shutil
import socket
import ssl
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import CHROMIUM, CHROMIUM_ARGS, redis_or_skip
from tests.smtp_sink import start_sink

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
HOST = "backandneck.example"
PASSWORD = "a-long-production-password-7"


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(item.fspath).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.browser)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def require(available, message):
    if not available:
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)


@dataclass
class Deployment:
    root: Path
    env: dict
    address: str  # The loopback address nginx listens on, ports 80 and 443, as in production.
    sink: object
    processes: list = field(default_factory=list)

    @property
    def url(self):
        return f"https://{HOST}"

    def manage(self, *args, input=None, check=True):
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT, env=self.env, input=input, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        if check and result.returncode:
            raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
        return result

    def shell(self, code):
        """Run Python in `manage.py shell`: another process than the server's workers."""
        return self.manage("shell", "--no-imports", "-c", code).stdout.strip()

    def get(self, path, method="GET", body=None, headers=None):
        """A request through nginx, as a browser or a mail provider sends it."""
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        connection = http.client.HTTPSConnection(self.address, 443, context=context, timeout=20)
        connection.request(method, path, body=body, headers={"Host": HOST, **(headers or {})})
        response = connection.getresponse()
        response.text = response.read().decode("utf-8", "replace")
        connection.close()
        return response

    def mail_to(self, address, subject_contains):
        """The newest message to `address` whose subject contains the text (waits for it)."""
        for _ in range(100):
            for message in reversed(self.sink.messages):
                if address in message["To"] and subject_contains in message["Subject"]:
                    return message
            time.sleep(0.1)
        subjects = [(m["To"], m["Subject"]) for m in self.sink.messages]
        raise AssertionError(f"No mail “{subject_contains}” to {address}; got {subjects}")


def database_env(tmp):
    """SQLite in the tier's folder, or a PostgreSQL database of its own and Redis."""
    test_database = os.environ.get("DATABASE_URL", "")
    if not test_database.startswith("postgres"):
        return {"DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}"}, lambda: None
    import psycopg2

    parts = urlsplit(test_database)
    name = f"{parts.path.lstrip('/') or 'backandneck'}_production_tier"
    admin = psycopg2.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username or "postgres",
        password=parts.password or "", dbname="postgres",
    )  # fmt: skip
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    redis_url = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/5")
    prefix = f"bn-production-{uuid.uuid4().hex[:8]}"
    client = redis_or_skip(redis_url)

    def clean_up():
        for key in client.scan_iter(match=f"{prefix}:*"):
            client.delete(key)
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()

    env = {
        "DATABASE_URL": parts._replace(path=f"/{name}").geturl(),
        "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": prefix,
    }
    return env, clean_up


def wait_for_port(host, port, process, log):
    for _ in range(300):
        try:
            socket.create_connection((host, port), timeout=0.2).close()
            return
        except OSError:
            if process.poll() is not None:
                raise AssertionError(f"{process.args[0]} exited:\n{log.read_text()}") from None
            time.sleep(0.1)
    raise AssertionError(f"{process.args[0]} did not listen on {host}:{port}")


def start(deployment, name, command, **kwargs):
    log = deployment.root / f"{name}.log"
    process = subprocess.Popen(
        command, cwd=ROOT, env=deployment.env, stdout=log.open("w"), stderr=subprocess.STDOUT,
        start_new_session=True, **kwargs,
    )  # fmt: skip
    deployment.processes.append(process)
    return process, log


def nginx_config(deployment, upstream_port):
    """deploy/nginx-backandneck.conf with this run's address, certificate and folders."""
    tmp = deployment.root
    site = (ROOT / "deploy" / "nginx-backandneck.conf").read_text()
    site = site.replace("127.0.0.1:8000", f"127.0.0.1:{upstream_port}")
    site = re.sub(r"listen \[::\]:\d+[^;]*;", "", site)
    site = site.replace("listen 80;", f"listen {deployment.address}:80;")
    site = site.replace("listen 443 ssl", f"listen {deployment.address}:443 ssl")
    site = re.sub(r"ssl_certificate\s+\S+;", f"ssl_certificate {tmp / 'cert.pem'};", site)
    site = re.sub(r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {tmp / 'key.pem'};", site)
    site = site.replace("/srv/backandneck/media/", f"{tmp / 'media'}/")
    assert f"{tmp / 'media'}/" in site, "the shipped config no longer serves /media/ from disk"
    site = site.replace("/var/cache/nginx/backandneck", f"{tmp / 'nginx-cache'}")
    temp_paths = "".join(
        f"{kind}_temp_path {tmp}/nginx-{kind};\n"
        for kind in ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]
    )
    return f"""
daemon off;
user root;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    {temp_paths}
    {site}
}}
"""


@pytest.fixture(scope="session")
def deployment(tmp_path_factory):
    require(Path(CHROMIUM).exists(), "Chromium is not installed (apt-get install chromium)")
    require(Path(NGINX).exists(), "nginx is not installed (apt-get install nginx)")
    tmp = tmp_path_factory.mktemp("production")
    (tmp / "media").mkdir()
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
         f"/CN={HOST}", "-keyout", tmp / "key.pem", "-out", tmp / "cert.pem"],
        check=True, capture_output=True,
    )  # fmt: skip
    sink, smtp = start_sink()
    database, clean_up_database = database_env(tmp)
    gunicorn_port = free_port()
    # Production listens on 80 and 443; a loopback address of its own keeps this run from
    # meeting anything else on those ports.
    address = f"127.{random.randint(1, 254)}.{random.randint(1, 254)}.{random.randint(2, 254)}"
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/root"),
        "LANG": "C.UTF-8",
        "SECRET_KEY": f"production-tier-{uuid.uuid4().hex}{uuid.uuid4().hex}",
        "SITE_URL": f"https://{HOST}",
        "ALLOWED_HOSTS": HOST,
        "BEHIND_HTTPS_PROXY": "1",
        "NUM_PROXIES": "1",
        "STATIC_ROOT": str(tmp / "static"),
        "MEDIA_ROOT": str(tmp / "media"),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp.port),
        "EMAIL_USE_TLS": "0",
        "GUNICORN_BIND": f"127.0.0.1:{gunicorn_port}",
        "WEB_CONCURRENCY": "2",
        "LOG_LEVEL": "WARNING",
        **database,
    }
    deployment = Deployment(root=tmp, env=env, address=address, sink=sink)
    try:
        deployment.manage("migrate", "--no-input")
        deployment.manage("collectstatic", "--no-input")
        deployment.manage("seed_demo")
        deployment.shell(
            "from django.contrib.auth.models import Group, User\n"
            f"for name in ['Editor', 'Author']:\n"
            f"    user = User.objects.create_user(name.lower(), password='{PASSWORD}',"
            " is_staff=True, first_name=name, last_name='Tester')\n"
            "    user.groups.add(Group.objects.get(name=name))\n"
        )
        gunicorn, gunicorn_log = start(
            deployment, "gunicorn",
            [sys.executable, "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py"],
        )  # fmt: skip
        wait_for_port("127.0.0.1", gunicorn_port, gunicorn, gunicorn_log)
        (tmp / "nginx.conf").write_text(nginx_config(deployment, gunicorn_port))
        nginx, nginx_log = start(
            deployment, "nginx", [NGINX, "-p", str(tmp), "-c", str(tmp / "nginx.conf")]
        )
        wait_for_port(address, 443, nginx, nginx_log)
        worker, _ = start(deployment, "worker", [sys.executable, "manage.py", "db_worker"])
        yield deployment
    finally:
        for process in reversed(deployment.processes):
            if process.poll() is None:
                os.killpg(process.pid, 15)
                try:
                    process.wait(15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, 9)
        smtp.stop()
        clean_up_database()


@pytest.fixture(scope="session")
def chromium(deployment, browser):
    """Chromium resolving the site's name to the tier's nginx; one Playwright for the session."""
    launched = browser.browser_type.launch(
        executable_path=CHROMIUM,
        args=[*CHROMIUM_ARGS, f"--host-resolver-rules=MAP {HOST} {deployment.address}"],
    )
    yield launched
    launched.close()


class Console:
    """Every console error, failed script and CSP violation of the pages a test visits."""

    def __init__(self, page):
        self.problems = []
        self.visited = []
        page.on("console", self.console)
        page.on("pageerror", lambda error: self.problems.append((page.url, f"error: {error}")))
        page.on("framenavigated", self.navigated)
        page.on("response", self.response)
        page.add_init_script(
            "document.addEventListener('securitypolicyviolation', e => console.error("
            "'Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI))"
        )
        self.page = page

    def console(self, message):
        if message.type == "error":
            self.problems.append((self.page.url, message.text))

    def response(self, response):
        if response.status >= 400 and response.request.resource_type != "document":
            self.problems.append((self.page.url, f"{response.status} for {response.url}"))

    def navigated(self, frame):
        if frame == self.page.main_frame and frame.url not in self.visited:
            self.visited.append(frame.url)


@pytest.fixture
def browser_page(chromium):
    """A fresh browser profile; the test fails if any page it visited logged an error."""
    context = chromium.new_context(
        base_url=f"https://{HOST}",
        ignore_https_errors=True,
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    console = Console(page)
    page.console = console
    yield page
    context.close()
    assert not console.problems, "\n".join(f"{url}: {text}" for url, text in console.problems)
