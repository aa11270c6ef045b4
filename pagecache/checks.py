"""System checks of the page cache's setup (each module's own checks sit beside its code)."""

import tempfile
from pathlib import Path

from django.conf import settings
from django.core import checks

from .generations import shares_generation_through_file


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
                id="pagecache.W001",
            )
        ]
    return []


@checks.register(checks.Tags.caches)
def check_generation_file(app_configs, **kwargs):
    """Without a writable generation file, no process could tell the others of a change."""
    if not shares_generation_through_file() or not settings.PAGE_CACHE_SECONDS:
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
            id="pagecache.E001",
        )
    ]
