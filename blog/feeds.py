from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

import pagecache
from siteconfig.models import SiteSettings

from .models import Category, Post

FEED_LENGTH = 20


def site_settings():
    # Kept per generation, as for every page (backandneck/context_processors.py).
    return pagecache.per_generation("site_settings", SiteSettings.load, copied=True)


class LatestPostsFeed(Feed):
    """RSS 2.0 at /feed/, the address WordPress used, so subscribers keep their feed."""

    def title(self):
        return site_settings().site_name

    def description(self):
        # Feed readers render RSS descriptions as HTML; the tagline is plain text.
        return escape(site_settings().tagline)

    def link(self):
        return reverse("home")

    def feed_url(self):
        return reverse("blog:feed")

    def items(self):
        return self.posts()[:FEED_LENGTH]

    def posts(self):
        # Items show an excerpt (or the start of the body), their tags, author and category.
        return (
            Post.objects.published().select_related("author", "category").prefetch_related("tags")
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # RSS descriptions and Atom summaries (type="html") are HTML to feed readers, and the
        # excerpt is plain text: escaped here, "<script>" in it reads as text in every reader.
        return escape(item.excerpt or item.description)

    def item_author_name(self, item):
        return item.author_name

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.category.name, *(tag.name for tag in item.tags.all())]

    def item_guid(self, item):
        return f"{settings.SITE_URL}{item.get_absolute_url()}"

    item_guid_is_permalink = True


class LatestPostsAtomFeed(LatestPostsFeed):
    feed_type = Atom1Feed

    def subtitle(self):
        return site_settings().tagline  # An Atom subtitle is text; the feed escapes it.

    def feed_url(self):
        return reverse("blog:atom_feed")


class CategoryFeed(LatestPostsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Category, slug=slug)

    def title(self, category):
        return f"{category.name} – {site_settings().site_name}"

    def description(self, category):
        return escape(category.description or f"New articles in {category.name}.")

    def link(self, category):
        return category.get_absolute_url()

    def feed_url(self, category):
        return reverse("blog:category_feed", args=[category.slug])

    def items(self, category):
        return self.posts().in_category(category)[:FEED_LENGTH]
