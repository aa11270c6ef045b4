from datetime import UTC, datetime
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
    assert "Posts:      4 new, 0 updated, 0 unchanged, 1 skipped" in output
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
    assert not Post.objects.filter(wordpress_id=70).exists()  # Private stays behind.
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


def test_importing_again_updates_instead_of_duplicating():
    import_wordpress(EXPORT, "--media-dir", MEDIA)
    image = Post.objects.get(wordpress_id=41).featured_image.name
    Post.objects.filter(wordpress_id=52).update(title="Changed here")
    output = import_wordpress(EXPORT, "--media-dir", MEDIA)
    assert "Posts:      0 new, 1 updated, 3 unchanged, 1 skipped" in output
    assert Post.objects.count() == 4
    assert get_user_model().objects.count() == 2
    assert FlatPage.objects.count() == 1
    assert Post.objects.get(wordpress_id=52).title.startswith("Neck stretches")
    assert Post.objects.get(wordpress_id=41).featured_image.name == image


def test_a_dry_run_reports_and_saves_nothing():
    output = import_wordpress(EXPORT, "--media-dir", MEDIA, "--dry-run")
    assert "Posts:      4 new" in output
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
