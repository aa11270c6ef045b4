"""
Uploaded images are stored under a name and an extension the server chooses from the decoded
content, never the uploader's: a GIF that is also JavaScript, uploaded as note.js, is a .gif.
"""

import io
import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from blog.models import Post
from people.models import AuthorProfile, Reviewer

from .admin_forms import post_form_data

pytestmark = pytest.mark.django_db

SAME_ORIGIN = {"Origin": "http://testserver"}
STORED_NAME = re.compile(r"[0-9a-f]{32}(_\w+)?\.(jpg|png|gif|webp)")


def gif_that_is_javascript():
    """
    A real GIF whose bytes are also a script: the width 0x2A2F is "/*" in ASCII, so the binary
    rest of the header is a JavaScript comment, closed after the image ends.
    """
    buffer = io.BytesIO()
    Image.new("P", (0x2A2F, 1)).save(buffer, format="GIF")
    data = buffer.getvalue()
    assert data[6:8] == b"/*"
    return data + b"*/=1;alert(document.cookie);//"


def image_bytes(image_format, size=(40, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (90, 160, 150)).save(buffer, format=image_format)
    return buffer.getvalue()


def stored_name(path):
    return path.rsplit("/", 1)[-1]


def test_a_gif_uploaded_as_note_js_is_stored_as_a_gif(client, editor):
    client.force_login(editor)
    upload = SimpleUploadedFile("note.js", gif_that_is_javascript(), "text/javascript")
    answer = client.post(
        "/ckeditor/upload/?responseType=json", {"upload": upload}, headers=SAME_ORIGIN
    ).json()
    assert answer["uploaded"] == 1
    assert STORED_NAME.fullmatch(stored_name(answer["url"])), answer["url"]
    assert answer["url"].endswith(".gif")
    assert "note" not in answer["url"]
    assert default_storage.exists(answer["url"].removeprefix("/media/"))


@pytest.mark.parametrize(
    "upload_name, image_format, extension",
    [
        ("photo.jpg", "PNG", "png"),
        ("page.html", "JPEG", "jpg"),
        ("drawing.svg.png", "WEBP", "webp"),
        ("x.gif", "GIF", "gif"),
    ],
)
def test_ckeditor_uploads_get_the_extension_of_what_they_are(
    client, editor, upload_name, image_format, extension
):
    client.force_login(editor)
    upload = SimpleUploadedFile(upload_name, image_bytes(image_format))
    answer = client.post(
        "/ckeditor/upload/?responseType=json", {"upload": upload}, headers=SAME_ORIGIN
    ).json()
    name = stored_name(answer["url"])
    assert STORED_NAME.fullmatch(name), name
    assert name.endswith(f".{extension}")


def test_ckeditor_refuses_a_script_named_like_an_image_with_a_clear_message(client, editor):
    client.force_login(editor)
    upload = SimpleUploadedFile("note.gif", b"alert(document.cookie)", "image/gif")
    answer = client.post(
        "/ckeditor/upload/?responseType=json", {"upload": upload}, headers=SAME_ORIGIN
    ).json()
    # CKEditor shows this message only from a 200 answer in its own format; for any other
    # status it shows a bare "HTTP error" (plugins/filetools), so the refusal travels as JSON.
    assert answer["uploaded"] == 0
    assert "not an image we can use" in answer["error"]["message"]
    assert not default_storage.exists("uploads")


def test_a_featured_image_from_the_post_form_is_named_by_its_content(client, editor, category):
    client.force_login(editor)
    upload = SimpleUploadedFile("note.js", gif_that_is_javascript(), "text/javascript")
    response = client.post(
        "/admin/blog/post/add/",
        post_form_data(
            category,
            author=editor.pk,
            status="draft",
            published_at_0="",
            published_at_1="",
            featured_image=upload,
            featured_image_alt="A grey line",
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    name = Post.objects.get().featured_image.name
    assert name.startswith("posts/")
    assert STORED_NAME.fullmatch(stored_name(name)), name
    assert name.endswith(".gif")


def test_a_featured_image_saved_in_code_is_named_by_its_content(make_post, skip_renditions):
    post = make_post(featured_image=SimpleUploadedFile("me.jpeg.html", image_bytes("PNG")))
    assert STORED_NAME.fullmatch(stored_name(post.featured_image.name))
    assert post.featured_image.name.endswith(".png")


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("boss", "boss@example.com", "pw")


def test_a_reviewer_photo_from_the_admin_is_named_by_its_content(client, superuser):
    client.force_login(superuser)
    upload = SimpleUploadedFile("note.js", gif_that_is_javascript(), "text/javascript")
    response = client.post(
        "/admin/people/reviewer/add/",
        {
            "name": "Dr Ann Lee",
            "slug": "ann-lee",
            "credentials": "PT",
            "bio": "",
            "photo": upload,
            "profile_url": "",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    name = Reviewer.objects.get().photo.name
    assert name.startswith("people/")
    assert STORED_NAME.fullmatch(stored_name(name)), name
    assert name.endswith(".gif")


def test_an_author_photo_from_the_admin_is_named_by_its_content(client, superuser, make_user):
    writer = make_user(role="Author", first_name="Maya", last_name="Writer")
    client.force_login(superuser)
    response = client.post(
        "/admin/people/authorprofile/add/",
        {
            "user": writer.pk,
            "slug": "maya",
            "credentials": "",
            "bio": "",
            "photo": SimpleUploadedFile("maya.php", image_bytes("JPEG")),
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    name = AuthorProfile.objects.get().photo.name
    assert STORED_NAME.fullmatch(stored_name(name)), name
    assert name.endswith(".jpg")


def test_the_people_admin_refuses_a_photo_that_is_not_an_image(client, superuser):
    client.force_login(superuser)
    response = client.post(
        "/admin/people/reviewer/add/",
        {
            "name": "Dr Ann Lee",
            "slug": "ann-lee",
            "credentials": "PT",
            "photo": SimpleUploadedFile("me.jpg", b"<script>alert(1)</script>", "image/jpeg"),
        },
    )
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.errors["photo"])
    assert "not an image we can use" in errors
    assert not Reviewer.objects.exists()


def test_the_people_admin_refuses_an_svg_photo(client, superuser):
    client.force_login(superuser)
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    response = client.post(
        "/admin/people/reviewer/add/",
        {
            "name": "Dr Ann Lee",
            "slug": "ann-lee",
            "credentials": "PT",
            "photo": (SimpleUploadedFile("me.svg", svg, "image/svg+xml")),
        },
    )
    assert "SVG drawings are not accepted" in " ".join(
        response.context["adminform"].form.errors["photo"]
    )


def test_a_ckeditor_upload_from_another_site_is_refused(client, editor):
    client.force_login(editor)
    upload = SimpleUploadedFile("x.png", image_bytes("PNG"))
    response = client.post(
        "/ckeditor/upload/?responseType=json",
        {"upload": upload},
        headers={"Origin": "https://evil.example"},
    )
    assert response.status_code == 403
    assert "only from this site" in response.content.decode()
    assert not default_storage.exists("uploads")


@pytest.mark.parametrize(
    "headers",
    [{}, {"Origin": "null"}, {"Referer": "https://evil.example/page"}],
    ids=["no origin", "opaque origin", "foreign referer"],
)
def test_a_ckeditor_upload_without_this_sites_origin_is_refused(client, editor, headers):
    client.force_login(editor)
    upload = SimpleUploadedFile("x.png", image_bytes("PNG"))
    response = client.post("/ckeditor/upload/", {"upload": upload}, headers=headers)
    assert response.status_code == 403
    assert not default_storage.exists("uploads")


def test_a_ckeditor_upload_from_this_sites_editor_page_is_accepted_by_its_referer(client, editor):
    client.force_login(editor)
    upload = SimpleUploadedFile("x.png", image_bytes("PNG"))
    response = client.post(
        "/ckeditor/upload/?responseType=json",
        {"upload": upload},
        headers={"Referer": "http://testserver/admin/blog/post/add/"},
    )
    assert response.json()["uploaded"] == 1
