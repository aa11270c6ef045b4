"""The page cache's guarantees to the apps (pagecache/): what no caller has to remember."""

import pytest
from django.test import Client

import pagecache
from blog import directory
from blog.models import Category, Feedback, Post
from pagecache.content import Content, check_content_querysets, content_problems
from siteconfig.models import SiteSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 600


def test_a_bulk_update_of_a_post_changes_the_page_readers_get(
    client, page_cache, make_post, django_capture_on_commit_callbacks
):
    post = make_post(title="Sitting well")
    client.get(post.get_absolute_url())
    assert client.get(post.get_absolute_url()).page_cache == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        Post.objects.filter(pk=post.pk).update(title="Sitting better")
    page = client.get(post.get_absolute_url())
    assert page.page_cache == "miss"
    assert "Sitting better" in page.content.decode()


def test_bulk_created_and_bulk_updated_content_shows_at_once(client, page_cache, make_post):
    category = Category.objects.create(name="Shoulders", slug="shoulders")
    post = make_post(title="Roll your shoulders", category=category)
    assert "Shoulders" in client.get(post.get_absolute_url()).content.decode()
    category.name = "Shoulder pain"
    Category.objects.bulk_update([category], ["name"])
    assert "Shoulder pain" in client.get(post.get_absolute_url()).content.decode()
    Category.objects.bulk_create([Category(name="Jaw", slug="jaw")])
    assert client.get("/").page_cache == "miss"


def test_a_fragment_kept_per_generation_changes_with_a_content_edit(client, make_post):
    # The page cache is off here: only the footer's fragment is kept.
    SiteSettings.objects.update(tagline="Good for your back")
    assert "Good for your back" in client.get("/").content.decode()
    SiteSettings.objects.update(tagline="Kind to your neck")
    page = client.get("/").content.decode()
    assert "Kind to your neck" in page
    assert "Good for your back" not in page


def test_a_value_kept_per_generation_is_built_again_after_a_change(make_post):
    built = []
    pagecache.per_generation("test-value", lambda: built.append(1))
    pagecache.per_generation("test-value", lambda: built.append(1))
    assert built == [1]
    make_post(title="Anything new")
    pagecache.per_generation("test-value", lambda: built.append(1))
    assert built == [1, 1]


def test_the_system_check_flags_content_whose_manager_skips_bulk_changes():
    assert check_content_querysets(None) == []
    problems = content_problems([Content(Feedback)], [Feedback])
    assert [problem.id for problem in problems] == ["pagecache.E003"]


def test_the_system_check_flags_a_content_queryset_model_nobody_declared():
    problems = content_problems([], [Post])
    assert [problem.id for problem in problems] == ["pagecache.E004"]


def test_each_request_gets_its_own_category_and_author(make_post, category):
    first, second = make_post(category=category), make_post(category=category)
    first, second = Post.objects.get(pk=first.pk), Post.objects.get(pk=second.pk)
    directory.attach(first)
    directory.attach(second)
    assert first.category == second.category
    assert first.category is not second.category
    assert first.author is not second.author
    first.category.name = "Changed by one request"
    assert directory.attach(Post.objects.get(pk=second.pk)).category.name == category.name


def test_each_request_gets_its_own_related_articles_and_site_settings(client, make_post, category):
    article = make_post(category=category)
    make_post(category=category, title="Another article on the topic")
    first, second = client.get(article.get_absolute_url()), client.get(article.get_absolute_url())
    assert first.context["related_posts"] == second.context["related_posts"] != []
    assert first.context["related_posts"][0] is not second.context["related_posts"][0]
    assert first.context["site_settings"] is not second.context["site_settings"]
    first.context["site_settings"].site_name = "Changed by one request"
    assert client.get("/").context["site_settings"].site_name == SiteSettings.load().site_name


def test_logging_in_keeps_stored_pages(page_cache, make_post, make_user):
    post = make_post()
    reader = Client()
    reader.get(post.get_absolute_url())
    make_user(role="Editor", username="ed")
    assert reader.get(post.get_absolute_url()).page_cache == "miss"  # A new user is content.
    assert reader.get(post.get_absolute_url()).page_cache == "hit"
    assert Client().login(username="ed", password="pw")  # Only records last_login.
    assert reader.get(post.get_absolute_url()).page_cache == "hit"
