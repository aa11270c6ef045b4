from datetime import timedelta

import pytest
from django.utils import timezone

from blog.models import Post

from .admin_forms import post_form_data as post_form

pytestmark = pytest.mark.django_db


def test_an_author_saves_a_draft_as_themselves(client, author, category):
    client.force_login(author)
    response = client.post("/admin/blog/post/add/", post_form(category))
    assert response.status_code == 302
    post = Post.objects.get()
    assert post.status == Post.Status.DRAFT
    assert post.author == author
    assert sorted(post.tags.names()) == ["desk", "posture"]


def test_an_author_cannot_publish_with_a_crafted_post(client, author, editor, category):
    client.force_login(author)
    client.post(
        "/admin/blog/post/add/",
        post_form(
            category,
            status="published",
            published_at_0="2020-01-01",
            published_at_1="10:00",
            is_featured="on",
            author=editor.pk,
        ),
    )
    post = Post.objects.get()
    assert post.status == Post.Status.DRAFT
    assert post.author == author
    assert not post.is_featured
    assert not Post.objects.published().exists()


def test_an_author_cannot_publish_with_the_bulk_action(client, author, make_post):
    draft = make_post(author=author, status=Post.Status.DRAFT)
    client.force_login(author)
    client.post("/admin/blog/post/", {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Post.Status.DRAFT
    changelist = client.get("/admin/blog/post/").content.decode()
    assert 'value="publish"' not in changelist


def test_an_author_cannot_change_a_published_post(client, author, category, make_post):
    post = make_post(author=author, category=category)
    client.force_login(author)
    client.post(f"/admin/blog/post/{post.pk}/change/", post_form(category, title="Changed"))
    post.refresh_from_db()
    assert post.title != "Changed"


def test_an_author_sees_and_edits_only_their_own_posts(client, author, make_post):
    mine = make_post(author=author, status=Post.Status.DRAFT, title="Mine")
    theirs = make_post(status=Post.Status.DRAFT, title="Someone else's")
    client.force_login(author)
    changelist = client.get("/admin/blog/post/")
    assert list(changelist.context["cl"].result_list) == [mine]
    assert client.get(f"/admin/blog/post/{theirs.pk}/change/").status_code in (302, 403, 404)


def test_an_editor_publishes_from_the_form(client, editor, category):
    client.force_login(editor)
    client.post(
        "/admin/blog/post/add/",
        post_form(
            category, status="published", author=editor.pk, published_at_0="", published_at_1=""
        ),
    )
    post = Post.objects.get()
    assert post.is_published
    assert client.get(post.get_absolute_url()).status_code == 200


def test_an_editor_schedules_a_post(client, editor, category):
    client.force_login(editor)
    when = timezone.localtime() + timedelta(days=2)
    client.post(
        "/admin/blog/post/add/",
        post_form(
            category,
            status="published",
            author=editor.pk,
            published_at_0=when.strftime("%Y-%m-%d"),
            published_at_1=when.strftime("%H:%M:%S"),
        ),
    )
    post = Post.objects.get()
    assert post.is_scheduled
    changelist = client.get("/admin/blog/post/").content.decode()
    assert "Scheduled for" in changelist


def test_an_editor_publishes_and_unpublishes_in_bulk(client, editor, make_post):
    drafts = [make_post(status=Post.Status.DRAFT) for _ in range(2)]
    client.force_login(editor)
    ids = [p.pk for p in drafts]
    client.post("/admin/blog/post/", {"action": "publish", "_selected_action": ids})
    assert Post.objects.published().count() == 2
    client.post("/admin/blog/post/", {"action": "unpublish", "_selected_action": ids})
    assert Post.objects.published().count() == 0


def test_admin_changelist_and_forms_render_for_editors(client, editor, make_post, category):
    make_post(category=category)
    client.force_login(editor)
    for url in [
        "/admin/",
        "/admin/blog/post/",
        "/admin/blog/post/add/",
        "/admin/blog/category/",
        "/admin/flatpages/flatpage/add/",
        "/admin/siteconfig/sitesettings/",
    ]:
        assert client.get(url).status_code == 200, url


def test_page_content_is_sanitised_when_saved_in_the_admin(client, editor):
    from django.contrib.flatpages.models import FlatPage

    client.force_login(editor)
    client.post(
        "/admin/flatpages/flatpage/add/",
        {
            "url": "/about/",
            "title": "About",
            "content": "<p>Hi</p><script>alert(1)</script>",
            "sites": [1],
            "template_name": "",
        },
    )
    assert FlatPage.objects.get().content == "<p>Hi</p>"


def test_the_post_form_suggests_existing_tags(client, editor, make_post):
    make_post(tags=["sciatica", "posture"])
    client.force_login(editor)
    html = client.get("/admin/blog/post/add/").content.decode()
    assert 'list="id_tags-suggestions"' in html
    assert '<option value="posture"><option value="sciatica">' in html


def test_an_article_can_be_listed_in_other_categories_but_not_twice_in_one(
    client, author, category
):
    from blog.models import Category

    sleep = Category.objects.create(name="Sleep", slug="sleep")
    client.force_login(author)
    twice = client.post(
        "/admin/blog/post/add/", post_form(category, other_categories=[category.pk, sleep.pk])
    )
    assert twice.status_code == 200
    errors = twice.context["adminform"].form.errors["other_categories"]
    assert errors == [f"“{category}” is already the article's main category; leave it out here."]
    assert not Post.objects.exists()
    client.post("/admin/blog/post/add/", post_form(category, other_categories=[sleep.pk]))
    assert list(Post.objects.get().other_categories.all()) == [sleep]
