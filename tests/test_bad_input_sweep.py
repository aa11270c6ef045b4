"""
Every public address and form, hit with what attackers and broken clients send: 100 KB values,
NUL bytes, CRLF, right-to-left overrides, emoji, lone surrogates, bytes that are not UTF-8,
wrong methods, forged and stale tokens, and made-up query parameters. None may answer 5xx.

PostgreSQL refuses NUL in text, which is where 500s hide: run this on both databases.
"""

import pytest
from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.contrib.redirects.models import Redirect
from django.core import signing
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from backandneck.request_input import REFUSED
from blog.models import PreviewLink
from newsletter import link_tracking, tokens
from newsletter.models import Issue, Subscriber

from . import factories

pytestmark = pytest.mark.django_db

LONG = "a" * 100_000
# Percent-encoded as they travel in a query string, a form body or a path.
BAD_VALUES = {
    "long": LONG,
    "nul": "a%00b",
    "crlf": "a%0D%0ASet-Cookie:%20x=y",
    "rtl": "%E2%80%AEtxt.exe",
    "emoji": "%F0%9F%92%A5%F0%9F%A7%A8",
    "surrogate": "%ED%A0%80",
    "not-utf8": "%FF%FE%C0",
    "huge-number": "9" * 40,
    "unicode-digit": "%C2%B2",
    "negative": "-1",
}
METHODS = ["get", "head", "post", "put", "patch", "delete", "options", "trace"]
# Query parameters the site's views read (and WordPress's old ones, answered on the home page).
QUERY_KEYS = ["q", "page", "category", "s", "p", "page_id", "attachment_id", "cat", "tag"]
QUERY_KEYS += ["feed", "m", "paged", "preview_id", "next", "utm_source", "zzz"]
# Fields the public forms send, and one nobody sends.
FORM_KEYS = ["email", "website", "source", "token", "username", "password", "next"]
FORM_KEYS += ["csrfmiddlewaretoken", "List-Unsubscribe", "helpful", "comment", "zzz"]
FORM_KEYS += ["paragraph", "text"]
# The public forms, with a good value for each field: each field in turn gets each bad value
# while the others stay good, so a form can't hide one field's failure behind another's error.
PUBLIC_FORMS = {
    "newsletter:subscribe": {"email": "reader@example.com", "source": "/", "website": ""},
    "newsletter:resubscribe": {"token": "x"},
    "newsletter:confirm": {},
    "newsletter:unsubscribe": {},
    "newsletter:unsubscribe_one_click": {"List-Unsubscribe": "One-Click"},
    "admin:login": {"username": "editor", "password": "pw", "next": "/admin/"},
    "blog:post_feedback": {"helpful": "no", "comment": "Too short.", "website": ""},
    "blog:post_preview_note": {"paragraph": "1", "text": "Cite the guideline here."},
}
# Forms that act for nobody and so carry no CSRF token, to keep pages cacheable (their views
# say why): the footer's newsletter sign-up and the articles' "Was this page helpful?".
TOKENLESS_FORMS = {"newsletter:subscribe", "blog:post_feedback"}


def _patterns(resolver, prefix="", namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            yield namespace + (entry.name or ""), prefix + str(entry.pattern), entry


def public_patterns():
    """Every URL pattern but the admin's (staff only, behind a login; its login page is in)."""
    names = []
    for name, route, _ in _patterns(get_resolver()):
        if route.startswith(settings.ADMIN_URL) and name != "admin:login":
            continue
        if route.startswith("^media/") or route.startswith("^static/"):
            continue
        names.append(name)
    return names


@pytest.fixture(autouse=True)
def _no_rate_limits(monkeypatch):
    """Hundreds of requests from one client: a 429 would hide what a view does with them."""
    monkeypatch.setattr("ratelimits.hit", lambda *args, **kwargs: True)
    monkeypatch.setattr("newsletter.limits.hit", lambda *args, **kwargs: True)


@pytest.fixture(scope="module")
def demo(module_rows):
    """One of everything a public address can name; shared by the module's tests, whose
    requests change nothing another test sees (each runs in a savepoint, see module_rows)."""
    post = factories.make_post(
        tags=["posture"], reviewed_by=factories.make_reviewer(), last_reviewed=timezone.localdate()
    )
    profile = factories.make_author_profile(user=post.author, slug="alex-writer")
    draft = factories.make_post(status="draft")
    preview = PreviewLink.objects.create(post=draft, created_by=factories.make_user("Editor"))
    subscriber = Subscriber.objects.create(
        email="reader@example.com", status=Subscriber.Status.CONFIRMED, confirmed_at=timezone.now()
    )
    issue = Issue.objects.create(subject="This week", status=Issue.Status.SENT)
    FlatPage.objects.get_or_create(url="/privacy-policy/", title="Privacy")[0].sites.add(
        settings.SITE_ID
    )
    Redirect.objects.create(site_id=settings.SITE_ID, old_path="/old-page/", new_path="/")
    return {
        "blog:post_detail": {"slug": post.slug},
        "blog:post_feedback": {"slug": post.slug},
        "blog:category_detail": {"slug": post.category.slug},
        "blog:category_feed": {"slug": post.category.slug},
        "blog:tag_detail": {"slug": "posture"},
        "sitemap_section": {"section": "posts"},
        "blog:post_preview": {"token": preview.get_absolute_url().split("/")[-2]},
        "blog:post_preview_note": {"token": preview.get_absolute_url().split("/")[-2]},
        "blog:year_archive": {"year": f"{post.published_at:%Y}"},
        "blog:month_archive": {"year": f"{post.published_at:%Y}", "month": "01"},
        "blog:day_archive": {"year": f"{post.published_at:%Y}", "month": "01", "day": "01"},
        "people:author_detail": {"slug": profile.slug},
        "people:reviewer_detail": {"slug": post.reviewed_by.slug},
        "newsletter:confirm": {"token": tokens.make_confirm_token(subscriber)},
        "newsletter:unsubscribe": {"token": tokens.make_unsubscribe_token(subscriber)},
        "newsletter:unsubscribe_one_click": {"token": tokens.make_unsubscribe_token(subscriber)},
        "newsletter:issue_detail": {"pk": issue.pk},
        "newsletter:link_redirect": {
            "token": link_tracking.tracked_url(issue.pk, "https://example.org/").split("/")[-2]
        },
        "blog:post_view_count": {"slug": post.slug},
    }


def url_of(name, demo):
    return reverse(name, kwargs=demo.get(name, {}))


def assert_no_server_error(response, what):
    assert response.status_code < 500, f"{what} answered {response.status_code}"


def sweep(client, url, kwargs=None, name=""):
    """Every method, every bad value in the query string, the form body and the path."""
    for method in METHODS:
        response = (
            getattr(client, method)(url) if method != "trace" else client.generic("TRACE", url)
        )
        assert_no_server_error(response, f"{method.upper()} {url}")
    for label, value in BAD_VALUES.items():
        query = "&".join(f"{key}={value}" for key in QUERY_KEYS)
        for method in ("get", "head"):
            response = getattr(client, method)(f"{url}?{query}")
            assert_no_server_error(response, f"{method.upper()} {url} with {label} parameters")
        body = "&".join(f"{key}={value}" for key in FORM_KEYS)
        response = client.post(url, body, content_type="application/x-www-form-urlencoded")
        assert_no_server_error(response, f"POST {url} with a {label} form")
        response = client.post(
            url,
            body,
            content_type="application/x-www-form-urlencoded",
            HTTP_ACCEPT="application/json",
        )
        assert_no_server_error(response, f"POST {url} with a {label} form, asking for JSON")
    for label, value in {
        "raw bytes": b"email=\xff\xfe\x00&source=/\x00",
        "json": b'{"email": "a\\u0000b"}',
        "broken multipart": b'--x\r\nContent-Disposition: form-data; name="email"\r\n\r\na\x00',
    }.items():
        content_type = {
            "json": "application/json",
            "broken multipart": "multipart/form-data; boundary=x",
        }.get(label, "application/x-www-form-urlencoded")
        response = client.post(url, value, content_type=content_type)
        assert_no_server_error(response, f"POST {url} with a {label} body")
    good = PUBLIC_FORMS.get(name, {})
    for field in good:
        for label, value in BAD_VALUES.items():
            body = "&".join(f"{key}={value if key == field else good[key]}" for key in good)
            response = client.post(url, body, content_type="application/x-www-form-urlencoded")
            assert_no_server_error(response, f"POST {url} with a {label} {field}")
    for key in kwargs or {}:
        for label, value in BAD_VALUES.items():
            try:
                bad_url = reverse(name, kwargs={**kwargs, key: "SENTINEL"})
            except Exception:  # The pattern only takes digits, say: the resolver refuses.
                bad_url = None
            if bad_url:
                response = client.get(bad_url.replace("SENTINEL", value))
                assert_no_server_error(response, f"GET {url} with a {label} {key}")
                response = client.post(bad_url.replace("SENTINEL", value))
                assert_no_server_error(response, f"POST {url} with a {label} {key}")
        stale = {**kwargs, key: signing.dumps("forged", salt="wrong")}
        try:
            stale_url = reverse(name, kwargs=stale)
        except Exception:
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(stale_url)
            assert_no_server_error(response, f"{method.upper()} {url} with a forged {key}")


@pytest.mark.parametrize("name", public_patterns())
def test_no_public_address_answers_a_server_error_to_bad_input(client, demo, name):
    sweep(client, url_of(name, demo), demo.get(name), name)


@pytest.mark.parametrize("path", ["/privacy-policy/", "/old-page/", "/no-such-page/", "/%00/"])
def test_pages_outside_the_url_patterns_refuse_bad_input_too(client, demo, path):
    sweep(client, path)


def test_every_public_address_with_arguments_has_demo_values(demo):
    for name, route, _ in _patterns(get_resolver()):
        if name in public_patterns() and ("<" in route or "(?P" in route):
            assert name in demo, f"add sample arguments for {name} ({route}) to the demo fixture"


@pytest.mark.parametrize("name", [name for name in PUBLIC_FORMS if name not in TOKENLESS_FORMS])
def test_every_form_that_acts_for_someone_refuses_a_missing_or_stale_csrf_token(demo, name):
    client = Client(enforce_csrf_checks=True)
    url = url_of(name, demo)
    client.get(url)  # Sets the CSRF cookie where the page has a form.
    for data in [PUBLIC_FORMS[name], {**PUBLIC_FORMS[name], "csrfmiddlewaretoken": "stale" * 13}]:
        response = client.post(url, data)
        if name == "newsletter:unsubscribe_one_click":  # RFC 8058: no cookies, no token.
            assert response.status_code == 200
            continue
        assert response.status_code == 403
        assert "This form has expired" in response.content.decode()


def test_a_nul_byte_anywhere_is_a_clear_400(client, demo):
    for url in ["/%00/", "/newsletter/confirm/a%00b/", "/a%0D%0Ab/"]:
        response = client.get(url)
        assert response.status_code == 400
        assert b"characters we can" in response.content
    response = client.post(
        reverse("newsletter:subscribe"),
        "email=a%00@example.com",
        "application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert not Subscriber.objects.filter(email__startswith="a").exists()


@pytest.mark.parametrize(
    ("method", "name"),
    [
        ("get", "newsletter:subscribe"),
        ("put", "newsletter:confirm"),
        ("delete", "newsletter:unsubscribe"),
        ("get", "newsletter:unsubscribe_one_click"),
        ("get", "newsletter:resubscribe"),
        ("post", "search:search"),
        ("post", "blog:post_detail"),
        ("patch", "home"),
    ],
)
def test_a_wrong_method_is_a_405_that_says_so(client, demo, method, name):
    response = getattr(client, method)(url_of(name, demo))
    assert response.status_code == 405
    assert "doesn’t take that kind of request" in response.content.decode()
    assert response["Allow"]


def test_a_nul_in_the_sign_up_form_is_a_clear_json_400_for_the_page_script(client):
    response = client.post(
        reverse("newsletter:subscribe"),
        "email=reader%40example.com&website=a%00",
        "application/x-www-form-urlencoded",
        headers={"accept": "application/json"},
    )
    assert response.status_code == 400
    assert response.json() == {"ok": False, "message": REFUSED}


def test_search_takes_any_text_and_answers_a_page(client, demo):
    for value in BAD_VALUES.values():
        if value != "a%00b":
            response = client.get(f"/search/?q={value}&category={value}")
            assert response.status_code in (200, 404), value  # 404: no such page of results.


@pytest.mark.parametrize("name", ["home", "search:search"])
def test_each_query_parameter_alone_takes_any_value(client, demo, name):
    # One at a time: a view that reads the first parameter it knows (the home page's old
    # WordPress ones) would otherwise never look at the others.
    url = url_of(name, demo)
    for key in QUERY_KEYS:
        for label, value in BAD_VALUES.items():
            response = client.get(f"{url}?{key}={value}")
            assert_no_server_error(response, f"GET {url} with a {label} {key}")


@pytest.mark.parametrize("name", ["home", "blog:post_detail", "blog:feed", "newsletter:signup"])
def test_bad_input_is_no_server_error_with_the_page_cache_on_either(client, demo, settings, name):
    settings.PAGE_CACHE_SECONDS = 3600
    url = url_of(name, demo)
    for _ in range(2):  # The second time from the cache, where it was stored.
        for label, value in BAD_VALUES.items():
            response = client.get(f"{url}?utm_source={value}&{value}=1")
            assert_no_server_error(response, f"GET {url} with a {label} parameter, cached")
