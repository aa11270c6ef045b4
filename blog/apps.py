import re

from django.apps import AppConfig

# The blog's lists, whose pages differ by ?page=.
LISTS = [
    "post_list",
    "category_detail",
    "tag_detail",
    "year_archive",
    "month_archive",
    "day_archive",
]


class BlogConfig(AppConfig):
    name = "blog"

    def ready(self):
        from taggit.models import Tag, TaggedItem

        import pagecache
        from pagecache.shared_cache import FEEDS

        from . import purging
        from .models import CareCard, Category, LibraryImage, Post, Reference, Snippet

        pagecache.declare_content(CareCard, Category, LibraryImage, Snippet)
        pagecache.declare_content(Post, change_tags=purging.post_tags, compare_with_stored=True)
        pagecache.declare_content(Reference, change_tags=purging.reference_tags)
        # taggit's, shown on every article and tag page.
        pagecache.declare_content(Tag, external=True)
        pagecache.declare_content(TaggedItem, change_tags=purging.tagging_tags, external=True)
        # A scheduled post goes live, and a review falls due, without any save: the generation
        # ends then.
        pagecache.ends_at(Post.objects.next_change)

        for view_name in LISTS:
            pagecache.page_parameter(f"blog:{view_name}", "page")
        # The thank-you for feedback is the same for every reader.
        pagecache.page_parameter("blog:post_detail", "feedback", re.compile("thanks"))
        pagecache.tag_pages("blog:post_detail", slug="post")
        pagecache.tag_pages("blog:category_detail", slug="category")
        pagecache.tag_pages("blog:category_feed", slug="category", tags=[FEEDS])
        pagecache.tag_pages("blog:tag_detail", slug="tag")
        pagecache.tag_pages("blog:feed", "blog:atom_feed", tags=[FEEDS])
