"""
The addresses a WordPress site used, answered here by one permanent redirect to the closest
live page: links by id (/?p=12, /?page_id=3, /?attachment_id=7, /?cat=4), feeds of every kind
(/?feed=rss2, /feed/rss2/, /comments/feed/, /<post>/feed/), paginated lists (/page/2/),
category paths (/category/parent/child/) and any stored redirect reached with a query string
(/2012/01/hello/?utm_source=x). Date archives (/2012/01/) are real pages (blog.views).

Nothing here leads to a draft or a hidden page: an id that is not public is a 404.
"""

import re

from django.contrib.flatpages.models import FlatPage
from django.http import Http404
from django.urls import Resolver404, resolve, reverse
from django.utils.encoding import escape_uri_path
from taggit.models import Tag

from . import redirects
from .models import Category, ImportedItem, Post

# Query parameters WordPress answers on its home page, each naming what to show.
QUERY_KEYS = ("p", "page_id", "attachment_id", "cat", "tag", "feed", "m", "paged", "preview_id")
FEED_SUFFIX = re.compile(r"^(?P<rest>/(?:.*/)?)feed/(?P<kind>rss2|rss|rdf|atom|comments-rss2)?/?$")
PAGE_SUFFIX = re.compile(r"^(?P<rest>/(?:.*/)?)page/(?P<number>[0-9]+)/?$")
CATEGORY_PATH = re.compile(r"^/category/(?:[^/]+/)+(?P<slug>[^/]+)/$")
DATED_PERMALINK = re.compile(r"^/[0-9]{4}/(?:[0-9]{2}/){0,2}(?P<slug>[^/]+)/$")


def wordpress_query(request):
    """The redirect for a WordPress query on the home page (/?p=12), or None if it is none."""
    key = next((k for k in QUERY_KEYS if request.GET.get(k)), None)
    if key is None:
        return None
    value = request.GET[key].strip()
    # str.isdigit() is true of "²" and "١", which int() refuses or reads: ids are ASCII digits.
    is_number = value.isascii() and value.isdigit()
    target = None
    if key in ("p", "page_id", "attachment_id", "preview_id") and is_number:
        target = address_of_item(int(value))
    elif key == "cat" and is_number:
        target = address_of_category(int(value))
    elif key == "tag" and re.fullmatch(r"[-\w]+", slug := value.split(",")[0]):
        # Only what a slug can be: anything else (a NUL, which PostgreSQL refuses) names no tag.
        tag = Tag.objects.filter(slug=slug).first()
        target = tag and reverse("blog:tag_detail", args=[tag.slug])
    elif key == "feed":
        target = reverse("blog:atom_feed" if value == "atom" else "blog:feed")
    elif key == "m" and re.fullmatch(r"[0-9]{4}([0-9]{2}){0,2}", value):
        target = archive_path(value[:4], value[4:6], value[6:8])
    elif key == "paged" and is_number:
        target = f"{reverse('blog:post_list')}?page={value}"
    if not target:
        raise Http404("Nothing public was at this old address.")
    return target


def address_of_item(wp_id):
    """The address of the public post, page or attachment's post that had this WordPress id."""
    for record in ImportedItem.objects.filter(wordpress_id=wp_id).exclude(kind="category"):
        if record.kind == "post":
            post = Post.objects.published().filter(pk=record.object_id).only("slug").first()
            if post:
                return post.get_absolute_url()
        elif record.kind == "page":
            page = FlatPage.objects.filter(pk=record.object_id, registration_required=False)
            if page.exists():
                return page.get().get_absolute_url()
        elif record.kind == "attachment":
            parent = record.parent_wordpress_id and address_of_item(record.parent_wordpress_id)
            if parent or record.file_url:
                return parent or record.file_url
    post = Post.objects.published().filter(wordpress_id=wp_id).only("slug").first()
    return post.get_absolute_url() if post else None


def address_of_category(term_id):
    record = ImportedItem.objects.filter(kind="category", wordpress_id=term_id).first()
    category = record and Category.objects.filter(pk=record.object_id).first()
    return category.get_absolute_url() if category else None


def archive_path(year, month="", day=""):
    return "/" + "/".join(part for part in (year, month, day) if part) + "/"


def closest_page(request):
    """
    Where a request that found nothing should go, following WordPress's address scheme; None
    when nothing public is there. Called for 404s only, so it may take a few queries.
    """
    path = request.path
    query = request.META.get("QUERY_STRING", "")
    stored = redirects.redirect_target_of(escape_uri_path(path))
    if stored and query:
        return with_query(stored, query)
    if match := FEED_SUFFIX.match(path):
        rest = match["rest"]
        if rest in ("/", "/comments/"):
            return reverse("blog:atom_feed" if match["kind"] == "atom" else "blog:feed")
        # A post's or page's own feed held its comments; the closest thing is the article.
        return live_address(rest)
    if match := PAGE_SUFFIX.match(path):
        rest = match["rest"]
        target = reverse("blog:post_list") if rest == "/" else live_address(rest)
        return target and with_query(target, f"page={match['number']}")
    if match := CATEGORY_PATH.match(path):
        return live_address(f"/category/{match['slug']}/")
    if match := DATED_PERMALINK.match(path):
        return live_address(f"/{match['slug']}/")
    return None


def live_address(path):
    """path (decoded) if it answers with something public, else where it redirects, else None."""
    stored = redirects.redirect_target_of(escape_uri_path(path))
    if stored:
        return stored
    try:
        match = resolve(path)
    except Resolver404:
        page = FlatPage.objects.filter(url=path, registration_required=False).first()
        return page.get_absolute_url() if page else None
    slug = match.kwargs.get("slug")
    exists = {
        "post_detail": lambda: (
            Post.objects.published().filter(slug=slug).exists()
            or FlatPage.objects.filter(url=path, registration_required=False).exists()
        ),
        "category_detail": lambda: Category.objects.filter(slug=slug).exists(),
        "tag_detail": lambda: Tag.objects.filter(slug=slug).exists(),
    }.get(match.url_name, lambda: match.url_name not in ("post_preview",))
    return escape_uri_path(path) if exists() else None


def with_query(path, query):
    if not query:
        return path
    return f"{path}{'&' if '?' in path else '?'}{query}"
