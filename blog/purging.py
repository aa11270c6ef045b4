"""
Which pages a change of the blog's content shows on, as the cache tags a shared cache in front
purges (pagecache/shared_cache.py): nearly every change shows on many pages (the navigation
lists the categories on every page, an article's title and reading time appear on the lists,
the feeds and the related articles of other posts), so nearly every change purges `site`. Two
common edits change less, and purge less: an edit of a draft or scheduled post that stays hidden
purges nothing, and an edit of a public post that only touches what its own page shows (its body,
key points, search-engine title and description, sources) purges that article, the feeds and
the sitemap. Declared with the blog's content in apps.py.
"""

import math

from django.utils import timezone

from pagecache.shared_cache import FEEDS, SITE, SITEMAP, tag_for

from .models import WORDS_PER_MINUTE, Post

# A post's fields shown on its own page only; a change to any other field shows elsewhere too.
ARTICLE_ONLY_FIELDS = {"body", "key_points", "seo_title", "meta_description", "updated_at"}


def is_public(status, published_at):
    return status == "published" and published_at is not None and published_at <= timezone.now()


def reading_minutes(word_count):
    return max(1, math.ceil(word_count / WORDS_PER_MINUTE))


def post_tags(post, before, deleted, relation):
    """A post: `before` is the row as it was stored (None for a new post)."""
    shown_now = is_public(post.status, post.published_at)
    if deleted or relation or before is None:
        return {SITE} if shown_now else set()
    shown_before = is_public(before["status"], before["published_at"])
    if not shown_before and not shown_now:
        return set()
    if shown_before != shown_now:
        return {SITE}
    different = {
        name
        for name, old in before.items()
        if old != getattr(post, name) and name not in ARTICLE_ONLY_FIELDS
    }
    if different == {"word_count"} and reading_minutes(before["word_count"]) == reading_minutes(
        post.word_count
    ):
        different = set()
    if different:
        return {SITE}
    return {tag_for("post", post.slug), FEEDS, SITEMAP}


def reference_tags(reference, before, deleted, relation):
    """An article's sources appear on its page alone."""
    post = Post._base_manager.filter(pk=reference.post_id).first()
    if post is None or not is_public(post.status, post.published_at):
        return set()
    return {tag_for("post", post.slug)}


def tagging_tags(tagged_item, before, deleted, relation):
    """A tag given to or taken from a post shows wherever the post does, if it is public."""
    post = tagged_item.content_object
    if post is not None and isinstance(post, Post):
        return {SITE} if is_public(post.status, post.published_at) else set()
    return {SITE}
