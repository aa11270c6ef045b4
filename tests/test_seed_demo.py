import functools
import re
from io import StringIO
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.core.management import call_command
from django.test import override_settings
from django.utils.html import escape, strip_tags
from taggit.models import Tag

from backandneck.management.commands import seed_demo
from blog.demo.content import ARTICLES, PAGES
from blog.models import Category, Post, Reference
from people.models import AuthorProfile, Reviewer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("skip_renditions")]

STRESS_SLUG = "stress-management-techniques-for-soothing-back-pain"

# Drawing the sixteen pictures takes most of a seed's time; they are the same every run.
remembered_image = functools.cache(seed_demo.abstract_image)


def run_seed():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo_site(module_rows, tmp_path_factory):
    """The demo, seeded once for the module as `make run` seeds it (DEBUG on): the tests only
    read it, or seed again as a second `make run` would."""
    media = tmp_path_factory.mktemp("demo-media")
    with pytest.MonkeyPatch.context() as patch, override_settings(DEBUG=True, MEDIA_ROOT=media):
        patch.setattr(seed_demo, "abstract_image", remembered_image)
        patch.setattr("blog.renditions.generate_renditions", lambda *args, **kwargs: 0)
        return SimpleNamespace(output=run_seed(), media=media)


@pytest.fixture
def seed(demo_site, settings, monkeypatch):
    """Run seed_demo again, over the seeded demo."""
    monkeypatch.setattr(seed_demo, "abstract_image", remembered_image)
    settings.MEDIA_ROOT = demo_site.media
    settings.DEBUG = True
    return run_seed


def row_counts():
    models = [Category, Post, Tag, FlatPage, get_user_model(), AuthorProfile, Reviewer, Reference]
    return {model.__name__: model.objects.count() for model in models}


def test_seed_demo_creates_a_dozen_public_articles_across_five_categories(demo_site):
    published = Post.objects.published()
    assert published.count() >= 12
    assert published.values("category").distinct().count() >= 5
    assert Post.objects.drafts().count() == 2
    assert Post.objects.scheduled().count() == 1
    assert Post.objects.filter(is_featured=True).count() == 1


def test_every_demo_article_has_a_landscape_image_with_alt_text(demo_site):
    # As stored: a post loaded without them would open its image file to measure it.
    stored = Post.objects.values_list("featured_image_width", "featured_image_height")
    assert set(stored) == {(1600, 900)}
    for post in Post.objects.all():
        assert (demo_site.media / post.featured_image.name).is_file()
        assert post.featured_image_alt.startswith("Illustration: ")


def test_running_seed_demo_twice_creates_nothing_twice(seed):
    before = row_counts()
    images = sorted(Post.objects.values_list("featured_image", flat=True))
    output = seed()
    assert row_counts() == before
    assert sorted(Post.objects.values_list("featured_image", flat=True)) == images
    assert (
        "Created 0 categories, 0 authors, 0 author profiles, 0 reviewers, 0 articles and 0 pages"
        in output
    )


def test_seed_demo_keeps_what_editors_changed(seed):
    Post.objects.filter(slug=STRESS_SLUG).update(title="Calm Your Back", is_featured=False)
    FlatPage.objects.filter(url="/about/").update(content="<p>Our own words.</p>")
    seed()
    assert Post.objects.get(slug=STRESS_SLUG).title == "Calm Your Back"
    assert FlatPage.objects.get(url="/about/").content == "<p>Our own words.</p>"


def test_stress_management_article_has_its_five_sections_in_order(demo_site):
    post = Post.objects.get(slug=STRESS_SLUG)
    headings = re.findall(r"<h2>(.*?)</h2>", post.body)
    expected = [
        "Mindfulness Meditation",
        "Progressive Muscle Relaxation",
        "Deep Breathing",
        "Guided Imagery",
        "Yoga and Gentle Stretching",
    ]
    assert [h for h in headings if h in expected] == expected
    assert post.title == "Stress Management Techniques for Soothing Back Pain"


def test_static_pages_exist_on_the_current_site(demo_site):
    site = Site.objects.get_current()
    for url in ["/about/", "/contact/", "/privacy-policy/", "/medical-disclaimer/"]:
        assert FlatPage.objects.filter(url=url, sites=site).exists()
    assert "hello@backandneck.com" in FlatPage.objects.get(url="/contact/").content


def test_writers_are_authors_who_cannot_log_in_until_given_a_password(demo_site):
    for post in Post.objects.select_related("author"):
        assert post.author.groups.filter(name="Author").exists()
        assert not post.author.has_usable_password()


def test_development_admin_login_is_an_editor(demo_site, client):
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser
    assert admin.groups.filter(name="Editor").exists()
    assert client.login(username="admin", password="admin")
    assert "admin / admin" in demo_site.output


def test_demo_articles_are_clean_html_of_a_sensible_length():
    for article in ARTICLES:
        body = article["body"]
        assert 400 <= len(strip_tags(body).split()) <= 900, article["slug"]
        assert not re.search(r"<h1|<script|style=", body), article["slug"]
        levels = [int(level) for level in re.findall(r"<h([2-6])", body)]
        assert levels[0] == 2, article["slug"]
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), article["slug"]


def test_demo_articles_only_link_to_articles_a_reader_can_open():
    public = {a["slug"] for a in ARTICLES if a.get("status") != "draft" and a["days_ago"] >= 0}
    for article in ARTICLES:
        if article["slug"] not in public:
            continue
        for slug in re.findall(r'href="/([^"/]+)/"', article["body"]):
            assert slug in public, f"{article['slug']} links to {slug}"


def test_demo_content_gives_search_both_lay_and_clinical_words():
    text = " ".join(strip_tags(a["body"]).lower() for a in ARTICLES)
    words = [
        "herniated disc", "slipped disc", "sciatica", "radiculopathy", "trapped nerve", "lumbar",
        "cervical", "torticollis", "stress relief", "neck stretches for desk work", "sitting",
        "posture", "relaxation",
    ]  # fmt: skip
    assert [word for word in words if word not in text] == []
    assert {page["url"] for page in PAGES} >= {"/about/", "/privacy-policy/"}


def test_demo_shows_medical_review_and_sources_on_most_articles(demo_site, client):
    assert Reviewer.objects.count() >= 2
    public = Post.objects.published()
    reviewed = public.filter(reviewed_by__isnull=False, references__isnull=False).distinct()
    assert reviewed.count() >= public.count() * 2 / 3
    # Something for the editors' review list and reminder email to show.
    assert Post.objects.review_due().exists()

    html = client.get(f"/{STRESS_SLUG}/").content.decode()
    assert "Medically reviewed by" in html
    assert '<h2 id="sources-title">Sources</h2>' in html
    assert 'href="#source-1"' in html


def test_demo_writers_have_public_profiles(demo_site, client):
    for profile in AuthorProfile.objects.all():
        response = client.get(profile.get_absolute_url())
        assert response.status_code == 200
        assert escape(profile.bio) in response.content.decode()


def test_every_demo_picture_shows_its_topic_and_no_two_are_alike():
    from blog.demo import motifs
    from blog.demo.content import ARTICLES

    assert all(article["motif"] in motifs.DESCRIPTIONS for article in ARTICLES)
    pictures = {remembered_image(a["palette"], a["slug"], a["motif"]) for a in ARTICLES}
    assert len(pictures) == len(ARTICLES)
    for article in ARTICLES:  # The alt text says what the picture shows.
        assert motifs.DESCRIPTIONS[article["motif"]] in article["image_alt"]


def test_every_demo_condition_article_has_the_red_flags(demo_site):
    from blog import checklist as checks
    from blog.models import CareCard

    emergency_level = CareCard.Level.EMERGENCY
    conditions = Post.objects.filter(category__needs_care_advice=True)
    assert conditions.count() >= 6
    assert set(Category.objects.filter(needs_care_advice=True).values_list("slug", flat=True)) == {
        "lower-back-pain",
        "neck-pain",
    }
    for post in conditions:
        assert checks.care_advice(post)[0].level == checks.Level.PASS, post.slug
        emergency = post.care_cards.get(level=emergency_level)
        assert len(emergency.item_list) >= 4
    back = Post.objects.get(slug="sciatica-causes-symptoms-and-what-helps")
    red_flags = " ".join(back.care_cards.get(level=emergency_level).item_list)
    for sign in ("between your legs", "bladder or bowels", "both legs", "serious fall", "fever"):
        assert sign in red_flags
    assert len(ARTICLES) > conditions.count()  # Other articles carry none.


def test_the_demo_shows_the_editors_tools(seed, client):
    from blog.models import ReviewerNote, Snippet

    assert set(Snippet.objects.values_list("slug", flat=True)) >= {
        "medical-disclaimer",
        "how-we-review",
        "disclosures",
    }
    waiting = Post.objects.awaiting_review().get()
    assert waiting.slug == "tech-neck-phones-laptops-and-your-neck"
    note = ReviewerNote.objects.get()
    assert note.quote and note.preview_link.is_active
    about = client.get("/about/").content.decode()
    assert "How we review our articles" in about and "[snippet" not in about
    seed()  # Again: nothing new.
    assert ReviewerNote.objects.count() == 1


def test_the_demo_library_credits_its_images_but_one_and_places_some_in_bodies(demo_site, client):
    from blog.demo import library
    from blog.media_library import LibraryImage

    uncredited = Post.objects.get(slug=library.UNCREDITED).featured_image.name
    assert list(LibraryImage.objects.needing_attention().values_list("file", flat=True)) == [
        uncredited
    ]
    assert LibraryImage.objects.count() == Post.objects.count() + len(library.BODY_IMAGES)
    assert LibraryImage.objects.filter(decorative=True, alt="").count() == 1
    desk = Post.objects.get(slug=library.BODY_IMAGES[0]["slug"])
    figure = LibraryImage.objects.get(title=library.BODY_IMAGES[0]["title"])
    assert figure.file.name in desk.body
    assert figure.caption in client.get(desk.get_absolute_url()).content.decode()


def test_the_demo_shows_statistics_sign_up_sources_and_newsletter_clicks(seed, client):
    from blog.models import ArticleDay
    from newsletter.models import Issue, LinkClick

    call_command("seed_demo_newsletter", stdout=StringIO())
    days = ArticleDay.objects.count()
    assert days > 12 * 20
    assert ArticleDay.objects.filter(sign_ups__gt=0).exists()
    assert Issue.objects.sent().get().link_clicks.count() >= 3
    # Again: nothing twice.
    seed()
    call_command("seed_demo_newsletter", stdout=StringIO())
    assert ArticleDay.objects.count() == days and LinkClick.objects.count() >= 3
    assert Issue.objects.count() == 1
    client.force_login(get_user_model().objects.get(username="admin"))
    assert "Most read this week" in client.get("/admin/").content.decode()
