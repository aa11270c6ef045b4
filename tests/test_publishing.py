from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from blog.models import Post

pytestmark = pytest.mark.django_db


def test_published_posts_whose_time_has_come_are_public(make_post):
    post = make_post()
    assert list(Post.objects.published()) == [post]


def test_drafts_are_never_public(make_post):
    make_post(status=Post.Status.DRAFT, published_at=timezone.now() - timedelta(days=1))
    assert not Post.objects.published().exists()


def test_scheduled_post_is_hidden_until_its_time(make_post):
    post = make_post(published_at=timezone.now() + timedelta(hours=2))
    assert not Post.objects.published().exists()
    assert list(Post.objects.scheduled()) == [post]
    Post.objects.filter(pk=post.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    assert list(Post.objects.published()) == [post]


def test_publishing_without_a_time_publishes_now(make_post):
    post = make_post(status=Post.Status.RELEASED, published_at=None)
    assert post.published_at is not None
    assert post.is_published


def test_slug_is_made_from_the_title_and_kept_unique(make_post):
    first = make_post(title="Neck Stretches for Desk Work", slug="")
    second = make_post(title="Neck Stretches for Desk Work", slug="")
    assert first.slug == "neck-stretches-for-desk-work"
    assert second.slug == "neck-stretches-for-desk-work-2"


def test_slug_never_takes_a_reserved_site_path(make_post):
    assert make_post(title="About", slug="").slug == "about-2"


def test_body_is_sanitised_on_save(make_post):
    post = make_post(
        body='<h2 onclick="x()">Tip</h2><script>alert(1)</script>'
        '<a href="javascript:alert(1)">bad</a><a href="https://nhs.uk">NHS</a>'
        '<img src="/media/a.jpg" alt="A" onerror="steal()"><iframe src="https://evil"></iframe>'
    )
    post.refresh_from_db()
    assert "<script" not in post.body
    assert "onclick" not in post.body and "onerror" not in post.body
    assert "javascript:" not in post.body
    assert "<iframe" not in post.body
    assert '<a href="https://nhs.uk" rel="noopener">NHS</a>' in post.body
    assert "<h2>Tip</h2>" in post.body
    assert '<img src="/media/a.jpg" alt="A">' in post.body


def test_article_markup_survives_sanitising(make_post):
    body = (
        "<h2>Section</h2><h3>Sub</h3><p><strong>b</strong> <em>i</em></p><ul><li>x</li></ul>"
        '<ol><li>y</li></ol><blockquote><p>q</p></blockquote><figure><img src="/m.jpg" '
        'alt="m"><figcaption>c</figcaption></figure><table><thead><tr><th>h</th></tr></thead>'
        "<tbody><tr><td>d</td></tr></tbody></table>"
    )
    assert make_post(body=body).body == body


def test_reading_time_follows_the_length_of_the_body(make_post):
    assert make_post(body="<p>" + "word " * 10 + "</p>").reading_minutes == 1
    assert make_post(body="<p>" + "word " * 1000 + "</p>").reading_minutes == 5


def test_featured_image_needs_alt_text(make_post, make_image):
    post = make_post(featured_image=make_image())
    assert post.featured_image_width == 1200
    with pytest.raises(ValidationError) as error:
        post.full_clean()
    assert "featured_image_alt" in error.value.message_dict


def test_related_posts_sharing_most_tags_come_first_then_the_category(make_post, make_category):
    spine = make_category()
    post = make_post(category=spine, tags=["posture", "desk", "sleep"])
    same_category = make_post(category=spine)
    one_tag = make_post(tags=["desk"])
    two_tags_older = make_post(
        tags=["desk", "sleep"], published_at=timezone.now() - timedelta(days=9)
    )
    two_tags_newer = make_post(tags=["posture", "sleep"])
    assert list(Post.objects.related_to(post)) == [two_tags_newer, two_tags_older, one_tag]
    assert list(Post.objects.related_to(post, limit=4))[-1] == same_category


def test_related_posts_share_category_or_tags(make_post, make_category):
    spine = make_category()
    post = make_post(category=spine, tags=["posture"])
    same_category = make_post(category=spine)
    shared_tag = make_post(tags=["posture"])
    unrelated = make_post(tags=["sleep"])
    draft = make_post(category=spine, status=Post.Status.DRAFT)
    related = list(Post.objects.related_to(post))
    assert set(related) == {same_category, shared_tag}
    assert unrelated not in related and draft not in related
