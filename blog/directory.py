"""
The categories, authors and medical reviewers that articles name. There are few of them and
they change only with content, so each process keeps them per page cache generation and an
article is read without joining them in.

What is kept is plain data (each instance pickled, with what it has selected: an author's
profile): every request gets instances of its own, which it may change (a template's cached
property, a view's attribute) without another request seeing it.
"""

import pickle

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

import pagecache

from .models import Category, Post

# Post field -> the directory's name for what it points to.
FIELDS = {"category": "categories", "author": "authors", "reviewed_by": "reviewers"}


def _pickled(instances):
    return {instance.pk: pickle.dumps(instance, pickle.HIGHEST_PROTOCOL) for instance in instances}


def _load():
    Reviewer = Post._meta.get_field("reviewed_by").related_model  # people's, above blog
    # EXISTS, one index lookup per user: joining every post and removing duplicates read
    # the whole table.
    has_posts = Exists(Post.objects.filter(author=OuterRef("pk")))
    authors = get_user_model().objects.filter(has_posts).select_related("author_profile")
    return {
        "categories": _pickled(Category.objects.all()),
        # With their number of posts and latest change.
        "navigation": list(_pickled(Category.objects.with_public_posts()).values()),
        "authors": _pickled(authors),
        "reviewers": _pickled(Reviewer.objects.all()),
    }


def _directory():
    return pagecache.per_generation("directory", _load)


def attach(post):
    """Give the post its category, author (with profile) and reviewer, where the directory
    has them; anything it lacks (a new author's first draft) is loaded as usual."""
    directory = _directory()
    for field, name in FIELDS.items():
        related = directory[name].get(getattr(post, f"{field}_id"))
        if related is not None:
            setattr(post, field, pickle.loads(related))
    return post


def categories():
    """Every category, in the site's order."""
    return [pickle.loads(category) for category in _directory()["categories"].values()]


def navigation():
    """The categories that have public articles, for the site's header: a category
    without any (dozens of them after an import from WordPress) would lead nowhere."""
    return [pickle.loads(category) for category in _directory()["navigation"]]
