"""Every task the README gives editors opens in the admin for a member of the Editor group."""

import pytest
from django.utils import timezone

from newsletter.models import Issue
from search.models import DailySearch, Recommendation, Synonym
from siteconfig.models import SiteSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_content(make_post, make_reviewer, make_author_profile):
    post = make_post(title="Desk posture")
    return {
        "post": post,
        "reviewer": make_reviewer(),
        "profile": make_author_profile(),
        "issue": Issue.objects.create(subject="This week"),
        "synonym": Synonym.objects.create(phrases="slipped disc, herniated disc"),
        "recommendation": Recommendation.objects.create(query="sciatica", post=post),
        "search": DailySearch.objects.create(query="neck", day=timezone.localdate(), searches=3),
        "settings": SiteSettings.load(),
    }


# README "Editor tasks" and "How it works", and docs/editors.md, page by page.
EDITOR_PAGES = {
    "dashboard": "/admin/",
    "write an article": "/admin/blog/post/add/",
    "publish, schedule, feature, check": "/admin/blog/post/{post.pk}/change/",
    "post list with its ready? column": "/admin/blog/post/",
    "posts by medical review": "/admin/blog/post/?review=due",
    "revisions of a post": "/admin/blog/post/{post.pk}/history/",
    "categories": "/admin/blog/category/add/",
    "add a reviewer": "/admin/people/reviewer/add/",
    "change a reviewer": "/admin/people/reviewer/{reviewer.pk}/change/",
    "author profiles": "/admin/people/authorprofile/{profile.pk}/change/",
    "pages": "/admin/flatpages/flatpage/add/",
    "site settings": "/admin/siteconfig/sitesettings/{settings.pk}/change/",
    "redirects": "/admin/redirects/redirect/add/",
    "synonyms": "/admin/search/synonym/",
    "add a synonym": "/admin/search/synonym/add/",
    "change a synonym": "/admin/search/synonym/{synonym.pk}/change/",
    "recommended results": "/admin/search/recommendation/",
    "add a recommended result": "/admin/search/recommendation/add/",
    "change a recommended result": "/admin/search/recommendation/{recommendation.pk}/change/",
    "search counts": "/admin/search/dailysearch/",
    "newsletter issues": "/admin/newsletter/issue/",
    "write an issue": "/admin/newsletter/issue/add/",
    "an issue's page": "/admin/newsletter/issue/{issue.pk}/change/",
    "an issue's preview": "/admin/newsletter/issue/{issue.pk}/preview/",
}


@pytest.mark.parametrize("task", EDITOR_PAGES)
def test_an_editor_can_open_the_page_of_every_editor_task(client, editor, site_content, task):
    client.force_login(editor)
    response = client.get(EDITOR_PAGES[task].format(**site_content))
    assert response.status_code == 200


def test_the_admin_index_lists_search_for_editors(client, editor):
    client.force_login(editor)
    index = client.get("/admin/").content.decode()
    for path in ["/admin/search/synonym/", "/admin/search/recommendation/"]:
        assert f'href="{path}"' in index
    assert 'href="/admin/search/dailysearch/"' in index


def test_the_post_page_gives_editors_sources_and_preview_links(client, editor, site_content):
    client.force_login(editor)
    response = client.get(f"/admin/blog/post/{site_content['post'].pk}/change/")
    inlines = {inline.formset.prefix for inline in response.context["inline_admin_formsets"]}
    assert {"references", "preview_links"} <= inlines


def test_an_editor_adds_a_synonym_and_pins_a_result(client, editor, site_content):
    client.force_login(editor)
    response = client.post("/admin/search/synonym/add/", {"phrases": "lumbago, low back pain"})
    assert response.status_code == 302
    response = client.post(
        "/admin/search/recommendation/add/",
        {"query": "desk", "post": site_content["post"].pk, "position": 0},
    )
    assert response.status_code == 302
    assert Synonym.objects.filter(phrases__contains="lumbago").exists()
    assert Recommendation.objects.filter(query="desk").exists()


def test_editors_only_read_search_counts(client, editor, site_content):
    client.force_login(editor)
    search = site_content["search"]
    response = client.post(f"/admin/search/dailysearch/{search.pk}/change/", {"searches": 99})
    search.refresh_from_db()
    assert search.searches == 3
    assert response.status_code in {200, 403}


def test_authors_do_not_manage_search(client, author):
    client.force_login(author)
    assert client.get("/admin/search/synonym/").status_code == 403
    assert client.get("/admin/search/dailysearch/").status_code == 403
