import os
import shutil
import tempfile
from itertools import count
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import transaction

import pagecache

from . import factories

_sequence = count(1)

# Playwright's sync API runs an event loop in this thread; the ORM calls made by test setup are
# still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    # A transactional test empties the database afterwards, and with it the rows that data
    # migrations made (roles, search synonyms, content types). Restoring them after every such
    # test keeps each test independent of the order tests run in.
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction"):
            kwargs = {**marker.kwargs, "serialized_rollback": True}
            # First, so that it is the closest marker even beside a @django_db decorator.
            item.add_marker(pytest.mark.django_db(*marker.args, **kwargs), append=False)


@pytest.fixture(scope="session")
def files_root():
    root = Path(tempfile.mkdtemp(prefix="backandneck-tests-", dir=django_settings.TEST_FILES_DIR))
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, files_root):
    """Uploads and the page cache's generation file go to a folder of each test's own.

    The folder is made by whatever first writes there: most tests write nothing, and making and
    removing a tmp_path for each of them cost more than some of the tests.
    """
    folder = files_root / f"test{next(_sequence)}"
    settings.MEDIA_ROOT = folder / "media"
    settings.PAGE_CACHE_GENERATION_FILE = folder / "page-cache-generation"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters and cached pages must not leak from one test into another."""
    cache.clear()
    pagecache.forget_local()


@pytest.fixture
def make_user(db):
    return factories.make_user


@pytest.fixture
def author(make_user):
    return make_user(role="Author")


@pytest.fixture
def editor(make_user):
    return make_user(role="Editor")


@pytest.fixture
def make_category(db):
    return factories.make_category


@pytest.fixture
def category(make_category):
    return make_category(name="Lower Back Pain", slug="lower-back-pain")


@pytest.fixture
def make_post(db):
    """Create a post; published an hour ago unless told otherwise."""
    return factories.make_post


@pytest.fixture
def make_image():
    """An uploaded JPEG made with Pillow."""
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    def make_image(name="photo.jpg", size=(1200, 675), color=(90, 160, 150)):
        buffer = BytesIO()
        Image.new("RGB", size, color).save(buffer, format="JPEG")
        return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")

    return make_image


@pytest.fixture
def skip_renditions(monkeypatch):
    """Don't draw image renditions: tests about other things save many images, and it is slow."""
    monkeypatch.setattr("blog.renditions.generate_renditions", lambda *args, **kwargs: 0)


@pytest.fixture
def make_reviewer(db):
    return factories.make_reviewer


@pytest.fixture
def make_author_profile(db):
    return factories.make_author_profile


@pytest.fixture(scope="module")
def module_rows(django_db_setup, django_db_blocker):
    """Rows that module-scoped fixtures make are seen by every test of the module.

    For read-only data that is slow to make: each test runs in a savepoint inside this
    transaction, and the transaction is rolled back after the module's last test.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


# One Playwright for the session, shared by the browser tests and the production tier.
@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = "Chromium is not installed (apt-get install chromium)"
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's event loop makes Django hand out new connection objects in this thread. They
    # lack the snapshot of migrated data (roles, synonyms) that transactional tests restore
    # after each flush, so carry it over.
    snapshots = {
        alias: getattr(connections[alias], "_test_serialized_contents", None)
        for alias in connections
    }
    with sync_playwright() as playwright:
        for alias, snapshot in snapshots.items():
            if snapshot is not None:
                connections[alias]._test_serialized_contents = snapshot
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def redis_or_skip(url):
    """A client for the Redis at `url`; the test skips (fails under REQUIRE_REDIS) without one."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.ConnectionError:
        if os.environ.get("REQUIRE_REDIS"):
            pytest.fail(f"Redis is not reachable at {url}")
        pytest.skip(f"Redis is not reachable at {url}")
    return client
