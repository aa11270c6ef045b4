"""
The categories, authors and medical reviewers that articles name. There are few of them and
they change only with content, so each process keeps them per page cache generation and an
article is read without joining them in.
"""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

from pagecache.pages import site_wide
from people.models import Reviewer

from .models import Category, Post

# Post field -> the directory's name for what it points to.
FIELDS = {"category": "categories", "author": "authors", "reviewed_by": "reviewers"}


def _load():
    # EXISTS, one index lookup per user: joining every post and removing duplicates read
    # the whole table.
    has_posts = Exists(Post.objects.filter(author=OuterRef("pk")))
    authors = get_user_model().objects.filter(has_posts).select_related("author_profile")
    return {
        "categories": {category.pk: category for category in Category.objects.all()},
        "navigation": list(Category.objects.with_public_posts()),
        "authors": {author.pk: author for author in authors},
        "reviewers": {reviewer.pk: reviewer for reviewer in Reviewer.objects.all()},
    }


def attach(post):
    """Give the post its category, author (with profile) and reviewer, where the directory
    has them; anything it lacks (a new author's first draft) is loaded as usual."""
    directory = site_wide("directory", _load)
    for field, name in FIELDS.items():
        related = directory[name].get(getattr(post, f"{field}_id"))
        if related is not None:
            setattr(post, field, related)
    return post


def categories():
    """Every category, in the site's order."""
    return list(site_wide("directory", _load)["categories"].values())


def navigation():
    """The categories that have public articles, for the site's header: a category
    without any (dozens of them after an import from WordPress) would lead nowhere."""
    return site_wide("directory", _load)["navigation"]
