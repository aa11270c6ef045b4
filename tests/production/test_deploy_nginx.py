"""deploy/nginx-backandneck.conf, run by a real nginx in front of a stand-in upstream."""

import http.client
import http.server
import os
import re
import shutil
import socket
import ssl
import subprocess
import threading
import time
from pathlib import Path

import pytest

NGINX_CONF = Path(__file__).resolve().parents[2] / "deploy" / "nginx-backandneck.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


# A GIF header whose width bytes open a JavaScript comment: both an image and a script.
GIF_THAT_IS_JAVASCRIPT = b"GIF89a/*\x01\x00\x80\x00\x00*/=1;alert(document.cookie);//"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Upstream(http.server.BaseHTTPRequestHandler):
    """Stands in for gunicorn: answers 200 and says which headers nginx passed on."""

    # What an unconfigured gunicorn announces; nginx must not pass it on.
    server_version, sys_version = "gunicorn/23.0.0", ""

    def do_GET(self):
        body = (
            f"forwarded-proto={self.headers.get('X-Forwarded-Proto')}\n"
            f"forwarded-for={self.headers.get('X-Forwarded-For')}\n"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def nginx(tmp_path_factory):
    """The shipped site configuration with this machine's ports and a self-signed certificate."""
    if not Path(NGINX).exists():
        if os.environ.get("REQUIRE_NGINX"):
            pytest.fail("nginx is not installed (apt-get install nginx)")
        pytest.skip("nginx is not installed (apt-get install nginx)")
    tmp = tmp_path_factory.mktemp("nginx")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
         "/CN=backandneck.example", "-keyout", tmp / "key.pem", "-out", tmp / "cert.pem"],
        check=True, capture_output=True,
    )  # fmt: skip
    upstream = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Upstream)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    http_port, https_port = free_port(), free_port()
    site = NGINX_CONF.read_text()
    site = site.replace("127.0.0.1:8000", f"127.0.0.1:{upstream.server_port}")
    site = re.sub(r"listen \[::\]:\d+[^;]*;", "", site)
    site = re.sub(r"listen 80;", f"listen 127.0.0.1:{http_port};", site)
    site = re.sub(r"listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;", site)
    site = re.sub(r"ssl_certificate\s+\S+;", f"ssl_certificate {tmp / 'cert.pem'};", site)
    site = re.sub(r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {tmp / 'key.pem'};", site)
    site = site.replace("/srv/backandneck/media/", f"{tmp}/media/")
    site = site.replace("/var/cache/nginx/backandneck", f"{tmp}/cache")
    (tmp / "media" / "uploads").mkdir(parents=True)
    (tmp / "media" / "uploads" / "note.gif").write_bytes(GIF_THAT_IS_JAVASCRIPT)
    (tmp / "site.conf").write_text(site)
    (tmp / "nginx.conf").write_text(
        f"""
        daemon off;
        {"user root;" if os.geteuid() == 0 else ""}
        worker_processes 1;
        pid {tmp}/nginx.pid;
        error_log {tmp}/error.log;
        events {{ worker_connections 64; }}
        http {{
            access_log off;
            client_body_temp_path {tmp}/body;
            proxy_temp_path {tmp}/proxy;
            fastcgi_temp_path {tmp}/fastcgi;
            uwsgi_temp_path {tmp}/uwsgi;
            scgi_temp_path {tmp}/scgi;
            include {tmp}/site.conf;
        }}
        """
    )
    process = subprocess.Popen(
        [NGINX, "-p", str(tmp), "-c", str(tmp / "nginx.conf")], stderr=subprocess.PIPE
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", https_port), timeout=0.1).close()
                break
            except OSError:
                assert process.poll() is None, process.stderr.read().decode()
                time.sleep(0.05)
        yield {"http": http_port, "https": https_port}
    finally:
        process.terminate()
        process.wait(10)
        upstream.shutdown()


def https_get(port, path, host="backandneck.example", headers=None):
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    connection = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=5)
    connection.request("GET", path, headers={"Host": host, **(headers or {})})
    response = connection.getresponse()
    return response, response.read().decode(errors="replace")


def test_nginx_does_not_tell_its_version(nginx):
    response, body = https_get(nginx["https"], "/")
    assert response.status == 200
    assert "forwarded-proto=https\n" in body
    assert response.getheader("Server") == "nginx"


def test_nginx_appends_to_x_forwarded_for_so_the_app_can_find_the_reader(nginx):
    # Without a header, nginx records the address it was called from…
    _, body = https_get(nginx["https"], "/")
    assert "forwarded-for=127.0.0.1\n" in body
    # …and behind a load balancer it keeps the balancer's entries, adding its own caller last:
    # NUM_PROXIES=2 then finds the reader (203.0.113.7) second from the right.
    _, body = https_get(nginx["https"], "/", headers={"X-Forwarded-For": "203.0.113.7"})
    assert "forwarded-for=203.0.113.7, 127.0.0.1\n" in body


def test_nginx_error_pages_do_not_tell_its_version_either(nginx):
    connection = http.client.HTTPConnection("127.0.0.1", nginx["http"], timeout=5)
    connection.request("GET", "/anything/", headers={"Host": "backandneck.example"})
    response = connection.getresponse()
    body = response.read().decode()
    assert response.status == 301
    assert response.getheader("Location") == "https://backandneck.example/anything/"
    assert response.getheader("Server") == "nginx"
    assert not re.search(r"nginx/\d", body)


@pytest.mark.parametrize("path", ["/media/uploads/note.gif", "/media/uploads/missing.js"])
def test_media_is_served_sandboxed_and_never_sniffed(nginx, path):
    response, _ = https_get(nginx["https"], path)
    assert response.status == (200 if path.endswith(".gif") else 404)
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("Content-Security-Policy") == "sandbox; default-src 'none'"


def test_an_uploaded_gif_is_served_as_an_image_not_a_script(nginx):
    response, _ = https_get(nginx["https"], "/media/uploads/note.gif")
    assert response.getheader("Content-Type") == "image/gif"
