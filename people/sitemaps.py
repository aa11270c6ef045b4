from itertools import chain

from django.contrib.sitemaps import Sitemap

from .models import AuthorProfile, Reviewer


class PeopleSitemap(Sitemap):
    """Author and reviewer profiles: search engines weigh who writes and checks health pages."""

    changefreq = "monthly"
    priority = 0.4

    def items(self):
        return list(
            chain(AuthorProfile.objects.select_related("user"), Reviewer.objects.order_by("slug"))
        )
