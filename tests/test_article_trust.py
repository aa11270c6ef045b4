"""What an article shows readers about who wrote and checked it, and on what evidence."""

import json
import re
from datetime import date

import pytest

from blog.citations import find_citations, link_citations
from blog.models import Post, Reference
from siteconfig.models import SiteSettings
from tests.test_admin_roles import post_form

pytestmark = pytest.mark.django_db


def json_ld(response):
    match = re.search(rb'<script type="application/ld\+json">(.*?)</script>', response.content)
    return {node["@type"]: node for node in json.loads(match.group(1))["@graph"]}


@pytest.fixture
def reviewed_post(make_post, make_reviewer, make_author_profile, make_user):
    writer = make_user(first_name="Maya", last_name="Hughes")
    make_author_profile(user=writer, slug="maya-hughes", credentials="MSc")
    post = make_post(
        title="Breathing for back pain",
        author=writer,
        body="<p>Slow breathing calms the stress response [1]. Mindfulness helps too [1, 2].</p>",
        reviewed_by=make_reviewer(
            name="Dr Hannah Cole",
            slug="hannah-cole",
            credentials="PT, DPT",
            profile_url="https://register.example/hannah-cole",
        ),
        last_reviewed=date(2025, 3, 4),
        review_interval_months=60,  # Still in date: an overdue article says so instead.
    )
    post.references.create(
        position=1,
        title="Mindfulness-based stress reduction for back pain",
        publisher="JAMA",
        year=2016,
        doi="10.1001/jama.2016.2323",
    )
    post.references.create(
        position=2,
        title="Back pain",
        publisher="NHS",
        url="https://www.nhs.uk/conditions/back-pain/",
    )
    return post


def test_article_says_who_medically_reviewed_it_and_when(client, reviewed_post):
    html = client.get(reviewed_post.get_absolute_url()).content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))
    assert "Medically reviewed by Dr Hannah Cole, PT, DPT on 4 March 2025" in text
    assert 'href="/reviewer/hannah-cole/"' in html
    assert "Last updated" in text


def test_article_without_a_review_shows_when_it_was_last_updated(client, make_post):
    html = client.get(make_post().get_absolute_url()).content.decode()
    assert "Medically reviewed" not in html
    assert "Last updated" in html


def test_the_byline_links_to_the_authors_profile(client, reviewed_post):
    html = client.get(reviewed_post.get_absolute_url()).content.decode()
    assert '<a href="/author/maya-hughes/" rel="author"><strong>Maya Hughes, MSc</strong></a>' in (
        html
    )


def test_an_author_without_a_profile_is_named_without_a_link(client, make_post):
    post = make_post()
    html = client.get(post.get_absolute_url()).content.decode()
    assert f"By <strong>{post.author_name}</strong>" in html


def test_sources_are_listed_in_order_and_citations_link_to_them(client, reviewed_post):
    html = client.get(reviewed_post.get_absolute_url()).content.decode()
    assert '<h2 id="sources-title">Sources</h2>' in html
    first, second = re.findall(r'<li id="source-(\d)">(.*?)</li>', html, re.S)
    assert first[0] == "1" and "Mindfulness-based stress reduction" in first[1]
    assert 'href="https://doi.org/10.1001/jama.2016.2323"' in first[1]
    assert "JAMA, 2016." in first[1]
    assert second[0] == "2" and 'href="https://www.nhs.uk/conditions/back-pain/"' in second[1]
    assert html.count('href="#source-1"') == 2
    assert html.count('href="#source-2"') == 1


def test_an_article_without_sources_has_no_sources_section(client, make_post):
    assert b"Sources" not in client.get(make_post().get_absolute_url()).content


def test_a_citation_of_a_missing_source_is_left_as_typed():
    html = link_citations("<p>As shown [1] and [3].</p>", source_count=2)
    assert '<a href="#source-1"' in html
    assert "and [3]." in html


def test_citations_inside_links_and_code_are_left_alone():
    body = '<p><a href="/x/">see [1]</a> <code>list[1]</code> and [1-2].</p>'
    html = link_citations(body, source_count=2)
    assert '<a href="/x/">see [1]</a>' in html and "<code>list[1]</code>" in html
    assert '[<a href="#source-1" aria-label="source 1">1</a>-<a href="#source-2"' in html
    assert find_citations(body) == [1, 2]


def test_a_pasted_doi_link_is_stored_as_a_bare_doi(make_post):
    reference = make_post().references.create(
        title="A trial", doi="https://doi.org/10.1056/NEJMra1410151"
    )
    assert reference.doi == "10.1056/NEJMra1410151"
    assert reference.link == "https://doi.org/10.1056/NEJMra1410151"


def test_a_doi_must_look_like_one(make_post):
    from django.core.exceptions import ValidationError

    reference = Reference(post=make_post(), title="A trial", doi="not-a-doi")
    with pytest.raises(ValidationError, match="DOI"):
        reference.full_clean()


def test_structured_data_describes_the_review_the_author_and_the_sources(client, reviewed_post):
    graph = json_ld(client.get(reviewed_post.get_absolute_url()))
    page, article = graph["MedicalWebPage"], graph["BlogPosting"]
    url = "http://127.0.0.1:8000/breathing-for-back-pain/"
    assert page["lastReviewed"] == "2025-03-04"
    assert page["reviewedBy"] == {
        "@type": "Person",
        "name": "Dr Hannah Cole",
        "honorificSuffix": "PT, DPT",
        "url": "http://127.0.0.1:8000/reviewer/hannah-cole/",
        "sameAs": ["https://register.example/hannah-cole"],
    }
    assert page["mainEntity"] == {"@id": article["@id"]} == {"@id": f"{url}#article"}
    assert article["mainEntityOfPage"] == {"@id": page["@id"]}
    assert article["author"] == {
        "@type": "Person",
        "name": "Maya Hughes",
        "honorificSuffix": "MSc",
        "url": "http://127.0.0.1:8000/author/maya-hughes/",
    }
    assert [c["name"] for c in page["citation"]] == [
        "Mindfulness-based stress reduction for back pain",
        "Back pain",
    ]
    assert page["citation"][0]["sameAs"] == "https://doi.org/10.1001/jama.2016.2323"
    assert page["citation"][0]["datePublished"] == "2016"


def test_structured_data_of_an_unreviewed_article_claims_no_review(client, make_post):
    graph = json_ld(client.get(make_post().get_absolute_url()))
    assert "reviewedBy" not in graph["MedicalWebPage"]
    assert "lastReviewed" not in graph["MedicalWebPage"]
    assert graph["BlogPosting"]["author"]["@type"] == "Person"


def test_the_medical_disclaimer_edited_in_the_admin_shows_on_every_article(
    client, editor, make_post
):
    client.force_login(editor)
    site_settings = SiteSettings.load()
    response = client.post(
        "/admin/siteconfig/sitesettings/1/change/",
        {
            "site_name": site_settings.site_name,
            "tagline": site_settings.tagline,
            "contact_email": site_settings.contact_email,
            "medical_disclaimer": "Talk to your physiotherapist first.",
            "care_non_urgent_heading": site_settings.care_non_urgent_heading,
            "care_urgent_heading": site_settings.care_urgent_heading,
            "care_urgent_phone": site_settings.care_urgent_phone,
            "care_emergency_heading": site_settings.care_emergency_heading,
            "care_emergency_phone": site_settings.care_emergency_phone,
            "overdue_reviews": site_settings.overdue_reviews,
            "reading_grade_min": site_settings.reading_grade_min,
            "reading_grade_max": site_settings.reading_grade_max,
            "social_links-TOTAL_FORMS": "0",
            "social_links-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    client.logout()
    for post in [make_post(), make_post()]:
        assert b"Talk to your physiotherapist first." in client.get(post.get_absolute_url()).content


def test_an_editor_records_a_review_and_sources_in_the_admin(
    client, editor, category, make_reviewer
):
    reviewer = make_reviewer()
    client.force_login(editor)
    response = client.post(
        "/admin/blog/post/add/",
        post_form(
            category,
            author=editor.pk,
            status="draft",
            reviewed_by=reviewer.pk,
            last_reviewed="2025-02-01",
            review_interval_months="6",
            **{
                "references-TOTAL_FORMS": "2",
                "references-0-position": "2",
                "references-0-title": "Second source",
                "references-0-url": "https://example.org/b",
                "references-1-position": "1",
                "references-1-title": "First source",
                "references-1-doi": "doi:10.1001/jama.2016.2323",
            },
        ),
    )
    assert response.status_code == 302
    post = Post.objects.get()
    assert post.reviewed_by == reviewer
    assert post.next_review_on == date(2025, 8, 1)
    assert [r.title for r in post.references.all()] == ["First source", "Second source"]
    assert post.references.get(title="First source").doi == "10.1001/jama.2016.2323"


def test_authors_add_sources_but_cannot_record_a_medical_review(
    client, author, category, make_reviewer
):
    client.force_login(author)
    client.post(
        "/admin/blog/post/add/",
        post_form(
            category,
            reviewed_by=make_reviewer().pk,
            last_reviewed="2025-02-01",
            **{
                "references-TOTAL_FORMS": "1",
                "references-0-position": "1",
                "references-0-title": "A guideline",
            },
        ),
    )
    post = Post.objects.get()
    assert post.reviewed_by is None and post.last_reviewed is None
    assert post.references.get().title == "A guideline"


def test_an_author_cannot_change_the_sources_of_a_published_post(client, author, make_post):
    post = make_post(author=author)
    reference = post.references.create(title="Original")
    client.force_login(author)
    client.post(
        f"/admin/blog/post/{post.pk}/change/",
        {
            "references-TOTAL_FORMS": "1",
            "references-INITIAL_FORMS": "1",
            "references-0-id": reference.pk,
            "references-0-post": post.pk,
            "references-0-title": "Changed",
        },
    )
    reference.refresh_from_db()
    assert reference.title == "Original"


def test_a_new_source_is_numbered_after_the_others(make_post):
    post = make_post()
    post.references.create(title="First", position=1)
    post.references.create(title="Second", position=5)
    post.references.create(title="Added later")
    assert [r.title for r in post.references.all()] == ["First", "Second", "Added later"]


def test_an_author_box_with_photo_credentials_and_bio_closes_the_article(
    client, make_post, make_author_profile, make_reviewer, make_user, make_image, skip_renditions
):
    writer = make_user(first_name="Maya", last_name="Hughes")
    make_author_profile(
        user=writer, slug="maya", credentials="MSc", bio="Writes <b>plainly</b> about pain.",
        photo=make_image("maya.jpg", size=(400, 400)),
    )  # fmt: skip
    reviewer = make_reviewer(name="Dr Sam Cole", slug="sam-cole", bio="A physiotherapist.")
    post = make_post(author=writer, reviewed_by=reviewer, last_reviewed=date.today())
    html = client.get(post.get_absolute_url()).content.decode()
    box = html[html.index('<section class="author-box"') : html.index("</section>", html.index(
        '<section class="author-box"'))]  # fmt: skip
    assert "Written by" in box and "Medically reviewed by" in box
    assert '<a href="/author/maya/">Maya Hughes</a>, MSc' in box
    assert "Writes &lt;b&gt;plainly&lt;/b&gt; about pain." in box
    assert '<img class="author-box__photo" src="/media/people/' in box  # Named by its content.
    assert '<a href="/reviewer/sam-cole/">Dr Sam Cole</a>' in box
    assert 'aria-hidden="true">SC</span>' in box  # No photo: initials.
    assert html.index("author-box") > html.index('id="article-text"')


def test_an_article_by_a_writer_without_a_profile_has_no_empty_author_box(client, make_post):
    assert "author-box" not in client.get(make_post().get_absolute_url()).content.decode()
