from itertools import chain

from django.contrib.sitemaps import Sitemap
from django.db.models import OuterRef, Subquery

from blog.models import Post

from .models import AuthorProfile, Reviewer


def latest_public_change(**post_filter):
    """When the newest change to a public post matching post_filter (an OuterRef) was made."""
    posts = Post.objects.published().filter(**post_filter).order_by("-updated_at")
    return Subquery(posts.values("updated_at")[:1])


class PeopleSitemap(Sitemap):
    """Author and reviewer profiles: search engines weigh who writes and checks health pages."""

    changefreq = "monthly"
    priority = 0.4

    def items(self):
        authors = AuthorProfile.objects.select_related("user").annotate(
            posts_changed_at=latest_public_change(author=OuterRef("user"))
        )
        reviewers = Reviewer.objects.order_by("slug").annotate(
            posts_changed_at=latest_public_change(reviewed_by=OuterRef("pk"))
        )
        return list(chain(authors, reviewers))

    def lastmod(self, person):
        # A profile page lists the person's articles, so it changes with them too.
        return max(filter(None, [person.updated_at, person.posts_changed_at]))
