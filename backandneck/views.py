from django.conf import settings
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from blog.models import Category, Post

LATEST_POSTS_ON_HOME = 9


@require_safe
def home(request):
    public_posts = Post.objects.published().for_cards()
    featured = public_posts.filter(is_featured=True).first() or public_posts.first()
    latest = public_posts.exclude(pk=featured.pk) if featured else public_posts
    public = Q(posts__status=Post.Status.PUBLISHED, posts__published_at__lte=timezone.now())
    categories = Category.objects.annotate(post_count=Count("posts", filter=public)).filter(
        post_count__gt=0
    )
    return render(
        request,
        "home.html",
        {
            "featured_post": featured,
            "latest_posts": latest[:LATEST_POSTS_ON_HOME],
            "categories": categories,
        },
    )


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        # A custom ADMIN_URL stays out of robots.txt, which anyone can read.
        *(["Disallow: /admin/"] if settings.ADMIN_URL == "admin/" else []),
        "Disallow: /search/",
        f"Sitemap: {settings.SITE_URL}/sitemap.xml",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
