import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.utils import timezone

from blog.models import Post

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_rss_feed_at_the_old_wordpress_address_lists_public_posts(client, make_post, category):
    post = make_post(title="Gentle neck stretches", category=category, tags=["stretching"])
    make_post(title="Draft", status=Post.Status.DRAFT)
    make_post(title="Scheduled", published_at=timezone.now() + timedelta(days=1))
    response = client.get("/feed/")
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == ["Gentle neck stretches"]
    assert items[0].findtext("link") == f"http://127.0.0.1:8000{post.get_absolute_url()}"
    categories = [c.text for c in items[0].findall("category")]
    assert categories == ["Lower Back Pain", "stretching"]


def test_atom_feed_parses_and_lists_public_posts(client, make_post):
    make_post(title="Posture at work")
    response = client.get("/feed/atom/")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    assert [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")] == ["Posture at work"]


def test_category_feed_lists_only_that_category(client, make_post, category):
    make_post(title="In", category=category)
    make_post(title="Out")
    channel = ET.fromstring(client.get("/category/lower-back-pain/feed/").content).find("channel")
    assert [item.findtext("title") for item in channel.findall("item")] == ["In"]
    assert "Lower Back Pain" in channel.findtext("title")


def test_sitemap_lists_only_public_content_with_lastmod(client, make_post, category, make_category):
    public = make_post(category=category)
    draft = make_post(status=Post.Status.DRAFT)
    scheduled = make_post(published_at=timezone.now() + timedelta(days=1))
    empty_category = make_category(slug="empty-topic")
    page = FlatPage.objects.create(url="/about/", title="About", content="x")
    page.sites.add(Site.objects.get_current())
    response = client.get("/sitemap.xml")
    root = ET.fromstring(response.content)
    urls = {u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod") for u in root}
    base = "http://127.0.0.1:8000"
    assert f"{base}{public.get_absolute_url()}" in urls
    assert urls[f"{base}{public.get_absolute_url()}"]
    assert f"{base}/category/lower-back-pain/" in urls
    assert f"{base}/about/" in urls
    assert f"{base}/" in urls
    assert f"{base}{draft.get_absolute_url()}" not in urls
    assert f"{base}{scheduled.get_absolute_url()}" not in urls
    assert f"{base}{empty_category.get_absolute_url()}" not in urls
