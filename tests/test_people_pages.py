"""Public profile pages of authors and medical reviewers."""

import json
import re
from datetime import date

import pytest

from blog.models import RESERVED_SLUGS, Post

pytestmark = pytest.mark.django_db


def test_an_author_page_shows_their_bio_and_public_articles(
    client, make_author_profile, make_post, make_user
):
    writer = make_user(first_name="Priya", last_name="Raman")
    profile = make_author_profile(user=writer, credentials="MSc", bio="Priya trained as a physio.")
    mine = make_post(author=writer, title="Neck stretches")
    make_post(author=writer, title="Unfinished", status=Post.Status.DRAFT)
    make_post(title="Someone else's")
    response = client.get("/author/priya-raman/")
    assert profile.slug == "priya-raman"
    assert response.status_code == 200
    assert list(response.context["posts"]) == [mine]
    html = response.content.decode()
    assert "Priya Raman" in html and "MSc" in html and "Priya trained as a physio." in html
    assert "<title>Priya Raman – Back &amp; Neck</title>" in html


def test_an_author_page_is_paginated(client, make_author_profile, make_post, author):
    make_author_profile(user=author, slug="busy-writer")
    for _ in range(13):
        make_post(author=author)
    assert len(client.get("/author/busy-writer/").context["posts"]) == 12
    assert len(client.get("/author/busy-writer/?page=2").context["posts"]) == 1
    assert client.get("/author/busy-writer/?page=3").status_code == 404


def test_a_reviewer_page_lists_the_articles_they_reviewed(client, make_reviewer, make_post):
    reviewer = make_reviewer(name="Dr Hannah Cole", slug="hannah-cole", bio="A physio.")
    reviewed = make_post(reviewed_by=reviewer, last_reviewed=date(2025, 1, 1))
    make_post(title="Not reviewed")
    response = client.get("/reviewer/hannah-cole/")
    assert response.status_code == 200
    assert list(response.context["posts"]) == [reviewed]
    assert "Dr Hannah Cole" in response.content.decode()
    assert "Medical reviewer" in response.content.decode()


def test_profile_pages_describe_the_person_to_search_engines(client, make_reviewer):
    make_reviewer(name="Dr Hannah Cole", slug="hannah-cole", credentials="PT, DPT")
    response = client.get("/reviewer/hannah-cole/")
    script = re.search(rb'<script type="application/ld\+json">(.*?)</script>', response.content)
    nodes = {node["@type"]: node for node in json.loads(script.group(1))["@graph"]}
    person = nodes["ProfilePage"]["mainEntity"]
    assert person["name"] == "Dr Hannah Cole"
    assert person["honorificSuffix"] == "PT, DPT"


def test_a_profile_without_a_photo_shows_initials(client, make_reviewer):
    make_reviewer(name="Dr Hannah Cole", slug="hannah-cole")
    assert b">HC</span>" in client.get("/reviewer/hannah-cole/").content


@pytest.mark.parametrize("url", ["/author/nobody/", "/reviewer/nobody/"])
def test_unknown_profiles_are_not_found(client, url):
    assert client.get(url).status_code == 404


def test_no_post_can_take_the_profile_addresses():
    assert {"author", "reviewer"} <= RESERVED_SLUGS


def test_the_sitemap_lists_author_and_reviewer_profiles(client, make_author_profile, make_reviewer):
    make_author_profile(slug="maya")
    make_reviewer(slug="hannah-cole")
    assert "/sitemap-people.xml</loc>" in client.get("/sitemap.xml").content.decode()
    sitemap = client.get("/sitemap-people.xml").content.decode()
    assert "/author/maya/</loc>" in sitemap
    assert "/reviewer/hannah-cole/</loc>" in sitemap


def test_editors_manage_reviewers_and_author_profiles_in_the_admin(client, editor, author):
    client.force_login(editor)
    response = client.post(
        "/admin/people/reviewer/add/",
        {"name": "Dr Hannah Cole", "slug": "hannah-cole", "credentials": "PT, DPT", "bio": ""},
    )
    assert response.status_code == 302
    response = client.post(
        "/admin/people/authorprofile/add/", {"user": author.pk, "slug": "", "bio": "Writes."}
    )
    assert response.status_code == 302
    assert client.get(f"/author/{author.author_profile.slug}/").status_code == 200
    assert client.get("/admin/people/reviewer/").status_code == 200


def test_authors_cannot_create_reviewers(client, author):
    client.force_login(author)
    assert client.get("/admin/people/reviewer/add/").status_code == 403
