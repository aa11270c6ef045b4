"""
A shared HTTP cache in front of the site (nginx's proxy_cache, Varnish, a CDN): what public
pages tell it, and how it learns that a page changed.

Public pages (those the page cache stores: the same bytes for every reader) carry
`Cache-Control: public, max-age=…, s-maxage=…, stale-while-revalidate=…, stale-if-error=…` and
their cache tags, in the three spellings caches read: `Cache-Tag` (Cloudflare, comma-separated),
`Surrogate-Key` (Fastly, Varnish) and `xkey` (Varnish's xkey module), both space-separated.
Every page is tagged `site`; the apps tag their own pages too (tag_pages(): an article
`post-<slug>`, a category, tag or author page `category-<slug>`, `tag-<slug>` or
`author-<slug>`, the feeds `feeds` and the sitemap `sitemap`).
Anything else (previews, the admin, search results, a page rendered for a reader with a session
or a message, a 404, an answer to a POST) is `private`. The shipped proxy configs also keep
requests with a session, CSRF or messages cookie, or Authorization, away from shared copies.

When content changes, pagecache/content.py calls changed() from the same signal that starts a
new page cache generation; once the transaction commits the tags of what changed are sent to
the backend named by SHARED_CACHE_PURGE (like EMAIL_BACKEND), from a background thread so that
an editor's save never waits for a slow CDN. A purge that fails is logged and queued for the
task worker, which tries again with growing pauses.

What changed, as tags: nearly every change shows on many pages (the navigation lists the
categories on every page, an article's title and reading time appear on the lists, the feeds and
the related articles of other posts), so nearly every change purges `site`, the same rule as the
in-process cache. An app may say that a change of its rows purges less (declare_content's
change_tags; blog/purging.py: an edit of a draft that stays hidden purges nothing, an edit of
a public post's body only that article, the feeds and the sitemap).

A scheduled post goes live without any save: the generation that ends at its time queues a
task for that moment (generations.new_generation), which starts the next generation and purges
`site`; the first request after the time does the same if no worker runs.
"""

import json
import logging
import threading
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from functools import partial
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.core import checks
from django.db import connections, transaction
from django.db.models.signals import m2m_changed, post_delete
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

logger = logging.getLogger(__name__)

SITE = "site"
FEEDS = "feeds"
SITEMAP = "sitemap"
# The tags of the apps' pages beside `site`, by URL name (tag_pages()): fixed tags, and the kind
# of the object whose slug the page presents.
_page_tags = {}
# Pauses before the task worker tries a failed purge again (seconds).
RETRY_AFTER = [10, 60, 300, 1800]


def tag_for(kind, slug):
    # Slugs may be Unicode; header values and Varnish's ban expressions want plain ASCII.
    return f"{kind}-{quote(str(slug), safe='')}"


def tag_pages(*view_names, slug=None, tags=()):
    """
    Tag the pages of `view_names` (URL names) with `tags` (FEEDS, SITEMAP) and, when `slug` names
    a kind ("post"), with the tag of the object whose slug the address holds ("post-<slug>").
    """
    for view_name in view_names:
        _page_tags[view_name] = (tuple(tags), slug)


def page_tags(request):
    match = request.resolver_match
    tags = [SITE]
    if match is None or match.view_name not in _page_tags:
        return tags
    fixed, kind = _page_tags[match.view_name]
    tags.extend(fixed)
    if kind and "slug" in match.kwargs:
        tags.append(tag_for(kind, match.kwargs["slug"]))
    return tags


def mark_public(request, response):
    """
    The headers of a page the page cache stores (pages.PageCacheMiddleware.prepare): the same
    bytes for everyone. Readers with cookies are kept away from shared copies by the caches'
    own rules (deploy/nginx-backandneck.conf, deploy/varnish-backandneck.vcl).
    """
    if response.has_header("Cache-Control"):
        return
    backend = purge_backend()
    directives = [
        "public",
        f"max-age={settings.SHARED_CACHE_BROWSER_SECONDS}",
        f"s-maxage={backend.shared_seconds}",
    ]
    if backend.purges:
        # A copy past its time is still right unless a purge removed it: serve it while
        # fetching the next. Without purges, a copy past its second may be out of date.
        directives.append(f"stale-while-revalidate={settings.SHARED_CACHE_STALE_SECONDS}")
    directives.append(f"stale-if-error={settings.SHARED_CACHE_STALE_IF_ERROR_SECONDS}")
    response["Cache-Control"] = ", ".join(directives)
    response[NGINX_EXPIRES] = nginx_expires()
    tags = page_tags(request)
    response["Cache-Tag"] = ",".join(tags)
    response["Surrogate-Key"] = response["xkey"] = " ".join(tags)


# For nginx (deploy/nginx-backandneck.conf), which does not pass it on: keep the page until the
# end of the SHARED_CACHE_NGINX_SECONDS-th second from now, then ask again with If-None-Match
# (a 304 from the page cache), so an edit shows through it within that time without any
# purge. nginx counts in whole seconds, and a copy that is "fresh for 1 s" may live almost 2;
# an absolute time, given afresh with every answer (stored pages included), keeps the bound.
NGINX_EXPIRES = "X-Accel-Expires"


def nginx_expires():
    return f"@{int(time.time()) + settings.SHARED_CACHE_NGINX_SECONDS - 1}"


def stamped(headers):
    """A stored page's headers as served now (pages.FastPath)."""
    if NGINX_EXPIRES not in headers:
        return list(headers.items())
    return [(n, nginx_expires() if n == NGINX_EXPIRES else v) for n, v in headers.items()]


def stamp(response, headers):
    """The answer (200 or 304) made from a stored page's headers (PageCacheMiddleware)."""
    if NGINX_EXPIRES in headers:
        response[NGINX_EXPIRES] = nginx_expires()


def mark_private(response):
    """Any other answer: nobody but this reader's browser may keep it."""
    response.headers.setdefault("Cache-Control", "private, no-cache")


# Purge backends -----------------------------------------------------------------------------


class NginxBackend:
    """
    The shipped deploy/nginx-backandneck.conf: open-source nginx has no purge, so it keeps each
    page SHARED_CACHE_NGINX_SECONDS (X-Accel-Expires) and revalidates it after; nothing to send.
    """

    purges = False

    @property
    def shared_seconds(self):
        return settings.SHARED_CACHE_NGINX_SECONDS

    def purge(self, tags):
        pass


class HTTPPurgeBackend:
    """A backend told of changes over HTTP: pages may stay in its cache until purged."""

    purges = True

    @property
    def shared_seconds(self):
        return settings.SHARED_CACHE_SECONDS

    def send(self, request):
        with urllib.request.urlopen(request, timeout=settings.SHARED_CACHE_PURGE_TIMEOUT) as reply:
            return reply.status, reply.read()


class VarnishBackend(HTTPPurgeBackend):
    """
    deploy/varnish-backandneck.vcl: one BAN request to each of VARNISH_URLS (comma-separated),
    with the tags in X-Purge-Tags; Varnish bans every object whose Surrogate-Key holds one.
    """

    def purge(self, tags):
        for url in filter(None, (u.strip() for u in settings.VARNISH_URLS.split(","))):
            request = urllib.request.Request(
                url, method="BAN", headers={"X-Purge-Tags": " ".join(sorted(tags))}
            )
            status, body = self.send(request)
            if status != 200:
                raise PurgeFailed(f"Varnish at {url} answered {status}: {body[:200]!r}")


class CloudflareBackend(HTTPPurgeBackend):
    """
    Cloudflare's purge by cache tag (CLOUDFLARE_ZONE_ID, and CLOUDFLARE_API_TOKEN with the
    Cache Purge permission), at most 30 tags per call.
    """

    TAGS_PER_CALL = 30

    def purge(self, tags):
        tags = sorted(tags)
        url = (
            f"{settings.CLOUDFLARE_API_URL.rstrip('/')}/zones/"
            f"{quote(settings.CLOUDFLARE_ZONE_ID, safe='')}/purge_cache"
        )
        for start in range(0, len(tags), self.TAGS_PER_CALL):
            request = urllib.request.Request(
                url,
                method="POST",
                data=json.dumps({"tags": tags[start : start + self.TAGS_PER_CALL]}).encode(),
                headers={
                    "Authorization": f"Bearer {settings.CLOUDFLARE_API_TOKEN}",
                    "Content-Type": "application/json",
                },
            )
            try:
                status, body = self.send(request)
            except urllib.error.HTTPError as error:
                status, body = error.code, error.read()
            if status != 200 or not json.loads(body or b"{}").get("success"):
                raise PurgeFailed(f"Cloudflare answered {status}: {body[:300]!r}")


class PurgeFailed(Exception):
    pass


_backends = {}


def purge_backend():
    path = settings.SHARED_CACHE_PURGE
    if path not in _backends:
        _backends[path] = import_string(path)()
    return _backends[path]


# What changed -------------------------------------------------------------------------------


def remember_before_save(sender, instance, raw=False, **kwargs):
    """
    The row as stored, to tell after the save what the edit changed (one small query; for content
    declared with compare_with_stored). change_tags gets it as `before`.
    """
    if raw or not purge_backend().purges or instance.pk is None:
        instance._shared_cache_before_save = None
        return
    fields = [f.attname for f in sender._meta.concrete_fields]
    stored = sender._base_manager.filter(pk=instance.pk).values(*fields).first()
    instance._shared_cache_before_save = stored


def change_tags(instance, deleted=False, relation=False):
    """
    The tags of the pages a saved or deleted row (None: unknown rows) shows on; `relation`: a
    change of the row's many-to-many relations (a post's categories) rather than of the row.
    The declared content's change_tags says, or else it is every page.
    """
    from .content import declared

    content = None if instance is None else declared(type(instance))
    if content is None or content.change_tags is None:
        return {SITE}
    before = getattr(instance, "_shared_cache_before_save", None)
    return set(content.change_tags(instance, before, deleted, relation))


def changed(instance=None, signal=None, using=None, **kwargs):
    """
    A content row changed (content.content_changed, with the signal's arguments): purge its
    pages once the change commits.
    """
    if not purge_backend().purges:
        return
    try:
        tags = change_tags(instance, deleted=signal is post_delete, relation=signal is m2m_changed)
    except Exception:  # Never let the purge bookkeeping break an editor's save.
        logger.exception("Could not work out what a change shows on; purging the whole site")
        tags = {SITE}
    if tags:
        transaction.on_commit(partial(purge_soon, tags), using=using)


# Tags waiting to be sent, and the thread that sends them. A save in the admin changes several
# rows (the post, its tags, its sources, a revision) in one commit, and an import thousands:
# the sender gathers what arrives within GATHER_SECONDS into one purge.
_outbox = set()
_outbox_lock = threading.Lock()
_sender = None
GATHER_SECONDS = 0.05


def purge_soon(tags):
    """Purge from a background thread, so the request that changed content never waits."""
    global _sender
    with _outbox_lock:
        _outbox.update(tags)
        if _sender is None or not _sender.is_alive():
            _sender = threading.Thread(target=send_outbox, name="shared-cache-purge", daemon=True)
            _sender.start()


def send_outbox():
    global _sender
    while True:
        time.sleep(GATHER_SECONDS)
        with _outbox_lock:
            if not _outbox:
                _sender = None
                return
            tags = sorted({SITE} if SITE in _outbox else _outbox)
            _outbox.clear()
        try:
            purge_now(tags)
        finally:
            # A retry queued in the database opened this thread's own connection.
            connections.close_all()


def wait_for_purges(timeout=10):
    """For tests and commands that exit right after a change: let the purges finish."""
    sender = _sender
    if sender is not None:
        sender.join(timeout)


def purge_now(tags, attempt=0):
    try:
        purge_backend().purge(set(tags))
    except Exception as error:
        logger.warning("Shared cache purge of %s failed (attempt %d): %r", tags, attempt + 1, error)
        schedule_retry(tags, attempt)
        return False
    logger.info("Shared cache purged: %s", " ".join(tags))
    return True


def schedule_retry(tags, attempt):
    if attempt >= len(RETRY_AFTER):
        logger.error("Shared cache purge of %s given up after %d attempts", tags, attempt + 1)
        return
    try:
        if retry_purge.get_backend().supports_defer:
            retry_at = timezone.now() + timedelta(seconds=RETRY_AFTER[attempt])
            retry_purge.using(run_after=retry_at).enqueue(list(tags), attempt + 1)
        else:
            retry_purge.enqueue(list(tags), attempt + 1)
    except Exception as error:
        logger.error("Could not queue a retry of the shared cache purge of %s: %r", tags, error)


@task()
def retry_purge(tags, attempt):
    """A purge that failed, tried again by the task worker."""
    return purge_now(tags, attempt)


@task()
def publish_scheduled():
    """Queued for a scheduled post's time: its pages change without any save."""
    from . import generations

    generations.new_generation()
    return purge_now([SITE])


def generation_started(previous, generation):
    """
    generations.new_generation: when the next scheduled publication moved, queue a task for it, so
    that a cache that never asks the site (a CDN keeping pages for a day) hears of it in time.
    """
    ends_at = generation["ends_at"]
    if not purge_backend().purges or not ends_at:
        return
    if previous is not None and previous.get("ends_at") == ends_at:
        return
    try:
        if publish_scheduled.get_backend().supports_defer:
            run_after = datetime.fromtimestamp(ends_at, tz=UTC)
            publish_scheduled.using(run_after=run_after).enqueue()
    except Exception as error:
        logger.warning("Could not queue the purge for the next scheduled post: %r", error)


def generation_ended():
    """generations.current_token: a scheduled post's time came and this process noticed first."""
    purge_soon({SITE})


@checks.register(checks.Tags.caches, deploy=True)
def check_purge_backend(app_configs, **kwargs):
    """A purge backend without its address or token would leave pages stale for a day."""
    try:
        backend = purge_backend()
    except ImportError as error:
        message = f"SHARED_CACHE_PURGE names no backend: {error}"
        return [checks.Error(message, id="pagecache.E002")]
    problems = []
    if isinstance(backend, VarnishBackend) and not settings.VARNISH_URLS:
        problems.append("VARNISH_URLS is empty")
    if isinstance(backend, CloudflareBackend):
        if not settings.CLOUDFLARE_ZONE_ID or not settings.CLOUDFLARE_API_TOKEN:
            problems.append("CLOUDFLARE_ZONE_ID and CLOUDFLARE_API_TOKEN must both be set")
        if urlsplit(settings.CLOUDFLARE_API_URL).scheme != "https":
            problems.append("CLOUDFLARE_API_URL must be https")
    return [
        checks.Error(
            f"The shared cache purge backend cannot purge: {problem}.",
            hint='See docs/production.md, "A shared cache in front".',
            id="pagecache.E002",
        )
        for problem in problems
    ]
