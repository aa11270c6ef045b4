import functools
import io
import struct
import zlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image

from blog import renditions
from blog.media_library import LibraryImage
from blog.models import Post

from .admin_forms import post_form_data, prefilled

pytestmark = pytest.mark.django_db

SVG_WITH_SCRIPT = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script></svg>"
)


@functools.cache
def png_bomb_bytes():
    """A real 50,000 x 50,000 black-and-white PNG: 300 kB on disk, 2.5 gigapixels decoded."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    side = 50_000
    rows = (b"\0" * (1 + side // 8)) * 1000
    compressor = zlib.compressobj(1)
    idat = b"".join(compressor.compress(rows) for _ in range(side // 1000)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def bad_uploads():
    return {
        "a text file renamed .jpg": (
            SimpleUploadedFile("photo.jpg", b"just some text, not a picture"),
            "not an image we can use",
        ),
        "an SVG with a script": (
            SimpleUploadedFile("drawing.svg", SVG_WITH_SCRIPT, content_type="image/svg+xml"),
            "SVG drawings are not accepted",
        ),
        "an SVG renamed .png": (
            SimpleUploadedFile("drawing.png", SVG_WITH_SCRIPT, content_type="image/png"),
            "SVG drawings are not accepted",
        ),
        "a 50,000 x 50,000 PNG": (
            SimpleUploadedFile("huge.png", png_bomb_bytes(), content_type="image/png"),
            "too many pixels; images may have at most 40 megapixels",
        ),
        "an 11 MB file": (
            SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + b"0" * (11 * 1024 * 1024)),
            "This file is 11.0 MB; images may be at most 10 MB",
        ),
    }


BAD_UPLOADS = list(bad_uploads())


def jpeg_with_exif(size=(60, 40), orientation=6):
    """A landscape JPEG whose EXIF says "rotate 90°" and which carries a GPS position."""
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}  # GPS IFD
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile("phone.jpg", buffer.getvalue(), content_type="image/jpeg")


def post_form(category, **overrides):
    return post_form_data(
        category,
        title="Neck stretches",
        slug="neck-stretches",
        featured_image_alt="A person stretching",
        status="draft",
        published_at_0="",
        published_at_1="",
        **overrides,
    )


@pytest.mark.parametrize("kind", BAD_UPLOADS)
def test_the_post_form_rejects_a_bad_featured_image_with_a_clear_message(
    client, editor, category, kind
):
    upload, message = bad_uploads()[kind]
    client.force_login(editor)
    response = client.post(
        "/admin/blog/post/add/",
        post_form(category, author=editor.pk, featured_image=upload),
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["adminform"].form.errors["featured_image"])
    assert not Post.objects.exists()


@pytest.mark.parametrize("kind", BAD_UPLOADS)
def test_ckeditor_rejects_a_bad_upload_with_a_clear_message(client, editor, kind):
    upload, message = bad_uploads()[kind]
    client.force_login(editor)
    response = client.post(
        "/ckeditor/upload/?responseType=json",
        {"upload": upload},
        headers={"Origin": "http://testserver"},
    )
    answer = response.json()
    assert answer["uploaded"] == 0
    assert message in answer["error"]["message"]
    assert not default_storage.exists("uploads")


def test_an_image_just_over_the_pixel_limit_is_refused_with_its_size(client, editor):
    buffer = io.BytesIO()
    Image.new("1", (8000, 5001)).save(buffer, format="PNG")
    client.force_login(editor)
    upload = SimpleUploadedFile("wide.png", buffer.getvalue())
    answer = client.post(
        "/ckeditor/upload/", {"upload": upload}, headers={"Origin": "http://testserver"}
    ).json()
    assert "8,000 × 5,001 pixels, too many pixels" in answer["error"]["message"]


def test_ckeditor_image_dialog_gets_the_error_as_a_script_call(client, editor):
    client.force_login(editor)
    upload = SimpleUploadedFile("x.svg", SVG_WITH_SCRIPT)
    response = client.post(
        "/ckeditor/upload/?CKEditorFuncNum=3",
        {"upload": upload},
        headers={"Origin": "http://testserver"},
    )
    html = response.content.decode()
    assert html.startswith('<script>window.parent.CKEDITOR.tools.callFunction(3, "", ')
    assert "SVG drawings are not accepted" in html
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_ckeditor_stores_a_good_image_upright_and_without_location(client, editor):
    client.force_login(editor)
    response = client.post(
        "/ckeditor/upload/?responseType=json",
        {"upload": jpeg_with_exif()},
        headers={"Origin": "http://testserver"},
    )
    answer = response.json()
    assert answer["uploaded"] == 1
    name = answer["url"].removeprefix("/media/")
    with default_storage.open(name) as file, Image.open(file) as image:
        assert image.size == (40, 60)
        assert not image.getexif()


def test_only_staff_may_upload_images(client, make_user):
    client.force_login(make_user())
    response = client.post(
        "/ckeditor/upload/", {"upload": jpeg_with_exif()}, headers={"Origin": "http://testserver"}
    )
    assert response.status_code == 302
    assert not default_storage.exists("uploads")


def test_a_featured_image_is_turned_upright_and_loses_its_location(client, editor, category):
    client.force_login(editor)
    client.post(
        "/admin/blog/post/add/",
        post_form(category, author=editor.pk, featured_image=jpeg_with_exif()),
    )
    post = Post.objects.get()
    assert (post.featured_image_width, post.featured_image_height) == (40, 60)
    with post.featured_image.open() as file, Image.open(file) as image:
        assert image.size == (40, 60)
        exif = image.getexif()
        assert 0x8825 not in exif
        assert 0x010F not in exif


def test_renditions_are_made_once_when_the_image_is_saved(make_post, make_image, monkeypatch):
    post = make_post(featured_image=make_image(size=(1000, 500)), featured_image_alt="Desk")
    name = post.featured_image.name
    for width in (480, 800, 1000):
        for extension in ("webp", "jpg"):
            assert default_storage.exists(renditions.rendition_name(name, width, extension))
    with default_storage.open(renditions.rendition_name(name, 800, "webp")) as file:
        assert Image.open(file).size == (800, 400)

    calls = []
    monkeypatch.setattr(renditions, "generate_renditions", lambda *a, **k: calls.append(a))
    post.title = "A new title"
    post.save()
    Post.objects.get(pk=post.pk).save()
    assert calls == []


def test_pages_show_the_renditions_with_sizes_and_dimensions(client, make_post, make_image):
    featured = make_post(
        featured_image=make_image(size=(1600, 900)), featured_image_alt="Desk", is_featured=True
    )
    make_post(featured_image=make_image(size=(1600, 900)), featured_image_alt="Chair")
    folder = renditions.folder_for(featured.featured_image.name)

    article = client.get(featured.get_absolute_url()).content.decode()
    assert f"/media/{folder}/480w.webp 480w, /media/{folder}/800w.webp 800w" in article
    assert f'src="/media/{folder}/1200w.jpg"' in article
    assert 'alt="Desk" width="1600" height="900" fetchpriority="high"' in article

    home = client.get("/").content.decode()
    assert 'type="image/webp"' in home
    assert 'loading="lazy"' in home  # The post card below the hero.
    assert "/media/posts/" not in home  # Originals are never sent to readers.


def test_replacing_an_image_keeps_the_old_one_in_the_library(
    make_post, make_image, django_capture_on_commit_callbacks
):
    post = make_post(featured_image=make_image(), featured_image_alt="Desk")
    old = post.featured_image.name
    with django_capture_on_commit_callbacks(execute=True):
        post.featured_image = make_image("new.jpg", color=(10, 20, 30))
        post.save()
    assert post.featured_image.name != old
    assert default_storage.exists(old)
    assert LibraryImage.objects.filter(file=old, alt="Desk").exists()
    assert LibraryImage.objects.filter(file=post.featured_image.name).exists()
    assert default_storage.exists(renditions.rendition_name(post.featured_image.name, 480, "webp"))


def test_deleting_posts_leaves_their_images_in_the_library(
    make_post, make_image, django_capture_on_commit_callbacks
):
    post = make_post(featured_image=make_image(), featured_image_alt="Desk")
    name = post.featured_image.name
    with django_capture_on_commit_callbacks(execute=True):
        Post.objects.filter(pk=post.pk).delete()
    assert default_storage.exists(name)
    assert LibraryImage.objects.filter(file=name).exists()


def test_deleting_an_unused_library_image_deletes_its_files(
    make_post, make_image, django_capture_on_commit_callbacks
):
    post = make_post(featured_image=make_image(), featured_image_alt="Desk")
    name = post.featured_image.name
    post.delete()
    with django_capture_on_commit_callbacks(execute=True):
        LibraryImage.objects.filter(file=name).delete()
    assert not default_storage.exists(name)
    assert not default_storage.exists(renditions.folder_for(name) + "/480w.webp")


def test_generate_renditions_makes_only_the_missing_ones(make_post, make_image):
    post = make_post(featured_image=make_image(), featured_image_alt="Desk")
    missing = renditions.rendition_name(post.featured_image.name, 800, "webp")
    default_storage.delete(missing)
    out = io.StringIO()
    call_command("generate_renditions", stdout=out)
    assert default_storage.exists(missing)
    assert "wrote 1 rendition file(s)" in out.getvalue()


def test_png_renditions_keep_transparency(make_post):
    buffer = io.BytesIO()
    Image.new("RGBA", (600, 300), (0, 0, 0, 0)).save(buffer, format="PNG")
    post = make_post(
        featured_image=SimpleUploadedFile("logo.png", buffer.getvalue()), featured_image_alt="x"
    )
    with default_storage.open(renditions.rendition_name(post.featured_image.name, 480, "png")) as f:
        assert Image.open(f).mode == "RGBA"


def test_replacing_the_image_in_the_admin_saves_the_new_one_and_keeps_the_old_in_the_library(
    client, editor, make_post, make_image, django_capture_on_commit_callbacks
):
    post = make_post(featured_image=make_image("old.jpg"), featured_image_alt="Desk")
    old = post.featured_image.name
    change_url = f"/admin/blog/post/{post.pk}/change/"
    client.force_login(editor)
    data = prefilled(client.get(change_url))  # The post as loaded from the database.

    with django_capture_on_commit_callbacks(execute=True):
        new_image = make_image("new.jpg", color=(10, 20, 30))
        response = client.post(change_url, {**data, "featured_image": new_image})

    assert response.status_code == 302
    new = Post.objects.get(pk=post.pk).featured_image.name
    assert new != old
    assert default_storage.exists(new)
    assert default_storage.exists(renditions.rendition_name(new, 480, "webp"))
    assert default_storage.exists(old)
    assert set(LibraryImage.objects.values_list("file", flat=True)) == {old, new}


def test_clearing_the_image_in_the_admin_keeps_it_in_the_library(
    client, editor, make_post, make_image, django_capture_on_commit_callbacks
):
    post = make_post(featured_image=make_image("old.jpg"), featured_image_alt="Desk")
    old = post.featured_image.name
    change_url = f"/admin/blog/post/{post.pk}/change/"
    client.force_login(editor)
    data = prefilled(client.get(change_url))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url, {**data, "featured_image-clear": "on"})

    assert response.status_code == 302
    assert not Post.objects.get(pk=post.pk).featured_image
    assert default_storage.exists(old)
    assert LibraryImage.objects.filter(file=old).exists()
