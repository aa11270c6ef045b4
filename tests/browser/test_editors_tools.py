"""Autosave and reviewer notes, as editors and an outside reviewer use them in Chromium."""

import re

import pytest
from playwright.sync_api import expect

from blog.models import Post, PreviewLink, ReviewerNote

from .steps import log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def csp_violations(page):
    found = []
    page.on(
        "console",
        lambda message: (
            found.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    return found


@pytest.fixture
def logged_in(page, make_user):
    # A superuser rather than the Editor group: a transactional test before this one may have
    # flushed the groups the migrations made.
    editor = make_user(is_staff=True, is_superuser=True, first_name="Eve", last_name="Editor")
    log_in(page, editor.username, "pw")
    return editor


def ckeditor_body(page):
    return page.frame_locator("#cke_id_body iframe.cke_wysiwyg_frame").locator("body")


def test_typed_text_is_autosaved_and_offered_back_after_a_reload(
    page, logged_in, make_post, csp_violations
):
    post = make_post(title="Neck stretches", body="<p>The live words.</p>")
    page.goto(f"/admin/blog/post/{post.pk}/change/")
    body = ckeditor_body(page)
    body.click()
    page.keyboard.press("End")
    page.keyboard.type(" Words I must not lose.")
    status = page.locator("[data-autosave-status]")
    expect(status).to_contain_text("Draft autosaved", timeout=15_000)
    post.refresh_from_db()
    assert post.body == "<p>The live words.</p>"  # The live article is untouched.

    page.reload()  # As after a crash or a closed tab.
    offer = page.locator("[data-autosave-offer]")
    expect(offer).to_contain_text("You have unsaved changes")
    offer.get_by_role("button", name="Restore my changes").click()
    expect(offer).to_be_hidden()
    expect(body).to_contain_text("Words I must not lose.")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(re.compile(r".*/admin/blog/post/$"))
    post.refresh_from_db()
    assert "Words I must not lose." in post.body
    assert csp_violations == []


def test_an_editor_sees_when_someone_else_saved_the_article_meanwhile(
    page, logged_in, make_post, make_user
):
    post = make_post(title="Sciatica", status=Post.Status.DRAFT)
    page.goto(f"/admin/blog/post/{post.pk}/change/")
    other = make_user(is_staff=True, first_name="Sam", last_name="Other")
    post.title = "Sciatica, by Sam"
    post._history_user = other
    post.save()

    page.get_by_label("Excerpt:", exact=True).fill("My new summary.")
    conflict = page.locator("[data-autosave-conflict]")
    expect(conflict).to_contain_text("Sam Other saved this article", timeout=15_000)

    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.get_by_text("Not saved: Sam Other saved this article")).to_be_visible()
    expect(page.get_by_label("Excerpt:", exact=True)).to_have_value("My new summary.")
    post.refresh_from_db()
    assert post.excerpt != "My new summary."


def test_a_reviewer_clicks_a_paragraph_leaves_a_note_and_the_editor_sees_it(
    page, browser, live_server, make_post, make_user, csp_violations
):
    draft = make_post(
        title="Lifting safely",
        status=Post.Status.DRAFT,
        body="<p>Keep the load close.</p><h2>Bending</h2><p>Your spine is made to bend.</p>",
    )
    link = PreviewLink.objects.create(post=draft, shared_with="Dr Sam Patel")
    page.goto(link.get_absolute_url())
    page.locator(".article p", has_text="Your spine is made to bend.").click()
    form = page.locator("#note-form")
    expect(form.get_by_label("Your note")).to_be_focused()
    expect(form.get_by_label("Paragraph")).to_have_value("2")
    # The form opened right under the paragraph that was clicked.
    assert form.evaluate("f => f.previousElementSibling.textContent") == (
        "Your spine is made to bend."
    )
    form.get_by_label("Your note").fill("Add: unless a disc injury is recent.")
    form.get_by_role("button", name="Leave note").click()
    expect(page.get_by_text("your note is saved")).to_be_visible()
    note = ReviewerNote.objects.get()
    assert (note.paragraph, note.quote) == (2, "Your spine is made to bend.")
    assert csp_violations == []

    editor = make_user(is_staff=True, is_superuser=True)
    context = browser.new_context(base_url=live_server.url)
    admin = context.new_page()
    log_in(admin, editor.username, "pw")
    admin.goto(f"/admin/blog/post/{draft.pk}/change/")
    notes = admin.locator("#reviewer_notes-group")
    expect(notes).to_contain_text("Your spine is made to bend.")
    expect(notes).to_contain_text("Add: unless a disc injury is recent.")
    expect(notes).to_contain_text("Dr Sam Patel")
    expect(admin.locator(".checklist")).to_contain_text("1 reviewer note not resolved")
    context.close()


def test_without_javascript_the_reviewer_chooses_the_paragraph_from_a_list(
    browser, live_server, make_post
):
    draft = make_post(status=Post.Status.DRAFT, body="<p>First.</p><p>Second.</p>")
    link = PreviewLink.objects.create(post=draft)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto(link.get_absolute_url())
    page.get_by_label("Paragraph").select_option("2")
    page.get_by_label("Your note").fill("Shorter, please.")
    page.get_by_role("button", name="Leave note").click()
    expect(page.get_by_text("your note is saved")).to_be_visible()
    assert ReviewerNote.objects.get().paragraph == 2
    context.close()
