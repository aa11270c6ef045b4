from urllib.parse import urlencode

from django.contrib.sites.shortcuts import get_current_site
from django.core.paginator import InvalidPage
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from ratelimits import rate_limit

from .models import DailySearch
from .query import clean
from .results import instant_results, search_site, starting_points

MIN_QUERY_LENGTH = 2
SEARCHES_PER_MINUTE = 60  # per client; a person types far fewer
# A reader pausing while typing asks a few times per search; the dialog waits for a pause.
SUGGESTIONS_PER_MINUTE = 120


# Searches are never stored by the page cache (private): each one is counted for the editors'
# report of what readers look for, and each counts towards the reader's rate limit.
@require_safe
@cache_control(private=True)
@rate_limit("search", limit=SEARCHES_PER_MINUTE, window=60)
def search(request):
    try:
        results = search_site(
            clean(request.GET.get("q", "")),
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
    return render(request, "search/search.html", context)


# The same words always get the same answer until content changes, and nothing is recorded
# (what readers type halfway is not what they search for): browsers and proxies may keep it
# for a minute. Rate limited outside the cache headers, so a 429 is never kept.
@require_safe
@rate_limit("suggest", limit=SUGGESTIONS_PER_MINUTE, window=60)
@cache_control(public=True, max_age=60)
def suggest(request):
    """Instant results for the header's search dialog (static/js/site.js), as JSON."""
    text = clean(request.GET.get("q", ""))
    if len(text) < MIN_QUERY_LENGTH:
        message = f"Type at least {MIN_QUERY_LENGTH} characters."
        return JsonResponse({"error": message}, status=400)
    results = instant_results(text)
    corrected_from = results.corrected_from
    # Titles are plain text here; the dialog inserts them with textContent.
    return JsonResponse(
        {
            "query": results.query.text,
            "corrected_from": corrected_from.text if corrected_from else None,
            "url": f"{reverse('search:search')}?{urlencode({'q': results.query.text})}",
            "results": [
                {
                    "title": post.title,
                    "category": post.category.name,
                    "url": post.get_absolute_url(),
                }
                for post in results.posts
            ],
        }
    )


@require_safe
def opensearch_xml(request):
    return render(
        request,
        "search/opensearch.xml",
        content_type="application/opensearchdescription+xml; charset=utf-8",
    )
