"""Reusable snippets: written once, inserted by reference, one edit updates every page."""

import pytest
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.core import mail

from blog.checklist import check_post
from blog.html import plain_text
from blog.models import Post, Snippet
from newsletter.emails import issue_message
from newsletter.models import Issue, Subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture
def disclaimer():
    return Snippet.objects.create(
        name="Medical disclaimer",
        slug="medical-disclaimer",
        body="<p>This article is <strong>not</strong> medical advice.</p>",
    )


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 600


def test_an_article_shows_the_snippet_in_place_of_its_shortcode(client, make_post, disclaimer):
    post = make_post(body="<p>Stretch gently.</p><p>[snippet medical-disclaimer]</p>")
    html = client.get(post.get_absolute_url()).content.decode()
    assert '<div class="snippet" data-snippet="medical-disclaimer">' in html
    assert "This article is <strong>not</strong> medical advice." in html
    assert "[snippet" not in html


def test_one_edit_updates_every_cached_page(
    client, make_post, disclaimer, page_cache, django_capture_on_commit_callbacks
):
    post = make_post(body="<p>[snippet medical-disclaimer]</p>")
    page = FlatPage.objects.create(
        url="/about/", title="About", content="<p>[snippet medical-disclaimer]</p>"
    )
    page.sites.add(Site.objects.get_current())
    for url in (post.get_absolute_url(), "/about/"):
        assert "not</strong> medical advice" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        disclaimer.body = "<p>Talk to your GP first.</p>"
        disclaimer.save()
    for url in (post.get_absolute_url(), "/about/"):
        html = client.get(url).content.decode()
        assert "Talk to your GP first." in html
        assert "not</strong> medical advice" not in html


def test_a_flat_page_shows_snippets_inline_too(client, disclaimer):
    page = FlatPage.objects.create(
        url="/how/", title="How", content="<p>See: [snippet medical-disclaimer] Thanks.</p>"
    )
    page.sites.add(Site.objects.get_current())
    html = client.get("/how/").content.decode()
    assert "See: This article is not medical advice. Thanks." in html


def test_the_newsletter_intro_carries_the_snippet(client, disclaimer, settings):
    issue = Issue.objects.create(subject="Week 1", intro="<p>[snippet medical-disclaimer]</p>")
    message = issue_message(issue, Subscriber(email="reader@example.com"))
    assert "This article is not medical advice." in message.body
    assert "<strong>not</strong> medical advice" in message.alternatives[0][0]
    assert "[snippet" not in message.body
    mail.outbox.clear()


def test_an_unknown_snippet_shows_nothing_and_the_checklist_warns(client, make_post):
    post = make_post(body="<p>Text.</p><p>[snippet no-such-thing]</p>")
    html = client.get(post.get_absolute_url()).content.decode()
    assert "no-such-thing" not in html
    warnings = [check.message for check in check_post(post).warnings]
    assert any("[snippet no-such-thing]" in message for message in warnings)


def test_known_snippets_raise_no_warning(make_post, disclaimer):
    post = make_post(body="<p>[snippet medical-disclaimer]</p>")
    assert not any("snippet" in check.message for check in check_post(post).warnings)


def test_shortcodes_are_not_words_of_the_article(make_post, disclaimer):
    post = make_post(body="<p>Two words.</p><p>[snippet medical-disclaimer]</p>")
    assert plain_text(post.body) == "Two words."
    assert post.word_count == 2


def test_search_does_not_find_an_article_by_its_shortcode(client, make_post, disclaimer):
    make_post(title="Stretching", body="<p>Gentle moves.</p><p>[snippet medical-disclaimer]</p>")
    for query in ("disclaimer", "snippet"):
        response = client.get("/search/", {"q": query})
        assert "Stretching" not in response.content.decode(), query
    assert "Stretching" in client.get("/search/", {"q": "gentle"}).content.decode()


def test_snippet_text_is_sanitised(client, make_post):
    Snippet.objects.create(
        name="Bad",
        slug="bad",
        body="<p>Hi</p><script>alert(1)</script><img src=x onerror=alert(2)>",
    )
    post = make_post(body="<p>[snippet bad]</p>")
    html = client.get(post.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert "onerror" not in html


def test_editors_and_authors_get_the_snippet_list_for_the_editor(client, author, disclaimer):
    client.force_login(author)
    response = client.get("/admin/blog/snippet/choices/")
    assert response.json() == {
        "snippets": [{"key": "medical-disclaimer", "name": "Medical disclaimer"}]
    }


def test_the_snippet_list_is_for_staff_only(client, disclaimer):
    assert client.get("/admin/blog/snippet/choices/").status_code == 302


def test_an_editor_edits_snippets_in_the_admin(client, editor, disclaimer):
    client.force_login(editor)
    listing = client.get("/admin/blog/snippet/").content.decode()
    assert "[snippet medical-disclaimer]" in listing
    response = client.post(
        f"/admin/blog/snippet/{disclaimer.pk}/change/",
        {"name": "Medical disclaimer", "slug": "medical-disclaimer", "body": "<p>New.</p>"},
    )
    assert response.status_code == 302
    disclaimer.refresh_from_db()
    assert disclaimer.body == "<p>New.</p>"


def test_the_post_editor_has_a_snippet_menu(client, editor, make_post):
    post = make_post(status=Post.Status.DRAFT)
    client.force_login(editor)
    html = client.get(f"/admin/blog/post/{post.pk}/change/").content.decode()
    assert "Snippets" in html  # In CKEditor's toolbar configuration.
    assert "blog/admin/ckeditor/snippets/" in html


def test_search_does_not_find_a_page_by_its_shortcode(client, disclaimer):
    page = FlatPage.objects.create(
        url="/how-we-work/",
        title="How we work",
        content="<p>Kindly.</p><p>[snippet disclaimer]</p>",
    )
    page.sites.add(Site.objects.get_current())
    assert "How we work" not in client.get("/search/", {"q": "snippet"}).content.decode()
    assert "How we work" in client.get("/search/", {"q": "kindly"}).content.decode()
