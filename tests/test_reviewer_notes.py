"""Outside reviewers leave notes on paragraphs of a draft through its preview link."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from blog.checklist import check_post
from blog.models import Post, PreviewLink, ReviewerNote

from .admin_forms import prefilled

pytestmark = pytest.mark.django_db

BODY = (
    "<p>Sciatica is pain along the sciatic nerve.</p><h2>Causes</h2>"
    "<p>A slipped disc is the usual cause.</p><p>Most people recover in six weeks.</p>"
)


@pytest.fixture
def link(make_post):
    draft = make_post(title="Sciatica", status=Post.Status.DRAFT, body=BODY)
    return PreviewLink.objects.create(post=draft, shared_with="Dr Sam Patel")


def notes_url(link):
    return link.get_absolute_url() + "notes/"


def test_the_preview_offers_a_paragraph_chooser_that_works_without_javascript(client, link):
    html = client.get(link.get_absolute_url()).content.decode()
    assert "Notes for the editors" in html
    assert '<option value="2">2. A slipped disc is the usual cause.</option>' in html
    assert "blog/js/reviewer_notes" in html  # Clicking a paragraph, with JavaScript.


def test_a_reviewer_leaves_a_note_on_a_paragraph(client, link):
    response = client.post(notes_url(link), {"paragraph": "2", "text": "Say which discs."})
    assert response.status_code == 302
    note = ReviewerNote.objects.get()
    assert (note.post, note.preview_link, note.paragraph) == (link.post, link, 2)
    assert note.quote == "A slipped disc is the usual cause."
    html = client.get(response["Location"]).content.decode()
    assert "your note is saved" in html
    assert "Say which discs." in html


def test_editors_see_the_note_with_its_paragraph_and_resolve_it(client, link, editor):
    ReviewerNote.objects.create(
        post=link.post, preview_link=link, paragraph=3, quote="Most people recover.", text="Cite it"
    )
    client.force_login(editor)
    url = f"/admin/blog/post/{link.post.pk}/change/"
    response = client.get(url)
    html = response.content.decode()
    assert "Most people recover." in html and "Cite it" in html and "Dr Sam Patel" in html
    assert "1 reviewer note not resolved yet" in html  # The checklist.

    form = prefilled(response)
    form["reviewer_notes-0-resolved"] = "on"
    assert client.post(url, form).status_code == 302
    note = ReviewerNote.objects.get()
    assert note.resolved and note.resolved_by == editor and note.resolved_at


def test_the_checklist_warns_about_unresolved_notes(link):
    ReviewerNote.objects.create(post=link.post, paragraph=1, text="Hmm")
    ReviewerNote.objects.create(post=link.post, paragraph=2, text="Done", resolved=True)
    warnings = [check.message for check in check_post(link.post).warnings]
    assert any("1 reviewer note not resolved" in message for message in warnings)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"paragraph": "2", "text": ""}, "Write your note first."),
        ({"paragraph": "", "text": "x"}, "Choose the paragraph your note is about."),
        ({"paragraph": "99", "text": "x"}, "Choose one of the paragraphs of this draft."),
        ({"paragraph": "abc", "text": "x"}, "Choose one of the paragraphs of this draft."),
        ({"paragraph": "1", "text": "x" * 2001}, "Please keep a note to 2000 characters"),
    ],
)
def test_a_bad_note_is_refused_with_a_message_and_the_text_kept(client, link, data, message):
    response = client.post(notes_url(link), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    if data["text"] and len(data["text"]) < 100:
        assert f"{data['text']}</textarea>" in html
    assert not ReviewerNote.objects.exists()


@pytest.mark.parametrize("change", [{"revoked": True}, {"expires_at": timezone.now()}])
def test_a_switched_off_or_expired_link_takes_no_notes(client, link, change):
    PreviewLink.objects.filter(pk=link.pk).update(**change)
    response = client.post(notes_url(link), {"paragraph": "1", "text": "late"})
    assert response.status_code == 404
    assert not ReviewerNote.objects.exists()


def test_a_forged_token_takes_no_notes(client, link):
    forged = link.get_absolute_url().replace("/preview/", "/preview/x")
    assert client.post(forged + "notes/", {"paragraph": "1", "text": "x"}).status_code == 404
    assert client.post("/preview/1/notes/", {"paragraph": "1", "text": "x"}).status_code == 404


def test_notes_need_the_csrf_token(link):
    client = Client(enforce_csrf_checks=True)
    assert client.post(notes_url(link), {"paragraph": "1", "text": "x"}).status_code == 403


def test_notes_are_rate_limited(client, link):
    for _ in range(30):
        client.post(notes_url(link), {"paragraph": "1", "text": "again"})
    response = client.post(notes_url(link), {"paragraph": "1", "text": "again"})
    assert response.status_code == 429
    assert ReviewerNote.objects.count() == 30


def test_notes_only_by_post(client, link):
    assert client.get(notes_url(link)).status_code == 405


def test_a_published_posts_link_sends_the_reviewer_to_the_article(client, link):
    Post.objects.filter(pk=link.post.pk).update(
        status=Post.Status.RELEASED, published_at=timezone.now() - timedelta(hours=1)
    )
    response = client.post(notes_url(link), {"paragraph": "1", "text": "x"})
    assert response.status_code == 302
    assert not ReviewerNote.objects.exists()


def test_paragraphs_of_snippets_are_not_numbered(client, link):
    from blog.models import Snippet

    Snippet.objects.create(name="Disclaimer", slug="disclaimer", body="<p>Not advice.</p>")
    Post.objects.filter(pk=link.post.pk).update(body="<p>First.</p><p>[snippet disclaimer]</p>")
    html = client.get(link.get_absolute_url()).content.decode()
    assert "Not advice." in html
    assert '<option value="1">1. First.</option>' in html
    assert 'value="2"' not in html
