"""
manage.py check_links, against a small HTTP server on 127.0.0.1 (no other network).

The articles link to links.example, which fake DNS resolves to a public address; the fake
connection then leads to the local server. Loopback itself, as an article or a redirect names
it, must never be contacted.
"""

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from blog import outbound
from blog.models import CheckedLink, Post

PUBLIC = "93.184.216.34"  # What links.example resolves to here.

pytestmark = pytest.mark.django_db


REDIRECTS = {
    "/to-metadata": "http://169.254.169.254/latest/meta-data/",
    "/to-loopback": "http://127.1/",
    "/to-redis": "http://links.example:6379/",
    "/to-ftp": "ftp://links.example/file",
    "/loop": "/loop",
}


class Handler(BaseHTTPRequestHandler):
    def do_HEAD(self):
        if self.path == "/no-head":
            self.send_response(405)
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
        elif self.path in REDIRECTS:
            self.send_response(302)
            self.send_header("Location", REDIRECTS[self.path])
        elif self.path in {"/ok", "/no-head"}:
            self.send_response(200)
        else:
            self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        self.server.ranges.append((self.path, self.headers.get("Range")))
        if self.path == "/no-head":
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self.do_HEAD()

    def log_message(self, *args):
        pass


@pytest.fixture
def server(monkeypatch):
    """A server reached as http://links.example; `server.connections` lists what was dialled."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    real_resolve = outbound.resolve
    httpd.connections = []
    httpd.ranges = []
    httpd.dns = {"links.example": [PUBLIC]}

    def resolve(host, port):
        if host.endswith(".invalid"):  # Never ask a real name server.
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        # Address literals in any spelling, and localhost, the system resolves without network.
        return httpd.dns[host] if host in httpd.dns else real_resolve(host, port)

    def open_socket(address, port, timeout):
        httpd.connections.append((address, port))
        if (address, port) != (PUBLIC, 80):
            raise ConnectionRefusedError(f"nothing listens at {address}:{port}")
        return socket.create_connection(("127.0.0.1", httpd.server_port), timeout)

    monkeypatch.setattr(outbound, "resolve", resolve)
    monkeypatch.setattr(outbound, "open_socket", open_socket)
    yield httpd
    httpd.shutdown()
    httpd.server_close()


SITE = "http://links.example"


def check_links(*args):
    out = StringIO()
    call_command("check_links", "--timeout", "5", *args, stdout=out)
    return out.getvalue()


def test_working_links_redirects_and_servers_refusing_head_pass(server, make_post):
    post = make_post(body=f'<p><a href="{SITE}/ok">a</a> <a href="{SITE}/moved">b</a></p>')
    post.references.create(title="A guideline", url=f"{SITE}/no-head")
    assert "Checked 3 external link(s): 0 broken." in check_links()


def test_broken_links_are_listed_with_the_articles_using_them(server, make_post):
    first = make_post(title="Sciatica", body=f'<p><a href="{SITE}/gone">gone</a></p>')
    make_post(title="Neck pain").references.create(title="Old page", url=f"{SITE}/gone")
    make_post(title="Fine", body=f'<p><a href="{SITE}/ok">ok</a></p>')
    out = StringIO()
    with pytest.raises(CommandError, match="Checked 2 external link"):
        call_command("check_links", "--timeout", "5", stdout=out)
    report = out.getvalue()
    assert f"HTTP 404: {SITE}/gone" in report
    assert "in “Sciatica”" in report and "in “Neck pain”" in report
    assert f"/admin/blog/post/{first.pk}/change/" in report
    assert "Fine" not in report


def test_unreachable_hosts_are_reported(server, make_post):
    server.dns["down.example"] = ["93.184.216.35"]
    make_post(
        body='<p><a href="http://down.example/">down</a> <a href="http://no.invalid/">x</a></p>'
    )
    out = StringIO()
    with pytest.raises(CommandError, match="2 broken"):
        call_command("check_links", "--timeout", "2", stdout=out)
    assert (
        "unreachable (nothing listens at 93.184.216.35:80): http://down.example/" in out.getvalue()
    )
    assert "unreachable (no.invalid not found): http://no.invalid/" in out.getvalue()


def test_internal_links_and_drafts_are_not_fetched(server, make_post):
    make_post(body='<p><a href="http://127.0.0.1:8000/elsewhere/">internal</a></p>')
    make_post(status=Post.Status.DRAFT, body=f'<p><a href="{SITE}/gone">draft</a></p>')
    assert "Checked 0 external link(s)" in check_links()
    with pytest.raises(CommandError, match="1 broken"):
        check_links("--drafts")


LOOPBACK_SPELLINGS = [
    "http://127.0.0.1/",
    "http://127.1/",
    "http://0x7f000001/",
    "http://2130706433/",
    "http://0177.0.0.1/",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://localhost/",
    "http://0/",
]


@pytest.mark.parametrize("url", LOOPBACK_SPELLINGS)
def test_loopback_in_any_spelling_is_never_contacted(server, make_post, url):
    make_post(body=f'<p><a href="{url}">local</a></p>')
    out = StringIO()
    with pytest.raises(CommandError, match="1 broken"):
        call_command("check_links", "--timeout", "2", stdout=out)
    assert "not checked (" in out.getvalue() and "is not a public address" in out.getvalue()
    assert server.connections == []


@pytest.mark.parametrize(
    "address", ["169.254.169.254", "10.1.2.3", "192.168.0.1", "100.64.0.1", "224.0.0.1",
                "240.0.0.1", "fe80::1", "fd00::1", "64:ff9b::7f00:1"],
)  # fmt: skip
def test_names_resolving_to_private_or_special_addresses_are_not_contacted(
    server, make_post, address
):
    server.dns["intranet.example"] = [address]
    make_post(body='<p><a href="https://intranet.example/">intranet</a></p>')
    out = StringIO()
    with pytest.raises(CommandError, match="1 broken"):
        call_command("check_links", stdout=out)
    assert f"intranet.example is not a public address ({address})" in out.getvalue()
    assert server.connections == []


def test_a_name_with_one_private_address_among_public_ones_is_not_contacted(server, make_post):
    server.dns["mixed.example"] = [PUBLIC, "127.0.0.1"]
    make_post(body='<p><a href="http://mixed.example/ok">mixed</a></p>')
    with pytest.raises(CommandError, match="1 broken"):
        check_links()
    assert server.connections == []


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/to-metadata", "169.254.169.254 is not a public address"),
        ("/to-loopback", "127.1 is not a public address"),
        ("/to-redis", "port 6379"),
        ("/to-ftp", "ftp: is not a web address"),
        ("/loop", "more than 5 redirects"),
    ],
)
def test_every_redirect_is_checked_before_it_is_followed(server, make_post, path, reason):
    make_post(body=f'<p><a href="{SITE}{path}">redirect</a></p>')
    out = StringIO()
    with pytest.raises(CommandError, match="1 broken"):
        call_command("check_links", "--timeout", "2", stdout=out)
    assert reason in out.getvalue()
    # Only links.example itself was dialled: once, or once per hop of the loop.
    assert {address for address, _ in server.connections} == {PUBLIC}


def test_links_to_other_ports_are_not_contacted(server, make_post):
    make_post(body='<p><a href="http://links.example:6379/">redis</a></p>')
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("check_links", stdout=out)
    assert "not checked (port 6379: only http's usual port 80 is tried)" in out.getvalue()
    assert server.connections == []


def test_the_connection_goes_to_the_address_that_was_checked(server, make_post, monkeypatch):
    # DNS rebinding: a second lookup would answer loopback. There is no second lookup.
    answers = iter([[PUBLIC]])
    server.dns = {}
    monkeypatch.setattr(outbound, "resolve", lambda host, port: next(answers, ["127.0.0.1"]))
    make_post(body=f'<p><a href="{SITE}/ok">ok</a></p>')
    assert "0 broken" in check_links()
    assert server.connections == [(PUBLIC, 80)]


def test_a_server_refusing_head_is_asked_for_one_byte_with_get(server, make_post):
    make_post(body=f'<p><a href="{SITE}/no-head">a</a></p>')
    assert "0 broken" in check_links()
    assert server.ranges == [("/no-head", "bytes=0-0")]


def test_results_are_stored_for_the_admin_and_the_dashboard(server, client, editor, make_post):
    post = make_post(
        title="Sciatica", body=f'<p><a href="{SITE}/gone">x</a> <a href="{SITE}/ok">y</a></p>'
    )
    with pytest.raises(CommandError):
        check_links()
    gone = CheckedLink.objects.get(url=f"{SITE}/gone")
    assert gone.is_broken and gone.problem == "HTTP 404" and gone.broken_since
    assert list(gone.posts.all()) == [post]
    assert not CheckedLink.objects.get(url=f"{SITE}/ok").is_broken
    client.force_login(editor)
    assert "1</strong> broken link in articles" in client.get("/admin/").content.decode()
    listing = client.get("/admin/blog/checkedlink/?is_broken__exact=1").content.decode()
    assert f"{SITE}/gone" in listing and "Sciatica" in listing and f"{SITE}/ok" not in listing


def test_a_fixed_link_is_no_longer_broken_and_unused_links_are_forgotten(server, make_post):
    post = make_post(body=f'<p><a href="{SITE}/gone">x</a></p>')
    with pytest.raises(CommandError):
        check_links()
    post.body = f'<p><a href="{SITE}/ok">fixed</a></p>'
    post.save()
    check_links()
    assert list(CheckedLink.objects.values_list("url", "is_broken")) == [(f"{SITE}/ok", False)]


def test_editors_get_the_broken_links_by_email(server, make_post, make_user, mailoutbox):
    make_user(role="Editor", email="editor@example.org")
    make_user(role="Author", email="author@example.org")
    make_post(title="Sciatica", body=f'<p><a href="{SITE}/gone">x</a></p>')
    with pytest.raises(CommandError):
        check_links()
    assert [m.to for m in mailoutbox] == [["editor@example.org"]]
    assert f"HTTP 404: {SITE}/gone" in mailoutbox[0].body
    assert "in “Sciatica”" in mailoutbox[0].body
    assert "Broken links in articles" in mailoutbox[0].subject


def test_no_email_when_every_link_works(server, make_post, make_user, mailoutbox):
    make_user(role="Editor", email="editor@example.org")
    make_post(body=f'<p><a href="{SITE}/ok">x</a></p>')
    check_links()
    assert mailoutbox == []


def test_one_request_per_host_per_second():
    from blog.management.commands.check_links import HostPace

    now, slept = [100.0], []
    pace = HostPace(1.0)
    pace.clock = lambda: now[0]
    pace.sleep = lambda seconds: (slept.append(seconds), now.__setitem__(0, now[0] + seconds))
    for host in ["a.example", "a.example", "b.example", "a.example"]:
        pace.wait(host)
    # The second and fourth requests to a.example waited; b.example did not wait for a.
    assert slept == [1.0, 1.0]
