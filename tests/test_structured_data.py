"""The JSON-LD of an article says what the page shows, and nothing more."""

import json
import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


def graph_of(html):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))["@graph"]


def types_in(value):
    """Every @type anywhere in the data, nested ones too."""
    if isinstance(value, dict):
        return {value.get("@type")} - {None} | set().union(*map(types_in, value.values()))
    if isinstance(value, list):
        return set().union(*map(types_in, value))
    return set()


def visible_text(html):
    body = re.sub(r"<script.*?</script>|<head>.*?</head>", "", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


@pytest.fixture
def article(make_post, make_reviewer):
    post = make_post(
        title="Sciatica: causes and what helps",
        reviewed_by=make_reviewer(name="Dr Sam Adeyemi", credentials="MCSP"),
        last_reviewed=date(2026, 6, 1),
        review_interval_months=60,
        # Question headings and numbered steps: none of it may become FAQ or HowTo markup.
        body="<h2>What is sciatica?</h2><p>Nerve pain.</p><h2>How do I ease it?</h2>"
        "<ol><li>Step one: walk.</li><li>Step two: rest.</li></ol>",
    )
    post.references.create(position=1, title="NICE guideline NG59", publisher="NICE", year=2020)
    post.references.create(position=2, title="Sciatica", url="https://www.nhs.uk/sciatica/")
    return post


def test_a_medical_web_page_with_the_review_and_the_sources_the_page_shows(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    nodes = {node["@type"]: node for node in graph_of(html)}
    page, text = nodes["MedicalWebPage"], visible_text(html)
    assert page["reviewedBy"]["name"] == "Dr Sam Adeyemi"
    assert "Medically reviewed by Dr Sam Adeyemi, MCSP on 1 June 2026" in text
    assert page["lastReviewed"] == "2026-06-01"
    assert f'<time datetime="{page["lastReviewed"]}">' in html
    assert [source["name"] for source in page["citation"]] == ["NICE guideline NG59", "Sciatica"]
    for source in page["citation"]:
        assert source["name"] in text
    assert page["citation"][1]["url"] == "https://www.nhs.uk/sciatica/"
    assert 'href="https://www.nhs.uk/sciatica/"' in html
    posting = nodes["BlogPosting"]
    assert posting["headline"] in text
    assert "citation" not in posting  # Said once, on the page.
    shown = re.search(r'Last updated <time datetime="([^"]+)"', html).group(1)
    assert posting["dateModified"][:10] == page["dateModified"][:10] == shown[:10]


def test_there_is_no_faq_or_how_to_markup_only_the_types_we_mean(client, article):
    graph = graph_of(client.get(article.get_absolute_url()).content.decode())
    assert types_in(graph) == {
        "Organization",
        "BreadcrumbList",
        "ListItem",
        "MedicalWebPage",
        "BlogPosting",
        "Person",
        "CreativeWork",
    }


def test_an_overdue_article_still_gives_its_true_last_review_date(client, make_post, make_reviewer):
    last = timezone.localdate() - timedelta(days=400)
    post = make_post(reviewed_by=make_reviewer(), last_reviewed=last)
    html = client.get(post.get_absolute_url()).content.decode()
    page = next(node for node in graph_of(html) if node["@type"] == "MedicalWebPage")
    assert page["lastReviewed"] == last.isoformat()
    assert "This article is due for review" in html


def test_an_article_without_sources_claims_none(client, make_post):
    graph = graph_of(client.get(make_post().get_absolute_url()).content.decode())
    assert all("citation" not in node for node in graph)
