from django.urls import path

from . import feeds, views

app_name = "blog"

urlpatterns = [
    path("articles/", views.post_list, name="post_list"),
    path("feed/", feeds.LatestPostsFeed(), name="feed"),
    path("feed/atom/", feeds.LatestPostsAtomFeed(), name="atom_feed"),
    path("category/<slug:slug>/", views.category_detail, name="category_detail"),
    path("category/<slug:slug>/feed/", feeds.CategoryFeed(), name="category_feed"),
    path("tag/<slug:slug>/", views.tag_detail, name="tag_detail"),
    path("preview/<str:token>/", views.post_preview, name="post_preview"),
    # Last: any other single path segment is a post, as in the old WordPress permalinks.
    path("<slug:slug>/", views.post_detail, name="post_detail"),
]
