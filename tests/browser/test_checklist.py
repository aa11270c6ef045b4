import pytest
from playwright.sync_api import expect

from blog.models import Post

from .steps import log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def logged_in_editor(page, make_user):
    # A superuser rather than the Editor group: after the first transactional test has
    # flushed the database, the groups made by migrations are not always restored.
    editor = make_user(is_staff=True, is_superuser=True)
    log_in(page, editor.username, "pw")
    return page


def test_an_editor_sees_the_checklist_and_confirms_publishing_despite_errors(
    logged_in_editor, make_post
):
    page = logged_in_editor
    post = make_post(
        title="Neck stretches",
        status=Post.Status.DRAFT,
        body='<h2>Stretches</h2><h4>Chin tucks</h4><p><img src="/media/x/IMG_0042.jpg"></p>',
    )
    page.goto(f"/admin/blog/post/{post.pk}/change/")

    checklist = page.locator(".checklist")
    assert checklist.is_visible()
    assert checklist.locator(".checklist__summary").inner_text().strip().startswith("2 errors")
    errors = checklist.locator(".checklist__item--error")
    assert errors.nth(0).inner_text().strip() == (
        "Image “IMG_0042.jpg” has no alt text: describe it for screen readers."
    )
    assert "is an h4 after an h2" in errors.nth(1).inner_text()

    page.get_by_label("Status").select_option("published")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Not published: the checklist found problems")).to_be_visible()
    post.refresh_from_db()
    assert post.status == Post.Status.DRAFT

    page.get_by_label("Publish despite checklist errors").check()
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/admin/blog/post/")
    expect(page.get_by_text("Published despite the checklist's errors")).to_be_visible()
    post.refresh_from_db()
    assert post.is_published
