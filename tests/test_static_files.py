"""Static files as production serves them: collected, hashed, compressed, cached for a year."""

import re

import pytest
from django.core.management import call_command
from django.http import HttpResponse
from django.test import RequestFactory
from whitenoise.middleware import WhiteNoiseMiddleware

pytestmark = pytest.mark.django_db
TEN_YEARS = 10 * 365 * 24 * 60 * 60


@pytest.fixture
def collected(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    # The project's own files; the admin's and CKEditor's thousands would only slow the test.
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    call_command("collectstatic", interactive=False, verbosity=0)
    return WhiteNoiseMiddleware(lambda request: HttpResponse(status=404))


def serve(whitenoise, url, encoding="gzip, deflate, br"):
    return whitenoise(RequestFactory().get(url, HTTP_ACCEPT_ENCODING=encoding))


def asset_urls(html):
    return re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html)


def test_pages_link_hashed_file_names(client, collected):
    urls = asset_urls(client.get("/").content.decode())
    assert len(urls) == 2
    for url in urls:
        assert re.search(r"\.[0-9a-f]{12}\.(css|js)$", url), url


def test_hashed_files_are_cached_by_browsers_for_years(client, collected):
    for url in asset_urls(client.get("/").content.decode()):
        response = serve(collected, url)
        assert response.status_code == 200
        assert response["Cache-Control"] == f"max-age={TEN_YEARS}, public, immutable"


def test_css_and_js_are_sent_brotli_or_gzip_compressed(client, collected):
    urls = asset_urls(client.get("/").content.decode())
    # WhiteNoise keeps a compressed copy only where it saves something, not for tiny files.
    worth_compressing = [
        url for url in urls if int(serve(collected, url, "")["Content-Length"]) > 500
    ]
    assert any(url.endswith(".css") for url in worth_compressing)
    for url in worth_compressing:
        assert serve(collected, url)["Content-Encoding"] == "br"
        assert serve(collected, url, encoding="gzip")["Content-Encoding"] == "gzip"
        assert "Content-Encoding" not in serve(collected, url, encoding="identity")


def test_css_and_js_stay_small_and_only_the_stylesheet_blocks_rendering(client, collected):
    html = client.get("/").content.decode()
    for url in asset_urls(html):
        compressed = serve(collected, url)
        assert int(compressed["Content-Length"]) < 10_000, url
    assert re.search(r'<script src="[^"]+" defer>', html)
    assert '<link rel="preload" as="font"' not in html and "@font-face" not in html
