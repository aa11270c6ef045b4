"""
The page cache: whole pages for anonymous readers, kept in Django's cache and dropped the moment
content changes.

Every page is stored with the *generation* it was rendered in: a token in the cache that is
replaced whenever a model in CONTENT_MODELS is saved or deleted (at once, and again when the
transaction commits), and when a scheduled post's publication time comes. A page from an
older generation is never served again and expires by itself. One token for the whole site
keeps invalidation obviously correct: a new post changes the home page, its category, its tags,
the feeds, the related articles of other posts and the sitemap, and nobody has to list those
pages.

Only a query parameter that changes a stored page (a list's page number) tells pages apart.
Tracking parameters (utm_*, fbclid…) are ignored, so a link from a newsletter or a social network
gets the page stored for the plain address. Any other parameter (a random one, a page number that
is no number) means the page is rendered and not stored: a view might read the parameter, and
nobody can fill the cache by making up addresses.

Readers who carry a session (staff) or a pending message always get fresh pages, and a response
is only stored when it is the same for everybody: a 200 that sets no cookie and does not ask to
stay private, rendered for a request that sent no cookie at all, or else one that does not vary
on the cookie. (A page that used a CSRF token either sets the cookie or, if the reader had one,
carries a token derived from that reader's secret: neither may be shared.)
"""

import hashlib
import json
import logging
import os
import re
import tempfile
import threading
import time
import uuid
from collections import OrderedDict
from contextlib import contextmanager
from http import HTTPStatus
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.core.cache import cache
from django.core.handlers.wsgi import get_path_info
from django.db import DatabaseError, transaction
from django.db.models import Min
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.http.cookie import parse_cookie
from django.urls import Resolver404, resolve
from django.utils.cache import (
    cc_delim_re,
    get_conditional_response,
    get_max_age,
    set_response_etag,
)
from django.utils.http import http_date, parse_http_date_safe

from backandneck.logs import log_request

from . import shared_cache

logger = logging.getLogger(__name__)

# Models whose changes can show on a public page. Add yours here; m2m changes (a post's tags, a
# page's sites) count as changes of the model that owns the relation. Bulk updates send no
# signals: call content_changed() after queryset.update() on one of these.
CONTENT_MODELS = [
    "backandneck.SiteSettings",
    "backandneck.SocialLink",
    "blog.CareCard",
    "blog.Category",
    "blog.LibraryImage",
    "blog.Post",
    "blog.Reference",
    "blog.Snippet",
    "flatpages.FlatPage",
    "newsletter.Issue",
    "newsletter.IssuePost",
    "newsletter.SendingSettings",
    "people.AuthorProfile",
    "people.Reviewer",
    "search.Recommendation",
    "search.Synonym",
    "sites.Site",
    "taggit.Tag",
    "taggit.TaggedItem",
]

GENERATION_KEY = "pages:generation"
PAGE_KEY_PREFIX = "pages:page:"
# Readers with these cookies may see something personal: a staff member's preview and admin
# links, or a one-off message.
BYPASS_COOKIES = {settings.SESSION_COOKIE_NAME, "messages"}
# The views whose pages differ by a query parameter (by URL name), that parameter and the values
# it takes: a list's page (?page=2), a sitemap's (?p=2), an article's thank-you for feedback
# (?feedback=thanks, the same for every reader). Anywhere else a parameter changes nothing and a
# page with it is not stored, so it cannot multiply every article. A view missing here only
# renders such pages each time; it never gets another page's copy.
PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,3}")
PAGE_PARAMETER = {
    "blog:post_list": ("page", PAGE_NUMBER),
    "blog:category_detail": ("page", PAGE_NUMBER),
    "blog:tag_detail": ("page", PAGE_NUMBER),
    "blog:year_archive": ("page", PAGE_NUMBER),
    "blog:month_archive": ("page", PAGE_NUMBER),
    "blog:day_archive": ("page", PAGE_NUMBER),
    "newsletter:issue_list": ("page", PAGE_NUMBER),
    "sitemap_section": ("p", PAGE_NUMBER),
    "blog:post_detail": ("feedback", re.compile("thanks")),
}
# Added by newsletters, ads and social networks for the reader's analytics; no view reads them.
TRACKING_PARAMETERS = {
    "fbclid", "gclid", "gbraid", "wbraid", "dclid", "msclkid", "mc_cid", "mc_eid", "_ga", "_gl",
    "igshid", "yclid", "twclid", "ttclid", "li_fat_id",
}  # fmt: skip
CONDITIONS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")
# Vary headers a stored page may carry: the same bytes suit every reader whatever they send.
SHAREABLE_VARY = {"accept-encoding"}


def content_changed(**kwargs):
    """
    Start a new generation now, and again once the current transaction commits (a signal
    receiver too). The first makes the change visible at once to this process (the editor's own
    next request, and tests); the second makes sure no page rendered from the database before
    the commit, and stored meanwhile, outlives it. Inside changes_batched(), only once, at its end.
    """
    if getattr(_batch, "depth", 0):
        _batch.changed = True
        return
    new_generation()
    transaction.on_commit(new_generation, using=kwargs.get("using"))
    # A shared cache in front (nginx, Varnish, a CDN) hears of it after the commit.
    shared_cache.changed(**kwargs)


_batch = threading.local()


@contextmanager
def changes_batched():
    """
    Save many content rows and start one new generation at the end, instead of two per save:
    for bulk work such as a WordPress import, where thousands of saves made the generations
    (each a file rename or a Redis write) a quarter of the time (bench/wordpress_import.py).
    """
    depth = getattr(_batch, "depth", 0)
    if depth == 0:
        _batch.changed = False
    _batch.depth = depth + 1
    try:
        yield
    finally:
        _batch.depth = depth
        if depth == 0 and _batch.changed:
            content_changed()


def _owner_changed(instance, action, **kwargs):
    if action.startswith("post_") and instance._meta.label in CONTENT_MODELS:
        content_changed(instance=instance, **kwargs)


def _user_changed(update_fields=None, **kwargs):
    # Pages name authors by their user's name. Logging in only records the time on the user.
    if update_fields != {"last_login"}:
        content_changed(**kwargs)


def watch_content():
    """Connect the signals (called from BackAndNeckConfig.ready)."""
    for label in CONTENT_MODELS:
        model = apps.get_model(label)
        post_save.connect(content_changed, sender=model, dispatch_uid=f"page-cache-{label}")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"page-cache-{label}")
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    post_save.connect(_user_changed, sender=user_model, dispatch_uid="page-cache-user")
    post_delete.connect(content_changed, sender=user_model, dispatch_uid="page-cache-user")
    m2m_changed.connect(_owner_changed, dispatch_uid="page-cache-m2m")
    shared_cache.watch_posts()


def new_generation():
    # The next scheduled publication changes pages without any save, so it ends the generation.
    next_publication = (
        apps.get_model("blog.Post").objects.scheduled().aggregate(next=Min("published_at"))["next"]
    )
    generation = {
        "token": uuid.uuid4().hex,
        "ends_at": next_publication.timestamp() if next_publication else None,
    }
    try:
        previous = generation_store().read()
        generation_store().replace(generation)
    except Exception as error:  # Without the cache there is no page cache to keep right.
        logger.warning("Could not start a new page cache generation: %r", error)
    else:
        shared_cache.generation_started(previous, generation)
    return generation


def current_token():
    """The token of the current generation; starts one if there is none or it has ended."""
    global _database_retry_at
    generation = generation_store().read()
    if generation is None or (generation["ends_at"] and generation["ends_at"] <= time.time()):
        if generation is not None and time.monotonic() < _database_retry_at:
            return generation["token"]
        try:
            ended = generation is not None
            generation = new_generation()
            if ended:
                shared_cache.generation_ended()
        except DatabaseError:
            if generation is None:
                raise
            # The database is down just as a scheduled post's time came: until it is back,
            # readers keep the stored pages (without that post) rather than a 503, and each
            # process asks the database again every few seconds, not on every hit.
            logger.warning("Page cache: database unavailable, serving the ended generation")
            _database_retry_at = time.monotonic() + DATABASE_RETRY_AFTER
    return generation["token"]


_database_retry_at = 0.0
DATABASE_RETRY_AFTER = 5  # seconds


class CachedGeneration:
    """
    The generation in the shared cache (Redis). This process looks again at most every tenth of
    a second, which spares a cache round trip on nearly every hit (the largest part of a hit's
    cost): a change made by another process shows here within 0.1 s, one made here at once.
    """

    def __init__(self):
        self.forget()

    def forget(self):
        self.seen, self.seen_at = None, 0.0

    def read(self):
        if self.seen is None or time.monotonic() - self.seen_at > LOOK_AGAIN_AFTER:
            self.seen, self.seen_at = cache.get(GENERATION_KEY), time.monotonic()
        return self.seen

    def replace(self, generation):
        self.seen, self.seen_at = generation, time.monotonic()
        cache.set(GENERATION_KEY, generation, None)


LOOK_AGAIN_AFTER = 0.1  # seconds


class FileGeneration:
    """
    The generation in a small file, for a cache that lives inside each process (the embedded
    default, local memory). Every process on the machine (the server's workers, a management
    command, the shell, the task worker) reads the same file, so a change made by any of them
    shows in all the others at their next request, although each keeps its own pages. Reading
    the ~60 bytes costs about a microsecond, less than one look at Redis, so it happens on every
    request; a new generation replaces the file in one rename, so nobody reads half of one.
    """

    def __init__(self):
        self.forget()

    def forget(self):
        self.raw, self.seen = None, None

    def read(self):
        try:
            fd = os.open(settings.PAGE_CACHE_GENERATION_FILE, os.O_RDONLY)
        except FileNotFoundError:
            return None
        try:
            raw = os.read(fd, 4096)
        finally:
            os.close(fd)
        if raw != self.raw:
            try:
                self.seen = json.loads(raw)
            except ValueError:  # Damaged: a new generation replaces it.
                return None
            self.raw = raw
        return self.seen

    def replace(self, generation):
        path = Path(settings.PAGE_CACHE_GENERATION_FILE)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
        with os.fdopen(fd, "wb") as file:
            file.write(json.dumps(generation).encode())
        os.replace(temporary, path)
        self.raw, self.seen = None, None


_stores = {"cache": CachedGeneration(), "file": FileGeneration()}


def generation_store():
    """Redis is shared by every process already; a per-process cache needs the file."""
    shared = not settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")
    return _stores["cache" if shared else "file"]


# Values that only content changes change, kept in this process per generation: what every
# page needs (site_wide) and what one page needs, such as an article's related posts (derived).
# The least recently used are dropped beyond a bound; the site-wide ones are used too often.
# An article keeps three entries of ~8 kB (its links, related cards and body), a search
# result's heading one of ~1.5 kB: 2,000 entries stay under ~16 MB per process and leave room
# for a day's searches beside the articles people read.
_derived = OrderedDict()
DERIVED_ENTRIES = 2000


def site_wide(name, build):
    """
    A value every page needs and only content changes change (site settings, the navigation),
    built once per generation in each process instead of queried on every request.
    """
    return derived(name, build)


def derived(key, build):
    """build() once per generation in each process for `key` (say, a post's related articles)."""
    try:
        token = current_token()
    except Exception:  # Cache or database trouble: build it, as there were no cache.
        return build()
    found = _derived.get(key)
    if found and found[0] == token:
        _derived.move_to_end(key)
        return found[1]
    value = build()
    _derived[key] = (token, value)
    _derived.move_to_end(key)
    while len(_derived) > DERIVED_ENTRIES:
        _derived.popitem(last=False)
    return value


def page_query(path, query):
    """
    The query string a stored page at `path` is known by: `query` without tracking parameters.
    None when it holds anything else than that page's PAGE_PARAMETER with a page number, so the
    page must be rendered and not stored.
    """
    if not query:  # Nearly every request: no parsing on a cache hit's path.
        return ""
    kept = [
        (name, value)
        for name, value in parse_qsl(query, keep_blank_values=True, errors="replace")
        if not (name.startswith("utm_") or name in TRACKING_PARAMETERS)
    ]
    if kept:
        try:
            parameter, values = PAGE_PARAMETER.get(resolve(path).view_name, (None, None))
        except Resolver404:
            return None
        if any(name != parameter or not values.fullmatch(value) for name, value in kept):
            return None
    return urlencode(kept)


def page_key(scheme, host, path, query):
    """The same key from a Django request or a bare WSGI environ (see FastPath)."""
    url = f"{scheme}://{host}{path}?{query}"
    return PAGE_KEY_PREFIX + hashlib.sha256(url.encode("utf-8", "surrogateescape")).hexdigest()


# The pages this process served last, so that a hit needs no cache round trip for the page.
_pages = OrderedDict()
LOCAL_PAGES = 256  # About 10 MB of HTML at most.


def find(key, token):
    """The page stored under the current generation: from this process, else the cache."""
    stored = _pages.get(key)
    if stored and stored[0] == token:
        _pages.move_to_end(key)
        return stored
    stored = cache.get(key)
    if stored and stored[0] == token:
        remember(key, stored)
        return stored
    return None


def forget_local():
    """Drop what this process holds besides the cache (for tests that empty the cache)."""
    global _database_retry_at
    _database_retry_at = 0.0
    _pages.clear()
    _derived.clear()
    for store in _stores.values():
        store.forget()


def remember(key, stored):
    _pages[key] = stored
    _pages.move_to_end(key)
    while len(_pages) > LOCAL_PAGES:
        _pages.popitem(last=False)


def is_shareable(request, response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = {
        d.strip().lower() for d in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    if cache_control & {"private", "no-store", "no-cache"} or get_max_age(response) == 0:
        return False
    vary = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", "")) if v.strip()}
    # Views that merely ask "is this a logged-in editor?" vary on the cookie; without any cookie
    # the answer is the anonymous page everyone else gets.
    shareable_vary = SHAREABLE_VARY if request.COOKIES else SHAREABLE_VARY | {"cookie"}
    return vary <= shareable_vary


class PageCacheMiddleware:
    """
    Near the top of the middleware stack, so a hit skips everything below it. A stored page
    carries every header the layers below added to it (security headers, validators).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.applies_to(request):
            response = self.get_response(request)
            if not request.path_info.startswith(urlsplit(settings.STATIC_URL).path):
                # Pages rendered for one person, or not stored here, are not kept by a proxy.
                shared_cache.mark_private(response)
            return response

        meta = request.META
        query = page_query(request.path_info, meta.get("QUERY_STRING", ""))
        if query is None:  # Rendered for this address only; see the module's docstring.
            response = self.get_response(request)
            shared_cache.mark_private(response)
            response.page_cache = "miss"
            return response
        key = page_key(request.scheme, request.get_host(), meta["PATH_INFO"], query)
        try:
            token = current_token()
            stored = find(key, token)
        except DatabaseError:  # Rendering will meet the outage too, and answer with a 503.
            return self.get_response(request)
        except Exception as error:  # Cache down: serve the page from the database instead.
            logger.warning("Page cache unavailable: %r", error)
            return self.get_response(request)
        if stored:
            return self.answer(request, stored)

        # A cache in front revalidates its copies with If-None-Match: render the whole page
        # (to store it) and answer the condition after, or a page that is only ever asked for
        # that way would never be stored and always rendered.
        conditions = {name: meta.pop(name) for name in CONDITIONS if name in meta}
        response = self.get_response(request)
        meta.update(conditions)
        # A page rendered with tracking parameters may carry them in its links (pagination
        # keeps the query string), so only the plain address's rendering is stored.
        if query == meta.get("QUERY_STRING", "") and is_shareable(request, response):
            self.prepare(request, response)
            stored = (token, response.status_code, dict(response.headers), response.content)
            remember(key, stored)
            try:
                cache.set(key, stored, settings.PAGE_CACHE_SECONDS)
            except Exception as error:
                logger.warning("Could not store a page in the cache: %r", error)
            if conditions:
                response = self.answer(request, stored)
        else:
            shared_cache.mark_private(response)
        response.page_cache = "miss"
        return response

    def applies_to(self, request):
        path = request.path_info
        return (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and not BYPASS_COOKIES & request.COOKIES.keys()
            and not path.startswith(urlsplit(settings.STATIC_URL).path)
            and not path.startswith(f"/{settings.ADMIN_URL}")
        )

    def answer(self, request, stored):
        _, status, headers, content = stored
        response = HttpResponse(content, status=status, headers=headers)
        if request.method == "GET":
            # ConditionalGetMiddleware sits below; a hit answers If-None-Match itself.
            response = get_conditional_response(
                request,
                etag=headers.get("ETag"),
                last_modified=parse_http_date_safe(headers.get("Last-Modified")),
                response=response,
            )
        shared_cache.stamp(response, headers)  # The 304 too: nginx renews its copy from it.
        response.page_cache = "hit"
        return response

    def prepare(self, request, response):
        # Validators for conditional GET, computed once per render rather than per hit. Feeds
        # keep the Last-Modified of their newest item.
        if not response.has_header("Last-Modified"):
            response["Last-Modified"] = http_date()
        if not response.has_header("ETag"):
            set_response_etag(response)
        # Shared caches in front may keep it (s-maxage, cache tags) until purged or stale.
        shared_cache.mark_public(request, response)


@checks.register(checks.Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    """Local memory is per process: fine on one machine for pages, not for rate limits."""
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.PAGE_CACHE_SECONDS and backend.endswith("LocMemCache"):
        return [
            checks.Warning(
                "The cache is local memory in each process: rate limits are counted per "
                "process, every process renders its own copy of each page, and an edit reaches "
                "only the processes on this machine (through PAGE_CACHE_GENERATION_FILE).",
                hint="Set REDIS_URL to a Redis shared by all processes, or PAGE_CACHE_SECONDS=0 "
                "if the site runs in a single process.",
                id="backandneck.W001",
            )
        ]
    return []


@checks.register(checks.Tags.caches)
def check_generation_file(app_configs, **kwargs):
    """Without a writable generation file, no process could tell the others of a change."""
    if generation_store() is not _stores["file"] or not settings.PAGE_CACHE_SECONDS:
        return []
    directory = Path(settings.PAGE_CACHE_GENERATION_FILE).parent
    while not directory.exists() and directory != directory.parent:
        directory = directory.parent
    try:
        with tempfile.TemporaryFile(dir=directory):
            return []
    except OSError:
        pass
    return [
        checks.Error(
            f"The page cache cannot write its generation file in {directory}, so no server "
            "process would learn of a content change.",
            hint="Set PAGE_CACHE_GENERATION_FILE to a path every process of the site may "
            "write (the web server, the task worker, management commands), or set REDIS_URL.",
            id="backandneck.E001",
        )
    ]


class FastPath:
    """
    WSGI wrapper (backandneck/wsgi.py): answers the commonest request, a plain GET of a stored
    page by a reader without a session, before Django builds a request object. On a busy day
    that is nearly every request, and Django's request handling costs more than the rest of a
    hit. Anything else, including HEAD and conditional GETs, goes on to Django, where
    PageCacheMiddleware applies the same rules in full; a page is only ever stored there.
    """

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        try:
            stored = self.stored_page(environ)
        except Exception:  # Cache or database trouble: Django deals with it.
            stored = None
        if stored is None:
            return self.application(environ, start_response)
        _, status, headers, content = stored
        start_response(f"{status} {HTTPStatus(status).phrase}", shared_cache.stamped(headers))
        log_request(environ["REQUEST_METHOD"], environ["PATH_INFO"], status, started, "hit")
        return [content]

    def stored_page(self, environ):
        if (
            settings.PAGE_CACHE_SECONDS <= 0
            or environ["REQUEST_METHOD"] != "GET"
            or "HTTP_IF_NONE_MATCH" in environ
            or "HTTP_IF_MODIFIED_SINCE" in environ
            or "HTTP_HOST" not in environ
        ):
            return None
        if (
            "HTTP_COOKIE" in environ
            and BYPASS_COOKIES & parse_cookie(environ["HTTP_COOKIE"]).keys()
        ):
            return None
        query = page_query(get_path_info(environ), environ.get("QUERY_STRING", ""))
        if query is None:
            return None
        key = page_key(
            wsgi_scheme(environ), environ["HTTP_HOST"], environ.get("PATH_INFO", ""), query
        )
        return find(key, current_token())


def wsgi_scheme(environ):
    """The scheme as Django's request.scheme sees it (SECURE_PROXY_SSL_HEADER included)."""
    if settings.SECURE_PROXY_SSL_HEADER:
        header, secure_value = settings.SECURE_PROXY_SSL_HEADER
        value = environ.get(header)
        if value is not None:
            return "https" if value.split(",", 1)[0].strip() == secure_value else "http"
    return environ["wsgi.url_scheme"]
