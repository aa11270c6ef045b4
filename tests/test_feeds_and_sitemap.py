import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.utils import timezone

from blog.models import Post
from people.models import AuthorProfile, Reviewer
from siteconfig.models import PageTimestamp

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BASE = "http://127.0.0.1:8000"


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
    urls = sitemap_lastmods(client)
    base = BASE
    assert f"{base}{public.get_absolute_url()}" in urls
    assert urls[f"{base}{public.get_absolute_url()}"]
    assert f"{base}/category/lower-back-pain/" in urls
    assert f"{base}/about/" in urls
    assert f"{base}/" in urls
    assert f"{base}{draft.get_absolute_url()}" not in urls
    assert f"{base}{scheduled.get_absolute_url()}" not in urls
    assert f"{base}{empty_category.get_absolute_url()}" not in urls


def sitemap_index(client):
    """The index at /sitemap.xml: each listed sitemap's address and lastmod."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.tag == f"{SITEMAP}sitemapindex"
    return {s.findtext(f"{SITEMAP}loc"): s.findtext(f"{SITEMAP}lastmod") for s in root}


def sitemap_lastmods(client):
    """Every address of every sitemap the index lists, with its lastmod."""
    urls = {}
    for loc in sitemap_index(client):
        response = client.get(loc.removeprefix(BASE))
        assert response.status_code == 200, loc
        root = ET.fromstring(response.content)
        urls |= {u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod") for u in root}
    return urls


def test_the_sitemap_is_an_index_of_sitemaps_of_at_most_the_limit_each(
    client, make_post, monkeypatch
):
    from blog.sitemaps import PostSitemap

    assert PostSitemap.limit == 50_000  # What the protocol allows in one file.
    monkeypatch.setattr(PostSitemap, "limit", 2)
    posts = [make_post(title=f"Article {n}") for n in range(5)]
    newest = max(post.updated_at for post in posts)

    index = sitemap_index(client)

    pages = [f"{BASE}/sitemap-posts.xml", *(f"{BASE}/sitemap-posts.xml?p={n}" for n in (2, 3))]
    assert [loc for loc in index if "posts" in loc] == pages
    assert {index[loc] for loc in pages} == {newest.isoformat()}
    for section in ("home", "categories", "pages", "people"):
        assert f"{BASE}/sitemap-{section}.xml" in index
    listed = [
        ET.fromstring(client.get(loc.removeprefix(BASE)).content).findall(f"{SITEMAP}url")
        for loc in pages
    ]
    assert [len(urls) for urls in listed] == [2, 2, 1]
    locs = {url.findtext(f"{SITEMAP}loc") for urls in listed for url in urls}
    assert locs == {f"{BASE}{post.get_absolute_url()}" for post in posts}
    assert client.get("/sitemap-posts.xml?p=4").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_every_sitemap_address_has_a_lastmod(
    client, editor, make_post, category, make_author_profile, make_reviewer
):
    reviewer = make_reviewer(slug="hannah-cole")
    profile = make_author_profile(slug="maya")
    make_post(category=category, author=profile.user, reviewed_by=reviewer, last_reviewed=None)
    make_author_profile(slug="no-articles-yet")
    client.force_login(editor)
    client.post(
        "/admin/flatpages/flatpage/add/",
        {"url": "/about/", "title": "About", "content": "<p>Who we are.</p>", "sites": [1]},
    )
    client.logout()

    urls = sitemap_lastmods(client)

    for path in ["/", "/category/lower-back-pain/", "/about/", "/author/maya/"]:
        assert f"{BASE}{path}" in urls
    assert f"{BASE}/reviewer/hannah-cole/" in urls
    assert f"{BASE}/author/no-articles-yet/" in urls
    assert [loc for loc, lastmod in urls.items() if not lastmod] == []


def test_a_flat_page_edited_in_the_admin_gets_a_newer_lastmod(client, editor):
    page = FlatPage.objects.create(url="/about/", title="About", content="<p>Old.</p>")
    page.sites.add(Site.objects.get_current())
    long_ago = timezone.now() - timedelta(days=30)
    PageTimestamp.objects.filter(page=page).update(updated_at=long_ago)
    assert sitemap_lastmods(client)[f"{BASE}/about/"] == f"{long_ago:%Y-%m-%d}"

    client.force_login(editor)
    response = client.post(
        f"/admin/flatpages/flatpage/{page.pk}/change/",
        {"url": "/about/", "title": "About us", "content": "<p>New.</p>", "sites": [1]},
    )
    assert response.status_code == 302
    client.logout()
    assert sitemap_lastmods(client)[f"{BASE}/about/"] == f"{timezone.now():%Y-%m-%d}"


def test_a_profile_lastmod_follows_the_newest_change_to_its_public_articles(
    client, make_post, make_author_profile, make_reviewer
):
    long_ago = timezone.now() - timedelta(days=90)
    reviewer = make_reviewer(slug="hannah-cole")
    profile = make_author_profile(slug="maya")
    Reviewer.objects.update(updated_at=long_ago)
    AuthorProfile.objects.update(updated_at=long_ago)
    post = make_post(author=profile.user, reviewed_by=reviewer, last_reviewed=timezone.localdate())
    Post.objects.filter(pk=post.pk).update(updated_at=long_ago + timedelta(days=30))
    make_post(status=Post.Status.DRAFT, author=profile.user, reviewed_by=reviewer)

    urls = sitemap_lastmods(client)

    assert urls[f"{BASE}/author/maya/"] == f"{long_ago + timedelta(days=30):%Y-%m-%d}"
    assert urls[f"{BASE}/reviewer/hannah-cole/"] == f"{long_ago + timedelta(days=30):%Y-%m-%d}"

    reviewer.bio = "Twenty years in spinal rehabilitation."
    reviewer.save()
    assert sitemap_lastmods(client)[f"{BASE}/reviewer/hannah-cole/"] == f"{timezone.now():%Y-%m-%d}"
