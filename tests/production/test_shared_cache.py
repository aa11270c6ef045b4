"""
The shipped nginx config caching pages in front of gunicorn (tests/production/conftest.py): an
edit in the admin shows through it within a second, and nothing personal is ever kept.
"""

import threading
import time

from playwright.sync_api import expect

from tests.browser.steps import log_in

from .conftest import PASSWORD


def article(deployment):
    """A demo article (not one another test imported from WordPress, which the admin may refuse)."""
    return deployment.shell(
        "from blog.models import Post\n"
        "posts = Post.objects.published().filter(wordpress_id__isnull=True)\n"
        "post = posts.order_by('-pk').first()\n"
        "print(post.pk, post.get_absolute_url())"
    ).split()


def cache_statuses(deployment, path, times=6, headers=None):
    return [deployment.get(path, headers=headers).getheader("X-Cache") for _ in range(times)]


def test_public_pages_are_answered_from_the_nginx_cache(deployment):
    _, path = article(deployment)
    hits = []
    for page in [path, "/", "/feed/", "/sitemap.xml"]:
        statuses = cache_statuses(deployment, page)
        # From nginx's copy: within its second (HIT), or after a 304 from the site when the
        # second had passed (REVALIDATED; a slow machine may take a second per request).
        assert set(statuses[1:]) <= {"HIT", "REVALIDATED"}, (page, statuses)
        hits += statuses
    assert "HIT" in hits
    response = deployment.get(path)
    assert response.getheader("Cache-Control").startswith("public, ")
    assert "site" in response.getheader("Cache-Tag").split(",")
    assert response.getheader("X-Accel-Expires") is None  # For nginx only.


def test_an_edit_in_the_admin_shows_through_nginx_within_a_second(deployment, chromium):
    pk, path = article(deployment)
    new_title = f"Edited at {time.time():.0f}: sitting without strain"
    reading, seen = threading.Event(), []

    def reader():  # Readers keep the page in nginx's cache while the editor works.
        while not reading.is_set():
            seen.append(deployment.get(path).getheader("X-Cache"))

    readers = threading.Thread(target=reader)
    readers.start()
    context = chromium.new_context(base_url=deployment.url, ignore_https_errors=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        log_in(page, "editor", PASSWORD)
        page.goto(f"/admin/blog/post/{pk}/change/")
        page.get_by_label("Title:", exact=True).fill(new_title)
        with page.expect_navigation():
            page.get_by_role("button", name="Save", exact=True).click()
        saved = time.monotonic()
        refused = page.locator(".errornote, .errorlist, .checklist__item--error").all_inner_texts()
        assert not refused, f"Saving was refused: {refused}"
        expect(page.locator(".messagelist")).to_contain_text(new_title)
        while new_title not in deployment.get(path).text:
            assert time.monotonic() - saved < 1.0, "the edit did not show through nginx in 1 s"
        shown_after = time.monotonic() - saved
    finally:
        reading.set()
        readers.join()
        context.close()
    assert "HIT" in seen  # The readers were served from the cache before the edit.
    assert shown_after < 1.0
    for _ in range(5):  # And nobody gets the old copy after.
        assert new_title in deployment.get(path).text


def test_a_reader_with_a_cookie_is_never_answered_from_or_stored_in_the_cache(deployment):
    _, path = article(deployment)
    cache_statuses(deployment, path)
    for cookie in ["sessionid=abc", "csrftoken=abc", "messages=abc", "theme=dark; sessionid=x"]:
        statuses = cache_statuses(deployment, path, times=2, headers={"Cookie": cookie})
        assert statuses == ["BYPASS", "BYPASS"], cookie
    statuses = cache_statuses(deployment, path, times=2, headers={"Authorization": "Basic eDp5"})
    assert statuses == ["BYPASS", "BYPASS"]

    # A page first asked for with a cookie is not stored for the next reader either.
    tag = deployment.shell("from taggit.models import Tag\nprint(Tag.objects.last().slug)")
    deployment.get(f"/tag/{tag}/", headers={"Cookie": "csrftoken=abc"})
    assert deployment.get(f"/tag/{tag}/").getheader("X-Cache") == "MISS"


def test_private_pages_are_never_stored(deployment):
    for path in ["/admin/login/", "/search/?q=neck+pain", "/no-such-page/"]:
        statuses = cache_statuses(deployment, path, times=3)
        assert "HIT" not in statuses, (path, statuses)
        assert "private" in deployment.get(path).getheader("Cache-Control"), path
