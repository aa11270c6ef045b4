import json
import re
from datetime import date, timedelta

import pytest
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.utils import timezone

from blog.models import Post

pytestmark = pytest.mark.django_db


def json_ld(response):
    match = re.search(rb'<script type="application/ld\+json">(.*?)</script>', response.content)
    return json.loads(match.group(1))["@graph"]


def test_home_page_shows_the_featured_post_latest_posts_and_topics(client, make_post, category):
    featured = make_post(title="The featured one", is_featured=True, category=category)
    latest = make_post(title="A newer one", published_at=timezone.now())
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["featured_post"] == featured
    assert latest in response.context["latest_posts"]
    assert featured not in response.context["latest_posts"]
    assert b"Lower Back Pain" in response.content


def test_home_page_leads_with_the_newest_post_when_none_is_featured(client, make_post, category):
    posts = [
        make_post(
            title=f"Article {n}",
            category=category,
            published_at=timezone.now() - timedelta(hours=n),
        )
        for n in range(1, 12)
    ]
    make_post(title="Old feature, unpublished", is_featured=True, status=Post.Status.DRAFT)
    response = client.get("/")
    assert response.context["featured_post"] == posts[0]
    assert list(response.context["latest_posts"]) == posts[1:10]
    assert b"11 articles" in response.content  # The topic's count.


def test_home_page_hides_drafts_and_scheduled_posts(client, make_post):
    make_post(title="Secret draft", status=Post.Status.DRAFT)
    make_post(title="Tomorrow's post", published_at=timezone.now() + timedelta(days=1))
    response = client.get("/")
    assert b"Secret draft" not in response.content
    assert b"Tomorrow" not in response.content


def test_article_page_shows_everything_a_reader_expects(client, make_post, category):
    post = make_post(
        title="Sciatica when sitting",
        category=category,
        body="<h2>Why it hurts</h2><p>" + "word " * 500 + "</p>",
        tags=["sciatica", "sitting"],
    )
    response = client.get("/sciatica-when-sitting/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="article__title">Sciatica when sitting</h1>' in html
    assert post.author.get_full_name() in html
    assert "3 min read" in html
    assert 'href="/category/lower-back-pain/"' in html
    assert 'href="/tag/sciatica/"' in html
    assert "Medical disclaimer" in html and "not a substitute" in html
    assert '<h2 id="why-it-hurts">Why it hurts<a class="heading-anchor"' in html


def test_article_page_links_previous_next_and_related(client, make_post, category):
    older = make_post(category=category, published_at=timezone.now() - timedelta(days=3))
    post = make_post(category=category, published_at=timezone.now() - timedelta(days=2))
    newer = make_post(published_at=timezone.now() - timedelta(days=1))
    response = client.get(post.get_absolute_url())
    assert response.context["previous_post"] == older
    assert response.context["next_post"] == newer
    assert list(response.context["related_posts"]) == [older]


def test_article_page_links_follow_new_posts_at_once(client, make_post, category):
    post = make_post(tags=["posture"], published_at=timezone.now() - timedelta(days=2))
    assert client.get(post.get_absolute_url()).context["related_posts"] == []
    newer = make_post(tags=["posture"], published_at=timezone.now() - timedelta(days=1))
    response = client.get(post.get_absolute_url())
    assert response.context["next_post"] == newer
    assert response.context["related_posts"] == [newer]
    newer.status = Post.Status.DRAFT
    newer.save()
    response = client.get(post.get_absolute_url())
    assert response.context["next_post"] is None
    assert response.context["related_posts"] == []


def test_article_page_has_seo_and_social_tags(client, make_post, make_image):
    post = make_post(
        title="Desk stretches",
        meta_description="Five stretches for desk workers.",
        featured_image=make_image(),
        featured_image_alt="A person stretching at a desk",
    )
    html = client.get(post.get_absolute_url()).content.decode()
    assert "<title>Desk stretches – Back &amp; Neck</title>" in html
    assert '<meta name="description" content="Five stretches for desk workers.">' in html
    assert '<link rel="canonical" href="http://127.0.0.1:8000/desk-stretches/">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert 'alt="A person stretching at a desk"' in html
    assert 'type="application/rss+xml"' in html and 'type="application/atom+xml"' in html


def test_article_structured_data_describes_the_post(client, make_post, category):
    post = make_post(title="Desk <b>stretches</b>", category=category)
    graph = {node["@type"]: node for node in json_ld(client.get(post.get_absolute_url()))}
    assert graph["BlogPosting"]["headline"] == "Desk <b>stretches</b>"
    assert graph["BlogPosting"]["author"]["name"] == post.author.get_full_name()
    assert graph["BlogPosting"]["datePublished"] == post.published_at.isoformat()
    crumbs = [item["name"] for item in graph["BreadcrumbList"]["itemListElement"]]
    assert crumbs == ["Home", "Lower Back Pain", "Desk <b>stretches</b>"]
    assert graph["Organization"]["name"] == "Back & Neck"


def test_structured_data_cannot_break_out_of_its_script_tag(client, make_post):
    post = make_post(title="</script><script>alert(1)</script>")
    html = client.get(post.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html


@pytest.mark.parametrize("status", [Post.Status.DRAFT, Post.Status.RELEASED])
def test_unpublished_posts_are_not_found_by_the_public(client, make_post, status):
    post = make_post(status=status, published_at=timezone.now() + timedelta(days=1))
    assert client.get(post.get_absolute_url()).status_code == 404


def test_staff_preview_a_draft_with_a_banner_and_no_caching(client, make_post, author):
    post = make_post(status=Post.Status.DRAFT, author=author, title="Work in progress")
    client.force_login(author)
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    assert b"Preview" in response.content and b"this draft is not public" in response.content
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert b'<meta name="robots" content="noindex, nofollow">' in response.content


def test_a_logged_in_reader_without_staff_rights_cannot_preview(client, make_post, make_user):
    post = make_post(status=Post.Status.DRAFT)
    client.force_login(make_user())
    assert client.get(post.get_absolute_url()).status_code == 404


def test_category_page_lists_only_its_public_posts(client, make_post, category):
    mine = make_post(category=category, title="In the category")
    make_post(title="Elsewhere")
    make_post(category=category, status=Post.Status.DRAFT, title="Hidden draft")
    response = client.get("/category/lower-back-pain/")
    assert response.status_code == 200
    assert list(response.context["posts"]) == [mine]
    assert b'href="/category/lower-back-pain/feed/"' in response.content


def test_tag_page_lists_tagged_public_posts(client, make_post):
    tagged = make_post(tags=["posture"])
    make_post(tags=["sleep"])
    response = client.get("/tag/posture/")
    assert list(response.context["posts"]) == [tagged]


def test_all_articles_paginate(client, make_post):
    for _ in range(13):
        make_post()
    assert len(client.get("/articles/").context["posts"]) == 12
    page_two = client.get("/articles/?page=2")
    assert len(page_two.context["posts"]) == 1
    assert b'<link rel="canonical" href="http://127.0.0.1:8000/articles/?page=2">' in (
        page_two.content
    )


@pytest.mark.parametrize(
    "url",
    [
        "/articles/?page=abc",
        "/articles/?page=-1",
        "/articles/?page=0",
        "/articles/?page=999999",
        "/articles/?page=1%00",
        "/category/no-such-topic/",
        "/tag/no-such-tag/",
        "/no-such-article/",
        "/category/lower-back-pain/?page=9",
        "/category/no-such-topic/feed/",
    ],
)
def test_bad_pages_and_slugs_answer_a_styled_404(client, make_post, category, url):
    make_post(category=category)
    response = client.get(url)
    assert response.status_code == 404
    assert b"We can\xe2\x80\x99t find that page" in response.content


def test_static_pages_are_served_from_the_admin_editable_flatpages(client):
    page = FlatPage.objects.create(url="/about/", title="About us", content="<p>Who we are</p>")
    page.sites.add(Site.objects.get_current())
    response = client.get("/about/")
    assert response.status_code == 200
    assert b"<h1>About us</h1>" in response.content and b"Who we are" in response.content


def test_site_settings_edited_in_the_admin_show_on_every_page(client):
    from siteconfig.models import SiteSettings

    settings = SiteSettings.load()
    settings.tagline = "Feel better, one article at a time"
    settings.save()
    settings.social_links.create(network="instagram", url="https://instagram.com/backandneck")
    html = client.get("/").content.decode()
    assert "Feel better, one article at a time" in html
    assert 'href="https://instagram.com/backandneck"' in html


def test_robots_txt_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain"
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in response.content.decode()


def test_wrong_method_is_refused_not_an_error(client):
    assert client.post("/").status_code == 405


def test_server_error_page_is_styled_and_needs_no_database(client, settings):
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Something went wrong on our side" in html
    assert "/static/css/site.css" in html


def test_navigation_marks_the_current_topic_and_follows_renamed_categories(
    client, make_post, make_category
):
    neck, back = make_category(name="Neck", slug="neck"), make_category(name="Back", slug="back")
    make_category(name="Nothing here yet", slug="empty")
    make_post(category=neck)
    make_post(category=back)
    assert "Nothing here yet" not in client.get("/").content.decode()  # No public posts.
    current = 'aria-current="page">{}</a>'
    assert current.format("Neck") in client.get("/category/neck/").content.decode()
    back_page = client.get("/category/back/").content.decode()
    assert current.format("Back") in back_page and current.format("Neck") not in back_page
    assert current.format("All articles") in client.get("/articles/").content.decode()
    assert "aria-current" not in client.get("/").content.decode().split("</header>")[0]
    back.name = "Lower back"
    back.save()
    assert ">Lower back</a>" in client.get("/").content.decode()


def test_article_shows_renamed_author_reviewer_and_category_at_once(
    client, make_post, make_reviewer, make_user, category
):
    author, reviewer = make_user(first_name="Maya"), make_reviewer(name="Dr Ada Spine")
    post = make_post(
        author=author, category=category, reviewed_by=reviewer, last_reviewed=date(2026, 1, 5)
    )
    client.get(post.get_absolute_url())
    author.first_name, reviewer.name, category.name = "Mara", "Dr Ada Backbone", "Low back"
    for changed in (author, reviewer, category):
        changed.save()
    html = client.get(post.get_absolute_url()).content.decode()
    assert "Mara" in html and "Dr Ada Backbone" in html and "Low back" in html


def test_favicon_ico_leads_to_the_site_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("/static/img/favicon.svg")


def test_lists_page_back_a_hundred_pages_and_answer_404_past_that(
    client, make_post, category, monkeypatch
):
    from blog import pagination

    monkeypatch.setattr(pagination, "MAX_PAGES", 2)
    for n in range(30):
        make_post(title=f"Article {n}", category=category)
    assert client.get("/articles/?page=2").status_code == 200
    response = client.get("/articles/?page=2")
    assert "Page 2 of 2" in response.content.decode()
    assert 'rel="next"' not in response.content.decode()
    assert client.get("/articles/?page=3").status_code == 404
    assert client.get("/category/lower-back-pain/?page=3").status_code == 404
    assert client.get("/articles/?page=99999999999999999999").status_code == 404


def test_a_list_counts_a_new_post_at_once(client, make_post, category):
    for n in range(12):
        make_post(title=f"Article {n}", category=category)
    assert "Page 1 of" not in client.get("/category/lower-back-pain/").content.decode()
    make_post(title="One more", category=category)
    assert "Page 1 of 2" in client.get("/category/lower-back-pain/").content.decode()
