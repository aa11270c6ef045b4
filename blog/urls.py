from django.urls import path, re_path, register_converter

from . import feeds, views


class UnicodeSlugConverter:
    """A slug in any script (letters, digits, _ and -), as WordPress and our slugs allow:
    /tag/περιεχόμενο/. Django's own "slug" converter matches ASCII only."""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(UnicodeSlugConverter, "uslug")

app_name = "blog"

urlpatterns = [
    path("articles/", views.post_list, name="post_list"),
    path("feed/", feeds.LatestPostsFeed(), name="feed"),
    path("feed/atom/", feeds.LatestPostsAtomFeed(), name="atom_feed"),
    path("category/<uslug:slug>/", views.category_detail, name="category_detail"),
    path("category/<uslug:slug>/feed/", feeds.CategoryFeed(), name="category_feed"),
    path("tag/<uslug:slug>/", views.tag_detail, name="tag_detail"),
    path("preview/<str:token>/", views.post_preview, name="post_preview"),
    path("preview/<str:token>/notes/", views.post_preview_note, name="post_preview_note"),
    # WordPress's date archives: /2024/, /2024/03/, /2024/03/05/.
    re_path(r"^(?P<year>[0-9]{4})/$", views.post_archive, name="year_archive"),
    re_path(r"^(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/$", views.post_archive, name="month_archive"),
    re_path(
        r"^(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/(?P<day>[0-9]{2})/$",
        views.post_archive,
        name="day_archive",
    ),
    # Last: any other single path segment is a post, as in the old WordPress permalinks.
    path("<uslug:slug>/", views.post_detail, name="post_detail"),
    path("<uslug:slug>/feedback/", views.post_feedback, name="post_feedback"),
    path("<uslug:slug>/view/", views.post_view_count, name="post_view_count"),
]
