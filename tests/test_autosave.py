"""Autosave: the post form's text is kept on the server, apart from the post, until Save."""

from datetime import timedelta

import pytest
from django.utils import timezone

from blog.autosave import Autosave
from blog.models import Post

from .admin_forms import prefilled

pytestmark = pytest.mark.django_db


@pytest.fixture
def live_post(make_post, editor):
    return make_post(title="Neck stretches", body="<p>The live words.</p>", author=editor)


def autosave(client, post, **fields):
    url = f"/admin/blog/post/{post.pk}/autosave/" if post else "/admin/blog/post/add/autosave/"
    return client.post(url, fields)


def test_autosaving_keeps_the_text_apart_and_leaves_a_live_article_as_it_is(
    client, editor, live_post
):
    client.force_login(editor)
    response = autosave(
        client, live_post, body="<p>Half-written new words.</p>", title="Neck stretches v2"
    )
    assert response.status_code == 200
    assert "autosaved" in response.json()["message"]
    saved = Autosave.objects.get(post=live_post, user=editor)
    assert saved.fields["body"] == "<p>Half-written new words.</p>"
    live_post.refresh_from_db()
    assert live_post.body == "<p>The live words.</p>"
    assert live_post.title == "Neck stretches"
    assert "The live words." in client.get("/" + live_post.slug + "/").content.decode()


def test_autosaving_again_replaces_the_users_earlier_autosave(client, editor, live_post):
    client.force_login(editor)
    autosave(client, live_post, body="<p>One.</p>")
    autosave(client, live_post, body="<p>Two.</p>")
    assert list(Autosave.objects.values_list("fields__body", flat=True)) == ["<p>Two.</p>"]


def test_the_form_offers_newer_autosaved_text_after_a_closed_tab(client, editor, live_post):
    client.force_login(editor)
    autosave(client, live_post, body="<p>Words I typed before the crash.</p>")
    html = client.get(f"/admin/blog/post/{live_post.pk}/change/").content.decode()
    assert "You have unsaved changes" in html
    assert "Restore my changes" in html
    assert "Words I typed before the crash." in html  # In the autosave-data JSON.
    assert 'id="autosave-data" type="application/json"' in html


def test_no_offer_once_the_post_is_saved_since(client, editor, live_post):
    client.force_login(editor)
    autosave(client, live_post, body="<p>Old autosave.</p>")
    Autosave.objects.update(saved_at=timezone.now() - timedelta(hours=1))
    live_post.save()
    html = client.get(f"/admin/blog/post/{live_post.pk}/change/").content.decode()
    assert "You have unsaved changes" not in html


def test_saving_the_post_clears_the_autosave(client, editor, live_post):
    client.force_login(editor)
    form = prefilled(client.get(f"/admin/blog/post/{live_post.pk}/change/"))
    autosave(client, live_post, body="<p>Draft words.</p>")
    response = client.post(
        f"/admin/blog/post/{live_post.pk}/change/", {**form, "body": "<p>Saved words.</p>"}
    )
    assert response.status_code == 302
    assert not Autosave.objects.exists()
    live_post.refresh_from_db()
    assert live_post.body == "<p>Saved words.</p>"


def test_discarding_removes_the_offer(client, editor, live_post):
    client.force_login(editor)
    autosave(client, live_post, body="<p>Unwanted.</p>")
    response = client.post(f"/admin/blog/post/{live_post.pk}/autosave/discard/")
    assert response.status_code == 200
    assert not Autosave.objects.exists()


def test_a_new_post_is_autosaved_too_and_offered_on_add(client, author):
    client.force_login(author)
    assert autosave(client, None, title="A new idea", body="<p>Start.</p>").status_code == 200
    html = client.get("/admin/blog/post/add/").content.decode()
    assert "You have unsaved changes" in html


def test_an_editor_is_told_when_someone_else_saved_since_they_opened_the_form(
    client, editor, make_user, live_post
):
    opened = live_post.updated_at.isoformat()
    other = make_user(role="Editor", first_name="Sam", last_name="Other")
    live_post.title = "Changed by Sam"
    live_post._history_user = other
    live_post.save()
    client.force_login(editor)
    answer = autosave(client, live_post, body="<p>Mine.</p>", opened_version=opened).json()
    assert any("Sam Other saved this article" in notice for notice in answer["conflicts"])


def test_an_editor_is_told_when_someone_else_is_editing_the_same_article(
    client, editor, make_user, live_post
):
    opened = live_post.updated_at.isoformat()
    other = make_user(role="Editor", first_name="Sam", last_name="Other")
    client.force_login(other)
    autosave(client, live_post, body="<p>Sam's words.</p>", opened_version=opened)
    client.force_login(editor)
    answer = autosave(client, live_post, body="<p>Mine.</p>", opened_version=opened).json()
    assert any("Sam Other is editing this article too" in n for n in answer["conflicts"])


def test_save_refuses_to_overwrite_a_newer_version_and_keeps_the_typed_text(
    client, editor, make_user, live_post
):
    client.force_login(editor)
    form = prefilled(client.get(f"/admin/blog/post/{live_post.pk}/change/"))
    other = make_user(role="Editor", first_name="Sam", last_name="Other")
    live_post.body = "<p>Sam's newer words.</p>"
    live_post._history_user = other
    live_post.save()

    mine = {**form, "body": "<p>My careful rewrite.</p>"}
    response = client.post(f"/admin/blog/post/{live_post.pk}/change/", mine)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Not saved: Sam Other saved this article" in html
    assert "My careful rewrite." in html  # Nothing typed is lost.
    live_post.refresh_from_db()
    assert "newer words" in live_post.body

    # Having seen the notice, saving again replaces the newer version.
    again = {**mine, "opened_version": response.context["adminform"].form["opened_version"].value()}
    assert client.post(f"/admin/blog/post/{live_post.pk}/change/", again).status_code == 302
    live_post.refresh_from_db()
    assert live_post.body == "<p>My careful rewrite.</p>"


def test_only_people_who_may_change_the_post_can_autosave_it(client, author, make_post):
    someone_elses = make_post(status=Post.Status.DRAFT)
    client.force_login(author)
    assert autosave(client, someone_elses, body="<p>x</p>").status_code in (403, 404)
    assert not Autosave.objects.exists()


def test_an_author_cannot_autosave_over_a_published_post(client, author, make_post):
    theirs = make_post(author=author)  # Published: authors may no longer change it.
    client.force_login(author)
    assert autosave(client, theirs, body="<p>x</p>").status_code == 403


def test_autosave_needs_a_signed_in_staff_user(client, live_post):
    response = autosave(client, live_post, body="<p>x</p>")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_autosave_needs_the_csrf_token(editor, live_post):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert autosave(client, live_post, body="<p>x</p>").status_code == 403
    assert not Autosave.objects.exists()


@pytest.mark.parametrize(
    "fields, status",
    [
        ({}, 400),
        ({"unknown": "x"}, 400),
        ({"body": "x" * 500_001}, 413),
    ],
)
def test_bad_autosaves_are_refused_with_a_message(client, editor, live_post, fields, status):
    client.force_login(editor)
    response = autosave(client, live_post, **fields)
    assert response.status_code == status
    assert response.json()["error"]
    assert not Autosave.objects.exists()


def test_a_nul_byte_is_refused(client, editor, live_post):
    client.force_login(editor)
    assert autosave(client, live_post, body="a\x00b").status_code == 400
    assert not Autosave.objects.exists()


def test_autosave_only_accepts_post(client, editor, live_post):
    client.force_login(editor)
    assert client.get(f"/admin/blog/post/{live_post.pk}/autosave/").status_code == 405


def test_autosaving_a_missing_post_is_a_404(client, editor):
    client.force_login(editor)
    assert client.post("/admin/blog/post/999999/autosave/", {"body": "x"}).status_code == 404
    assert client.post("/admin/blog/post/nope/autosave/", {"body": "x"}).status_code == 404


def test_an_autosave_someone_left_long_ago_is_not_reported_as_editing(
    client, editor, make_user, live_post
):
    last_saved = timezone.now() - timedelta(days=1)
    Post.objects.filter(pk=live_post.pk).update(updated_at=last_saved)
    opened = last_saved.isoformat()
    other = make_user(role="Editor", first_name="Sam", last_name="Other")
    client.force_login(other)
    autosave(client, live_post, body="<p>Sam's words.</p>", opened_version=opened)
    Autosave.objects.update(saved_at=timezone.now() - timedelta(hours=2))
    client.force_login(editor)
    answer = autosave(client, live_post, body="<p>Mine.</p>", opened_version=opened).json()
    assert answer["conflicts"] == []
