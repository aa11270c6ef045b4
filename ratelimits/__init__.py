"""
Per-client rate limits, counted in Django's cache (shared by all processes when it is Redis).

A fixed window per client address: simple, one cache round trip, and good enough to stop a
script from hammering the search or the sign-up form. Keys are keyed hashes, so the cache never
holds readers' IP addresses in the clear.
"""

import functools
import logging

from django.core.cache import cache
from django.shortcuts import render
from django.utils.crypto import salted_hmac

logger = logging.getLogger(__name__)


def counted(key, limit, window):
    """Count one more at `key`; False once there have been more than `limit` in the window.
    Raises what the cache raises when it is down."""
    cache.add(key, 0, window)
    try:
        return cache.incr(key) <= limit
    except ValueError:  # The window ended between add() and incr().
        cache.set(key, 1, window)
        return True


def hit(scope, request, limit, window):
    """Count a request from this client; False once it made more than `limit` in the window."""
    client = salted_hmac(f"ratelimit.{scope}", request.META.get("REMOTE_ADDR", "")).hexdigest()
    try:
        return counted(f"ratelimit:{scope}:{client}", limit, window)
    except Exception:  # Cache down: let readers through rather than refuse everyone.
        logger.warning("Rate limit %s not counted: cache unavailable", scope, exc_info=True)
        return True


def rate_limit(scope, limit, window):
    """View decorator: at most `limit` requests per `window` seconds per client, else a 429."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not hit(scope, request, limit, window):
                response = render(request, "429.html", {"retry_after": window}, status=429)
                response["Retry-After"] = str(window)
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
