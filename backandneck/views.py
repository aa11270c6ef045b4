from urllib.parse import urlencode

from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.core.paginator import InvalidPage
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.static import serve as static_serve

from blog import views as blog_views
from ratelimits import rate_limit
from search.models import DailySearch
from search.query import clean
from search.results import search_site, starting_points

from .security import MEDIA_POLICY

SEARCHES_PER_MINUTE = 60  # per client; a person types far fewer


@require_safe
def home(request):
    """The blog's home page; WordPress's search address (/?s=…) still leads to the search."""
    if "s" in request.GET:
        # The old WordPress search form sent readers to /?s=…; bookmarks and links still do.
        query = urlencode({"q": clean(request.GET["s"])})
        return HttpResponsePermanentRedirect(f"{reverse('search')}?{query}")
    return blog_views.home(request)


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        # A custom ADMIN_URL stays out of robots.txt, which anyone can read.
        *(["Disallow: /admin/"] if settings.ADMIN_URL == "admin/" else []),
        "Disallow: /search/",
        f"Sitemap: {settings.SITE_URL}/sitemap.xml",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@require_safe
def favicon(request):
    """Browsers, feed readers and bookmarks ask for /favicon.ico whatever the page links to."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


# Searches are never stored by the page cache (private): each one is counted for the editors'
# report of what readers look for, and each counts towards the reader's rate limit.
@require_safe
@cache_control(private=True)
@rate_limit("search", limit=SEARCHES_PER_MINUTE, window=60)
def search(request):
    try:
        results = search_site(
            request.GET.get("q", ""),
            category_slug=request.GET.get("category", ""),
            page_number=request.GET.get("page", 1),
            site_id=get_current_site(request).pk,
            literal=bool(request.GET.get("literal")),
        )
    except InvalidPage as error:
        raise Http404("No such page of results.") from error
    if not results.query.is_empty and results.page.number == 1:
        DailySearch.objects.record(
            results.typed_query, results.total + len(results.partial), results.fallback
        )
    context = {"results": results, "query": results.query.text}
    if results.query.is_empty:
        context.update(starting_points())
    return render(request, "search.html", context)


@require_safe
def opensearch_xml(request):
    return render(
        request,
        "opensearch.xml",
        content_type="application/opensearchdescription+xml; charset=utf-8",
    )


def media_file(request, path):
    """Uploads in development (DEBUG), with the headers nginx adds to them in production."""
    response = static_serve(request, path, document_root=settings.MEDIA_ROOT)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = MEDIA_POLICY
    return response
