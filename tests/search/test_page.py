"""The search page at /search/, on whichever database the tests run."""

from datetime import timedelta

import pytest
from django.contrib.flatpages.models import FlatPage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from search.models import Recommendation, Synonym

pytestmark = pytest.mark.django_db


def test_results_show_title_category_date_and_a_highlighted_snippet(search, make_post, category):
    post = make_post(
        title="Desk stretches", category=category, body="<p>Five stretches for the desk.</p>"
    )
    response = search("stretches")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>1</strong> result for “stretches”" in html
    assert 'href="/desk-stretches/">Desk stretches</a>' in html
    assert "Lower Back Pain" in html
    assert post.published_at.strftime("%Y-%m-%d") in html
    assert "<mark>stretches</mark>" in html


def test_a_result_shows_the_articles_title_topic_and_date_as_they_are_now(
    search, make_post, category
):
    post = make_post(title="Desk stretches", category=category)
    assert "Desk stretches" in search("stretches").content.decode()
    post.title, post.slug = "Stretches at the desk", "stretches-at-the-desk"
    post.published_at -= timedelta(days=400)
    post.save()
    category.name = "Lower back"
    category.save()
    html = search("stretches").content.decode()
    assert 'href="/stretches-at-the-desk/">Stretches at the desk</a>' in html
    assert ">Lower back</a>" in html
    assert post.published_at.strftime("%Y-%m-%d") in html


def test_highlighting_never_lets_article_html_or_the_query_through(search, make_post):
    make_post(
        title="<script>alert('title')</script> Sciatica",
        body="<p>Sciatica &lt;img src=x onerror=alert(1)&gt; and more sciatica.</p>",
    )
    html = search("<b>sciatica</b>").content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "<b>sciatica" not in html
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt; Sciatica" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<mark>Sciatica</mark>" in html


def test_a_typo_that_finds_nothing_shows_the_corrected_results_at_once(search, make_post):
    make_post(title="Stress relief for tight shoulders")
    response = search("stres relief")
    results = response.context["results"]
    assert [post.title for post in results.posts] == ["Stress relief for tight shoulders"]
    html = response.content.decode()
    assert "Showing results for <strong>stress relief</strong>" in html
    assert 'search instead for <a href="?q=stres+relief&amp;literal=1">stres relief</a>' in html


def test_search_instead_searches_the_words_as_typed(search, make_post):
    make_post(title="Stress relief for tight shoulders")
    response = search("stres relief", literal=1)
    results = response.context["results"]
    assert list(results.page) == []
    assert results.corrected_from is None
    assert "Showing results for" not in response.content.decode()


def test_a_word_articles_use_is_never_corrected(search, make_post):
    make_post(title="Stiff neck stretches")
    make_post(title="Stretches for a stiff neck")
    make_post(title="Stif neck")
    results = search("stif neck").context["results"]
    assert [post.title for post in results.page] == ["Stif neck"]
    assert results.corrected_from is None
    assert results.suggestion == ""


def test_no_suggestion_for_words_only_drafts_use(search, make_post):
    make_post(title="Piriformis syndrome", status="draft")
    assert search("piriformiss").context["results"].suggestion == ""


def test_the_category_filter_narrows_results_and_keeps_the_query(
    search, titles, make_post, make_category
):
    neck = make_category(name="Neck", slug="neck")
    back = make_category(name="Back", slug="back")
    make_post(title="Stretches for the neck", category=neck)
    make_post(title="Stretches for the back", category=back)
    assert sorted(titles(search("stretches"))) == [
        "Stretches for the back",
        "Stretches for the neck",
    ]
    response = search("stretches", category="neck")
    assert titles(response) == ["Stretches for the neck"]
    assert response.context["results"].total == 1
    assert 'href="?q=stretches">All topics</a>' in response.content.decode()


def test_matching_categories_and_static_pages_are_offered_as_shortcuts(
    search, make_post, make_category
):
    make_category(name="Posture", slug="posture")
    page = FlatPage.objects.create(url="/about/", title="About us", content="<p>Our posture</p>")
    page.sites.add(1)
    hidden = FlatPage.objects.create(
        url="/members/", title="Posture", content="", registration_required=True
    )
    hidden.sites.add(1)
    html = search("posture").content.decode()
    assert 'href="/category/posture/"' in html
    assert 'href="/about/"' in html
    assert 'href="/members/"' not in html


def test_an_empty_query_shows_topics_to_start_from(search, make_post, category):
    make_post(category=category)
    for q in [None, "", "   "]:
        response = search(q)
        assert response.status_code == 200
        assert "Browse by topic" in response.content.decode()
        assert "Lower Back Pain" in response.content.decode()


def test_the_topics_to_start_from_count_articles_as_the_topic_pages_list_them(
    search, make_post, make_category
):
    neck, sleep, empty = (make_category(name=name) for name in ["Neck", "Sleep", "Empty"])
    make_post(category=neck)
    make_post(category=neck).other_categories.add(sleep)
    make_post(category=empty, status="draft")
    topics = {topic.name: topic.post_count for topic in search("").context["topics"]}
    assert topics == {"Neck": 2, "Sleep": 1}


def test_pages_keep_the_query_and_a_page_past_the_end_is_not_found(search, make_post):
    for n in range(12):
        make_post(title=f"Sciatica note {n}")
    first = search("sciatica")
    assert first.context["results"].total == 12
    assert 'href="?q=sciatica&amp;page=2"' in first.content.decode()
    assert len(search("sciatica", page=2).context["results"].page) == 2
    assert search("sciatica", page=3).status_code == 404


def test_an_editors_recommendation_comes_first_and_is_labelled(search, titles, make_post):
    make_post(title="Sciatica: the complete guide")
    pinned = make_post(title="When back pain needs a doctor", body="<p>Red flags.</p>")
    assert titles(search("sciatica")) == ["Sciatica: the complete guide"]
    Recommendation.objects.create(query="  Sciatica ", post=pinned)
    response = search("SCIATICA")
    assert titles(response) == ["When back pain needs a doctor", "Sciatica: the complete guide"]
    assert "Recommended" in response.content.decode()
    assert response.context["results"].total == 2


def test_a_recommended_draft_is_not_shown(search, titles, make_post):
    draft = make_post(title="Unfinished", status="draft")
    Recommendation.objects.create(query="sciatica", post=draft)
    assert titles(search("sciatica")) == []


def test_the_number_of_queries_does_not_grow_with_the_number_of_posts(
    search, make_post, category, django_assert_max_num_queries
):
    def add_posts(n):
        for _ in range(n):
            make_post(title="Neck pain advice", category=category, tags=["neck", "desk"])

    add_posts(5)
    with CaptureQueriesContext(connection) as with_5_posts:
        assert search("neck pain").context["results"].total == 5
    add_posts(45)
    with django_assert_max_num_queries(len(with_5_posts)):
        assert search("neck pain").context["results"].total == 50


def test_old_wordpress_search_links_redirect_permanently(client):
    response = client.get("/", {"s": "neck pain"})
    assert response.status_code == 301
    assert response["Location"] == "/search/?q=neck+pain"


def test_the_opensearch_description_points_at_the_search_page(client):
    response = client.get("/opensearch.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/opensearchdescription+xml")
    assert "/search/?q={searchTerms}" in response.content.decode()
    home = client.get("/").content.decode()
    assert 'rel="search" type="application/opensearchdescription+xml"' in home


def test_every_page_has_the_search_control_that_works_without_javascript(client):
    html = client.get("/").content.decode()
    assert '<a class="search-link" href="/search/"' in html
    assert '<dialog class="search-dialog"' in html
    assert "<script>" not in html


def test_title_matches_fill_the_first_pages_then_body_matches_follow_newest_first(
    search, titles, make_post
):
    now = timezone.now()
    for n in range(8):
        make_post(title=f"Sciatica guide {n}", published_at=now - timedelta(days=n + 1))
    for n in range(6):
        make_post(
            title=f"Walking {n}",
            body="<p>It may help sciatica.</p>",
            published_at=now - timedelta(days=20 + n),
        )
    first, second = titles(search("sciatica")), titles(search("sciatica", page=2))
    assert first[:8] == [f"Sciatica guide {n}" for n in range(8)]
    assert first[8:] + second == [f"Walking {n}" for n in range(6)]


def test_a_synonym_added_in_the_admin_widens_the_next_search(search, make_post):
    make_post(title="Understanding spondylolisthesis")
    assert "spondylolisthesis" not in search("slipped vertebra").content.decode()
    Synonym.objects.create(phrases="slipped vertebra\nspondylolisthesis")
    assert "Understanding spondylolisthesis" in search("slipped vertebra").content.decode()
