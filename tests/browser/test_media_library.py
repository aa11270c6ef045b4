import contextlib
import re
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from blog.media_library import LibraryImage
from blog.models import Post

from .steps import choose_category, log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def library_image(color, **details):
    buffer = BytesIO()
    Image.new("RGB", (1400, 800), color).save(buffer, format="JPEG")
    image = LibraryImage(file=SimpleUploadedFile("photo.jpg", buffer.getvalue()), **details)
    image.save()
    return image


@pytest.fixture
def library():
    return [
        library_image((30, 90, 140), title="Standing desk", alt="A standing desk by a window"),
        library_image((160, 60, 60), title="Sofa", alt="A sofa with cushions", credit="Sam"),
    ]


def policy_violations(page):
    violations = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and violations.append(message),
    )
    return violations


def start_post(page, category, title):
    page.goto("/admin/blog/post/add/")
    page.get_by_label("Title:", exact=True).fill(title)
    choose_category(page, category.name)
    page.get_by_label("Excerpt:", exact=True).fill("Sit well, move often.")


def test_an_editor_chooses_a_featured_image_from_the_library(page, make_user, category, library):
    violations = policy_violations(page)
    editor = make_user(role="Editor")
    log_in(page, editor.username, "pw")
    start_post(page, category, "Desks that are kind to backs")
    body = page.frame_locator("#cke_id_body iframe.cke_wysiwyg_frame").locator("body")
    body.click()
    page.keyboard.type("Raise the screen to eye level.")

    page.get_by_role("button", name="Browse the media library…").click()
    dialog = page.get_by_role("dialog", name="Choose a featured image")
    library_frame = page.frame_locator(".library-picker__frame")
    library_frame.get_by_label("Search alt text, caption, credit or title").fill("desk")
    library_frame.get_by_role("button", name="Search").click()
    expect(library_frame.get_by_role("button", name=re.compile("Sofa"))).to_have_count(0)
    library_frame.get_by_role("button", name=re.compile("Standing desk")).click()

    expect(dialog).to_be_hidden()
    assert page.locator("#id_library_image").input_value() == str(library[0].pk)
    assert page.locator("[data-library-preview] img").count() == 1
    assert page.get_by_label("Featured image alt text:").input_value() == (
        "A standing desk by a window"
    )
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(re.compile(r".*/admin/blog/post/$"))

    post = Post.objects.get(title="Desks that are kind to backs")
    assert post.featured_image.name == library[0].file.name
    assert post.featured_image_alt == "A standing desk by a window"
    assert LibraryImage.objects.count() == 2
    assert violations == []


def test_an_editor_inserts_a_library_image_into_the_body(page, make_user, category, library):
    violations = policy_violations(page)
    editor = make_user(role="Editor")
    log_in(page, editor.username, "pw")
    start_post(page, category, "A comfortable sofa")
    body = page.frame_locator("#cke_id_body iframe.cke_wysiwyg_frame").locator("body")
    body.click()
    page.keyboard.type("Cushions behind the lower back help.")
    page.keyboard.press("Enter")

    page.locator("#cke_id_body .cke_button__image").click()
    dialog = page.locator(".cke_dialog")
    with page.expect_popup() as popup_info:
        dialog.get_by_role("button", name="Browse Server").click()
    popup = popup_info.value
    # The library closes once the image is chosen, maybe before the click returns.
    with popup.expect_event("close"), contextlib.suppress(PlaywrightError):
        popup.get_by_role("button", name=re.compile("Sofa")).click()
    url_field = dialog.locator("input.cke_dialog_ui_input_text").first
    assert url_field.input_value() == library[1].url
    assert dialog.get_by_label("Alternative Text").input_value() == "A sofa with cushions"
    dialog.get_by_role("button", name="OK").click()
    page.get_by_label("Status:", exact=True).select_option("published")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(re.compile(r".*/admin/blog/post/$"))

    post = Post.objects.get(title="A comfortable sofa")
    assert library[1].url in post.body
    page.goto(post.get_absolute_url())
    picture = page.locator(".article__main picture").first
    assert "webp" in picture.locator("source").get_attribute("type")
    image = picture.get_by_role("img", name="A sofa with cushions")
    assert image.get_attribute("loading") == "lazy"
    image.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    assert "Sam" in page.locator(".article__main figcaption").inner_text()
    assert violations == []


PASTE_IMAGE = """async ([frame]) => {
    const canvas = document.createElement("canvas");
    canvas.width = 640;
    canvas.height = 360;
    const context = canvas.getContext("2d");
    context.fillStyle = "#3a7ca5";
    context.fillRect(0, 0, 640, 360);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
    const data = new DataTransfer();
    data.items.add(new File([blob], "screenshot.png", { type: "image/png" }));
    const editable = frame.contentDocument.body;
    editable.focus();
    editable.dispatchEvent(
        new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true })
    );
}"""


def test_a_pasted_image_is_uploaded_into_the_library(page, make_user, category):
    violations = policy_violations(page)
    editor = make_user(role="Editor")
    log_in(page, editor.username, "pw")
    start_post(page, category, "Screens at eye level")
    body = page.frame_locator("#cke_id_body iframe.cke_wysiwyg_frame").locator("body")
    body.click()
    page.keyboard.type("Here is my screen:")
    page.keyboard.press("Enter")
    frame = page.locator("#cke_id_body iframe.cke_wysiwyg_frame").element_handle()
    page.evaluate(PASTE_IMAGE, [frame])

    uploaded = body.locator('img[src*="/media/library/"]')
    expect(uploaded).to_have_count(1)
    image = LibraryImage.objects.get()
    assert (image.width, image.height, image.uploaded_by_id) == (640, 360, editor.pk)
    assert uploaded.get_attribute("src").endswith(image.file.name)
    assert violations == []
