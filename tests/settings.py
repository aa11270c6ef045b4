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
