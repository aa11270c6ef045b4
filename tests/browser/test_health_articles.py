"""What a worried reader on a phone sees of a health article: when to get help, and more."""

import pytest
from playwright.sync_api import expect

from blog.models import CareCard

from .test_reading import serious_violations

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, is_mobile=True)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def sciatica(make_post, make_category):
    post = make_post(
        title="Sciatica: causes, symptoms and what helps",
        category=make_category(name="Lower back pain", needs_care_advice=True),
        excerpt="Leg pain from an irritated nerve, and which signs need urgent care.",
        body="<p>Most sciatica settles within weeks.</p>",
    )
    post.care_cards.create(
        level=CareCard.Level.NON_URGENT, items="the pain is not better after 2 weeks"
    )
    post.care_cards.create(
        level=CareCard.Level.URGENT, items="your leg is getting weaker\nyou have a fever"
    )
    post.care_cards.create(
        level=CareCard.Level.EMERGENCY,
        items="you have numbness between your legs\nyou have lost bladder or bowel control",
    )
    return post


def test_a_reader_on_a_phone_sees_three_distinct_cards_and_can_call(phone, sciatica):
    phone.goto(sciatica.get_absolute_url())
    section = phone.get_by_role("region", name="When to get help")
    expect(section).to_be_visible()
    headings = section.get_by_role("heading", level=3)
    expect(headings).to_have_text(
        [
            "Non-urgent advice: See a GP or physiotherapist if:",
            "Urgent advice: Get an urgent appointment or call 111 if:",
            "Immediate action required: Call 999 or go to A&E now if:",
        ]
    )
    cards = section.locator(".care-card")
    colours = [
        card.locator(".care-card__heading").evaluate("h => getComputedStyle(h).backgroundColor")
        + card.evaluate("c => getComputedStyle(c).backgroundColor")
        for card in cards.all()
    ]
    assert len(set(colours)) == 3  # Each level looks different, besides its words.
    call = section.get_by_role("link", name="Call 999")
    expect(call).to_have_attribute("href", "tel:999")
    box = call.bounding_box()
    assert box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert serious_violations(phone) == []
