"""
Content generations: a token in the cache that is replaced whenever content changes
(pagecache/content.py) and when the next scheduled change comes (a post's publication time).
Whatever is kept under a token is never used again once it is replaced: stored pages
(pagecache/pages.py), fragments (pagecache/fragments.py) and values kept per generation
(per_generation() below).

What this process keeps beside the cache (the last pages, the values kept per generation) sits
in OrderedDicts behind one lock, so threaded servers are as safe as gunicorn's sync workers.
"""

import json
import logging
import os
import pickle
import tempfile
import threading
import time
import uuid
from collections import OrderedDict
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.cache import cache, caches
from django.db import DatabaseError

from . import shared_cache

logger = logging.getLogger(__name__)

GENERATION_KEY = "pages:generation"

# Functions that say when content next changes without any save (blog: the next scheduled
# publication), registered by apps with ends_at(); the earliest ends the generation.
_schedules = []


def ends_at(next_change):
    """
    Register next_change(), which returns when content next changes by itself (a datetime, or
    None): the generation started before that time ends then. Call it from AppConfig.ready().
    """
    if next_change not in _schedules:
        _schedules.append(next_change)


def next_scheduled_change():
    times = [when for when in (next_change() for next_change in _schedules) if when is not None]
    return min(times, key=datetime.timestamp, default=None)


def new_generation():
    next_change = next_scheduled_change()
    generation = {
        "token": uuid.uuid4().hex,
        "ends_at": next_change.timestamp() if next_change else None,
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
        self.seen = (None, 0.0)

    def read(self):
        generation, seen_at = self.seen  # One tuple: a thread never reads half of an update.
        if generation is None or time.monotonic() - seen_at > LOOK_AGAIN_AFTER:
            generation = cache.get(GENERATION_KEY)
            self.seen = (generation, time.monotonic())
        return generation

    def replace(self, generation):
        self.seen = (generation, time.monotonic())
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
        self.seen = (None, None)

    def read(self):
        try:
            fd = os.open(settings.PAGE_CACHE_GENERATION_FILE, os.O_RDONLY)
        except FileNotFoundError:
            return None
        try:
            raw = os.read(fd, 4096)
        finally:
            os.close(fd)
        seen_raw, generation = self.seen
        if raw != seen_raw:
            try:
                generation = json.loads(raw)
            except ValueError:  # Damaged: a new generation replaces it.
                return None
            self.seen = (raw, generation)
        return generation

    def replace(self, generation):
        path = Path(settings.PAGE_CACHE_GENERATION_FILE)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
        with os.fdopen(fd, "wb") as file:
            file.write(json.dumps(generation).encode())
        os.replace(temporary, path)
        self.forget()


_stores = {"cache": CachedGeneration(), "file": FileGeneration()}


def shares_generation_through_file():
    """Redis is shared by every process already; a per-process cache needs the file."""
    return settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")


def generation_store():
    return _stores["file" if shares_generation_through_file() else "cache"]


class LocalStore:
    """
    A bounded store in this process for what is kept under a generation's token: the least
    recently used entries go first. A lock guards it, as OrderedDict's reordering is not safe
    when two threads use one (gunicorn's threaded workers, runserver, the live test server).
    """

    def __init__(self, entries):
        self.entries = entries
        self.items = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key, token):
        with self.lock:
            found = self.items.get(key)
            if found is None or found[0] != token:
                return None
            self.items.move_to_end(key)
            return found

    def put(self, key, stored):
        with self.lock:
            self.items[key] = stored
            self.items.move_to_end(key)
            while len(self.items) > self.entries:
                self.items.popitem(last=False)

    def clear(self):
        with self.lock:
            self.items.clear()


# Values that only content changes change, kept in this process per generation: what every
# page needs (site settings, the navigation) and what one page needs (an article's related
# posts). An article keeps two entries of ~8 kB (its links and body): 2,000 entries stay under
# ~16 MB per process.
_kept = LocalStore(entries=2000)


def per_generation(key, build, *, copied=False):
    """
    build() once per content generation in each process for `key` (say, a post's related
    articles, or the site settings every page shows), then the same value until content changes.
    Values are shared by every request of the process, so one that holds model instances, which
    a request may change (a cached property, an attribute a view sets), is kept `copied`: stored
    pickled, and every call gets instances of its own.
    """
    if copied:
        pickled = per_generation(key, lambda: pickle.dumps(build(), pickle.HIGHEST_PROTOCOL))
        return pickle.loads(pickled)  # Our own bytes, made in this process.
    try:
        token = current_token()
    except Exception:  # Cache or database trouble: build it, as there were no cache.
        return build()
    found = _kept.get(key, token)
    if found is not None:
        return found[1]
    value = build()
    _kept.put(key, (token, value))
    return value


def forget_local():
    """
    Drop what this process keeps besides the default cache: its copies of pages, the values and
    fragments kept per generation, what it last read of the generation (for tests, which empty
    the cache before each test).
    """
    global _database_retry_at
    _database_retry_at = 0.0
    from . import pages

    pages.forget_local()
    _kept.clear()
    caches["fragments"].clear()
    for store in _stores.values():
        store.forget()
