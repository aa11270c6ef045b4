from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_safe
from django.views.static import serve as static_serve

from blog import directory
from blog.models import Post
from search.query import clean

from .security import MEDIA_POLICY

LATEST_POSTS_ON_HOME = 9


@require_safe
def home(request):
    if "s" in request.GET:
        # The old WordPress search form sent readers to /?s=…; bookmarks and links still do.
        query = urlencode({"q": clean(request.GET["s"])})
        return HttpResponsePermanentRedirect(f"{reverse('search:search')}?{query}")
    featured, latest = Post.objects.published().for_cards().home_page(LATEST_POSTS_ON_HOME)
    return render(
        request,
        "home.html",
        {
            "featured_post": featured,
            "latest_posts": latest,
            # With their counts, as the header's navigation has them: kept per generation.
            "categories": directory.navigation(),
        },
    )


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


def media_file(request, path):
    """Uploads in development (DEBUG), with the headers nginx adds to them in production."""
    response = static_serve(request, path, document_root=settings.MEDIA_ROOT)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = MEDIA_POLICY
    return response
