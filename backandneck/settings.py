"""
Settings for Back & Neck, driven by environment variables (see README "Configuration").

Defaults are safe for production: DEBUG is off and SECRET_KEY must be given. `make run` turns
DEBUG on for local development.
"""

import os
from datetime import timedelta
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
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "anymail",
    "django_tasks",
    "django_tasks_db",
    "pagecache",
    "backandneck",
    "blog",
    "newsletter",
    "search",
    "people",
    "siteconfig",
]

# Order matters: the request log sees everything; the page cache answers hits before any other
# layer runs (a stored page keeps the headers those layers added); the proxy fix comes before
# anything that reads the client address; the security headers wrap static files too.
MIDDLEWARE = [
    "backandneck.logs.RequestLogMiddleware",
    "pagecache.pages.PageCacheMiddleware",
    "backandneck.proxies.ForwardedForMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "backandneck.security.SecurityHeadersMiddleware",
    # A NUL or a line break in an address or a form is a 400 before it reaches any lookup.
    "backandneck.request_input.RefuseUnreadableInputMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Tells which staff sessions passed the second sign-in step (stafflogin/).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Records who made each post revision, whichever admin view or action saved it.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Before flatpages, so a page that exists wins over a redirect from its address.
    "blog.redirects.RedirectMiddleware",
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its 429 page.
    "axes.middleware.AxesMiddleware",
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
# A database that hangs must not hang the site: connecting gives up after this many seconds,
# and so does any statement (0: no limit); the reader then gets the 503 page (health.py), and
# cached pages are served without the database all along (pagecache/generations.py).
DATABASE_CONNECT_TIMEOUT = int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "5"))
DATABASE_STATEMENT_TIMEOUT = float(os.environ.get("DATABASE_STATEMENT_TIMEOUT", "10"))
_database_options = DATABASES["default"].setdefault("OPTIONS", {})
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    _database_options.setdefault("connect_timeout", DATABASE_CONNECT_TIMEOUT)
    if DATABASE_STATEMENT_TIMEOUT:
        _database_options["options"] = (
            f"{_database_options.get('options', '')} "
            f"-c statement_timeout={round(DATABASE_STATEMENT_TIMEOUT * 1000)}"
        ).strip()
elif DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # How long a statement waits for another process's write lock.
    _database_options.setdefault("timeout", DATABASE_STATEMENT_TIMEOUT or 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The page cache and the rate limits (search, newsletter sign-up) live here. Local memory by
# default: per process, fine for `make run` and one-process servers. Several processes or
# machines must share REDIS_URL, or each would keep (and invalidate) its own pages and counts.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {
            "BACKEND": "pagecache.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "bn"),
            # A slow or lost Redis must fail fast (it answers in a millisecond when well); the
            # page cache then renders pages, and redis_cache.py skips Redis for a few seconds.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "bn"}
    ),
    # Template fragments every page shows ({% cache None … using="fragments" %}), kept in each
    # process until content changes: the key holds the content generation's token
    # (pagecache/fragments.py). Local memory measured faster than Redis (docs/benchmarks.md).
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fragments",
        "KEY_FUNCTION": "pagecache.fragments.generation_key",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}
# Without Redis each process keeps its own pages, and all of them learn of a content change from
# this file (pagecache/generations.py), which every process of the site must be able to write:
# beside the SQLite database by default, whose directory SQLite needs writable anyway.
PAGE_CACHE_GENERATION_FILE = Path(
    os.environ.get("PAGE_CACHE_GENERATION_FILE")
    or (
        Path(DATABASES["default"]["NAME"]).parent
        if DATABASES["default"]["ENGINE"].endswith("sqlite3")
        and DATABASES["default"]["NAME"] != ":memory:"
        else BASE_DIR
    )
    / "page-cache-generation"
)
# Anonymous pages stay cached this long at most; any content change invalidates them at once
# (pagecache/pages.py). 0 turns the page cache off.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "3600"))
# A shared cache in front (pagecache/shared_cache.py, docs/production.md): how it learns of
# changes. The default suits the shipped nginx config, which asks again after a second;
# pagecache.shared_cache.VarnishBackend bans by tag at VARNISH_URLS (comma-separated), and
# pagecache.shared_cache.CloudflareBackend purges by tag (CLOUDFLARE_ZONE_ID and
# CLOUDFLARE_API_TOKEN). Those keep pages SHARED_CACHE_SECONDS, until a change purges them.
SHARED_CACHE_PURGE = os.environ.get("SHARED_CACHE_PURGE", "pagecache.shared_cache.NginxBackend")
SHARED_CACHE_SECONDS = int(os.environ.get("SHARED_CACHE_SECONDS", "86400"))
SHARED_CACHE_NGINX_SECONDS = int(os.environ.get("SHARED_CACHE_NGINX_SECONDS", "1"))
# Browsers keep a public page this long; a reload asks again at once.
SHARED_CACHE_BROWSER_SECONDS = int(os.environ.get("SHARED_CACHE_BROWSER_SECONDS", "60"))
# A cache may answer with a stale copy while it fetches a new one, or while the site is down.
SHARED_CACHE_STALE_SECONDS = int(os.environ.get("SHARED_CACHE_STALE_SECONDS", "60"))
SHARED_CACHE_STALE_IF_ERROR_SECONDS = int(
    os.environ.get("SHARED_CACHE_STALE_IF_ERROR_SECONDS", "86400")
)
SHARED_CACHE_PURGE_TIMEOUT = float(os.environ.get("SHARED_CACHE_PURGE_TIMEOUT", "5"))
VARNISH_URLS = os.environ.get("VARNISH_URLS", "")
CLOUDFLARE_ZONE_ID = os.environ.get("CLOUDFLARE_ZONE_ID", "")
CLOUDFLARE_API_TOKEN = os.environ.get("CLOUDFLARE_API_TOKEN", "")
CLOUDFLARE_API_URL = os.environ.get("CLOUDFLARE_API_URL", "https://api.cloudflare.com/client/v4")
# Database queries slower than this are logged with their SQL (without parameters).
SLOW_QUERY_MS = int(os.environ.get("SLOW_QUERY_MS", "200"))

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

# Static files come from this site (WhiteNoise) unless STATIC_URL names a CDN in front of it; the
# CSP then allows that origin's scripts, styles, images and fonts.
STATIC_URL = os.environ.get("STATIC_URL", "/static/")
_static = urlsplit(STATIC_URL)
STATIC_ORIGIN = f"{_static.scheme}://{_static.netloc}" if _static.netloc else ""
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploaded media go to S3-compatible storage when a bucket is named (docs/production.md); the
# credentials come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, read by boto3 itself.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
MEDIA_ORIGINS = []  # Where images may come from besides this site, for the CSP.
if AWS_STORAGE_BUCKET_NAME:
    AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None
    AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME") or None
    AWS_S3_CUSTOM_DOMAIN = os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None
    # Article images are public: plain URLs that browsers and the page cache can keep, and
    # never overwrite a file another post may still show.
    AWS_QUERYSTRING_AUTH = False
    AWS_S3_FILE_OVERWRITE = False
    AWS_S3_OBJECT_PARAMETERS = {"CacheControl": "public, max-age=31536000"}
    MEDIA_ORIGINS = [
        f"https://{AWS_S3_CUSTOM_DOMAIN}"
        if AWS_S3_CUSTOM_DOMAIN
        else AWS_S3_ENDPOINT_URL or f"https://{AWS_STORAGE_BUCKET_NAME}.s3.amazonaws.com"
    ]
STORAGES = {
    "default": {
        "BACKEND": (
            "storages.backends.s3.S3Storage"
            if AWS_STORAGE_BUCKET_NAME
            else "django.core.files.storage.FileSystemStorage"
        )
    },
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
# Error reports go to Sentry when SENTRY_DSN is set, otherwise by mail to ADMINS.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
        send_default_pii=False,  # No reader IP addresses, cookies or emails leave the site.
    )
# ANYMAIL_POSTMARK_SERVER_TOKEN=… becomes ANYMAIL["POSTMARK_SERVER_TOKEN"]; ANYMAIL_WEBHOOK_SECRET
# ("user:password") guards the bounce and complaint webhooks at /anymail/<service>/tracking/.
ANYMAIL = {
    name.removeprefix("ANYMAIL_"): value
    for name, value in os.environ.items()
    if name.startswith("ANYMAIL_")
}

# Background work (the newsletter's "send now" and retries). The database backend needs only
# `manage.py db_worker`; TASKS_BACKEND=django_tasks.backends.immediate.ImmediateBackend runs them
# in the request instead.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

NEWSLETTER_FROM_EMAIL = os.environ.get("NEWSLETTER_FROM_EMAIL", DEFAULT_FROM_EMAIL)
# The site-wide sign-up brake: once this many sign-ups in the last hour are still unconfirmed,
# the form asks for a proof-of-work challenge (newsletter/signup_brake.py).
NEWSLETTER_SIGNUP_BRAKE = int(os.environ.get("NEWSLETTER_SIGNUP_BRAKE", "20"))
# What `manage.py check_sender` looks for: the DKIM selector the email provider signs with, and
# the SPF include it asks for (e.g. "amazonses.com", "_spf.google.com", "sendgrid.net").
NEWSLETTER_DKIM_SELECTOR = os.environ.get("NEWSLETTER_DKIM_SELECTOR", "")
NEWSLETTER_SPF_INCLUDE = os.environ.get("NEWSLETTER_SPF_INCLUDE", "")

# "Look up" in an article's sources (blog/references_lookup.py): Crossref for DOIs, NCBI's
# E-utilities for PubMed IDs. Short timeout: an editor waits for the answer.
CROSSREF_API_URL = os.environ.get("CROSSREF_API_URL", "https://api.crossref.org")
PUBMED_API_URL = os.environ.get("PUBMED_API_URL", "https://eutils.ncbi.nlm.nih.gov/entrez/eutils")
REFERENCE_LOOKUP_TIMEOUT = float(os.environ.get("REFERENCE_LOOKUP_TIMEOUT", "3"))
REFERENCE_LOOKUP_CONTACT = os.environ.get("REFERENCE_LOOKUP_CONTACT", "hello@backandneck.com")
# The weekly `check_links`: seconds between two requests to one host.
LINK_CHECK_HOST_INTERVAL = float(os.environ.get("LINK_CHECK_HOST_INTERVAL", "1"))
# Privacy-first statistics (blog/stats.py): off, and no counting script is on any page.
STATS_ENABLED = env_bool("STATS_ENABLED", default=True)
# Views are written in batches at most this many seconds apart, per process (blog/stats.py).
STATS_FLUSH_SECONDS = float(os.environ.get("STATS_FLUSH_SECONDS", "10"))

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
# Load balancers check /healthz over plain http.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
CSRF_COOKIE_HTTPONLY = True
if env_bool("BEHIND_HTTPS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies (load balancer, nginx) stand in front of the app and append to
# X-Forwarded-For; rate limits and login throttling then see the real client (proxies.py).
NUM_PROXIES = int(os.environ.get("NUM_PROXIES", "0"))

# Only staff have sessions; they last a working day and end with the browser.
SESSION_COOKIE_AGE = int(os.environ.get("STAFF_SESSION_HOURS", "8")) * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# The admin's address; a less guessable one keeps scanners away (e.g. ADMIN_URL=backstage-7f3/).
ADMIN_URL = os.environ.get("ADMIN_URL", "admin/").strip("/") + "/"

# django-axes: five wrong passwords for one account from one address lock that account's logins
# from that address for 30 minutes. Counting the pair, not the address alone, means an attacker
# elsewhere (or a crowd behind one proxy address) can never lock the real admin out.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Staff sign in with a password and a code from an authenticator app (TOTP); see
# stafflogin/. On unless DEBUG; the tests turn it on where they test it.
STAFF_REQUIRE_2FA = env_bool("STAFF_REQUIRE_2FA", default=not DEBUG)
OTP_TOTP_ISSUER = "Back & Neck"
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"

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
            ["Snippets"],
            ["RemoveFormat", "Source", "Maximize"],
        ],
        "format_tags": "p;h2;h3;h4",
        "height": 420,
        "width": "100%",
        # Sizes as attributes, not inline styles: the sanitiser drops style attributes.
        "disallowedContent": "img{width,height,float}",
        "extraAllowedContent": "img[width,height]",
        "removePlugins": "exportpdf",
        # "Snippet" in the toolbar inserts a reusable snippet's shortcode (blog/snippets.py).
        "extraPlugins": "snippets,uploadimage",
        "external_plugin_resources": [
            ("snippets", f"{STATIC_URL}blog/admin/ckeditor/snippets/", "plugin.js")
        ],
        "snippetChoicesUrl": f"/{ADMIN_URL}blog/snippet/choices/",
        # Pasted or dropped images are uploaded (blog/uploads.py) into the media library.
        "uploadUrl": "/ckeditor/upload/?responseType=json",
    },
    # A snippet's own text: a snippet inside a snippet is not expanded.
    "snippet": {
        "toolbar": "Custom",
        "toolbar_Custom": [
            ["Format", "Bold", "Italic"],
            ["NumberedList", "BulletedList"],
            ["Link", "Unlink"],
            ["RemoveFormat", "Source"],
        ],
        "format_tags": "p;h2;h3",
        "height": 200,
        "width": "100%",
        "removePlugins": "exportpdf",
    },
}

TAGGIT_CASE_INSENSITIVE = True

# Error mail: at most one per kind of error in this many minutes (backandneck/logs.py).
ERROR_MAIL_INTERVAL_MINUTES = float(os.environ.get("ERROR_MAIL_INTERVAL_MINUTES", "10"))
# One JSON object per line on stdout, for journald or any log shipper (backandneck/logs.py);
# LOG_FORMAT=plain reads better in a terminal.
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "formatters": {
        "json": {"()": "backandneck.logs.JsonFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": os.environ.get("LOG_FORMAT", "plain" if DEBUG else "json"),
        },
        "mail_admins": {
            "class": "backandneck.logs.ThrottledAdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own console and mail handlers are replaced by ours; Sentry, when set up,
        # picks errors up from the logging calls itself, so mail would only repeat it.
        "django": {
            "handlers": ["console"] + ([] if SENTRY_DSN or not ADMINS else ["mail_admins"]),
            "level": LOG_LEVEL,
            "propagate": False,
        },
        # runserver prints its own access log; the request log below replaces it.
        "django.server": {"handlers": [], "propagate": False},
    },
}
