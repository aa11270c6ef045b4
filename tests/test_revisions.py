import pytest

from blog.models import Post

from .admin_forms import prefilled

pytestmark = pytest.mark.django_db


def edit(post, **changes):
    post = Post.objects.get(pk=post.pk)
    for name, value in changes.items():
        setattr(post, name, value)
    post.save()
    return post


def restore(client, post, version):
    url = f"/admin/blog/post/{post.pk}/history/{version.history_id}/"
    form_page = client.get(url)
    assert form_page.status_code == 200
    return client.post(url, prefilled(form_page))


def test_every_save_keeps_a_revision_with_who_and_what(client, editor, make_post, category):
    post = make_post(title="Sitting", category=category)
    client.force_login(editor)
    client.post(
        f"/admin/blog/post/{post.pk}/change/",
        {
            **prefilled(client.get(f"/admin/blog/post/{post.pk}/change/")),
            "title": "Sitting well",
        },
    )
    latest = post.history.first()
    assert post.history.count() == 2
    assert latest.history_user == editor
    assert latest.title == "Sitting well"
    history_page = client.get(f"/admin/blog/post/{post.pk}/history/").content.decode()
    assert "Compare selected versions" in history_page
    assert editor.get_full_name() in history_page


def test_an_editor_compares_two_versions_word_by_word(client, editor, make_post):
    post = make_post(title="Neck care", body="<p>Turn your head slowly to the left.</p>")
    edit(post, body="<p>Turn your head gently to the left.</p>", title="Neck care basics")
    newer, older = post.history.all()[:2]
    client.force_login(editor)
    response = client.get(
        f"/admin/blog/post/{post.pk}/history/compare/?old={older.history_id}&new={newer.history_id}"
    )
    html = response.content.decode()
    assert "<del>slowly</del><ins>gently</ins>" in html
    assert "Neck care<ins> basics</ins>" in html or "<ins>basics</ins>" in html
    assert '<th scope="row">Excerpt</th>' not in html  # Unchanged fields are left out.


def test_the_comparison_escapes_what_it_shows(client, editor, make_post):
    post = make_post(title="Plain")
    edit(post, title="<script>alert(1)</script>")
    newer, older = post.history.all()[:2]
    client.force_login(editor)
    html = client.get(
        f"/admin/blog/post/{post.pk}/history/compare/?old={older.history_id}&new={newer.history_id}"
    ).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)" in html


def test_an_editor_restores_an_old_version(client, editor, make_post):
    post = make_post(title="First title", body="<p>First words.</p>")
    first = post.history.first()
    edit(post, title="Second title", body="<p>Second words.</p>")
    client.force_login(editor)
    response = restore(client, post, first)
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.title == "First title"
    assert post.body == "<p>First words.</p>"
    assert post.history.count() == 3  # The restore is itself a revision.


def test_an_author_cannot_publish_by_restoring_a_published_version(client, author, make_post):
    post = make_post(author=author, title="Was live")
    live_version = post.history.first()
    edit(post, status=Post.Status.DRAFT, title="Now a draft", is_featured=False)
    client.force_login(author)
    restore(client, post, live_version)
    post.refresh_from_db()
    assert post.status == Post.Status.DRAFT
    assert post.title == "Was live"
    assert not Post.objects.published().exists()


def test_an_author_cannot_restore_a_draft_over_a_live_post(client, author, make_post):
    post = make_post(author=author, status=Post.Status.DRAFT, title="Draft words")
    draft_version = post.history.first()
    edit(post, status=Post.Status.RELEASED, title="Live words")
    client.force_login(author)
    url = f"/admin/blog/post/{post.pk}/history/{draft_version.history_id}/"
    response = client.post(url, {"title": "Draft words"})
    assert response.status_code == 403
    post.refresh_from_db()
    assert post.title == "Live words"
    assert post.status == Post.Status.RELEASED


def test_authors_cannot_see_the_history_of_other_peoples_posts(client, author, make_post):
    post = make_post(status=Post.Status.DRAFT)
    version = post.history.first()
    client.force_login(author)
    assert client.get(f"/admin/blog/post/{post.pk}/history/").status_code in (302, 403, 404)
    compare = f"/admin/blog/post/{post.pk}/history/compare/?old={version.pk}&new={version.pk}"
    assert client.get(compare).status_code == 403
