import importlib
import os
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles.storage import StaticFilesStorage
from django.urls import clear_url_caches

pytestmark = pytest.mark.django_db


def directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split("; ")}


@pytest.mark.parametrize("url", ["/", "/feed/", "/no-such-page/", "/healthz", "/robots.txt"])
def test_every_response_carries_the_security_headers(client, url):
    response = client.get(url)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "Content-Security-Policy" in response


def test_public_pages_allow_scripts_and_styles_from_this_site_only(client, make_post):
    post = make_post()
    policy = directives(client.get(post.get_absolute_url()))
    assert policy["script-src"] == ["http://testserver/static/"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]


def test_public_pages_have_no_inline_script_for_the_policy_to_block(client, make_post):
    html = client.get(make_post().get_absolute_url()).content.decode()
    scripts = html.split("<script")[1:]
    assert scripts
    for script in scripts:
        # External files, or JSON-LD data blocks, which browsers never execute.
        assert ' src="' in script.split(">")[0] or 'type="application/ld+json"' in script
    assert " style=" not in html


def test_admin_login_keeps_the_strict_script_policy(client):
    policy = directives(client.get("/admin/login/"))
    assert policy["script-src"] == ["http://testserver/static/", "http://testserver/admin/jsi18n/"]


def test_only_pages_that_load_ckeditor_allow_its_inline_scripts(client, editor):
    client.force_login(editor)
    form = directives(client.get("/admin/blog/post/add/"))
    changelist = directives(client.get("/admin/blog/post/"))
    assert form["script-src"] == [
        "http://testserver/static/",
        "http://testserver/admin/jsi18n/",
        "'unsafe-inline'",
    ]
    assert changelist["script-src"] == [
        "http://testserver/static/",
        "http://testserver/admin/jsi18n/",
    ]
    # The editor's image upload answers inside a frame of the admin page.
    assert form["frame-ancestors"] == ["'self'"]


def test_images_stored_on_s3_are_allowed(client, settings):
    settings.MEDIA_ORIGINS = ["https://media.backandneck.example"]
    policy = directives(client.get("/"))
    assert "https://media.backandneck.example" in policy["img-src"]


def test_an_https_site_asks_browsers_to_upgrade_insecure_requests(client, settings):
    settings.SITE_SCHEME_IS_HTTPS = True
    assert "upgrade-insecure-requests" in client.get("/")["Content-Security-Policy"]
    settings.SITE_SCHEME_IS_HTTPS = False
    assert "upgrade-insecure-requests" not in client.get("/")["Content-Security-Policy"]


class HashedNames(StaticFilesStorage):
    """Names as collectstatic's manifest gives them in production: ckeditor-init.1a2b3c4d.js."""

    def url(self, name):
        base, extension = os.path.splitext(name)
        return super().url(f"{base}.1a2b3c4d{extension}" if extension else name)


@pytest.mark.parametrize("static_url", ["/static/", "https://cdn.backandneck.example/static/"])
def test_ckeditor_pages_are_recognised_whatever_the_static_files_are_called(
    client, editor, settings, static_url
):
    settings.STATIC_URL = static_url
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": f"{__name__}.HashedNames"},
    }
    client.force_login(editor)
    page = client.get("/admin/blog/post/add/")
    assert b"ckeditor-init.1a2b3c4d.js" in page.content
    assert "'unsafe-inline'" in directives(page)["script-src"]
    assert (
        "'unsafe-inline'" in directives(client.get("/admin/flatpages/flatpage/add/"))["script-src"]
    )


def test_static_files_on_a_cdn_are_allowed_and_public_pages_stay_strict(
    client, settings, make_post
):
    settings.STATIC_URL = "https://cdn.backandneck.example/static/"
    settings.STATIC_ORIGIN = "https://cdn.backandneck.example"
    page = client.get(make_post().get_absolute_url())
    assert b'src="https://cdn.backandneck.example/static/js/site' in page.content
    policy = directives(page)
    for name in ["style-src", "img-src", "font-src"]:
        assert "https://cdn.backandneck.example" in policy[name], name
    # Scripts only from the CDN's static folder, in case the CDN fronts /media/ too.
    assert policy["script-src"] == ["https://cdn.backandneck.example/static/"]


def script_allowed(policy, url, page_origin="http://testserver"):
    """CSP3 source matching for script-src, enough for the sources this site uses."""
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    for source in policy["script-src"]:
        if source == "'self'" and origin == page_origin:
            return True
        if source.endswith(":") and parts.scheme == source[:-1]:
            return True
        if "://" in source:
            source_parts = urlsplit(source)
            if f"{source_parts.scheme}://{source_parts.netloc}" != origin:
                continue
            path = source_parts.path
            if not path or (path.endswith("/") and parts.path.startswith(path)):
                return True
            if parts.path == path:
                return True
    return False


@pytest.mark.parametrize(
    "url, staff",
    [("/", False), ("/admin/blog/post/", True), ("/admin/blog/post/add/", True)],
    ids=["public page", "admin list", "CKEditor form"],
)
def test_no_page_may_load_a_script_from_the_uploads(client, editor, url, staff):
    if staff:
        client.force_login(editor)
    policy = directives(client.get(url))
    assert not script_allowed(policy, "http://testserver/media/uploads/2026/12/04/note.js")
    assert not script_allowed(policy, "http://testserver/media/posts/2026/12/a.gif")
    assert script_allowed(policy, "http://testserver/static/js/site.js")
    assert script_allowed(policy, "http://testserver/static/admin/js/core.js")


def test_only_the_admin_may_load_its_javascript_catalogue(client, editor):
    catalogue = "http://testserver/admin/jsi18n/"
    assert not script_allowed(directives(client.get("/")), catalogue)
    client.force_login(editor)
    assert script_allowed(directives(client.get("/admin/blog/post/add/")), catalogue)


def test_a_cdn_that_also_fronts_the_media_cannot_serve_scripts_from_them(client, settings):
    settings.STATIC_URL = "https://cdn.backandneck.example/static/"
    settings.STATIC_ORIGIN = "https://cdn.backandneck.example"
    policy = directives(client.get("/"))
    assert script_allowed(policy, "https://cdn.backandneck.example/static/js/site.abc.js")
    assert not script_allowed(policy, "https://cdn.backandneck.example/media/uploads/note.js")
    assert not script_allowed(policy, "http://testserver/media/uploads/note.js")


@pytest.fixture
def debug_media_urls(settings):
    """The URLs as DEBUG builds them, with the development media view."""
    settings.DEBUG = True
    import backandneck.urls

    importlib.reload(backandneck.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(backandneck.urls)
    clear_url_caches()


def test_media_in_development_is_served_sandboxed_and_never_sniffed(
    client, settings, debug_media_urls
):
    folder = settings.MEDIA_ROOT / "uploads"
    folder.mkdir(parents=True)
    (folder / "note.gif").write_bytes(b"GIF89a/*......*/=1;alert(document.cookie);//")
    response = client.get("/media/uploads/note.gif")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/gif"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
