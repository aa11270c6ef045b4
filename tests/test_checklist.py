"""Each pre-publish checklist rule, with content that passes and content that fails."""

from datetime import date, timedelta

import pytest
from django.contrib.flatpages.models import FlatPage
from django.contrib.redirects.models import Redirect
from django.utils import timezone

from blog import checklist as checks
from blog.checklist import Level, Outline, SiteLinks
from blog.models import Category, Post


def levels(results):
    return [check.level for check in results]


def messages(results):
    return " ".join(check.message for check in results)


# Alt text


def test_images_with_descriptions_pass_the_alt_text_rule():
    outline = Outline('<p><img src="/media/a.jpg" alt="A woman stretching her neck"></p>')
    assert levels(checks.alt_text(outline, featured_image_alt="A desk by a window")) == [Level.PASS]


@pytest.mark.parametrize(
    "img",
    [
        '<img src="/media/uploads/neck.jpg">',
        '<img src="/media/uploads/neck.jpg" alt="">',
        '<img src="/media/uploads/neck.jpg" alt="   ">',
        '<img src="/media/uploads/neck.jpg" alt="neck.jpg">',
        '<img src="/media/uploads/IMG_2041.jpeg" alt="IMG_2041">',
        '<img src="/media/uploads/x.png" alt="DSC-0042">',
    ],
)
def test_images_without_meaningful_alt_text_are_errors(img):
    result = checks.alt_text(Outline(f"<p>{img}</p>"))
    assert levels(result) == [Level.ERROR]
    assert "neck.jpg" in messages(result) or "alt text" in messages(result).lower()


def test_a_featured_image_without_alt_text_is_an_error():
    result = checks.alt_text(Outline("<p>Text</p>"), featured_image_alt="")
    assert levels(result) == [Level.ERROR]
    assert "featured image" in messages(result)


# Headings


def test_headings_starting_at_h2_without_jumps_pass():
    outline = Outline("<h2>Causes</h2><h3>Discs</h3><h3>Nerves</h3><h2>Treatment</h2><h3>Rest</h3>")
    assert levels(checks.heading_order(outline)) == [Level.PASS]


def test_an_h1_in_an_article_body_is_an_error_because_the_title_is_the_h1():
    result = checks.heading_order(Outline("<h1>My article</h1><h2>Causes</h2>"))
    assert levels(result) == [Level.ERROR]
    assert "Heading 1" in messages(result)


@pytest.mark.parametrize(
    ("html", "skipped"),
    [
        ("<h2>Causes</h2><h4>Discs</h4>", "h4 after an h2"),
        ("<h3>Straight to h3</h3>", "h3 after an h1"),
    ],
)
def test_skipping_a_heading_level_is_an_error(html, skipped):
    result = checks.heading_order(Outline(html))
    assert levels(result) == [Level.ERROR]
    assert skipped in messages(result)


def test_a_whole_page_needs_exactly_one_h1():
    assert levels(checks.heading_order(Outline("<h1>News</h1><h2>A</h2>"), False)) == [Level.PASS]
    assert levels(checks.heading_order(Outline("<h2>No h1</h2>"), False)) == [Level.ERROR]
    two = checks.heading_order(Outline("<h1>One</h1><h1>Two</h1>"), page_has_h1=False)
    assert "2 h1 headings" in messages(two)


# Search engine title and description


def test_a_title_search_engines_show_in_full_passes():
    assert levels(checks.title_length("Sciatica: causes and what helps")) == [Level.PASS]


def test_a_title_longer_than_search_results_show_is_a_warning():
    result = checks.title_length("x" * 61)
    assert levels(result) == [Level.WARNING]
    assert "61" in messages(result)


def test_a_description_of_search_result_length_passes():
    assert levels(checks.description_length("d" * 120)) == [Level.PASS]


@pytest.mark.parametrize("description", ["", "Too short.", "d" * 161])
def test_a_missing_short_or_overlong_description_is_a_warning(description):
    assert levels(checks.description_length(description)) == [Level.WARNING]


# Links


@pytest.fixture
def site_content(make_post, make_category, make_author_profile):
    make_post(slug="public-article")
    make_post(slug="draft-article", status=Post.Status.DRAFT)
    make_post(slug="scheduled-article", published_at=timezone.now() + timedelta(days=2))
    make_category(slug="neck-pain")
    make_author_profile(slug="maya")
    FlatPage.objects.create(url="/about/", title="About")


@pytest.mark.django_db
def test_links_to_public_pages_and_well_formed_addresses_pass(site_content):
    urls = [
        "/public-article/",
        "/public-article",  # APPEND_SLASH redirects.
        "http://127.0.0.1:8000/public-article/#causes",
        "/category/neck-pain/",
        "/author/maya/",
        "/about/",
        "/articles/?page=2",
        "#section",
        "https://www.nhs.uk/conditions/back-pain/",
        "mailto:hello@backandneck.com",
        "tel:+44 20 7946 0000",
    ]
    result = checks.link_targets(urls, SiteLinks())
    assert levels(result) == [Level.PASS]
    assert "7 internal links" in messages(result) and "3 external links" in messages(result)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("/draft-article/", "draft"),
        ("/no-such-article/", "not an article"),
        ("/category/no-such-topic/", "not a page"),
        ("/author/nobody/", "not a page"),
        ("/a/b/c/", "not a page"),
        ("/media/uploads/missing.pdf", "not an uploaded file"),
    ],
)
def test_internal_links_to_drafts_or_missing_pages_are_errors(site_content, url, problem):
    result = checks.link_targets([url], SiteLinks())
    assert levels(result) == [Level.ERROR]
    assert problem in messages(result)


@pytest.mark.django_db
def test_a_link_to_a_scheduled_article_is_a_warning(site_content):
    result = checks.link_targets(["/scheduled-article/"], SiteLinks())
    assert levels(result) == [Level.WARNING]
    assert "not public until" in messages(result)


@pytest.mark.django_db
def test_a_link_to_a_renamed_article_is_a_warning_naming_its_new_address(site_content):
    post = Post.objects.get(slug="public-article")
    post.slug = "a-better-name"
    post.save()
    for url in ["/public-article/", "http://127.0.0.1:8000/public-article/", "/public-article"]:
        result = checks.link_targets([url], SiteLinks())
        assert levels(result) == [Level.WARNING], url
        assert messages(result) == (
            "/public-article/ links to an old address that redirects to /a-better-name/; "
            "update the link."
        )


@pytest.mark.django_db
def test_a_link_to_a_renamed_category_is_a_warning(site_content):
    category = Category.objects.get(slug="neck-pain")
    category.slug = "neck-and-shoulders"
    category.save()
    result = checks.link_targets(["/category/neck-pain/"], SiteLinks())
    assert levels(result) == [Level.WARNING]
    assert "redirects to /category/neck-and-shoulders/" in messages(result)


@pytest.mark.django_db
def test_a_link_to_an_old_wordpress_address_that_redirects_is_a_warning(site_content):
    Redirect.objects.create(site_id=1, old_path="/2019/05/neck/", new_path="/public-article/")
    result = checks.link_targets(["/2019/05/neck/"], SiteLinks())
    assert levels(result) == [Level.WARNING]
    assert "redirects to /public-article/" in messages(result)


@pytest.mark.django_db
def test_a_link_to_a_deleted_article_is_an_error(site_content):
    Post.objects.get(slug="public-article").delete()
    result = checks.link_targets(["/public-article/"], SiteLinks())
    assert levels(result) == [Level.ERROR]
    assert messages(result) == "/public-article/ links to an article that was deleted (410 Gone)."


@pytest.mark.django_db
def test_a_redirect_to_an_article_that_is_a_draft_again_is_an_error(site_content):
    post = Post.objects.get(slug="public-article")
    post.slug = "renamed"
    post.save()
    post.status = Post.Status.DRAFT
    post.save()
    result = checks.link_targets(["/public-article/"], SiteLinks())
    assert levels(result) == [Level.ERROR]
    assert "redirects to /renamed/, which has a problem: /renamed/ links to a draft" in messages(
        result
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("www.nhs.uk/conditions", "has no https://"),
        ("https://exa mple.com/", "not a valid address"),
        ("https://", "not a valid address"),
        ("mailto:not-an-email", "not a valid address"),
        ("ftp://files.example.com/x", "not a web, email or phone link"),
    ],
)
def test_malformed_external_links_are_errors(url, problem):
    result = checks.link_targets([url], SiteLinks())
    assert levels(result) == [Level.ERROR]
    assert problem in messages(result)


@pytest.mark.django_db
def test_link_checks_cost_a_few_queries_however_many_links(
    site_content, django_assert_max_num_queries
):
    site = SiteLinks()
    # Posts, pages, redirects, and the four kinds of slug: loaded once, not once per link.
    with django_assert_max_num_queries(7):
        for n in range(50):
            checks.link_targets([f"/public-article/?n={n}", "/category/neck-pain/", "/x/"], site)


# Sources and citations


def test_citations_matching_the_sources_pass():
    assert levels(checks.citations("<p>Yoga helps [1, 2].</p>", source_count=2)) == [Level.PASS]


def test_a_citation_without_a_matching_source_is_a_warning():
    result = checks.citations("<p>Yoga helps [1] [3].</p>", source_count=2)
    assert levels(result) == [Level.WARNING]
    assert "[3]" in messages(result)


def test_an_article_without_sources_gets_a_warning():
    assert levels(checks.citations("<p>Trust me.</p>", source_count=0)) == [Level.WARNING]


# Medical review


@pytest.mark.django_db
def test_a_current_medical_review_passes(make_post, make_reviewer):
    post = make_post(reviewed_by=make_reviewer(), last_reviewed=date.today())
    assert levels(checks.medical_review(post)) == [Level.PASS]


@pytest.mark.django_db
def test_a_missing_or_overdue_medical_review_is_a_warning(make_post, make_reviewer):
    assert levels(checks.medical_review(make_post())) == [Level.WARNING]
    overdue = make_post(reviewed_by=make_reviewer(), last_reviewed=date(2020, 1, 1))
    assert "was due on 1 January 2021" in messages(checks.medical_review(overdue))


# Reading level


def test_length_and_reading_ease_are_shown_for_information():
    outline = Outline("<h2>Rest</h2><p>" + "Rest your back. Walk a bit each day. " * 60 + "</p>")
    result = checks.reading_level(outline)
    assert levels(result) == [Level.INFO]
    assert "481 words, about 3 min to read" in messages(result)
    assert "(very easy)" in messages(result)


def test_dense_clinical_prose_reads_as_difficult():
    text = (
        "Lumbosacral radiculopathy secondary to intervertebral disc herniation frequently "
        "demonstrates spontaneous resolution, notwithstanding considerable interindividual "
        "variability in symptomatic presentation and neurological deficit."
    )
    assert "very difficult" in messages(checks.reading_level(Outline(f"<p>{text}</p>")))


# A whole post


@pytest.mark.django_db
def test_a_well_made_post_is_ready(make_post, make_reviewer):
    post = make_post(
        title="Heat or ice for back pain",
        excerpt="When to reach for a hot water bottle and when an ice pack helps more, explained.",
        body="<h2>Heat</h2><p>Warmth relaxes muscles [1].</p>",
        reviewed_by=make_reviewer(),
        last_reviewed=date.today(),
    )
    post.references.create(title="Superficial heat or cold for low back pain")
    checklist = checks.check_post(post)
    assert checklist.ready
    assert checklist.summary == "Ready"


@pytest.mark.django_db
def test_a_post_with_problems_is_not_ready_and_says_why(make_post):
    post = make_post()
    # As typed in the form: saving would sanitise the h1 away without telling anyone.
    post.body = '<h1>Rest again</h1><p><img src="/m/a.png" alt="a.png"></p>'
    checklist = checks.check_post(post)
    assert not checklist.ready
    assert checklist.summary == "2 errors, 3 warnings"


# Reading level against the site's target

DENSE = (
    "Lumbosacral radiculopathy secondary to intervertebral disc herniation frequently "
    "demonstrates spontaneous resolution, notwithstanding considerable interindividual "
    "variability in symptomatic presentation and neurological deficit."
)


@pytest.mark.django_db
def test_the_checklist_gives_the_grade_and_reading_age_against_the_sites_target(make_post):
    post = make_post(body="<p>Rest your back. Walk a bit each day.</p>")
    text = messages(checks.check_post(post).checks)
    assert "school grade" in text and "(reading age " in text
    assert "the target is grade 6–8" in text
    assert "above the target" not in text


@pytest.mark.django_db
def test_an_article_above_the_target_grade_gets_a_warning(make_post):
    result = checks.check_post(make_post(body=f"<p>{DENSE}</p>"))
    assert "is above the target of 6–8 (reading age 11–13)" in messages(result.warnings)


@pytest.mark.django_db
def test_editors_set_the_target_grade_in_the_site_settings(make_post):
    from siteconfig.models import SiteSettings

    text = "Walk a little each day and keep moving, even when you feel stiff."
    post = make_post(body=f"<p>{text}</p>")
    assert "above the target" not in messages(checks.check_post(post).checks)  # Grade 4.
    site_settings = SiteSettings.load()
    site_settings.reading_grade_min, site_settings.reading_grade_max = 2, 3
    site_settings.save()
    result = checks.check_post(post)
    assert "the target is grade 2–3" in messages(result.checks)
    assert "is above the target of 2–3 (reading age 7–8)" in messages(result.warnings)


def test_sentences_over_25_words_are_flagged_with_their_first_words():
    long = " ".join(["word"] * 26) + "."
    short = " ".join(["word"] * 25) + "."
    result = checks.reading_level(Outline(f"<p>Begin {long} {short}</p><li>{long}</li>"))
    assert "2 sentences over 25 words: “Begin word word word word word word word…”" in messages(
        result
    )
    assert "1 sentence over" in messages(checks.reading_level(Outline(f"<p>{long} {short}</p>")))


def test_a_clinical_term_with_a_plainer_search_synonym_is_flagged_with_the_lay_word():
    groups = [(("herniated", "disc"), ("slipped", "disc")), (("back", "pain"), ("lumbago",))]
    outline = Outline("<p>A herniated disc can press on a nerve. Lumbago is common.</p>")
    found = messages(checks.reading_level(outline, synonym_groups=groups))
    assert "“herniated disc” → “slipped disc”" in found
    assert "“lumbago” → “back pain”" in found
    plain = messages(checks.reading_level(Outline("<p>A slipped disc.</p>"), synonym_groups=groups))
    assert "Everyday words" not in plain


@pytest.mark.django_db
def test_the_checklist_suggests_lay_words_from_the_search_synonyms(make_post):
    from search.models import Synonym

    Synonym.objects.create(phrases="sciatica\nleg pain from the back")
    Synonym.objects.create(phrases="slipped disc\nherniated disc")
    result = checks.check_post(make_post(body="<p>A herniated disc may heal.</p>"))
    assert "“herniated disc” → “slipped disc”" in messages(result.warnings)


def test_the_site_settings_refuse_a_target_range_upside_down():
    from django.core.exceptions import ValidationError

    from siteconfig.models import SiteSettings

    with pytest.raises(ValidationError):
        SiteSettings(reading_grade_min=9, reading_grade_max=6).clean()
