"""manage.py check_links, against a small HTTP server on 127.0.0.1 (no other network)."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from blog.models import Post

pytestmark = pytest.mark.django_db


class Handler(BaseHTTPRequestHandler):
    def do_HEAD(self):
        if self.path == "/no-head":
            self.send_response(405)
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
        elif self.path in {"/ok", "/no-head"}:
            self.send_response(200)
        else:
            self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
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
    for name in ["http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy"]:
        monkeypatch.delenv(name, raising=False)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


def check_links(*args):
    out = StringIO()
    call_command("check_links", "--timeout", "5", *args, stdout=out)
    return out.getvalue()


def test_working_links_redirects_and_servers_refusing_head_pass(server, make_post):
    post = make_post(body=f'<p><a href="{server}/ok">a</a> <a href="{server}/moved">b</a></p>')
    post.references.create(title="A guideline", url=f"{server}/no-head")
    assert "Checked 3 external link(s): 0 broken." in check_links()


def test_broken_links_are_listed_with_the_articles_using_them(server, make_post):
    first = make_post(title="Sciatica", body=f'<p><a href="{server}/gone">gone</a></p>')
    make_post(title="Neck pain").references.create(title="Old page", url=f"{server}/gone")
    make_post(title="Fine", body=f'<p><a href="{server}/ok">ok</a></p>')
    out = StringIO()
    with pytest.raises(CommandError, match="Checked 2 external link"):
        call_command("check_links", "--timeout", "5", stdout=out)
    report = out.getvalue()
    assert f"HTTP 404: {server}/gone" in report
    assert "in “Sciatica”" in report and "in “Neck pain”" in report
    assert f"/admin/blog/post/{first.pk}/change/" in report
    assert "Fine" not in report


def test_unreachable_hosts_are_reported(make_post, monkeypatch):
    for name in ["http_proxy", "HTTP_PROXY"]:
        monkeypatch.delenv(name, raising=False)
    make_post(body='<p><a href="http://127.0.0.1:9/">closed port</a></p>')
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("check_links", "--timeout", "2", stdout=out)
    assert "unreachable" in out.getvalue()


def test_internal_links_and_drafts_are_not_fetched(server, make_post):
    make_post(body='<p><a href="http://127.0.0.1:8000/elsewhere/">internal</a></p>')
    make_post(status=Post.Status.DRAFT, body=f'<p><a href="{server}/gone">draft</a></p>')
    assert "Checked 0 external link(s)" in check_links()
    with pytest.raises(CommandError, match="1 broken"):
        check_links("--drafts")
