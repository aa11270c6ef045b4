import re
import time
from datetime import date, timedelta

import pytest
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.core import signals
from django.db import close_old_connections
from django.test import Client, RequestFactory
from django.utils import timezone
from taggit.models import Tag

import pagecache
from blog.models import Post
from pagecache import checks, generations
from pagecache.pages import PageCacheMiddleware
from siteconfig.models import SiteSettings, SocialLink

from .test_health import Database

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 600


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what the content change left for the end of its transaction, as a real commit does."""

    def commit(change, *args):
        with django_capture_on_commit_callbacks(execute=True):
            change(*args)

    return commit


@pytest.fixture
def site(make_post, category):
    post = make_post(title="Sitting well", category=category, tags=["posture"])
    FlatPage.objects.create(url="/about/", title="About us", content="<p>Who we are.</p>")
    FlatPage.objects.get().sites.add(Site.objects.get_current())
    return post


def test_a_repeat_visit_is_served_without_touching_the_database(
    client, site, django_assert_num_queries
):
    pages = ["/", site.get_absolute_url(), "/category/lower-back-pain/", "/feed/", "/about/"]
    for url in pages:
        first = client.get(url)
        with django_assert_num_queries(0):
            second = client.get(url)
        assert second.status_code == 200
        assert second.content == first.content
        assert second["Content-Type"] == first["Content-Type"]


def test_a_cached_page_keeps_its_security_headers(client, site):
    client.get("/")
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" in response


def test_each_page_of_a_list_is_cached_on_its_own(client, make_post, category):
    for n in range(13):
        make_post(title=f"Article {n}", category=category)
    first_page = client.get("/category/lower-back-pain/").content
    second_page = client.get("/category/lower-back-pain/?page=2").content
    assert first_page != second_page
    assert client.get("/category/lower-back-pain/?page=2").content == second_page


def edit_post(post):
    post.title = "Sitting well, updated"
    post.save()


def publish_new_post(post):
    Post.objects.create(
        title="Sitting well, updated",
        body="<p>New.</p>",
        author=post.author,
        category=post.category,
        status=Post.Status.RELEASED,
    )


def unpublish_post(post):
    post.status = Post.Status.DRAFT
    post.save()


def delete_post(post):
    post.delete()


def rename_category(post):
    post.category.name = "Sitting well, updated"
    post.category.save()


def tag_post(post):
    post.tags.add("Sitting well, updated")


def rename_tag(post):
    Tag.objects.filter(name="posture").update(name="Sitting well, updated")
    Tag.objects.get(name="Sitting well, updated").save()


def edit_page(post):
    FlatPage.objects.filter(url="/about/").update(title="Sitting well, updated")
    FlatPage.objects.get(url="/about/").save()


def edit_site_settings(post):
    site_settings = SiteSettings.load()
    site_settings.tagline = "Sitting well, updated"
    site_settings.save()


def add_social_link(post):
    SocialLink.objects.create(
        site_settings=SiteSettings.load(),
        network=SocialLink.Network.YOUTUBE,
        url="https://example.com/sitting-well-updated",
    )


CHANGES = [
    # A change, a page it changes, and what readers see there afterwards (None: it is gone).
    (edit_post, "/", "Sitting well, updated"),
    (publish_new_post, "/feed/", "Sitting well, updated"),
    (unpublish_post, "/category/lower-back-pain/", None),
    (delete_post, "/", None),
    (rename_category, "/", "Sitting well, updated"),
    (tag_post, "/sitting-well/", "Sitting well, updated"),
    (rename_tag, "/sitting-well/", "Sitting well, updated"),
    (edit_page, "/about/", "Sitting well, updated"),
    (edit_site_settings, "/", "Sitting well, updated"),
    (add_social_link, "/about/", "sitting-well-updated"),
]


@pytest.mark.parametrize(
    ("change", "url", "shown"), CHANGES, ids=[change.__name__ for change, *_ in CHANGES]
)
def test_every_kind_of_content_change_shows_at_once(client, site, commit, change, url, shown):
    before = client.get(url)
    assert client.get(url).page_cache == "hit"
    commit(change, site)
    after = client.get(url).content.decode()
    assert after != before.content.decode()
    if shown:
        assert shown in after
    else:
        assert "Sitting well" not in after


def test_a_scheduled_post_appears_when_its_time_comes(client, make_post, category):
    make_post(title="Old news", category=category)
    soon = make_post(
        title="Fresh news",
        category=category,
        published_at=timezone.now() + timedelta(seconds=1),
    )
    assert "Fresh news" not in client.get("/").content.decode()
    time.sleep((soon.published_at - timezone.now()).total_seconds() + 0.05)
    # Nothing was saved: the generation ends because it knew when the next post was due.
    assert "Fresh news" in client.get("/").content.decode()


def test_staff_always_see_fresh_pages(client, site, editor, django_assert_max_num_queries):
    client.force_login(editor)
    client.get("/")
    with django_assert_max_num_queries(50) as queries:
        response = client.get("/")
    assert len(queries) > 0
    assert "private" in response["Cache-Control"]


def test_a_preview_is_never_cached_for_anyone(client, make_post, editor):
    draft = make_post(title="Secret draft", status=Post.Status.DRAFT)
    client.force_login(editor)
    assert "Secret draft" in client.get(draft.get_absolute_url()).content.decode()
    client.logout()
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_responses_that_set_a_cookie_or_depend_on_one_are_not_stored():
    from django.http import HttpResponse

    served = []

    def view(request):
        served.append(request)
        response = HttpResponse(f"render {len(served)}")
        if request.path == "/sets-cookie/":
            response.set_cookie("csrftoken", "abc")
        elif request.path == "/uses-cookie/":
            response["Vary"] = "Cookie"
        elif request.path == "/private/":
            response["Cache-Control"] = "private"
        return response

    middleware = PageCacheMiddleware(view)
    with_cookie = RequestFactory(HTTP_COOKIE="csrftoken=secret-of-one-reader")
    requests = {
        "/sets-cookie/": RequestFactory(),
        "/uses-cookie/": with_cookie,
        "/private/": RequestFactory(),
    }
    for path, factory in requests.items():
        first = middleware(factory.get(path))
        second = middleware(factory.get(path))
        assert first.content != second.content, path
    middleware(RequestFactory().get("/uses-cookie/"))
    assert middleware(RequestFactory().get("/uses-cookie/")).page_cache == "hit"


def test_pages_are_rendered_as_usual_when_the_cache_is_down(client, site, settings):
    settings.CACHES = {
        **settings.CACHES,  # With the fragments cache.
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.5},
        },
    }
    assert client.get("/").status_code == 200


def test_the_page_cache_can_be_turned_off(client, site, settings, django_assert_max_num_queries):
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/")
    with django_assert_max_num_queries(50) as queries:
        client.get("/")
    assert len(queries) > 0


@pytest.mark.parametrize("url", ["/", "/sitting-well/", "/category/lower-back-pain/", "/feed/"])
def test_a_repeat_request_with_the_etag_gets_304(client, site, url):
    first = client.get(url)
    assert first["ETag"]
    repeat = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert repeat.status_code == 304
    assert repeat.content == b""


@pytest.mark.parametrize("url", ["/", "/sitting-well/", "/feed/"])
def test_a_repeat_request_with_the_date_gets_304(client, site, url):
    first = client.get(url)
    repeat = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert repeat.status_code == 304


def test_a_changed_page_answers_200_to_the_old_etag(client, site, commit):
    first = client.get("/")
    commit(edit_post, site)
    assert client.get("/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_feeds_say_when_their_newest_article_changed(client, site):
    response = client.get("/feed/")
    assert response["Last-Modified"]
    older = client.get("/feed/", HTTP_IF_MODIFIED_SINCE="Mon, 01 Jan 2001 00:00:00 GMT")
    assert older.status_code == 200


def test_conditional_get_works_with_the_page_cache_off(client, site, settings):
    settings.PAGE_CACHE_SECONDS = 0
    first = client.get("/sitting-well/")
    assert client.get("/sitting-well/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_the_footer_sign_up_works_on_a_page_served_from_the_cache(
    site, mailoutbox, django_assert_num_queries, settings
):
    # The sign-up's mail is a task (newsletter.tasks.request_subscription): run it on enqueue.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    reader = Client(enforce_csrf_checks=True)  # As strict as a browser session.
    reader.get("/")
    with django_assert_num_queries(0):
        page = reader.get("/")
    assert "csrftoken" not in page.cookies
    form = re.search(r'<form class="signup-form" action="([^"]+)"', page.content.decode())
    response = reader.post(
        form.group(1),
        {"email": "reader@example.com", "source": "/"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200
    assert response.json()["ok"]
    assert mailoutbox[0].to == ["reader@example.com"]


def test_forms_that_act_for_someone_keep_their_csrf_protection(client):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/admin/login/", {"username": "a", "password": "b"}).status_code == 403


def test_a_change_made_by_another_process_shows_at_the_next_request(client, site, settings):
    client.get("/")
    assert client.get("/").page_cache == "hit"
    # Another process on this machine saved something: it replaced the generation file.
    other_process = generations.FileGeneration()
    other_process.replace({"token": "from-elsewhere", "ends_at": None})
    assert client.get("/").page_cache == "miss"
    assert client.get("/").page_cache == "hit"


def test_a_damaged_generation_file_starts_a_new_generation(client, site, settings):
    client.get("/")
    settings.PAGE_CACHE_GENERATION_FILE.write_text("{not json")
    assert client.get("/").page_cache == "miss"
    assert client.get("/").page_cache == "hit"


@pytest.fixture
def wsgi(monkeypatch):
    """The site's WSGI application; `wsgi.django_calls` lists what reached Django itself."""
    from backandneck.wsgi import application

    django = application.application
    django_calls = []

    def counted(environ, start_response):
        django_calls.append(environ["PATH_INFO"])
        return django(environ, start_response)

    monkeypatch.setattr(application, "application", counted)

    def call(path="/", **extra):
        environ = {**RequestFactory().get(path).environ, "HTTP_HOST": "testserver", **extra}
        answered = {}

        def start_response(status, headers):
            answered.update(status=status, headers=dict(headers))

        # As Django's test client does: a request must not close the test's database connection.
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        try:
            response = application(environ, start_response)
            body = b"".join(response)
            getattr(response, "close", lambda: None)()
        finally:
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)
        return answered["status"], answered["headers"], body

    call.django_calls = django_calls
    return call


def test_a_stored_page_is_answered_before_django_builds_a_request(client, site, wsgi, caplog):
    page = client.get("/", HTTP_HOST="testserver")
    caplog.clear()
    with caplog.at_level("INFO", logger="backandneck.requests"):
        status, headers, body = wsgi("/")
    assert wsgi.django_calls == []
    assert status == "200 OK"
    assert body == page.content
    assert headers["Content-Security-Policy"] == page["Content-Security-Policy"]
    assert headers["ETag"] == page["ETag"]
    (logged,) = [r for r in caplog.records if r.name == "backandneck.requests"]
    assert (logged.path, logged.status, logged.cache) == ("/", 200, "hit")


@pytest.mark.parametrize(
    "environ",
    [
        {"HTTP_COOKIE": "sessionid=abc"},
        {"HTTP_IF_NONE_MATCH": '"x"'},
        {"REQUEST_METHOD": "HEAD"},
        {"QUERY_STRING": "page=2"},
    ],
    ids=["staff", "conditional", "head", "other-address"],
)
def test_everything_else_goes_on_to_django(client, site, wsgi, environ):
    client.get("/", HTTP_HOST="testserver")
    status, _, _ = wsgi("/", **environ)
    assert wsgi.django_calls == ["/"]
    assert status.split()[0] in {"200", "304"}


def test_the_fast_path_and_django_agree_on_a_page_address(client, site, wsgi, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    client.get("/", HTTP_HOST="testserver", HTTP_X_FORWARDED_PROTO="https")
    assert wsgi("/", HTTP_X_FORWARDED_PROTO="https")[0] == "200 OK"
    assert wsgi.django_calls == []
    wsgi("/")  # Over http it is another address, not stored yet.
    assert wsgi.django_calls == ["/"]


def test_renaming_the_medical_reviewer_shows_on_the_article_at_once(
    client, make_post, make_reviewer, commit
):
    reviewer = make_reviewer(name="Dr Ada Spine")
    post = make_post(reviewed_by=reviewer, last_reviewed=date(2026, 1, 5))
    assert "Dr Ada Spine" in client.get(post.get_absolute_url()).content.decode()
    assert client.get(post.get_absolute_url()).page_cache == "hit"
    reviewer.name = "Dr Ada Backbone"
    commit(reviewer.save)
    assert "Dr Ada Backbone" in client.get(post.get_absolute_url()).content.decode()


def test_an_author_renamed_shows_at_once_but_logging_in_keeps_the_cache(
    client, make_post, make_user, commit
):
    author = make_user(first_name="Maya", last_name="Hughes")
    post = make_post(author=author)
    assert "Maya Hughes" in client.get(post.get_absolute_url()).content.decode()
    author.last_login = timezone.now()
    commit(lambda: author.save(update_fields=["last_login"]))
    assert client.get(post.get_absolute_url()).page_cache == "hit"
    author.last_name = "Hughes-Okafor"
    commit(author.save)
    assert "Maya Hughes-Okafor" in client.get(post.get_absolute_url()).content.decode()


def test_an_unwritable_generation_file_fails_the_system_checks(settings, tmp_path):
    settings.PAGE_CACHE_SECONDS = 600
    settings.PAGE_CACHE_GENERATION_FILE = "/proc/page-cache-generation"  # Not even root writes.
    assert [error.id for error in checks.check_generation_file(None)] == ["pagecache.E001"]
    settings.PAGE_CACHE_GENERATION_FILE = tmp_path / "new" / "page-cache-generation"
    assert checks.check_generation_file(None) == []


def test_bulk_changes_start_one_generation_and_still_show(client, site, commit, monkeypatch):
    started = []
    real = generations.new_generation
    monkeypatch.setattr(generations, "new_generation", lambda: started.append(1) or real())
    client.get("/")
    assert client.get("/").page_cache == "hit"

    def import_many():
        with pagecache.changes_batched():
            for n in range(20):
                site.title = f"Sitting well, take {n}"
                site.save()
            assert client.get("/").page_cache == "hit"  # Mid-way: nothing started yet.

    commit(import_many)
    assert len(started) == 2  # At the end, and when the transaction commits.
    page = client.get("/")
    assert page.page_cache != "hit" and "Sitting well, take 19" in page.content.decode()


def test_made_up_query_strings_are_rendered_but_never_fill_the_cache(client, site):
    client.get("/")
    junk = [f"/?x{n}={n}" for n in range(20)]
    junk += [
        f"/category/lower-back-pain/?{query}"
        for query in ["page=abc", "page=99999", "page=2&sort=new", "p=0", "p=1"]
    ]
    # A page number means nothing to an article, so it cannot multiply every article.
    junk += [f"{site.get_absolute_url()}?page={n}" for n in range(1, 6)]
    for url in junk * 2:  # Asked twice: never stored, so never a hit.
        response = client.get(url)
        assert response.status_code in (200, 404)
        assert response.page_cache == "miss"
    assert client.get("/").page_cache == "hit"


def test_tracking_parameters_get_the_page_stored_for_the_plain_address(
    client, site, django_assert_num_queries
):
    page = client.get(site.get_absolute_url())
    with django_assert_num_queries(0):
        tracked = client.get(f"{site.get_absolute_url()}?utm_source=newsletter&fbclid=abc")
    assert tracked.content == page.content
    assert tracked.page_cache == "hit"


def test_a_page_rendered_with_tracking_parameters_is_not_stored_with_them(
    client, make_post, category
):
    for n in range(13):
        make_post(title=f"Article {n}", category=category)
    tracked = client.get("/category/lower-back-pain/?utm_source=x").content.decode()
    plain = client.get("/category/lower-back-pain/")
    assert plain.page_cache == "miss"
    assert "utm_source" not in plain.content.decode()
    assert "utm_source" in tracked  # Its "Older" link keeps the reader's parameters.


def test_the_fast_path_ignores_tracking_parameters_and_passes_on_others(client, site, wsgi):
    client.get("/", HTTP_HOST="testserver")
    assert wsgi("/", QUERY_STRING="utm_campaign=spring")[0] == "200 OK"
    assert wsgi.django_calls == []
    wsgi("/", QUERY_STRING="cachebuster=1")
    assert wsgi.django_calls == ["/"]


def test_cached_pages_are_served_while_the_database_is_down(site, monkeypatch):
    reader = Client(raise_request_exception=False)
    pages = ["/", site.get_absolute_url(), "/feed/", "/about/"]
    before = [reader.get(url).content for url in pages]
    Database(monkeypatch).stop()
    after = [reader.get(url) for url in pages]
    assert [response.status_code for response in after] == [200] * len(pages)
    assert [response.content for response in after] == before
    # A page nobody asked for yet needs the database: the friendly 503, built without it.
    uncached = reader.get("/category/lower-back-pain/")
    assert uncached.status_code == 503
    assert uncached["Retry-After"] == "30"
    assert "We’ll be back in a moment" in uncached.content.decode()


def test_a_post_due_while_the_database_is_down_leaves_the_cached_pages_served(site, monkeypatch):
    reader = Client(raise_request_exception=False)
    home = reader.get("/").content
    # A scheduled post's time has come: the generation ends, and a new one needs the database.
    store = generations.generation_store()
    store.replace({"token": generations.current_token(), "ends_at": time.time() - 1})
    database = Database(monkeypatch)
    database.stop()
    assert reader.get("/").status_code == 200
    assert reader.get("/").content == home
    database.start()
    pagecache.forget_local()  # As a process started now, which asks the database at once.
    assert reader.get("/").page_cache == "miss"  # A new generation, once the database is back.
