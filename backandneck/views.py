from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_safe
from django.views.static import serve as static_serve

from blog import views as blog_views
from search.query import clean

from .security import MEDIA_POLICY


@require_safe
def home(request):
    """The blog's home page; WordPress's search address (/?s=…) still leads to the search."""
    if "s" in request.GET:
        # The old WordPress search form sent readers to /?s=…; bookmarks and links still do.
        query = urlencode({"q": clean(request.GET["s"])})
        return HttpResponsePermanentRedirect(f"{reverse('search:search')}?{query}")
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


def media_file(request, path):
    """Uploads in development (DEBUG), with the headers nginx adds to them in production."""
    response = static_serve(request, path, document_root=settings.MEDIA_ROOT)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = MEDIA_POLICY
    return response
