import re
import socket
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.flatpages.models import FlatPage
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from blog import renditions
from blog.models import Category, Post

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).parent / "data" / "wordpress"
EXPORT = SAMPLE / "export.xml"
MEDIA = SAMPLE / "uploads"


def import_wordpress(*args):
    out = StringIO()
    call_command("import_wordpress", *map(str, args), stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_sample_export_is_imported_with_slugs_dates_and_categories():
    output = import_wordpress(EXPORT, "--media-dir", MEDIA)
    assert "Posts:      5 new, 0 updated, 0 unchanged" in output
    assert "private → a draft" in output
    assert "Pages:      1 new" in output

    desk = Post.objects.get(slug="desk-setup-for-a-happy-back")
    assert desk.is_published
    assert desk.published_at == datetime(2024, 3, 5, 9, 30, tzinfo=UTC)
    assert desk.created_at == desk.published_at
    assert desk.category.name == "Lower Back Pain"
    assert sorted(desk.tags.names()) == ["desk work", "posture"]
    assert desk.excerpt.startswith("Five small changes")
    assert desk.author.get_full_name() == "Maria Lopez"
    assert desk.author.groups.filter(name="Author").exists()
    assert not desk.author.has_usable_password()

    neck = Post.objects.get(slug="neck-stretches-at-your-desk")
    assert neck.title == "Neck stretches you can do at your desk – in under five minutes"
    assert neck.category.slug == "neck-pain"

    draft = Post.objects.get(wordpress_id=60)
    assert draft.status == Post.Status.DRAFT
    assert draft.slug == "sleeping-positions-for-sciatica"
    assert draft.published_at is None
    assert Post.objects.get(slug="is-it-safe-to-crack-your-neck").is_scheduled
    assert Post.objects.get(wordpress_id=70).status == Post.Status.DRAFT  # Private stays hidden.
    assert set(Category.objects.values_list("slug", flat=True)) >= {"lower-back-pain", "neck-pain"}
    assert FlatPage.objects.get(url="/about-us/").title == "About Back & Neck"


def test_imported_html_is_clean():
    import_wordpress(EXPORT, "--media-dir", MEDIA)
    desk = Post.objects.get(slug="desk-setup-for-a-happy-back").body
    assert "wp:" not in desk
    assert "<script" not in desk and "tracker.example" not in desk
    assert "onclick" not in desk
    assert "srcset" not in desk
    assert "<figcaption>Screen at eye level" in desk

    neck = Post.objects.get(slug="neck-stretches-at-your-desk").body
    assert neck.startswith("<p>If your neck feels stiff")
    assert "<h2>1. Chin tucks</h2>" in neck  # <h1> demoted: the title is the page's <h1>.
    assert "as if making a double chin.<br>Hold for five seconds" in neck
    assert "<figcaption>A chin tuck: the head moves back, not down.</figcaption>" in neck
    assert "[caption" not in neck and "[gallery" not in neck
    assert "<p><strong>Tip:</strong> set a reminder every hour.</p>" in neck

    about = FlatPage.objects.get(url="/about-us/").content
    assert about.startswith("<p>We are physiotherapists")


def test_images_found_in_the_media_folder_are_imported_with_renditions():
    output = import_wordpress(EXPORT, "--media-dir", MEDIA)
    desk = Post.objects.get(slug="desk-setup-for-a-happy-back")
    assert desk.featured_image_alt.startswith("A desk with the monitor raised")
    assert (desk.featured_image_width, desk.featured_image_height) == (1280, 720)
    assert default_storage.exists(renditions.rendition_name(desk.featured_image.name, 800, "webp"))
    assert 'src="/media/uploads/wordpress/2024/03/desk-setup-1024x576.jpg"' in desk.body
    neck = Post.objects.get(slug="neck-stretches-at-your-desk")
    assert 'src="/media/uploads/wordpress/2024/03/chin-tuck.jpg"' in neck.body
    # The one missing image is reported and keeps its old address.
    assert "1 image(s) not found in --media-dir" in output
    assert "https://backandneck.com/wp-content/uploads/2019/06/old-diagram.png" in neck.body


def test_importing_again_keeps_what_an_editor_changed_and_duplicates_nothing():
    import_wordpress(EXPORT, "--media-dir", MEDIA)
    image = Post.objects.get(wordpress_id=41).featured_image.name
    Post.objects.filter(wordpress_id=52).update(title="Changed here")
    output = import_wordpress(EXPORT, "--media-dir", MEDIA)
    assert "Posts:      0 new, 0 updated, 5 unchanged" in output
    assert "Changed here since the last import, so left as they are" in output
    assert Post.objects.count() == 5
    assert get_user_model().objects.count() == 2
    assert FlatPage.objects.count() == 1
    assert Post.objects.get(wordpress_id=52).title == "Changed here"
    assert Post.objects.get(wordpress_id=41).featured_image.name == image


def test_a_dry_run_reports_and_saves_nothing():
    output = import_wordpress(EXPORT, "--media-dir", MEDIA, "--dry-run")
    assert "Posts:      5 new" in output
    assert "Dry run: nothing was saved." in output
    assert not Post.objects.exists()
    assert not Category.objects.exists()
    assert not default_storage.exists("posts")
    assert not default_storage.exists("uploads")


def test_an_old_permalink_that_differs_redirects_to_the_new_address(client, tmp_path):
    export = tmp_path / "export.xml"
    export.write_text(
        EXPORT.read_text().replace(
            "<link>https://backandneck.com/neck-stretches-at-your-desk/</link>",
            "<link>https://backandneck.com/2023/12/neck-stretches-at-your-desk/</link>",
        )
    )
    import_wordpress(export)
    response = client.get("/2023/12/neck-stretches-at-your-desk/")
    assert response.status_code == 301
    assert response["Location"] == "/neck-stretches-at-your-desk/"


HOSTILE = {
    "billion laughs": """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<rss><channel><title>&lol3;</title></channel></rss>""",
    "external entity": """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss><channel><title>&xxe;</title></channel></rss>""",
}


@pytest.mark.parametrize("kind", HOSTILE)
def test_hostile_xml_is_refused_and_nothing_is_imported(tmp_path, kind):
    export = tmp_path / "export.xml"
    export.write_text(HOSTILE[kind])
    with pytest.raises(CommandError, match="declares a DTD or entities"):
        import_wordpress(export)
    assert not Post.objects.exists()


def test_a_truncated_file_is_refused_with_the_line_it_breaks_on(tmp_path):
    export = tmp_path / "export.xml"
    export.write_text(EXPORT.read_text()[:5000])
    with pytest.raises(CommandError, match="not well-formed XML .*line"):
        import_wordpress(export)
    assert not Post.objects.exists()


def test_a_file_that_is_not_a_wordpress_export_is_refused(tmp_path):
    export = tmp_path / "feed.xml"
    export.write_text("<rss><channel><title>Some feed</title></channel></rss>")
    with pytest.raises(CommandError, match="not a WordPress export"):
        import_wordpress(export)


def test_a_failure_half_way_leaves_nothing_imported(monkeypatch, settings):
    def fail(self, item):
        raise OSError("disk full")

    # Pages come after the posts: by then posts, authors and images have been saved.
    monkeypatch.setattr("blog.wordpress.Importer.import_page", fail)
    with pytest.raises(CommandError, match="Import stopped, nothing was saved: disk full"):
        import_wordpress(EXPORT, "--media-dir", MEDIA)
    assert not Post.objects.exists()
    assert not Category.objects.exists()
    assert not get_user_model().objects.exists()
    assert [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()] == []


# WordPress's own Theme Unit Test exports (tests/data/wordpress/README.md)

THEME_UNIT = SAMPLE / "themeunittestdata.wordpress.xml"
BLOCKS = SAMPLE / "64-block-test-data.xml"


def row_counts():
    from django.contrib.redirects.models import Redirect
    from taggit.models import Tag

    from blog.models import ImportedItem

    return {
        model.__name__: model.objects.count()
        for model in (Post, Post.history.model, FlatPage, Category, Tag, Redirect, ImportedItem)
    }


def test_text_in_square_brackets_survives_and_pre_stays_byte_for_byte():
    from blog.wordpress_content import content_to_html

    text = "[Update March 2024: see below] Walk daily [citation needed]. Array a[i]."
    pre = "<pre>  def f():\n\n      return a[i]  # [gallery]\n</pre>"
    converted = content_to_html(f"{text}\n\n{pre}").html
    assert text in converted
    assert pre in converted


def test_an_import_never_overwrites_an_editors_article_or_page(make_user):
    editor = make_user("Editor")
    category = Category.objects.create(name="Neck", slug="neck")
    mine = Post.objects.create(
        title="Mine", slug="template-sticky", body="<p>Reviewed words</p>", author=editor,
        category=category, status=Post.Status.RELEASED,
    )  # fmt: skip
    about = FlatPage.objects.create(url="/about/", title="About us", content="Ours")
    output = import_wordpress(THEME_UNIT)
    mine.refresh_from_db()
    about.refresh_from_db()
    assert (mine.title, mine.body) == ("Mine", "<p>Reviewed words</p>")
    assert (about.title, about.content) == ("About us", "Ours")
    assert "/template-sticky/ is already the article “Mine”" in output
    assert "/about/ is already the page “About us”" in output
    assert Post.objects.get(wordpress_id=1241).slug == "template-sticky-2"


def test_an_item_without_an_id_is_named_and_the_rest_imported(tmp_path):
    export = tmp_path / "export.xml"
    export.write_text(
        THEME_UNIT.read_text().replace("<wp:post_id>1241</wp:post_id>", "", 1), encoding="utf-8"
    )
    output = import_wordpress(export)
    assert "“Template: Sticky” (item" in output and "no WordPress id" in output
    assert Post.objects.filter(wordpress_id=1175).exists()


def test_an_invalid_wxr_version_is_refused(tmp_path):
    export = tmp_path / "export.xml"
    export.write_text(
        BLOCKS.read_text().replace("<wp:wxr_version>1.2<", "<wp:wxr_version>7.0<"),
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="WXR version “7.0”"):
        import_wordpress(export)


def test_an_seo_plugins_primary_category_becomes_the_main_one(tmp_path):
    source = THEME_UNIT.read_text()
    term_id = re.search(
        r"<wp:term_id>(\d+)</wp:term_id>\s*<wp:category_nicename>post-formats<", source
    ).group(1)
    export = tmp_path / "export.xml"
    primary = (
        "<wp:postmeta><wp:meta_key>_yoast_wpseo_primary_category</wp:meta_key>"
        f"<wp:meta_value>{term_id}</wp:meta_value></wp:postmeta>"
    )
    export.write_text(
        source.replace("<wp:post_id>358</wp:post_id>", f"<wp:post_id>358</wp:post_id>{primary}"),
        encoding="utf-8",
    )
    import_wordpress(export)
    post = Post.objects.get(wordpress_id=358)
    assert post.category.slug == "post-formats"
    assert [c.slug for c in post.other_categories.all()] == ["classic"]


def test_an_author_whose_login_is_taken_by_someone_else_gets_an_account_beside_it():
    site_admin = get_user_model().objects.create_superuser(
        "themedemos", "owner@backandneck.example", "x"
    )
    output = import_wordpress(THEME_UNIT)
    assert "WordPress author “themedemos” is not this site's account “themedemos”" in output
    assert not site_admin.posts.exists()
    imported = get_user_model().objects.get(username="themedemos-wordpress")
    assert imported.email == "themeshaperwp+demos@gmail.com"
    assert not imported.is_superuser and imported.posts.exists()
    import_wordpress(THEME_UNIT)
    assert get_user_model().objects.filter(username__startswith="themedemos").count() == 2
    assert not site_admin.posts.exists()


class OldSite(BaseHTTPRequestHandler):
    """The old WordPress site, serving its wp-content/uploads from the sample's folder."""

    def do_GET(self):
        self.server.requests.append(self.path)
        relative = self.path.split("?")[0].removeprefix("/wp-content/uploads/")
        path = MEDIA / relative
        if self.path.startswith("/wp-content/uploads/") and path.is_file():
            body = path.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "image/jpeg")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_error(404)

    def log_message(self, *args):
        pass


@pytest.fixture
def old_site(monkeypatch):
    """backandneck.com (the sample export's old site) at a public address, served here."""
    from blog import outbound

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), OldSite)
    httpd.requests, httpd.dialled = [], []
    threading.Thread(target=httpd.serve_forever, args=(0.01,), daemon=True).start()
    dns = {"backandneck.com": ["93.184.216.34"], "gone.example": ["93.184.216.35"]}

    def resolve(host, port):
        if host not in dns:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return dns[host]

    def open_socket(address, port, timeout):
        httpd.dialled.append(address)
        if address != "93.184.216.34":
            raise ConnectionRefusedError("connection refused")
        return socket.create_connection(("127.0.0.1", httpd.server_port), timeout)

    monkeypatch.setattr(outbound, "resolve", resolve)
    monkeypatch.setattr(outbound, "open_socket", open_socket)
    monkeypatch.setattr("blog.outbound.DEFAULT_PORTS", {"http": 80, "https": 80})
    monkeypatch.setattr(outbound.PinnedConnection, "connect", plain_connect)
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def plain_connect(connection):
    """The fake old site speaks plain HTTP, also for https:// addresses."""
    from blog import outbound

    connection.sock = outbound.open_socket(connection.address, connection.port, connection.timeout)


def test_images_are_downloaded_from_the_old_site_when_asked(old_site):
    output = import_wordpress(EXPORT, "--download-images")
    desk = Post.objects.get(slug="desk-setup-for-a-happy-back")
    assert (desk.featured_image_width, desk.featured_image_height) == (1280, 720)
    assert 'src="/media/uploads/wordpress/2024/03/desk-setup-1024x576.jpg"' in desk.body
    neck = Post.objects.get(slug="neck-stretches-at-your-desk")
    assert 'src="/media/uploads/wordpress/2024/03/chin-tuck.jpg"' in neck.body
    missing = "https://backandneck.com/wp-content/uploads/2019/06/old-diagram.png"
    assert missing in neck.body
    assert f"{missing}  — in" in output and "(download failed: HTTP 404)" in output
    assert "1 image(s) not found on the old site" in output
    assert all(path.startswith("/wp-content/uploads/") for path in old_site.requests)


def test_downloads_go_only_to_public_servers_and_stop_at_a_dead_host(
    old_site, tmp_path, monkeypatch
):
    monkeypatch.setattr("blog.wordpress.DOWNLOAD_GIVE_UP_AFTER", 2)
    uploads = "https://backandneck.com/wp-content/uploads/"
    text = EXPORT.read_text().replace(
        f"{uploads}2024/03/chin-tuck.jpg", "http://127.0.0.1:6379/wp-content/uploads/c.jpg"
    )
    export = tmp_path / "export.xml"
    export.write_text(text.replace(uploads, "http://gone.example/wp-content/uploads/"))
    output = import_wordpress(export, "--download-images")
    assert "127.0.0.1" not in old_site.dialled
    assert "c.jpg  — in" in output and "port 6379: only http's usual port" in output
    assert old_site.dialled.count("93.184.216.35") == 2
    assert "(download failed: connection refused)" in output
    assert "(download failed: gone.example did not answer earlier)" in output
    assert "Import finished." in output


def test_markup_hidden_in_imported_titles_is_shown_as_text(client, tmp_path):
    # WordPress titles are HTML: an entity-encoded tag is text there, and must stay text here.
    hostile = "&lt;script src=/media/x.js&gt;&lt;/script&gt;&lt;meta http-equiv=refresh&gt;"
    text = EXPORT.read_text()
    text = text.replace("<![CDATA[A desk setup for a happy back]]>", f"<![CDATA[Desk {hostile}]]>")
    text = text.replace("<![CDATA[About Back &amp; Neck]]>", f"<![CDATA[About {hostile}]]>")
    export = tmp_path / "export.xml"
    export.write_text(text, encoding="utf-8")
    import_wordpress(export)
    post = Post.objects.get(wordpress_id=41)
    page = FlatPage.objects.get(url="/about-us/")
    assert "<script" in post.title and "<script" in page.title  # Kept as the words they were.
    for url in (post.get_absolute_url(), page.url, "/", "/feed/"):
        html = client.get(url).content.decode()
        assert "<script src=/media" not in html and "<meta http-equiv=refresh" not in html, url
        assert "&lt;script src=/media/x.js&gt;" in html or "&amp;lt;script" in html, url
