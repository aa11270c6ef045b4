"""WordPress's own Theme Unit Test exports (tests/data/wordpress/README.md), imported once.

Importing the two real exports takes a few seconds; the tests here only look at the result (or
import again, inside their own transaction), so the import is shared by the module (module_rows
in conftest.py). Tests that import into a prepared database are in test_import_wordpress.py.
"""

import re

import pytest
from django.contrib.flatpages.models import FlatPage

from blog.models import Category, Post

from .test_import_wordpress import BLOCKS, THEME_UNIT, import_wordpress, row_counts

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def imported(module_rows):
    """What each import printed; the imported rows are there for every test of the module."""
    return {export: import_wordpress(export) for export in (THEME_UNIT, BLOCKS)}


def test_both_real_exports_import_and_a_second_run_changes_nothing():
    before = row_counts()
    again = import_wordpress(THEME_UNIT) + import_wordpress(BLOCKS)
    assert row_counts() == before
    assert " 0 new, 0 updated" in again and "updated" not in again.replace("0 updated", "")


def test_every_public_address_of_the_real_exports_answers_and_nothing_hidden_leaks(client):
    from taggit.models import Tag

    for post in Post.objects.published():
        assert client.get(post.get_absolute_url()).status_code == 200, post.slug
    for page in FlatPage.objects.filter(registration_required=False):
        assert client.get(page.get_absolute_url()).status_code == 200, page.url
    for category in Category.objects.all():
        assert client.get(category.get_absolute_url()).status_code == 200, category.slug
    for tag in Tag.objects.all():
        assert client.get(f"/tag/{tag.slug}/").status_code == 200, tag.slug
    password_protected = Post.objects.get(wordpress_id=1168)
    assert password_protected.status == Post.Status.DRAFT
    assert client.get(password_protected.get_absolute_url()).status_code == 404
    assert client.get("/?p=1168").status_code == 404
    assert "password" not in client.get("/sitemap-posts.xml").content.decode().lower()


def test_the_theme_unit_export_keeps_brackets_pre_blocks_and_category_hierarchy(imported):
    output = imported[THEME_UNIT]
    assert "password-protected → a draft" in output
    assert "approved comment(s)" in output
    body = Post.objects.get(wordpress_id=1175).body  # Its <pre> holds a very long line.
    source = THEME_UNIT.read_text()
    for pre in re.findall(r"<pre\b.*?</pre>", body, re.DOTALL):
        inner = re.sub(r"^<pre[^>]*>|</pre>$", "", pre)
        assert inner in source
    child = Category.objects.get(slug="child-2")
    assert child.parent.slug == "child-1" and child.parent.parent.slug == "parent"
    assert Category.objects.filter(name="Foo A").count() == 2
    gallery = Post.objects.get(wordpress_id=555).body
    assert gallery.count("<img") >= 9 and "[gallery" not in gallery
    assert Post.objects.get(wordpress_id=1241).is_featured  # Sticky.


def test_old_wordpress_addresses_land_on_the_closest_page(client):
    sticky = Post.objects.get(wordpress_id=1241).get_absolute_url()
    expected = {
        "/?p=1241": sticky,
        "/2012/01/07/template-sticky/": sticky,
        "/2012/01/07/template-sticky/?utm_source=x": f"{sticky}?utm_source=x",
        "/2012/01/07/template-sticky/feed/": sticky,
        "/?feed=rss2": "/feed/",
        "/feed/rss2/": "/feed/",
        "/comments/feed/": "/feed/",
        "/category/parent/child-1/child-2/": "/category/child-2/",
        "/?cat=1043329": "/category/child-2/",
    }
    for old, new in expected.items():
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, new), old
    page = client.get("/?page_id=1813")
    assert page.status_code == 301
    assert client.get(page["Location"]).status_code == 200
    for archive in ("/2012/", "/2012/01/", "/2012/01/07/", "/author/themedemos/"):
        assert client.get(archive).status_code == 200, archive
    assert client.get("/?p=999999").status_code == 404


def test_greek_tags_and_pages_work_and_editors_can_use_unicode_slugs(client):
    from taggit.models import Tag

    greek = FlatPage.objects.get(title="Επίπεδο 3")
    assert greek.url == "/greek/επίπεδο-2/επίπεδο-3/"
    assert client.get(greek.get_absolute_url()).status_code == 200
    unicode_tags = [t for t in Tag.objects.all() if not t.slug.isascii()]
    for tag in unicode_tags:
        assert client.get(f"/tag/{tag.slug}/").status_code == 200


def test_a_post_in_several_categories_is_listed_in_each_of_them(client):
    post = Post.objects.get(wordpress_id=358)  # "Post Format: Standard": Classic, Post Formats.
    assert post.category.slug == "classic"
    assert [c.slug for c in post.other_categories.all()] == ["post-formats"]
    for category in ("classic", "post-formats"):
        pages, number = "", 1
        while (response := client.get(f"/category/{category}/?page={number}")).status_code == 200:
            pages, number = pages + response.content.decode(), number + 1
        assert post.get_absolute_url() in pages, category
        assert post.title in client.get(f"/category/{category}/feed/").content.decode()
    article = client.get(post.get_absolute_url()).content.decode()
    assert 'Also in <a href="/category/post-formats/">Post Formats</a>' in article
    counts = {c.slug: c.post_count for c in Category.objects.with_public_posts()}
    assert (
        counts["post-formats"]
        == Post.objects.published().in_category(Category.objects.get(slug="post-formats")).count()
        > 1
    )


def test_footnotes_of_the_block_editor_are_kept_and_linked(client):
    post = Post.objects.get(wordpress_id=75)
    page = client.get(post.get_absolute_url()).content.decode()
    assert '<a href="#aa484441-9ea2-470c-a0a3-218ede0c6b05" id="aa484441' in page
    note = '<li id="aa484441-9ea2-470c-a0a3-218ede0c6b05">A note <a href="#aa484441'
    assert note in page
    assert "Another note" in page


def test_imported_articles_fall_due_for_a_first_review_a_few_a_week():
    from datetime import timedelta

    from django.utils import timezone

    from blog.models import REVIEW_SPREAD_WEEKS

    today = timezone.localdate()
    due = list(Post.objects.values_list("next_review_on", flat=True))
    assert None not in due
    assert all(today <= day <= today + timedelta(weeks=REVIEW_SPREAD_WEEKS) for day in due)
    weeks = {(day - today).days // 7 for day in due}
    assert len(weeks) > REVIEW_SPREAD_WEEKS // 2  # Spread out, not all this week.
    # Nobody reviewed them here: no article claims a medical review.
    assert not Post.objects.exclude(last_reviewed=None).exists()
