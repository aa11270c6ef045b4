"""How the site tells its operators and readers that a service it needs is down."""

import logging
import sys
import uuid

from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.defaults import server_error as django_server_error

from . import database

logger = logging.getLogger(__name__)

# Errors that mean "the database cannot be reached", not "the code is wrong": psycopg and sqlite
# raise these when the server is down, restarting or refusing connections.
DATABASE_DOWN_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30
HEALTH_CHECK_SECONDS = database.QUICK
FALLBACK_503 = (
    "<!doctype html><title>Back in a moment</title><h1>We’ll be back in a moment</h1>"
    "<p>The site is briefly unavailable. Please reload this page in a minute.</p>"
)


# What this process last reported for each service: a monitor polls every few seconds, so an
# outage is logged when it starts and when it ends, not once per check.
_last_status = {}


def report(service, status, error=None):
    if _last_status.get(service, "ok") != status:
        if status == "ok":
            logger.warning("Health check: %s available again", service)
        else:
            logger.warning("Health check: %s unavailable (%s)", service, type(error).__name__)
    _last_status[service] = status
    return status


def database_status():
    try:
        # A frozen server must not hold the load balancer's check (and a worker) for long.
        with database.time_limit(HEALTH_CHECK_SECONDS), connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return report("database", "unavailable", error)
    return report("database", "ok")


def cache_status():
    # A key of its own for each check: with one shared key, concurrent checks overwrote each
    # other's token between set and get and reported a healthy cache as down.
    key, token = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    try:
        cache.set(key, token, 10)
        reachable = cache.get(key) == token
        cache.delete(key)
    except Exception as error:  # Each cache backend has its own connection errors.
        return report("cache", "unavailable", error)
    return report("cache", "ok" if reachable else "unavailable")


@never_cache
@require_safe
def healthz(request):
    """
    For load balancers and monitors: 503 only when this server cannot serve readers (its
    database is down). Without the cache it still renders every page, more slowly: "degraded"
    with a 200, or a load balancer would take every server out during a Redis outage.
    """
    checks = {"database": database_status(), "cache": cache_status()}
    if checks["database"] != "ok":
        status, code = "unavailable", 503
    else:
        status, code = ("ok" if checks["cache"] == "ok" else "degraded"), 200
    response = JsonResponse({"status": status, **checks}, status=code)
    # report() has logged the outage; Django would log every failed check as a server error
    # and mail it to ADMINS.
    response._has_been_logged = True
    return response


def server_error(request):
    """
    handler500: a database outage gets a friendly 503 that invites readers back soon, built
    without touching the database; anything else gets the usual 500 page.

    Django calls this while handling the exception, so sys.exc_info() says what went wrong.
    The broken connection is discarded at the end of the request and the next request opens a
    new one (CONN_HEALTH_CHECKS), so the site recovers by itself when the database is back.
    """
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_DOWN_ERRORS):
        try:
            page = render_to_string("503.html")
        except Exception:  # e.g. static files not collected; the words matter, not the looks.
            page = FALLBACK_503
        response = HttpResponse(page, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    try:
        return django_server_error(request)
    except Exception:  # The 500 template itself failed; never fail the error page.
        return HttpResponseServerError("<h1>Server error</h1>")
