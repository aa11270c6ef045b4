import importlib
import io
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.flatpages.models import FlatPage
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image

from blog import renditions
from blog.checklist import check_post
from blog.media_library import LibraryImage
from blog.models import Post

from .admin_forms import post_form_data, prefilled
from .test_images import bad_uploads

pytestmark = pytest.mark.django_db

LIBRARY = "/admin/blog/libraryimage/"
THIS_SITE = {"HTTP_ORIGIN": "http://testserver"}


def jpeg(size=(1400, 800), color=(40, 120, 160), name="photo.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def make_library_image():
    colors = iter(range(10, 250, 3))

    def make_library_image(size=(1400, 800), **details):
        image = LibraryImage(file=jpeg(size, (next(colors), 90, 90)), **details)
        image.save()
        return image

    return make_library_image


def library_form(upload=None, **fields):
    data = {"title": "", "alt": "", "caption": "", "credit": "", "licence": "", **fields}
    if upload is not None:
        data["file"] = upload
    return data


# Uploading and describing ---------------------------------------------------------------------


def test_an_editor_uploads_an_image_into_the_library_with_its_details(client, editor):
    client.force_login(editor)
    response = client.post(
        f"{LIBRARY}add/",
        library_form(
            jpeg(name="IMG_2041.JPG"),
            alt="A physiotherapist checks a patient's neck",
            caption="Checking how far the neck turns.",
            credit="Photo: Sam Lee",
            licence="Our own photo",
        ),
    )
    assert response.status_code == 302
    image = LibraryImage.objects.get()
    assert image.file.name.startswith("library/") and "IMG_2041" not in image.file.name
    assert (image.width, image.height, image.uploaded_by) == (1400, 800, editor)
    assert image.credit == "Photo: Sam Lee"
    assert default_storage.exists(renditions.rendition_name(image.file.name, 800, "webp"))


def test_the_same_image_uploaded_again_is_refused_and_named(client, editor, make_library_image):
    existing = make_library_image(alt="Desk")
    client.force_login(editor)
    with default_storage.open(existing.file.name) as stored:
        again = SimpleUploadedFile("copy.jpg", stored.read(), content_type="image/jpeg")
    response = client.post(f"{LIBRARY}add/", library_form(again))
    assert response.status_code == 200
    assert "already in the library as “Desk”" in response.content.decode()
    assert LibraryImage.objects.count() == 1


@pytest.mark.parametrize("kind", list(bad_uploads()))
def test_hostile_files_are_refused_by_the_library_with_a_clear_message(client, editor, kind):
    upload, message = bad_uploads()[kind]
    client.force_login(editor)
    response = client.post(f"{LIBRARY}add/", library_form(upload, alt="x"))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not LibraryImage.objects.exists()


def test_a_decorative_image_has_no_alt_text(client, editor):
    client.force_login(editor)
    response = client.post(
        f"{LIBRARY}add/", library_form(jpeg(), alt="A swirl", decorative="on", credit="Us")
    )
    assert response.status_code == 200
    assert "A decorative image has no alt text" in response.content.decode()
    response = client.post(f"{LIBRARY}add/", library_form(jpeg(), decorative="on", credit="Us"))
    assert response.status_code == 302
    image = LibraryImage.objects.get()
    assert image.decorative and image.alt == "" and image.reader_alt == ""


def test_the_attention_filter_lists_images_missing_alt_text_or_credit(
    client, editor, make_library_image
):
    make_library_image(title="complete", alt="Desk", credit="Sam")
    make_library_image(title="no-alt", credit="Sam")
    make_library_image(title="decorative-swirl", decorative=True, credit="Sam")
    make_library_image(title="no-credit", alt="Chair")
    client.force_login(editor)

    def listed(query):
        page = client.get(f"{LIBRARY}?{query}")
        assert page.status_code == 200
        return {image.title for image in page.context["cl"].result_list}

    assert listed("attention=alt") == {"no-alt"}
    assert listed("attention=credit") == {"no-credit"}
    assert listed("attention=any") == {"no-alt", "no-credit"}
    assert listed("attention=nonsense") == {"complete", "no-alt", "decorative-swirl", "no-credit"}


# Where an image is used; deleting -------------------------------------------------------------


@pytest.fixture
def used_image(make_library_image, make_post):
    image = make_library_image(alt="Desk", credit="Sam")
    featured = make_post(title="Featured here", featured_image=image.file.name)
    in_body = make_post(title="In the body", body=f'<p><img src="{image.url}" alt="Desk"></p>')
    page = FlatPage.objects.create(
        url="/about/", title="About us", content=f'<img src="{image.url}" alt="">'
    )
    return image, featured, in_body, page


def test_each_image_shows_where_it_is_used(client, editor, used_image):
    image, featured, in_body, page = used_image
    client.force_login(editor)
    html = client.get(f"{LIBRARY}{image.pk}/change/").content.decode()
    assert "Post, featured image" in html and f"/admin/blog/post/{featured.pk}/change/" in html
    assert "Post, body" in html and f"/admin/blog/post/{in_body.pk}/change/" in html
    assert "About us (/about/)" in html
    listed = client.get(f"{LIBRARY}?use=used").context["cl"].result_list
    assert [row.pk for row in listed] == [image.pk]


def test_deleting_an_image_in_use_is_refused_with_its_uses(client, editor, used_image):
    image, featured, in_body, _ = used_image
    client.force_login(editor)
    confirm = client.get(f"{LIBRARY}{image.pk}/delete/").content.decode()
    assert "would require deleting the following protected related objects" in confirm
    assert "Featured here" in confirm and "In the body" in confirm and "About us" in confirm
    response = client.post(f"{LIBRARY}{image.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403 or "protected" in response.content.decode()
    assert LibraryImage.objects.filter(pk=image.pk).exists()
    assert default_storage.exists(image.file.name)


def test_the_bulk_delete_action_refuses_images_in_use_too(
    client, editor, used_image, make_library_image
):
    image = used_image[0]
    unused = make_library_image(alt="Unused")
    client.force_login(editor)
    action = {"action": "delete_selected", "_selected_action": [image.pk, unused.pk]}
    refused = client.post(LIBRARY, action).content.decode()
    assert "Featured here" in refused
    client.post(LIBRARY, {**action, "post": "yes"})
    assert LibraryImage.objects.count() == 2


def test_an_unused_image_is_deleted_with_its_files(
    client, editor, make_library_image, django_capture_on_commit_callbacks
):
    image = make_library_image(alt="Old")
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{LIBRARY}{image.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not LibraryImage.objects.exists()
    assert not default_storage.exists(image.file.name)
    assert not default_storage.exists(renditions.rendition_name(image.file.name, 480, "webp"))


def test_authors_may_add_images_but_not_delete_them(client, author, make_library_image):
    image = make_library_image(alt="Desk")
    client.force_login(author)
    assert client.get(f"{LIBRARY}add/").status_code == 200
    assert client.get(f"{LIBRARY}{image.pk}/delete/").status_code == 403


# The featured-image picker -------------------------------------------------------------------


def test_an_editor_picks_a_featured_image_from_the_library(
    client, editor, category, make_library_image
):
    image = make_library_image(alt="A standing desk", credit="Sam")
    client.force_login(editor)
    form = client.get("/admin/blog/post/add/").content.decode()
    assert "data-library-picker" in form and "A standing desk (1400 × 800 px)" in form
    data = post_form_data(category, status="draft", author=editor.pk, library_image=image.pk)
    response = client.post("/admin/blog/post/add/", data)
    assert response.status_code == 302
    post = Post.objects.get()
    assert post.featured_image.name == image.file.name
    assert (post.featured_image_width, post.featured_image_alt) == (1400, "A standing desk")
    assert LibraryImage.objects.count() == 1

    change = client.get(f"/admin/blog/post/{post.pk}/change/")
    assert change.context["adminform"].form.initial["library_image"] == image.pk
    data = prefilled(change)
    data["library_image"] = ""
    assert client.post(f"/admin/blog/post/{post.pk}/change/", data).status_code == 302
    post.refresh_from_db()
    assert not post.featured_image
    assert LibraryImage.objects.filter(pk=image.pk).exists()


def test_a_new_upload_wins_over_the_picker_and_joins_the_library(
    client, editor, category, make_library_image
):
    image = make_library_image(alt="Desk")
    client.force_login(editor)
    data = post_form_data(
        category,
        status="draft",
        author=editor.pk,
        library_image=image.pk,
        featured_image=jpeg(color=(1, 2, 3)),
        featured_image_alt="A chair",
    )
    assert client.post("/admin/blog/post/add/", data).status_code == 302
    post = Post.objects.get()
    assert post.featured_image.name != image.file.name
    assert LibraryImage.objects.get(file=post.featured_image.name).alt == "A chair"


def test_uploading_a_library_image_as_featured_image_reuses_the_library_copy(
    make_post, make_library_image
):
    image = make_library_image(alt="Desk")
    with default_storage.open(image.file.name) as stored:
        again = SimpleUploadedFile("again.jpg", stored.read())
    post = make_post(featured_image=again, featured_image_alt="")
    assert post.featured_image.name == image.file.name
    assert post.featured_image_alt == "Desk"
    assert LibraryImage.objects.count() == 1


def test_a_narrow_featured_image_gets_a_checklist_warning(make_post, make_library_image):
    narrow = make_library_image(size=(800, 450), alt="Desk")
    post = make_post(featured_image=narrow.file.name, featured_image_alt="Desk")
    warnings = [check.message for check in check_post(post).warnings]
    assert any("800 px wide; use one at least 1200 px wide" in w for w in warnings)
    wide = make_library_image(size=(1600, 900), alt="Desk")
    post.featured_image = wide.file.name
    post.save()
    assert not any("px wide" in check.message for check in check_post(post).warnings)


def test_the_post_form_states_the_minimum_width(client, editor):
    client.force_login(editor)
    assert "at least 1200 px wide" in client.get("/admin/blog/post/add/").content.decode()


# CKEditor: uploads and the browse page --------------------------------------------------------


def test_a_pasted_image_is_uploaded_into_the_library_once(client, editor):
    client.force_login(editor)
    upload = jpeg()
    first = client.post("/ckeditor/upload/?responseType=json", {"upload": upload}, **THIS_SITE)
    upload.seek(0)
    second = client.post("/ckeditor/upload/?responseType=json", {"upload": upload}, **THIS_SITE)
    assert first.json()["uploaded"] == 1
    assert first.json()["url"] == second.json()["url"]
    image = LibraryImage.objects.get()
    assert first.json()["url"] == image.url
    assert image.uploaded_by == editor


def test_the_browse_page_lists_and_searches_the_library(client, editor, make_library_image):
    make_library_image(alt="A standing desk", credit="Sam")
    make_library_image(alt="A sofa")
    client.force_login(editor)
    page = client.get("/ckeditor/browse/?CKEditor=id_body&CKEditorFuncNum=3&langCode=en&q=desk")
    html = page.content.decode()
    assert page.status_code == 200
    assert "A standing desk" in html and "A sofa" not in html
    assert 'name="CKEditorFuncNum" value="3"' in html
    assert "library-browse.js" in html
    assert page.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "no-cache" in page.headers["Cache-Control"]


def test_the_browse_page_is_for_staff_with_access_to_the_library(
    client, make_user, make_library_image
):
    make_library_image(alt="Secret")
    assert client.get("/ckeditor/browse/").status_code == 302  # To the login page.
    client.force_login(make_user(is_staff=True))
    response = client.get("/ckeditor/browse/")
    assert response.status_code == 403
    assert "Secret" not in response.content.decode()


@pytest.mark.parametrize(
    "query", ["?page=999", "?page=abc", "?q=%00", f"?q={'x' * 5000}", "?CKEditorFuncNum=%3Cscript"]
)
def test_the_browse_page_survives_odd_queries(client, editor, make_library_image, query):
    make_library_image(alt="Desk")
    client.force_login(editor)
    response = client.get(f"/ckeditor/browse/{query}")
    assert response.status_code == 200
    assert "<script" not in response.content.decode().replace("<script src=", "")


def test_the_browse_page_answers_only_get(client, editor):
    client.force_login(editor)
    assert client.post("/ckeditor/browse/").status_code == 405


# Images in the body as readers get them -------------------------------------------------------


def test_library_images_in_the_body_get_renditions_lazy_loading_and_credits(
    client, make_post, make_library_image
):
    image = make_library_image(alt="A standing desk", caption="Raise the screen.", credit="Sam")
    decorative = make_library_image(decorative=True, credit="Us")
    make_post(
        slug="desks",
        body=(
            f'<p>Text.</p><p><img src="{image.url}"></p>'
            f'<p>Inline <img src="{decorative.url}" alt=""> image.</p>'
            '<p><img src="https://example.org/elsewhere.jpg" alt="Elsewhere"></p>'
        ),
    )
    html = client.get("/desks/").content.decode()
    webp = renditions.rendition_name(image.file.name, 800, "webp")
    assert f'srcset="/media/{webp} 800w' in html or f"/media/{webp} 800w" in html
    assert 'alt="A standing desk" width="1400" height="800"' in html
    assert html.count('loading="lazy" decoding="async"') >= 3
    assert '<figcaption>Raise the screen. <span class="figure__credit">Sam</span>' in html
    assert f'src="{image.url}"' not in html  # Originals are never sent to readers.
    assert 'src="https://example.org/elsewhere.jpg" alt="Elsewhere" loading="lazy"' in html


def test_an_image_the_editor_made_smaller_keeps_its_size(client, make_post, make_library_image):
    image = make_library_image(alt="Desk")
    make_post(slug="small", body=f'<p><img src="{image.url}" alt="Desk" width="700"></p>')
    html = client.get("/small/").content.decode()
    assert 'width="700" height="400"' in html
    assert 'sizes="(min-width: 700px) 700px, 100vw"' in html


def test_new_alt_text_in_the_library_reaches_the_article(client, make_post, make_library_image):
    image = make_library_image(alt="")
    make_post(slug="desks", body=f'<p><img src="{image.url}"></p>')
    assert 'alt=""' in client.get("/desks/").content.decode()
    image.alt = "A standing desk"
    image.save()
    assert 'alt="A standing desk"' in client.get("/desks/").content.decode()


# Existing images and WordPress ----------------------------------------------------------------


def test_existing_featured_images_and_uploads_join_the_library(make_post, make_image):
    post = make_post(featured_image=make_image(), featured_image_alt="A desk", title="Desks")
    # The same picture stored a second time, as before the library noticed such copies.
    with default_storage.open(post.featured_image.name) as original:
        duplicate = default_storage.save("posts/2024/01/copy.jpg", ContentFile(original.read()))
    copy = make_post(title="Copy")
    Post.objects.filter(pk=copy.pk).update(featured_image=duplicate, featured_image_alt="Copy")
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 10, 10)).save(buffer, format="PNG")
    uploaded = default_storage.save("uploads/2024/05/01/abc.png", ContentFile(buffer.getvalue()))
    make_post(body=f'<p><img src="/media/{uploaded}" alt="A red square"></p>')
    default_storage.save("uploads/2024/05/01/notes.txt", ContentFile(b"not an image"))
    LibraryImage.objects.all().delete()  # As before the library existed (files stay).
    for name in {post.featured_image.name, copy.featured_image.name, uploaded}:
        assert default_storage.exists(name)

    migration = importlib.import_module("blog.migrations.0041_existing_images_join_library")
    migration.join_library(apps, None)

    assert LibraryImage.objects.get(file=post.featured_image.name).alt == "A desk"
    square = LibraryImage.objects.get(file=uploaded)
    assert (square.alt, square.width, square.height) == ("A red square", 640, 480)
    assert default_storage.exists(renditions.rendition_name(uploaded, 640, "webp"))
    assert LibraryImage.objects.count() == 2  # The same picture twice is one entry.
    copy.refresh_from_db()
    assert copy.featured_image.name == post.featured_image.name


SAMPLE = Path(__file__).parent / "data" / "wordpress"
THEME_UNIT = SAMPLE / "themeunittestdata.wordpress.xml"


def test_wordpress_images_join_the_library_with_their_alt_text():
    out = io.StringIO()
    call_command(
        "import_wordpress",
        str(SAMPLE / "export.xml"),
        "--media-dir",
        str(SAMPLE / "uploads"),
        stdout=out,
        stderr=io.StringIO(),
    )
    desk = Post.objects.get(slug="desk-setup-for-a-happy-back")
    entry = LibraryImage.objects.get(file=desk.featured_image.name)
    assert entry.alt.startswith("A desk with the monitor raised")
    body_images = LibraryImage.objects.filter(file__startswith="uploads/wordpress/")
    assert body_images.exists()
    assert all(image.width for image in body_images)


def test_the_theme_unit_exports_images_join_the_library_with_wordpress_alt_text(tmp_path):
    from blog.wordpress import Export, upload_path

    export = Export(THEME_UNIT)
    media = tmp_path / "wp-uploads"
    for attachment in export.attachments.values():
        relative = upload_path(attachment.url, "wpthemetestdata.wordpress.com")
        if relative and relative.lower().endswith((".jpg", ".jpeg", ".png")):
            target = media / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            color = (len(relative) * 7 % 255, 80, 80)
            Image.new("RGB", (320, 200), color).save(target, format="JPEG")
    call_command(
        "import_wordpress",
        str(THEME_UNIT),
        "--media-dir",
        str(media),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    alts = set(LibraryImage.objects.values_list("alt", flat=True))
    assert {"Huatulco Coastline", "Golden Gate Bridge"} <= alts
    for image in LibraryImage.objects.all():
        assert default_storage.exists(image.file.name)
        assert image.digest and image.width == 320


def test_alt_text_typed_in_the_editors_image_dialog_describes_the_uploaded_image(
    client, editor, make_post
):
    client.force_login(editor)
    upload = client.post("/ckeditor/upload/?responseType=json", {"upload": jpeg()}, **THIS_SITE)
    url = upload.json()["url"]
    assert LibraryImage.objects.get().alt == ""
    make_post(body=f'<p><img src="{url}" alt="Arms raised in a stretch"></p>')
    assert LibraryImage.objects.get().alt == "Arms raised in a stretch"
    make_post(body=f'<p><img src="{url}" alt="Something else"></p>')
    assert LibraryImage.objects.get().alt == "Arms raised in a stretch"  # Kept once given.


def test_library_images_on_pages_get_renditions_too(client, make_library_image):
    image = make_library_image(alt="Our clinic", credit="Sam")
    page = FlatPage.objects.create(
        url="/about/", title="About", content=f'<p>Hello.</p><p><img src="{image.url}"></p>'
    )
    page.sites.add(1)
    html = client.get("/about/").content.decode()
    assert '<source type="image/webp"' in html
    assert 'alt="Our clinic" width="1400" height="800" loading="lazy" decoding="async"' in html
    assert f'src="{image.url}"' not in html


def test_the_checklist_accepts_empty_alt_text_only_on_decorative_library_images(
    make_post, make_library_image
):
    decorative = make_library_image(decorative=True)
    described = make_library_image(alt="Desk")
    post = make_post(
        body=f'<p>Text.</p><p><img src="{decorative.url}" alt=""></p>'
        f'<p><img src="{described.url}" alt=""></p>'
    )
    errors = [check.message for check in check_post(post).errors if "alt text" in check.message]
    assert len(errors) == 1
    assert described.file.name.rsplit("/", 1)[-1] in errors[0]
