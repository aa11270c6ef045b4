"""
The page cache: whole pages for anonymous readers, kept in Django's cache and dropped the moment
content changes.

Every page is stored with the *generation* it was rendered in: a token in the cache that is
replaced whenever a content model (pagecache/content.py) changes (at once, and again when the
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
import logging
import re
import time
from http import HTTPStatus
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.handlers.wsgi import get_path_info
from django.db import DatabaseError
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

from . import shared_cache
from .generations import LocalStore, current_token

logger = logging.getLogger(__name__)

PAGE_KEY_PREFIX = "pages:page:"
# Readers with these cookies may see something personal: a staff member's preview and admin
# links, or a one-off message.
BYPASS_COOKIES = {settings.SESSION_COOKIE_NAME, "messages"}
# The views whose pages differ by a query parameter (by URL name, registered by the apps with
# page_parameter()), that parameter and the values it takes: a list's page (?page=2), a
# sitemap's (?p=2), an article's thank-you for feedback (?feedback=thanks, the same for every
# reader). Anywhere else a parameter changes nothing and a page with it is not stored, so it
# cannot multiply every article. A view missing here only renders such pages each time; it
# never gets another page's copy.
PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,3}")
_page_parameters = {}


def page_parameter(view_name, parameter, values=PAGE_NUMBER):
    """Store the pages of `view_name` (a URL name) apart for each of `values` of `parameter`."""
    _page_parameters[view_name] = (parameter, values)


# Added by newsletters, ads and social networks for the reader's analytics; no view reads them.
TRACKING_PARAMETERS = {
    "fbclid", "gclid", "gbraid", "wbraid", "dclid", "msclkid", "mc_cid", "mc_eid", "_ga", "_gl",
    "igshid", "yclid", "twclid", "ttclid", "li_fat_id",
}  # fmt: skip
CONDITIONS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")
# Vary headers a stored page may carry: the same bytes suit every reader whatever they send.
SHAREABLE_VARY = {"accept-encoding"}


def page_query(path, query):
    """
    The query string a stored page at `path` is known by: `query` without tracking parameters.
    None when it holds anything else than that page's parameter (page_parameter()) with one of
    its values, so the page must be rendered and not stored.
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
            parameter, values = _page_parameters.get(resolve(path).view_name, (None, None))
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
_pages = LocalStore(entries=256)  # About 10 MB of HTML at most.


def find(key, token):
    """The page stored under the current generation: from this process, else the cache."""
    stored = _pages.get(key, token)
    if stored is not None:
        return stored
    stored = cache.get(key)
    if stored and stored[0] == token:
        remember(key, stored)
        return stored
    return None


def remember(key, stored):
    _pages.put(key, stored)


def forget_local():
    _pages.clear()


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


class FastPath:
    """
    WSGI wrapper (backandneck/wsgi.py): answers the commonest request, a plain GET of a stored
    page by a reader without a session, before Django builds a request object. On a busy day
    that is nearly every request, and Django's request handling costs more than the rest of a
    hit. Anything else, including HEAD and conditional GETs, goes on to Django, where
    PageCacheMiddleware applies the same rules in full; a page is only ever stored there.

    log_hit(method, path, status, started, "hit") logs each page answered here (the request log
    below sees only what reaches Django).
    """

    def __init__(self, application, log_hit=None):
        self.application = application
        self.log_hit = log_hit

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
        if self.log_hit is not None:
            self.log_hit(environ["REQUEST_METHOD"], environ["PATH_INFO"], status, started, "hit")
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
