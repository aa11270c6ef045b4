"""Contents of an article: made from its H2 and H3 headings, which get ids a reader can link to."""

import re
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blog import views
from blog.contents import with_heading_ids
from blog.models import CareCard

pytestmark = pytest.mark.django_db

BODY = (
    "<p>Intro.</p><h2>What is going on?</h2><p>A nerve.</p><h2>What helps</h2>"
    "<h3>Keep moving</h3><p>Walk.</p><h3>Heat &amp; ice</h3><p>Both.</p>"
    "<h2>When it needs more</h2><p>Surgery, rarely.</p>"
)


def contents_links(html):
    nav = re.search(r'<nav class="contents".*?</nav>', html, re.S)
    return nav and re.findall(r'<a href="#([^"]+)">([^<]+)</a>', nav.group(0))


def test_an_article_with_three_sections_lists_them_and_links_each_heading(client, make_post):
    html = client.get(make_post(body=BODY).get_absolute_url()).content.decode()
    assert contents_links(html) == [
        ("what-is-going-on", "What is going on?"),
        ("what-helps", "What helps"),
        ("keep-moving", "Keep moving"),
        ("heat-ice", "Heat &amp; ice"),
        ("when-it-needs-more", "When it needs more"),
    ]
    # H3s are listed inside their H2's item.
    assert re.search(r"What helps</a>\s*<ol><li><a href=\"#keep-moving\">", html)
    assert '<a class="contents__skip" href="#article-text">Skip the contents</a>' in html
    assert 'id="article-text"' in html
    for heading_id in ("what-is-going-on", "what-helps", "keep-moving", "when-it-needs-more"):
        assert re.search(
            rf'<h[23] id="{heading_id}">[^<]*<a class="heading-anchor" href="#{heading_id}">', html
        )


def test_a_short_article_has_no_contents_but_its_headings_can_still_be_linked(client, make_post):
    html = client.get(
        make_post(body="<h2>One</h2><p>a</p><h2>Two</h2><h3>Three</h3>").get_absolute_url()
    ).content.decode()
    assert contents_links(html) is None
    assert '<h2 id="one">One<a class="heading-anchor" href="#one">' in html


def test_heading_ids_are_unique_on_the_page_whatever_the_headings_say(client, make_post):
    post = make_post(key_points="One\nTwo\nThree")
    post.references.create(title="A source")
    post.care_cards.create(level=CareCard.Level.EMERGENCY, items="a fall")
    page = client.get(post.get_absolute_url()).content.decode()
    page_ids = re.findall(r'\sid="([^"]+)"', page)
    # Headings named after every id the page already has, and twice over.
    titles = [*page_ids, "Source 1", "What helps", "What helps"]
    post.body = "".join(f"<h2>{title.replace('-', ' ')}</h2><p>Text.</p>" for title in titles)
    post.body += '<p id="what-helps-2">An editor’s anchor.</p>'
    post.save()
    html = client.get(post.get_absolute_url()).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert [value for value, n in Counter(ids).items() if n > 1] == []
    assert len(contents_links(html)) == len(titles)


def test_an_id_the_editor_gave_a_heading_is_kept_unless_the_page_uses_it():
    body = with_heading_ids(
        '<h2 id="red-flags">Warning signs</h2><h2 id="sources">Sources</h2>'
        '<h2 id="twice">A</h2><p id="twice">B</p>'
    )
    assert [section.id for section in body.sections] == ["red-flags", "sources-2", "a"]


def test_headings_in_other_scripts_get_readable_ids():
    assert with_heading_ids("<h2>Боль в спине</h2>").sections[0].id == "боль-в-спине"


def test_the_contents_are_worked_out_once_per_change_of_the_article(client, make_post, monkeypatch):
    calls = []

    def counting(html, source_count):
        calls.append(html)
        return with_heading_ids(html, source_count)

    monkeypatch.setattr(views, "with_heading_ids", counting)
    post = make_post(body=BODY)
    for _ in range(3):
        assert b"When it needs more" in client.get(post.get_absolute_url()).content
    assert len(calls) == 1
    post.body = BODY.replace("When it needs more", "When to see a surgeon")
    post.save()
    html = client.get(post.get_absolute_url()).content.decode()
    assert ("when-to-see-a-surgeon", "When to see a surgeon") in contents_links(html)
    assert len(calls) == 2


def test_contents_cost_no_query(client, make_post, category):
    plain = make_post(category=category, body="<p>No headings.</p>")
    sectioned = make_post(category=category, body=BODY)
    counts = []
    for post in (plain, sectioned):
        client.get(post.get_absolute_url())
        with CaptureQueriesContext(connection) as queries:
            client.get(post.get_absolute_url())
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_citations_in_a_heading_are_linked_but_left_out_of_its_id_and_contents_entry():
    body = with_heading_ids("<h2>Surgery [1]</h2><p>Rarely [1, 2].</p>", source_count=2)
    assert body.sections[0].id == "surgery" and body.sections[0].title == "Surgery"
    assert '<a href="#source-1" aria-label="source 1">1</a>' in body.html
    assert body.html.count('class="citation"') == 2


def test_a_heading_never_takes_the_id_of_an_instant_search_result(client, make_post):
    post = make_post(body='<h2 id="search-instant.0">Search</h2><h2>Search instant</h2><p>a</p>')
    html = client.get(post.get_absolute_url()).content.decode()
    assert 'id="search-instant.0"' not in html
    assert 'id="search-instant-2"' in html  # Not the listbox's own id.


def test_two_headings_called_source_get_ids_of_their_own(client, make_post):
    post = make_post(body="<h2>Source</h2><p>a</p><h2>Source</h2><p>b</p>")
    html = client.get(post.get_absolute_url()).content.decode()
    assert '<h2 id="source">' in html
    assert '<h2 id="source-section-2">' in html
