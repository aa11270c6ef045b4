"""
Settings for Back & Neck, driven by environment variables (see README "Configuration").

Defaults are safe for production: DEBUG is off and SECRET_KEY must be given. `make run` turns
DEBUG on for local development.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
            "string (for example: python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DEBUG=1 for local development."
        )
    SECRET_KEY = "insecure-development-key-never-use-in-production"

SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
_site = urlsplit(SITE_URL)
SITE_SCHEME_IS_HTTPS = _site.scheme == "https"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or (
    [_site.hostname] + (["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
)
CSRF_TRUSTED_ORIGINS = [f"{_site.scheme}://{_site.netloc}"]

INSTALLED_APPS = [
    "backandneck.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.redirects",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "ckeditor",
    "simple_history",
    "ckeditor_uploader",
    "taggit",
    "anymail",
    "django_tasks",
    "django_tasks_db",
    "backandneck",
    "blog",
    "newsletter",
    "search",
    "people",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Records who made each post revision, whichever admin view or action saved it.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Before flatpages, so a page that exists wins over a redirect from its address.
    "blog.redirects.RedirectMiddleware",
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
]

ROOT_URLCONF = "backandneck.urls"
WSGI_APPLICATION = "backandneck.wsgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "backandneck.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Hashed file names never change, so browsers may keep them for a year.
WHITENOISE_MAX_AGE = 0 if DEBUG else 31536000

# Mail: printed to the console until an SMTP host is configured. EMAIL_BACKEND may name an
# email service's django-anymail backend instead (its settings come from ANYMAIL_* variables).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=bool(EMAIL_HOST))
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Back & Neck <hello@backandneck.com>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [("Admin", address) for address in env_list("ADMINS")]
# ANYMAIL_POSTMARK_SERVER_TOKEN=… becomes ANYMAIL["POSTMARK_SERVER_TOKEN"]; ANYMAIL_WEBHOOK_SECRET
# ("user:password") guards the bounce and complaint webhooks at /anymail/<service>/tracking/.
ANYMAIL = {
    name.removeprefix("ANYMAIL_"): value
    for name, value in os.environ.items()
    if name.startswith("ANYMAIL_")
}

# Background work (the newsletter's "send now" and retries). The database backend needs only
# `manage.py db_worker`; a bigger site switches TASKS_BACKEND to an RQ or Celery backend.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Rate limits (newsletter sign-ups) live in the cache. The default is per process; with several
# server processes set CACHE_LOCATION to a shared cache table (`manage.py createcachetable`).
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": os.environ["CACHE_LOCATION"],
        }
        if os.environ.get("CACHE_LOCATION")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

NEWSLETTER_FROM_EMAIL = os.environ.get("NEWSLETTER_FROM_EMAIL", DEFAULT_FROM_EMAIL)

# Security. The https-only settings follow SITE_URL, so a local http run keeps working.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=SITE_SCHEME_IS_HTTPS and not DEBUG)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SITE_SCHEME_IS_HTTPS
SECURE_HSTS_SECONDS = 31536000 if SITE_SCHEME_IS_HTTPS and not DEBUG else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_HTTPS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# CKEditor 4 is end-of-life; README "Rich text" explains how the risk is contained (staff-only
# editor, everything sanitised with nh3 on save, uploads validated and staff-only).
SILENCED_SYSTEM_CHECKS = ["ckeditor.W001"]
CKEDITOR_UPLOAD_PATH = "uploads/"
CKEDITOR_IMAGE_BACKEND = "ckeditor_uploader.backends.PillowBackend"
CKEDITOR_ALLOW_NONIMAGE_FILES = False
CKEDITOR_RESTRICT_BY_DATE = True
CKEDITOR_BROWSE_SHOW_DIRS = True
CKEDITOR_CONFIGS = {
    "default": {
        "toolbar": "Custom",
        "toolbar_Custom": [
            ["Format", "Bold", "Italic"],
            ["NumberedList", "BulletedList", "Blockquote"],
            ["Link", "Unlink"],
            ["Image", "Table", "HorizontalRule"],
            ["RemoveFormat", "Source", "Maximize"],
        ],
        "format_tags": "p;h2;h3;h4",
        "height": 420,
        "width": "100%",
        # Sizes as attributes, not inline styles: the sanitiser drops style attributes.
        "disallowedContent": "img{width,height,float}",
        "extraAllowedContent": "img[width,height]",
        "removePlugins": "exportpdf",
    }
}

TAGGIT_CASE_INSENSITIVE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
