from datetime import timedelta

import pytest
from django.utils import timezone

from blog.models import Post, PreviewLink

from .admin_forms import prefilled

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(make_post):
    return make_post(
        title="Draft about sciatica", status=Post.Status.DRAFT, body="<p>Secret draft.</p>"
    )


def test_a_reviewer_without_an_account_reads_a_draft_through_its_link(client, draft):
    link = PreviewLink.objects.create(post=draft)
    response = client.get(link.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Secret draft." in html
    assert "Preview for review" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]
    assert "/admin/" not in html  # Nothing that leads into the admin.
    assert client.get(draft.get_absolute_url()).status_code == 404  # Only the link works.


def test_an_expired_link_shows_nothing(client, draft):
    link = PreviewLink.objects.create(post=draft, expires_at=timezone.now() - timedelta(minutes=1))
    assert client.get(link.get_absolute_url()).status_code == 404


def test_a_revoked_link_shows_nothing(client, draft):
    link = PreviewLink.objects.create(post=draft, revoked=True)
    assert client.get(link.get_absolute_url()).status_code == 404


def test_a_forged_link_shows_nothing(client, draft):
    link = PreviewLink.objects.create(post=draft)
    other = PreviewLink.objects.create(post=draft)
    forged = link.get_absolute_url().replace(":", ":x", 1)
    assert client.get(forged).status_code == 404
    assert client.get(f"/preview/{other.pk}/").status_code == 404


def test_a_link_to_a_post_that_went_live_leads_to_the_article(client, draft):
    link = PreviewLink.objects.create(post=draft)
    draft.status = Post.Status.RELEASED
    draft.save()
    response = client.get(link.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == draft.get_absolute_url()


def test_an_editor_creates_and_revokes_a_link_in_the_admin(client, editor, draft):
    client.force_login(editor)
    change_url = f"/admin/blog/post/{draft.pk}/change/"
    data = prefilled(client.get(change_url))
    management = {
        "preview_links-TOTAL_FORMS": "1",
        "preview_links-0-shared_with": "Dr Sam Patel",
        "preview_links-0-expires_at_0": (timezone.localdate() + timedelta(days=3)).isoformat(),
        "preview_links-0-expires_at_1": "12:00:00",
    }
    response = client.post(change_url, {**data, **management})
    assert response.status_code == 302
    link = PreviewLink.objects.get()
    assert link.created_by == editor
    assert link.get_absolute_url() in client.get(change_url).content.decode()

    data = prefilled(client.get(change_url))
    client.post(change_url, {**data, "preview_links-0-revoked": "on"})
    assert client.get(link.get_absolute_url()).status_code == 404


def test_authors_cannot_create_preview_links(client, author, make_post):
    mine = make_post(author=author, status=Post.Status.DRAFT)
    client.force_login(author)
    page = client.get(f"/admin/blog/post/{mine.pk}/change/").content.decode()
    assert "preview_links-TOTAL_FORMS" not in page
