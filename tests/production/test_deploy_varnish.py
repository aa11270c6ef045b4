"""deploy/varnish-backandneck.vcl, run by a real Varnish in front of a stand-in upstream."""

import http.client
import http.server
import os
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

from pagecache import shared_cache

VCL = Path(__file__).resolve().parents[2] / "deploy" / "varnish-backandneck.vcl"
VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"


class Upstream(http.server.BaseHTTPRequestHandler):
    """Stands in for the site: pages tagged as the site tags them, counting each fetch."""

    fetches = []
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        self.fetches.append((self.path, self.headers.get("Cookie")))
        body = f"page {self.path} #{len(self.fetches)}".encode()
        self.send_response(200)
        if self.path.startswith("/private/"):
            self.send_header("Cache-Control", "private, no-cache")
        else:
            tags = "site post-" + self.path.strip("/").replace("/", "-")
            self.send_header("Cache-Control", "public, max-age=60, s-maxage=86400")
            self.send_header("Surrogate-Key", tags)
            self.send_header("Cache-Tag", tags.replace(" ", ","))
        if self.path.startswith("/sets-cookie/"):
            self.send_header("Set-Cookie", "csrftoken=abc; Path=/")
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def varnish(tmp_path_factory):
    if not Path(VARNISHD).exists():
        if os.environ.get("REQUIRE_VARNISH"):
            pytest.fail("varnish is not installed (apt-get install varnish)")
        pytest.skip("varnish is not installed (apt-get install varnish)")
    tmp = tmp_path_factory.mktemp("varnish")
    upstream = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Upstream)
    threading.Thread(target=upstream.serve_forever, args=(0.01,), daemon=True).start()
    vcl = VCL.read_text().replace('.port = "8000"', f'.port = "{upstream.server_port}"')
    (tmp / "site.vcl").write_text(vcl)
    port = free_port()
    process = subprocess.Popen(
        [VARNISHD, "-F", "-a", f"127.0.0.1:{port}", "-f", str(tmp / "site.vcl"),
         "-n", str(tmp / "work"), "-s", "malloc,32m", "-T", "none",
         # No jail: the pytest folder is this user's alone.
         "-j", "none", "-p", "vcc_allow_inline_c=off"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                assert process.poll() is None, process.stdout.read().decode()
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(10)
        upstream.shutdown()
        upstream.server_close()


def get(url, path, headers=None):
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=5)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    response.text = response.read().decode()
    connection.close()
    return response


def test_public_pages_are_kept_and_their_tags_not_passed_on(varnish):
    first, second = get(varnish, "/kept/"), get(varnish, "/kept/")
    assert second.text == first.text
    assert (first.getheader("X-Cache"), second.getheader("X-Cache")) == ("MISS", "HIT")
    assert second.getheader("Surrogate-Key") is None and second.getheader("xkey") is None


def test_a_ban_by_tag_drops_exactly_the_pages_with_that_tag(varnish, settings):
    settings.SHARED_CACHE_PURGE = "pagecache.shared_cache.VarnishBackend"
    settings.VARNISH_URLS = f"{varnish}/"
    for path in ["/one/", "/two/", "/one-more/"]:
        get(varnish, path)
        assert get(varnish, path).getheader("X-Cache") == "HIT"
    shared_cache.purge_backend().purge({"post-one"})
    assert get(varnish, "/one/").getheader("X-Cache") == "MISS"
    assert get(varnish, "/one-more/").getheader("X-Cache") == "HIT"  # post-one-more stays.
    assert get(varnish, "/two/").getheader("X-Cache") == "HIT"
    shared_cache.purge_backend().purge({"site"})
    assert get(varnish, "/two/").getheader("X-Cache") == "MISS"
    assert get(varnish, "/one-more/").getheader("X-Cache") == "MISS"


def test_readers_with_a_session_csrf_token_message_or_authorization_pass(varnish):
    get(varnish, "/shared/")
    for headers in [
        {"Cookie": "sessionid=abc"},
        {"Cookie": "_ga=1; csrftoken=abc"},
        {"Cookie": "messages=abc"},
        {"Authorization": "Basic eDp5"},
    ]:
        assert get(varnish, "/shared/", headers).getheader("X-Cache") == "PASS", headers


def test_other_cookies_share_the_copy_and_never_reach_the_site(varnish):
    Upstream.fetches.clear()
    get(varnish, "/analytics/", {"Cookie": "_ga=GA1.2.3"})
    assert get(varnish, "/analytics/", {"Cookie": "_ga=other"}).getheader("X-Cache") == "HIT"
    assert Upstream.fetches == [("/analytics/", None)]


def test_private_answers_and_ones_that_set_a_cookie_are_never_kept(varnish):
    for path in ["/private/page/", "/sets-cookie/page/"]:
        get(varnish, path)
        assert get(varnish, path).getheader("X-Cache") == "PASS", path


def test_a_ban_from_elsewhere_or_without_tags_is_refused(varnish):
    host, port = varnish.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=5)
    connection.request("BAN", "/", headers={"X-Purge-Tags": "site) | (.*"})
    assert connection.getresponse().status == 400
