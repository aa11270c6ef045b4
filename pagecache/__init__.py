"""
The speed machinery, in one place: whole pages for anonymous readers (pages.py), dropped the
moment content changes (content.py, generations.py), values and template fragments kept per
content generation (generations.per_generation, fragments.py), a shared cache in front told of
changes (shared_cache.py), a Redis backend that fails fast (redis_cache.py) and remembered
addresses (reversing.py). It imports no app: apps declare what they contribute from their
AppConfig.ready() through the names below.
"""

from .content import ContentQuerySet, changes_batched, content_changed, declare_content
from .generations import ends_at, forget_local, new_generation, per_generation
from .pages import page_parameter
from .shared_cache import tag_pages

__all__ = [
    "ContentQuerySet",
    "changes_batched",
    "content_changed",
    "declare_content",
    "ends_at",
    "forget_local",
    "new_generation",
    "page_parameter",
    "per_generation",
    "tag_pages",
]
