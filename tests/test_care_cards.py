"""“When to get help” care cards: edited as plain lists, shown on the article, checked before
publishing, worded by the site settings."""

import re

import pytest

from blog import checklist as checks
from blog.models import CareCard, Post, lines_of
from siteconfig.models import SiteSettings
from tests.admin_forms import post_form_data

pytestmark = pytest.mark.django_db

EMERGENCY = CareCard.Level.EMERGENCY


@pytest.fixture
def sciatica(make_post, make_category):
    return make_post(
        title="Sciatica",
        category=make_category(name="Lower back pain", needs_care_advice=True),
        body="<p>Most sciatica settles in weeks.</p>",
    )


def card_html(response):
    html = response.content.decode()
    return html[
        html.index('<section class="care"') : html.index("</section>", html.index('class="care"'))
    ]


def test_an_article_shows_its_cards_in_order_of_urgency_after_the_text(client, sciatica):
    sciatica.references.create(title="NICE guideline NG59")
    sciatica.care_cards.create(
        level=EMERGENCY, items="numbness between your legs\nloss of bladder control"
    )
    sciatica.care_cards.create(level=CareCard.Level.NON_URGENT, items="- the pain lasts 2 weeks")
    response = client.get(sciatica.get_absolute_url())
    html = response.content.decode()
    assert (
        html.index("Most sciatica settles")
        < html.index("When to get help")
        < html.index('id="sources"')
    )
    cards = card_html(response)
    # Each heading says its level in words, not only in colour.
    headings = [
        " ".join(re.sub(r"<[^>]+>", " ", h).split())
        for h in re.findall(r'<h3 class="care-card__heading">(.*?)</h3>', cards, re.S)
    ]
    assert headings == [
        "Non-urgent advice : See a GP or physiotherapist if:",
        "Immediate action required : Call 999 or go to A&amp;E now if:",
    ]
    assert "<li>the pain lasts 2 weeks</li>" in cards  # The typed bullet is not doubled.
    assert "<li>numbness between your legs</li><li>loss of bladder control</li>" in cards
    assert 'href="tel:999">Call 999</a>' in cards
    assert "care-card--non-urgent" in cards and "care-card--emergency" in cards


def test_what_an_editor_types_in_a_card_is_shown_as_text_never_as_html(client, sciatica):
    sciatica.care_cards.create(
        level=CareCard.Level.URGENT,
        heading="<b>Ask</b> for help if:",
        items='<script>alert("x")</script>\n<a href="https://evil.example">you feel worse</a>',
    )
    cards = card_html(client.get(sciatica.get_absolute_url()))
    assert "<script>" not in cards and "<b>" not in cards and "<a href=" not in cards
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in cards
    assert "&lt;b&gt;Ask&lt;/b&gt; for help if:" in cards


def test_a_site_outside_the_uk_changes_the_numbers_and_wording_once(client, sciatica, make_post):
    settings = SiteSettings.load()
    settings.care_emergency_heading = "Call 112 or go to the emergency department now if:"
    settings.care_emergency_phone = "112"
    settings.care_urgent_heading = "Call your doctor today if:"
    settings.care_urgent_phone = ""
    settings.save()
    other = make_post(category=sciatica.category)
    for post in (sciatica, other):
        post.care_cards.create(level=EMERGENCY, items="weakness in both legs")
        post.care_cards.create(level=CareCard.Level.URGENT, items="a fever")
        cards = card_html(client.get(post.get_absolute_url()))
        assert "Call 112 or go to the emergency department now if:" in cards
        assert 'href="tel:112">Call 112</a>' in cards
        assert "Call your doctor today if:" in cards
        assert "999" not in cards and "111" not in cards


def test_an_article_without_cards_has_no_when_to_get_help_section(client, make_post):
    assert b"When to get help" not in client.get(make_post().get_absolute_url()).content


def test_items_are_the_typed_lines_without_blank_lines_or_bullets():
    assert lines_of("• one\n\n  - two  \n* three\n-\n-5 degrees outside") == [
        "one",
        "two",
        "three",
        "-5 degrees outside",
    ]


def test_an_editor_adds_cards_in_the_post_admin(client, editor, category):
    client.force_login(editor)
    response = client.post(
        "/admin/blog/post/add/",
        post_form_data(
            category,
            author=editor.pk,
            status="draft",
            **{
                "care_cards-TOTAL_FORMS": "1",
                "care_cards-0-level": str(EMERGENCY),
                "care_cards-0-items": "numbness between your legs\r\nweakness in both legs",
            },
        ),
    )
    assert response.status_code == 302
    card = Post.objects.get().care_cards.get()
    assert card.item_list == ["numbness between your legs", "weakness in both legs"]


def test_an_article_has_at_most_one_card_per_level(client, editor, category):
    client.force_login(editor)
    twice = {
        "care_cards-TOTAL_FORMS": "2",
        "care_cards-0-level": str(EMERGENCY),
        "care_cards-0-items": "a fall",
        "care_cards-1-level": str(EMERGENCY),
        "care_cards-1-items": "a fever",
    }
    response = client.post(
        "/admin/blog/post/add/", post_form_data(category, author=editor.pk, **twice)
    )
    assert response.status_code == 200
    assert "Please correct the duplicate data for level" in response.content.decode()
    assert not Post.objects.exists()


def messages(checklist):
    return [(check.level, check.message) for check in checklist.checks]


def test_the_checklist_warns_when_a_condition_article_has_no_card(sciatica, make_post):
    assert (
        checks.Level.WARNING,
        "“Lower back pain” is a condition or symptom category, but the article has no “When "
        "to get help” card: add one, with the red flags for an emergency.",
    ) in messages(checks.check_post(sciatica))
    # Articles in other categories (exercises, posture) need none.
    assert "When to get help" not in str(messages(checks.check_post(make_post())))
    sciatica.care_cards.create(level=EMERGENCY, items="a serious fall")
    assert (checks.Level.PASS, "1 “When to get help” card.") in messages(
        checks.check_post(sciatica)
    )


def test_an_emergency_card_without_signs_is_an_error(sciatica):
    sciatica.care_cards.create(level=EMERGENCY, items="-\n  \n")
    checklist = checks.check_post(sciatica)
    assert not checklist.ready
    assert checklist.errors == [
        checks.error("The “Immediate action required” card lists no signs: add them, one per line.")
    ]


def test_the_admin_list_checks_every_articles_cards_in_one_query(
    client, editor, sciatica, make_post, django_assert_max_num_queries
):
    for _ in range(5):
        make_post(category=sciatica.category).care_cards.create(level=EMERGENCY, items="a fall")
    client.force_login(editor)
    client.get("/admin/blog/post/")
    with django_assert_max_num_queries(30) as few:
        client.get("/admin/blog/post/")
    card_queries = [q for q in few.captured_queries if "blog_carecard" in q["sql"]]
    assert len(card_queries) == 1


def test_a_duplicated_article_keeps_its_cards(sciatica):
    sciatica.care_cards.create(level=EMERGENCY, heading="Call now if:", items="a fall")
    copy = sciatica.duplicate()
    assert [(c.level, c.heading, c.items) for c in copy.care_cards.all()] == [
        (EMERGENCY, "Call now if:", "a fall")
    ]
    assert sciatica.care_cards.count() == 1
