import os

import pytest
from django.contrib.staticfiles.storage import StaticFilesStorage

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
    assert policy["script-src"] == ["'self'"]
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
    assert policy["script-src"] == ["'self'"]


def test_only_pages_that_load_ckeditor_allow_its_inline_scripts(client, editor):
    client.force_login(editor)
    form = directives(client.get("/admin/blog/post/add/"))
    changelist = directives(client.get("/admin/blog/post/"))
    assert form["script-src"] == ["'self'", "'unsafe-inline'"]
    assert changelist["script-src"] == ["'self'"]
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
    assert directives(page)["script-src"][:2] == ["'self'", "'unsafe-inline'"]
    assert directives(client.get("/admin/flatpages/flatpage/add/"))["script-src"][:2] == [
        "'self'",
        "'unsafe-inline'",
    ]


def test_static_files_on_a_cdn_are_allowed_and_public_pages_stay_strict(
    client, settings, make_post
):
    settings.STATIC_URL = "https://cdn.backandneck.example/static/"
    settings.STATIC_ORIGIN = "https://cdn.backandneck.example"
    page = client.get(make_post().get_absolute_url())
    assert b'src="https://cdn.backandneck.example/static/js/site' in page.content
    policy = directives(page)
    for name in ["script-src", "style-src", "img-src", "font-src"]:
        assert "https://cdn.backandneck.example" in policy[name], name
    assert "'unsafe-inline'" not in policy["script-src"]
