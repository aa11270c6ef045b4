"""What a worried reader on a phone sees of a health article: when to get help, and more."""

from datetime import date

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
def sciatica(make_post, make_category, make_reviewer):
    post = make_post(
        reviewed_by=make_reviewer(name="Dr Sam Adeyemi"),
        last_reviewed=date.today(),
        title="Sciatica: causes, symptoms and what helps",
        category=make_category(name="Lower back pain", needs_care_advice=True),
        excerpt="Leg pain from an irritated nerve, and which signs need urgent care.",
        key_points="Most sciatica settles in weeks\nKeep moving\nSome signs need urgent care",
        body="<p>Most sciatica settles within weeks.</p><h2>What is going on?</h2>"
        + "<p>An irritated nerve root in the lower back.</p>" * 8
        + "<h2>What helps</h2><h3>Keep moving</h3>"
        + "<p>Short walks, often.</p>" * 8
        + "<h3>Heat</h3><p>A warm pack.</p><h2>When it needs more</h2>"
        + "<p>Scans and surgery, rarely.</p>" * 8,
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
    post.references.create(title="NICE guideline NG59", url="https://www.nice.org.uk/guidance/ng59")
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


def test_a_reader_on_a_phone_opens_the_contents_and_jumps_to_a_section(phone, sciatica):
    phone.goto(sciatica.get_absolute_url())
    contents = phone.get_by_role("navigation", name="Contents")
    link = contents.get_by_role("link", name="When it needs more")
    expect(link).to_be_hidden()  # Closed on a phone, so the article text comes first.
    contents.get_by_text("Contents", exact=True).click()
    expect(link).to_be_visible()
    assert serious_violations(phone) == []
    link.click()
    phone.wait_for_url("**#when-it-needs-more")
    heading = phone.get_by_role("heading", name="When it needs more")
    expect(heading).to_be_in_viewport()
    # Each heading links to itself, for a reader who wants to share that section.
    anchor = heading.get_by_role("link", name="Link to this section")
    expect(anchor).to_have_attribute("href", "#when-it-needs-more")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_keyboard_users_can_skip_the_contents(phone, sciatica):
    phone.goto(sciatica.get_absolute_url())
    skip = phone.get_by_role("link", name="Skip the contents")
    skip.focus()
    expect(skip).to_be_visible()
    phone.keyboard.press("Enter")
    expect(phone.locator("#article-text")).to_be_focused()


def test_the_contents_are_open_on_a_desktop(page, sciatica):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(sciatica.get_absolute_url())
    contents = page.get_by_role("navigation", name="Contents")
    expect(contents.get_by_role("link", name="What helps")).to_be_visible()
    assert serious_violations(page) == []


def test_an_article_prints_without_the_site_around_it(page, sciatica):
    page.goto(sciatica.get_absolute_url())
    page.emulate_media(media="print")
    for hidden in (
        ".site-header",
        ".site-footer",
        ".breadcrumbs",
        ".contents",
        ".signup-form",
        ".heading-anchor",
        ".care-card__action",
    ):
        expect(page.locator(hidden).first).to_be_hidden()
    for shown in ("When to get help", "Key points", "Sources", "Medically reviewed"):
        expect(page.get_by_text(shown).first).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator(".care-card")).to_have_count(3)
    # Paper has no links to follow: each source carries its address.
    source = page.locator(".sources__list a").first
    after = source.evaluate("a => getComputedStyle(a, '::after').content")
    assert after == '" https://www.nice.org.uk/guidance/ng59"'
    # Browsers drop background colours on paper: care card headings must not be white text.
    colour = page.locator(".care-card__heading").first.evaluate("h => getComputedStyle(h).color")
    assert colour == "rgb(0, 0, 0)"


def test_a_headings_link_copies_its_address(browser, live_server, sciatica):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, is_mobile=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.goto(sciatica.get_absolute_url())
    heading = page.get_by_role("heading", name="What helps")
    heading.get_by_role("link", name="Link to this section").click()
    expect(page.get_by_role("status")).to_have_text("Link copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == f"{live_server.url}{sciatica.get_absolute_url()}#what-helps"
    context.close()
