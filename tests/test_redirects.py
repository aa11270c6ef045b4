import pytest
from django.contrib.redirects.models import Redirect

from blog.models import Post

pytestmark = pytest.mark.django_db


def rename(obj, slug):
    obj = type(obj).objects.get(pk=obj.pk)
    obj.slug = slug
    obj.save()
    return obj


def test_renaming_a_published_post_redirects_its_old_address_permanently(client, make_post):
    post = make_post(slug="sitting-well")
    rename(post, "how-to-sit-well")
    response = client.get("/sitting-well/")
    assert response.status_code == 301
    assert response["Location"] == "/how-to-sit-well/"
    assert client.get("/how-to-sit-well/").status_code == 200


def test_renaming_twice_collapses_the_chain_into_single_hops(client, make_post):
    post = make_post(slug="first")
    post = rename(post, "second")
    rename(post, "third")
    assert client.get("/first/")["Location"] == "/third/"
    assert client.get("/second/")["Location"] == "/third/"


def test_renaming_back_leaves_no_loop(client, make_post):
    post = make_post(slug="original")
    post = rename(post, "renamed")
    rename(post, "original")
    assert client.get("/original/").status_code == 200
    assert client.get("/renamed/")["Location"] == "/original/"
    assert not Redirect.objects.filter(old_path="/original/").exists()


def test_renaming_a_draft_makes_no_redirect(make_post):
    draft = make_post(slug="draft-name", status=Post.Status.DRAFT)
    rename(draft, "better-draft-name")
    assert not Redirect.objects.exists()


def test_renaming_a_category_redirects_its_page_and_feed(client, make_category, make_post):
    category = make_category(slug="neck")
    make_post(category=category)
    rename(category, "neck-pain")
    assert client.get("/category/neck/")["Location"] == "/category/neck-pain/"
    assert client.get("/category/neck/feed/")["Location"] == "/category/neck-pain/feed/"


def test_a_deleted_post_is_gone_with_a_readable_page(client, make_post):
    post = make_post(slug="old-advice")
    post.delete()
    response = client.get("/old-advice/")
    assert response.status_code == 410
    assert "This article has been removed" in response.content.decode()


def test_deleting_a_post_that_others_redirect_to_makes_them_gone_too(client, make_post):
    post = rename(make_post(slug="before"), "after")
    post.delete()
    assert client.get("/before/").status_code == 410
    assert client.get("/after/").status_code == 410


def test_a_new_post_at_a_gone_address_is_served(client, make_post):
    make_post(slug="comeback").delete()
    make_post(slug="comeback")
    assert client.get("/comeback/").status_code == 200


def test_a_deleted_draft_was_never_public_so_it_is_simply_not_found(client, make_post):
    make_post(slug="never-public", status=Post.Status.DRAFT).delete()
    assert client.get("/never-public/").status_code == 404


def test_an_editor_deleting_a_post_can_send_its_readers_elsewhere(client, editor, make_post):
    old = make_post(slug="old-stretches")
    new = make_post(slug="new-stretches", title="New stretches")
    client.force_login(editor)
    page = client.get(f"/admin/blog/post/{old.pk}/delete/").content.decode()
    assert "Send readers to" in page
    assert f'<option value="{new.pk}">New stretches</option>' in page
    client.post(f"/admin/blog/post/{old.pk}/delete/", {"post": "yes", "redirect_to": new.pk})
    assert not Post.objects.filter(pk=old.pk).exists()
    assert client.get("/old-stretches/")["Location"] == "/new-stretches/"


def test_bulk_deleting_posts_in_the_admin_marks_them_gone(client, editor, make_post):
    posts = [make_post(slug=f"bulk-{n}") for n in range(2)]
    client.force_login(editor)
    client.post(
        "/admin/blog/post/",
        {"action": "delete_selected", "post": "yes", "_selected_action": [p.pk for p in posts]},
    )
    assert not Post.objects.exists()
    assert client.get("/bulk-0/").status_code == 410


def redirect_form(**overrides):
    return {"old_path": "/old/", "new_path": "/new/", **overrides}


def test_editors_manage_redirects_in_the_admin(client, editor):
    client.force_login(editor)
    assert client.get("/admin/redirects/redirect/").status_code == 200
    response = client.post("/admin/redirects/redirect/add/", redirect_form())
    assert response.status_code == 302
    assert client.get("/old/")["Location"] == "/new/"


def test_the_redirect_form_refuses_loops_and_chains(client, editor):
    client.force_login(editor)
    client.post("/admin/redirects/redirect/add/", redirect_form(old_path="/a/", new_path="/b/"))
    for form, message in [
        (redirect_form(old_path="/b/", new_path="/a/"), "/a/ itself redirects to /b/"),
        (redirect_form(old_path="/c/", new_path="/c/"), "cannot redirect to itself"),
        (redirect_form(old_path="/a/", new_path="/d/"), "already a redirect from this address"),
    ]:
        response = client.post("/admin/redirects/redirect/add/", form)
        assert message in response.content.decode()
    assert Redirect.objects.count() == 1


def test_a_new_redirect_pulls_older_ones_along(client, editor):
    client.force_login(editor)
    client.post("/admin/redirects/redirect/add/", redirect_form(old_path="/a/", new_path="/b/"))
    client.post("/admin/redirects/redirect/add/", redirect_form(old_path="/b/", new_path="/c/"))
    assert client.get("/a/")["Location"] == "/c/"


def test_authors_cannot_manage_redirects(client, author):
    client.force_login(author)
    assert client.get("/admin/redirects/redirect/").status_code == 403
