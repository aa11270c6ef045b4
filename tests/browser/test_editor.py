import re

import pytest
from PIL import Image

from blog.models import Post

from .steps import choose_category, log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "morning-stretch.jpg"
    Image.new("RGB", (1200, 675), (90, 160, 150)).save(path, format="JPEG")
    return path


def upload_through_ckeditor(page, path):
    page.locator("#cke_id_body .cke_button__image").click()
    dialog = page.locator(".cke_dialog")
    dialog.get_by_role("tab", name="Upload").click()
    upload_frame = page.frame_locator(".cke_dialog iframe.cke_dialog_ui_input_file")
    upload_frame.locator("input[type=file]").set_input_files(path)
    dialog.get_by_role("button", name="Send it to the Server").click()
    url_field = dialog.locator("input.cke_dialog_ui_input_text").first
    page.wait_for_function(
        "el => el.value.includes('/media/library/')", arg=url_field.element_handle()
    )
    dialog.get_by_label("Alternative Text").fill("Arms raised in a morning stretch")
    dialog.get_by_role("button", name="OK").click()


def test_an_editor_writes_and_publishes_a_post_with_an_image(page, make_user, category, photo):
    editor = make_user(role="Editor")
    log_in(page, editor.username, "pw")
    page.goto("/admin/blog/post/add/")

    page.get_by_label("Title:", exact=True).fill("Gentle morning stretches")
    choose_category(page, category.name)
    page.get_by_label("Excerpt:", exact=True).fill(
        "Five minutes that set up your back for the day."
    )
    body = page.frame_locator("#cke_id_body iframe.cke_wysiwyg_frame").locator("body")
    body.click()
    page.keyboard.type("Start slowly: reach up, breathe out, and let your shoulders drop.")
    page.keyboard.press("Enter")
    upload_through_ckeditor(page, photo)
    page.get_by_label("Status:", exact=True).select_option("published")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(re.compile(r".*/admin/blog/post/$"))

    post = Post.objects.get(title="Gentle morning stretches")
    assert post.is_published
    assert "/media/library/" in post.body

    page.goto("/")
    page.get_by_role("link", name="Gentle morning stretches").first.click()
    page.wait_for_url("**/gentle-morning-stretches/")
    article = page.locator(".article__main")  # The opening paragraph, the image and the rest
    assert "let your shoulders drop" in article.inner_text()
    image = article.get_by_role("img", name="Arms raised in a morning stretch")
    # A rendition from the media library (blog/body_images.py), not the original.
    assert image.evaluate("img => img.complete && img.naturalWidth") > 0
    assert "/media/renditions/library/" in image.evaluate("img => img.currentSrc")
