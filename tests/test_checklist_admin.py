"""The pre-publish checklist in the admin: shown to editors, and a gate on publishing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blog.models import Post
from tests.test_admin_roles import post_form

pytestmark = pytest.mark.django_db

NO_ALT = '<p>Stretch gently.</p><p><img src="/media/uploads/neck.jpg"></p>'


def test_the_change_page_shows_the_checklist(client, editor, make_post):
    post = make_post(body=NO_ALT, title="x" * 70)
    client.force_login(editor)
    html = client.get(f"/admin/blog/post/{post.pk}/change/").content.decode()
    assert "Ready to publish?" in html
    assert "Image “neck.jpg” has no alt text" in html
    assert "Search results show about 60 characters" in html
    assert "1 error, 4 warnings" in html


def test_the_post_list_says_which_posts_are_ready(client, editor, make_post):
    make_post(body=NO_ALT)
    make_post(body='<p>See <a href="/gone/">this</a>.</p><h2>A</h2><h4>B</h4>')
    client.force_login(editor)
    html = client.get("/admin/blog/post/").content.decode()
    assert "Ready?" in html
    assert html.count("1 error,") == 1 and html.count("2 errors,") == 1


def test_the_ready_column_costs_the_same_queries_for_5_or_25_posts(client, editor, make_post):
    client.force_login(editor)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/admin/blog/post/").status_code == 200
        return len(queries)

    count()  # Warm up: the first request creates the site settings row.
    for _ in range(5):
        make_post(body='<p><a href="/elsewhere/">x</a></p>').references.create(title="A source")
    with_5 = count()
    for _ in range(20):
        make_post(body='<p><a href="/elsewhere/">x</a></p>').references.create(title="A source")
    assert count() == with_5


def test_an_editor_cannot_publish_a_post_with_checklist_errors(client, editor, category):
    client.force_login(editor)
    response = client.post(
        "/admin/blog/post/add/",
        post_form(category, status="published", author=editor.pk, body=NO_ALT),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Not published: the checklist found problems readers would see." in html
    assert "Image “neck.jpg” has no alt text" in html
    assert not Post.objects.exists()


def test_an_h1_typed_in_the_body_blocks_publishing_before_saving_would_drop_it(
    client, editor, category
):
    client.force_login(editor)
    response = client.post(
        "/admin/blog/post/add/",
        post_form(category, status="published", author=editor.pk, body="<h1>Again</h1><p>x</p>"),
    )
    assert "The body has a Heading 1" in response.content.decode()
    assert not Post.objects.exists()


def test_an_editor_may_publish_anyway_after_confirming(client, editor, category):
    client.force_login(editor)
    response = client.post(
        "/admin/blog/post/add/",
        post_form(category, status="published", author=editor.pk, body=NO_ALT, publish_anyway="on"),
        follow=True,
    )
    assert Post.objects.published().count() == 1
    assert "Published despite the checklist" in response.content.decode()


def test_warnings_alone_never_block_publishing(client, editor, category):
    client.force_login(editor)
    client.post(
        "/admin/blog/post/add/",
        post_form(category, status="published", author=editor.pk, title="x" * 80, slug="long"),
    )
    assert Post.objects.published().count() == 1


def test_drafts_with_errors_can_always_be_saved(client, editor, author, category):
    client.force_login(author)
    assert client.post("/admin/blog/post/add/", post_form(category, body=NO_ALT)).status_code == 302
    client.force_login(editor)
    response = client.post(
        "/admin/blog/post/add/",
        post_form(category, slug="second", status="draft", author=editor.pk, body=NO_ALT),
    )
    assert response.status_code == 302
    assert Post.objects.drafts().count() == 2


def test_authors_see_the_checklist_but_no_override(client, author, make_post):
    post = make_post(author=author, status=Post.Status.DRAFT, body=NO_ALT)
    client.force_login(author)
    html = client.get(f"/admin/blog/post/{post.pk}/change/").content.decode()
    assert "Image “neck.jpg” has no alt text" in html
    assert "publish_anyway" not in html


def test_bulk_publishing_holds_back_posts_with_errors(client, editor, make_post):
    good = make_post(status=Post.Status.DRAFT, title="Good")
    bad = make_post(status=Post.Status.DRAFT, title="Bad", body=NO_ALT)
    client.force_login(editor)
    response = client.post(
        "/admin/blog/post/",
        {"action": "publish", "_selected_action": [good.pk, bad.pk]},
        follow=True,
    )
    assert list(Post.objects.published()) == [good]
    assert "Not published, because their checklist has errors: Bad." in response.content.decode()
