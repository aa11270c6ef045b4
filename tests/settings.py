import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key")

from backandneck.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# Tasks are recorded, not run, unless a test runs them.
TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
# Each test starts with an empty local cache (tests/conftest.py); the page cache is off except in
# the tests about it, so other tests see every change at once.
CACHES = {**CACHES, "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}  # noqa: F405
PAGE_CACHE_SECONDS = 0
# django-axes refuses Client.login() (no request to throttle by); its own tests turn it back on.
AXES_ENABLED = False
# Staff log in with a password alone, as with DEBUG; tests/test_two_factor.py turns the code on.
STAFF_REQUIRE_2FA = False
# Nothing listens on port 9 (discard): a lookup in a test that did not start a fake API fails at
# once, as offline.
CROSSREF_API_URL = PUBMED_API_URL = "http://127.0.0.1:9"
# The link check's one-request-per-host-per-second pace; tests/test_check_links.py checks it.
LINK_CHECK_HOST_INTERVAL = 0
# Each counted view is written at once, so tests see it (tests/test_stats.py checks batching).
STATS_FLUSH_SECONDS = 0
# SQLite: the test database is a file, not memory. With an in-memory database the live server's
# thread shares the test's own connection, so a request still in flight when a browser test ends
# (an autosave, the view beacon) ran inside the next test's setup and broke its transaction.
# Files the tests write (this database, uploads, the page cache's generation file) go to memory
# where the machine has a tmpfs: renaming and deleting files on a disk cost a few ms each.
TEST_FILES_DIR = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    import tempfile

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(
            TEST_FILES_DIR or tempfile.gettempdir(), f"backandneck-tests-{os.getpid()}.sqlite3"
        )
    }
    # A throwaway database need not survive a power cut: without a sync to disk and a journal
    # file at each commit, the suite's thousands of commits cost CPU instead of disk waits.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (  # noqa: F405
        "PRAGMA synchronous = OFF; PRAGMA journal_mode = MEMORY"
    )
