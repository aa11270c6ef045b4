from django.contrib.flatpages.models import FlatPage
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from . import directory
from .models import Post
from .pagination import ListPaginator


class PostSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8
    # The protocol's most per file; the index (/sitemap.xml) lists each page (?p=2, ...).
    limit = 50_000

    def items(self):
        return Post.objects.published().only("slug", "updated_at").order_by("-published_at", "-pk")

    def lastmod(self, post):
        return post.updated_at

    def get_latest_lastmod(self):
        # Django's default reads every item for the index's lastmod.
        return Post.objects.last_changed()

    @property
    def paginator(self):
        # Counted once per page cache generation, like the lists (blog/pagination.py).
        return ListPaginator(self._items(), self.limit, list_key=("sitemap-posts",))


class CategorySitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        # The navigation's categories, counted once per generation.
        return directory.navigation()

    def lastmod(self, category):
        return category.lastmod


class PageSitemap(Sitemap):
    """Static pages from django.contrib.flatpages that anyone may read."""

    changefreq = "yearly"
    priority = 0.3

    def items(self):
        return (
            FlatPage.objects.filter(registration_required=False, sites__id=1)
            .select_related("timestamp")
            .order_by("url")
        )

    def lastmod(self, page):
        timestamp = getattr(page, "timestamp", None)  # Every saved page has one.
        return timestamp and timestamp.updated_at


class HomeSitemap(Sitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self):
        return ["home", "blog:post_list"]

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        return Post.objects.last_changed()


sitemaps = {
    "home": HomeSitemap,
    "posts": PostSitemap,
    "categories": CategorySitemap,
    "pages": PageSitemap,
}
