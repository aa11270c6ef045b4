"""The review step: authors submit drafts, editors hear of them, publish or send them back."""

import pytest
from django.core import mail

from blog.models import Post, PreviewLink, ReviewRequest

from .admin_forms import prefilled

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer(make_user):
    return make_user(role="Author", email="writer@example.com", first_name="Ann", last_name="Lee")


@pytest.fixture
def chief(make_user):
    return make_user(role="Editor", email="chief@example.com", first_name="Eve", last_name="Chief")


@pytest.fixture
def draft(make_post, writer):
    return make_post(title="Sciatica explained", status=Post.Status.DRAFT, author=writer)


def change_url(post):
    return f"/admin/blog/post/{post.pk}/change/"


def submit(client, post, **extra):
    form = prefilled(client.get(change_url(post)))
    return client.post(change_url(post), {**form, **extra})


def test_an_author_submits_a_draft_and_the_editors_are_emailed(client, writer, chief, draft):
    client.force_login(writer)
    assert "Save and submit for review" in client.get(change_url(draft)).content.decode()
    response = submit(
        client, draft, _submit_for_review="1", review_message="Is the second part clear?"
    )
    assert response.status_code == 302
    assert ReviewRequest.objects.get(post=draft).state == ReviewRequest.State.AWAITING
    assert [m.to for m in mail.outbox] == [["chief@example.com"]]
    message = mail.outbox[0]
    assert "Sciatica explained" in message.subject
    assert "Is the second part clear?" in message.body
    assert f"/admin/blog/post/{draft.pk}/change/" in message.body
    assert draft.status == Post.Status.DRAFT  # Submitting publishes nothing.


def test_the_post_list_filters_posts_awaiting_review(client, writer, chief, draft, make_post):
    other = make_post(title="Not submitted", status=Post.Status.DRAFT, author=writer)
    client.force_login(writer)
    submit(client, draft, _submit_for_review="1")
    client.force_login(chief)
    html = client.get("/admin/blog/post/?step=awaiting").content.decode()
    assert "Sciatica explained" in html
    assert other.title not in html


def test_the_dashboard_lists_posts_awaiting_review(client, writer, chief, draft):
    client.force_login(writer)
    submit(client, draft, _submit_for_review="1")
    client.force_login(chief)
    html = client.get("/admin/").content.decode()
    assert "Awaiting review (1)" in html
    assert "Sciatica explained" in html


def test_an_editor_sends_a_draft_back_with_a_note_the_author_sees(client, writer, chief, draft):
    client.force_login(writer)
    submit(client, draft, _submit_for_review="1")
    mail.outbox.clear()
    client.force_login(chief)
    response = submit(
        client, draft, _send_back="1", review_message="Please cite the NICE guideline."
    )
    assert response.status_code == 302
    request = ReviewRequest.objects.get(post=draft)
    assert request.state == ReviewRequest.State.SENT_BACK
    assert [m.to for m in mail.outbox] == [["writer@example.com"]]
    assert "Please cite the NICE guideline." in mail.outbox[0].body

    client.force_login(writer)
    html = client.get(change_url(draft)).content.decode()
    assert "Sent back to the author" in html
    assert "Please cite the NICE guideline." in html
    assert "Save and submit for review" in html  # They can submit it again.


def test_sending_back_needs_a_note(client, writer, chief, draft):
    client.force_login(writer)
    submit(client, draft, _submit_for_review="1")
    client.force_login(chief)
    response = submit(client, draft, _send_back="1", review_message="")
    assert response.status_code == 200
    assert "Write what the author should change" in response.content.decode()
    assert ReviewRequest.objects.get(post=draft).state == ReviewRequest.State.AWAITING


def test_publishing_closes_the_review(client, writer, chief, draft):
    client.force_login(writer)
    submit(client, draft, _submit_for_review="1")
    client.force_login(chief)
    response = submit(client, draft, status="published", publish_anyway="on")
    assert response.status_code == 302
    assert ReviewRequest.objects.get(post=draft).state == ReviewRequest.State.PUBLISHED
    assert not Post.objects.awaiting_review().exists()


def test_an_editor_emails_an_outside_reviewer_a_preview_link(client, chief, draft):
    client.force_login(chief)
    response = submit(client, draft, _send_preview="1", reviewer_email="dr.patel@example.org")
    assert response.status_code == 302
    link = PreviewLink.objects.get(post=draft)
    assert link.shared_with == "dr.patel@example.org"
    assert [m.to for m in mail.outbox] == [["dr.patel@example.org"]]
    assert link.get_absolute_url() in mail.outbox[0].body


def test_an_author_cannot_send_preview_links_or_send_back(client, writer, draft):
    client.force_login(writer)
    submit(client, draft, _send_preview="1", reviewer_email="x@example.org")
    submit(client, draft, _send_back="1", review_message="no")
    assert not PreviewLink.objects.exists()
    assert not ReviewRequest.objects.exists()
    assert not mail.outbox


def test_a_bad_reviewer_address_is_a_form_error(client, chief, draft):
    client.force_login(chief)
    response = submit(client, draft, _send_preview="1", reviewer_email="not an address")
    assert response.status_code == 200
    assert "Enter a valid email address" in response.content.decode()
    assert not PreviewLink.objects.exists()


def test_submitting_twice_keeps_one_open_review(client, writer, chief, draft):
    client.force_login(writer)
    submit(client, draft, _submit_for_review="1")
    submit(client, draft, _submit_for_review="1")
    assert ReviewRequest.objects.filter(post=draft).count() == 1
    assert len(mail.outbox) == 1
