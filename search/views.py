from urllib.parse import urlencode

from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from ratelimits import rate_limit

from .query import clean
from .results import instant_results

MIN_QUERY_LENGTH = 2
# A reader pausing while typing asks a few times per search; the dialog waits for a pause.
SUGGESTIONS_PER_MINUTE = 120


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
            "url": f"{reverse('search')}?{urlencode({'q': results.query.text})}",
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
