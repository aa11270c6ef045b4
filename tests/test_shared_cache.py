"""A shared cache in front: the headers public and private pages carry, and the purges sent."""

import http.server
import json
import threading
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.utils import timezone
from django_tasks import default_task_backend

import pagecache
from pagecache import generations, shared_cache

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 600


class FakePurgeAPI(http.server.BaseHTTPRequestHandler):
    """Cloudflare's purge_cache endpoint and a Varnish that accepts BAN, recording each call."""

    calls = []
    status = 200

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.calls.append(("POST", self.path, dict(self.headers), json.loads(body)))
        self.answer({"success": self.status == 200, "errors": [], "result": {"id": "zone"}})

    def do_BAN(self):
        self.calls.append(("BAN", self.path, dict(self.headers), None))
        self.answer({"banned": self.headers.get("X-Purge-Tags")})

    def answer(self, payload):
        body = json.dumps(payload).encode()
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_api():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakePurgeAPI)
    FakePurgeAPI.calls, FakePurgeAPI.status = [], 200
    threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", FakePurgeAPI
    server.shutdown()
    server.server_close()


@pytest.fixture
def cloudflare(settings, fake_api):
    url, api = fake_api
    settings.SHARED_CACHE_PURGE = "pagecache.shared_cache.CloudflareBackend"
    settings.CLOUDFLARE_API_URL = url
    settings.CLOUDFLARE_ZONE_ID = "zone123"
    settings.CLOUDFLARE_API_TOKEN = "secret-token"
    return api


@pytest.fixture
def varnish(settings, fake_api):
    url, api = fake_api
    settings.SHARED_CACHE_PURGE = "pagecache.shared_cache.VarnishBackend"
    settings.VARNISH_URLS = f"{url}/, {url}/second"
    return api


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a change as a committed transaction, then let the background purges finish."""

    def commit(change, *args):
        with django_capture_on_commit_callbacks(execute=True):
            change(*args)
        shared_cache.wait_for_purges()

    return commit


def purged_tags(api):
    return [
        set(call[3]["tags"]) if call[0] == "POST" else call[2]["X-Purge-Tags"] for call in api.calls
    ]


def test_a_public_article_tells_shared_caches_to_keep_it_with_its_tags(client, make_post, category):
    post = make_post(title="Sitting well", slug="sitting-well", category=category)
    response = client.get(post.get_absolute_url())
    cache_control = response["Cache-Control"]
    assert cache_control.startswith("public, ")
    assert "max-age=60" in cache_control and "s-maxage=1" in cache_control
    assert "stale-if-error=86400" in cache_control
    # Without purges, a copy past its second may be out of date.
    assert "stale-while-revalidate" not in cache_control
    assert response["Cache-Tag"] == "site,post-sitting-well"
    assert response["Surrogate-Key"] == response["xkey"] == "site post-sitting-well"
    # nginx keeps it to the end of this second (an absolute time: nginx counts whole seconds).
    assert abs(int(response["X-Accel-Expires"].lstrip("@")) - time.time()) < 2
    # A hit carries the same headers as the render that stored it.
    assert client.get(post.get_absolute_url())["Cache-Tag"] == "site,post-sitting-well"


def test_nginx_revalidating_a_page_gets_a_304_with_a_new_expiry_and_the_page_is_stored(
    client, make_post, django_assert_num_queries
):
    post = make_post()
    etag = client.get(post.get_absolute_url())["ETag"]
    pagecache.new_generation()  # The page is no longer stored; its bytes are the same.
    revalidated = client.get(post.get_absolute_url(), headers={"If-None-Match": etag})
    assert revalidated.status_code == 304
    assert revalidated["X-Accel-Expires"].startswith("@")
    with django_assert_num_queries(0):  # Stored by the conditional request.
        again = client.get(post.get_absolute_url(), headers={"If-None-Match": etag})
    assert again.status_code == 304 and again["X-Accel-Expires"].startswith("@")


def test_stored_pages_are_served_with_a_fresh_expiry_for_nginx(client, make_post, monkeypatch):
    from backandneck.wsgi import application

    post = make_post()
    client.get(post.get_absolute_url())
    monkeypatch.setattr(time, "time", lambda: 4_000_000_000.5)
    answered = {}
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": post.get_absolute_url(), "HTTP_HOST": "testserver",
        "wsgi.url_scheme": "http", "SERVER_NAME": "testserver", "SERVER_PORT": "80",
    }  # fmt: skip
    application(environ, lambda status, headers: answered.update(headers))
    assert answered["X-Accel-Expires"] == "@4000000000"


def test_a_purging_backend_lets_caches_keep_pages_for_a_day(client, cloudflare, make_post):
    make_post()
    cache_control = client.get("/")["Cache-Control"]
    assert "s-maxage=86400" in cache_control and "stale-while-revalidate=60" in cache_control


def test_list_feed_and_sitemap_pages_are_tagged_by_what_they_show(client, make_post, category):
    make_post(category=category, tags=["posture"])
    assert client.get("/category/lower-back-pain/")["Cache-Tag"] == "site,category-lower-back-pain"
    assert client.get("/tag/posture/")["Cache-Tag"] == "site,tag-posture"
    assert client.get("/feed/")["Cache-Tag"] == "site,feeds"
    assert client.get("/sitemap.xml")["Cache-Tag"] == "site,sitemap"
    assert client.get("/")["Cache-Tag"] == "site"


def test_unicode_slugs_become_plain_ascii_tags(client, make_post):
    post = make_post(slug="rückenschmerzen")
    assert client.get(post.get_absolute_url())["Cache-Tag"] == "site,post-r%C3%BCckenschmerzen"


@pytest.mark.parametrize("url", ["/search/?q=back", "/?utm_source=x&anything=1", "/no-such-page/"])
def test_pages_not_stored_for_everyone_are_private(client, make_post, url):
    make_post()
    response = client.get(url)
    assert "private" in response["Cache-Control"]
    assert "Cache-Tag" not in response and "X-Accel-Expires" not in response


def test_previews_the_admin_and_staff_pages_are_never_shared(client, admin_client, make_post):
    draft = make_post(status="draft")
    staff_view = admin_client.get(draft.get_absolute_url())
    assert "no-store" in staff_view["Cache-Control"] and "Cache-Tag" not in staff_view
    assert "private" in admin_client.get("/")["Cache-Control"]
    assert "no-store" in admin_client.get("/admin/")["Cache-Control"]
    assert "private" in client.get("/admin/login/")["Cache-Control"]


def test_answers_to_posts_are_private(client, make_post):
    post = make_post()
    response = client.post(f"{post.get_absolute_url()}feedback/", {"helpful": "yes"})
    assert "private" in response["Cache-Control"]


def test_saving_a_post_purges_the_site_from_cloudflare_after_the_commit(
    cloudflare, make_post, commit
):
    post = make_post()
    cloudflare.calls.clear()
    post.title = "A new title"
    commit(post.save)
    [(method, path, headers, payload)] = cloudflare.calls
    assert (method, path, payload) == ("POST", "/zones/zone123/purge_cache", {"tags": ["site"]})
    assert headers["Authorization"] == "Bearer secret-token"


def test_nothing_is_purged_before_the_transaction_commits(cloudflare, make_post, settings):
    post = make_post()
    cloudflare.calls.clear()
    post.title = "Rolled back"
    post.save()  # The test's transaction never commits.
    shared_cache.wait_for_purges()
    assert cloudflare.calls == []


def test_a_body_only_edit_purges_the_article_its_feeds_and_the_sitemap(
    cloudflare, make_post, commit
):
    post = make_post(slug="sitting-well", body="<p>" + "word " * 50 + "</p>")
    cloudflare.calls.clear()
    post.body = "<p>" + "word " * 49 + "wording</p>"
    commit(post.save)
    assert purged_tags(cloudflare) == [{"post-sitting-well", "feeds", "sitemap"}]


def test_a_longer_body_that_changes_the_reading_time_purges_the_site(cloudflare, make_post, commit):
    post = make_post(body="<p>" + "word " * 50 + "</p>")
    cloudflare.calls.clear()
    post.body = "<p>" + "word " * 2000 + "</p>"
    commit(post.save)
    assert purged_tags(cloudflare) == [{"site"}]


def test_editing_a_draft_purges_nothing(cloudflare, make_post, commit):
    draft = make_post(status="draft")
    cloudflare.calls.clear()
    draft.title = "Still a draft"
    commit(draft.save)
    draft.tags.add("posture")
    shared_cache.wait_for_purges()
    assert cloudflare.calls == []


def test_publishing_a_draft_and_deleting_a_post_purge_the_site(cloudflare, make_post, commit):
    draft = make_post(status="draft")
    cloudflare.calls.clear()
    draft.status, draft.published_at = "published", timezone.now()
    commit(draft.save)
    commit(draft.delete)
    assert purged_tags(cloudflare) == [{"site"}, {"site"}]


def test_many_changes_in_one_transaction_send_one_purge(cloudflare, make_post, commit):
    posts = [make_post(), make_post()]
    cloudflare.calls.clear()

    def edit_both():
        for post in posts:
            post.title += " (revised)"
            post.save()

    commit(edit_both)
    assert purged_tags(cloudflare) == [{"site"}]


def test_varnish_gets_a_ban_by_tag_at_each_address(varnish, make_post, commit):
    post = make_post()
    varnish.calls.clear()
    post.title = "Changed"
    commit(post.save)
    assert [(c[0], c[1], c[2]["X-Purge-Tags"]) for c in varnish.calls] == [
        ("BAN", "/", "site"),
        ("BAN", "/second", "site"),
    ]


def test_a_failed_purge_is_logged_and_queued_for_the_task_worker(
    cloudflare, make_post, commit, caplog
):
    post = make_post()
    cloudflare.status = 500
    post.title = "Changed while the CDN is down"
    commit(post.save)
    assert "Shared cache purge of ['site'] failed (attempt 1)" in caplog.text

    default_task_backend.clear()
    assert shared_cache.purge_now(["site"]) is False  # What the background thread ran.
    [retry] = default_task_backend.results
    assert retry.task.name == "retry_purge" and retry.args == [["site"], 1]
    assert retry.task.run_after > timezone.now()

    cloudflare.status = 200
    assert shared_cache.retry_purge.call(*retry.args) is True
    assert purged_tags(cloudflare)[-1] == {"site"}


def test_a_purge_that_keeps_failing_is_given_up_after_the_last_retry(cloudflare, caplog):
    cloudflare.status = 503
    default_task_backend.clear()
    assert shared_cache.retry_purge.call(["site"], len(shared_cache.RETRY_AFTER)) is False
    assert default_task_backend.results == []
    assert "given up" in caplog.text


def test_a_cdn_that_never_answers_does_not_hold_up_the_save(
    cloudflare, settings, make_post, django_capture_on_commit_callbacks
):
    import socket
    import time

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()
    settings.CLOUDFLARE_API_URL = f"http://127.0.0.1:{silent.getsockname()[1]}"
    settings.SHARED_CACHE_PURGE_TIMEOUT = 0.5
    post = make_post()
    post.title = "Saved at once"
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        post.save()
    assert time.monotonic() - started < 0.4
    shared_cache.wait_for_purges()
    silent.close()


def test_a_scheduled_post_queues_its_purge_for_its_time(cloudflare, make_post, commit):
    default_task_backend.clear()
    goes_live = timezone.now() + timedelta(hours=2)
    commit(lambda: make_post(published_at=goes_live))
    queued = [r for r in default_task_backend.results if r.task.name == "publish_scheduled"]
    assert queued and abs(queued[-1].task.run_after - goes_live) < timedelta(seconds=1)

    cloudflare.calls.clear()
    assert shared_cache.publish_scheduled.call() is True
    assert purged_tags(cloudflare) == [{"site"}]


def test_the_first_reader_after_a_scheduled_time_purges_if_no_worker_did(
    cloudflare, client, make_post
):
    post = make_post()
    post_time = timezone.now() + timedelta(seconds=30)
    make_post(published_at=post_time)
    pagecache.forget_local()
    generations.generation_store().replace(
        {"token": "old", "ends_at": timezone.now().timestamp() - 1}
    )
    cloudflare.calls.clear()
    client.get(post.get_absolute_url())
    shared_cache.wait_for_purges()
    assert purged_tags(cloudflare) == [{"site"}]


def test_the_deploy_check_names_a_backend_that_cannot_purge(settings):
    settings.SHARED_CACHE_PURGE = "pagecache.shared_cache.CloudflareBackend"
    settings.CLOUDFLARE_ZONE_ID = ""
    with pytest.raises(SystemCheckError, match="CLOUDFLARE_ZONE_ID and CLOUDFLARE_API_TOKEN"):
        call_command("check", "--deploy", "--fail-level", "ERROR")
    settings.SHARED_CACHE_PURGE = "pagecache.shared_cache.NoSuchBackend"
    with pytest.raises(SystemCheckError, match="SHARED_CACHE_PURGE names no backend"):
        call_command("check", "--deploy", "--fail-level", "ERROR")
