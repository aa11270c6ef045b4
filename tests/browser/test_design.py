"""How an article and the pages around it look: the text within reach, in light and dark."""

from datetime import date

import pytest
from playwright.sync_api import expect

from blog.models import CareCard

from .test_reading import serious_violations

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
OPENING = "Sciatica is one of the most talked-about kinds of back pain"


@pytest.fixture
def demo_like_article(make_post, make_category, make_reviewer, make_image):
    """Long title and lead, five key points, contents, a featured image and care cards: the
    most a demo article puts above its text."""
    post = make_post(
        title="Sciatica: Causes, Symptoms and What Actually Helps",
        category=make_category(name="Lower back pain", needs_care_advice=True),
        excerpt="Sciatica is leg pain from an irritated nerve in the lower back. Most of it "
        "settles within weeks; here is what helps and which signs need urgent care.",
        key_points="Sciatica is pain along the sciatic nerve, from the lower back down the leg.\n"
        "A herniated disc pressing on a nerve root is by far the most common cause.\n"
        "Most people improve a lot within 4 to 6 weeks without any procedure.\n"
        "Keep moving gently: bed rest slows recovery.\n"
        "Numbness between the legs or loss of bladder control needs emergency care.",
        reviewed_by=make_reviewer(name="Dr Samuel Adeyemi", credentials="MBBS, MRCGP"),
        last_reviewed=date.today(),
        featured_image=make_image(size=(1600, 900)),
        featured_image_alt="A calm blue abstract",
        body=f"<p>{OPENING}, and one of the most misunderstood. It isn't a diagnosis in itself "
        "but a description of where the pain travels.</p>"
        + "".join(
            f"<h2>Section {n}</h2>" + "<p>An irritated nerve root in the lower back.</p>" * 6
            for n in range(1, 6)
        ),
    )
    post.care_cards.create(level=CareCard.Level.NON_URGENT, items="it is not better in 2 weeks")
    post.care_cards.create(level=CareCard.Level.EMERGENCY, items="you have lost bladder control")
    return post


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_first_sentence_of_an_article_shows_without_scrolling(
    browser, live_server, demo_like_article, viewport
):
    context = browser.new_context(
        base_url=live_server.url, viewport=viewport, is_mobile=viewport is PHONE
    )
    page = context.new_page()
    page.goto(demo_like_article.get_absolute_url())
    opening = page.locator(".prose p").first
    assert opening.inner_text().startswith(OPENING)
    box = opening.bounding_box()
    # Its first two lines, not just its top edge, are on the screen.
    assert box["y"] >= 0 and box["y"] + 60 <= viewport["height"]
    # The key points and the image are still on the page, after it on a phone or beside it.
    assert page.get_by_role("region", name="Key points").is_visible()
    assert page.locator(".article__image img").is_visible()
    context.close()


def test_cards_without_a_picture_leave_no_empty_space(page, make_post, make_image):
    make_post(title="Featured words only", is_featured=True, excerpt="No picture here.")
    for n in range(2):
        make_post(title=f"With a picture {n}", featured_image=make_image(), excerpt="Pictured.")
    make_post(title="Words only", excerpt="A card that has no picture.")
    page.set_viewport_size(DESKTOP)
    page.goto("/")

    hero = page.locator(".hero__card")
    hero_body = hero.locator(".hero__body")
    assert hero_body.bounding_box()["width"] >= hero.bounding_box()["width"] - 2

    card = page.locator(".post-card", has_text="Words only")
    pictured = page.locator(".post-card", has_text="With a picture 0")
    assert card.locator("img").count() == 0
    # As tall as its words (not stretched to the pictured card beside it), with nothing blank
    # between the excerpt and the byline.
    assert card.bounding_box()["height"] < pictured.bounding_box()["height"] - 100
    excerpt = card.locator(".post-card__excerpt").bounding_box()
    byline = card.locator(".post-meta").bounding_box()
    assert byline["y"] - (excerpt["y"] + excerpt["height"]) < 24


def test_the_copy_link_button_copies_the_article_address(browser, live_server, make_post, settings):
    post = make_post(title="Heat or ice?")
    context = browser.new_context(base_url=live_server.url)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.goto(post.get_absolute_url())
    page.get_by_role("button", name="Copy link").click()
    expect(page.get_by_role("status")).to_have_text("Link copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == settings.SITE_URL + post.get_absolute_url()
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_home_page_and_an_article_pass_axe_in_both_colour_schemes(
    browser, live_server, demo_like_article, make_post, scheme
):
    demo_like_article.references.create(title="NICE NG59", url="https://www.nice.org.uk/ng59")
    demo_like_article.is_featured = True
    demo_like_article.save()
    make_post(title="Words only", excerpt="A card without a picture.", tags=["desk"])
    context = browser.new_context(base_url=live_server.url, color_scheme=scheme)
    page = context.new_page()
    for path in ["/", demo_like_article.get_absolute_url()]:
        page.goto(path)
        dark = page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
        assert dark is (scheme == "dark")
        assert serious_violations(page) == [], path
    # The dark scheme is dark: light text on a dark page, not the light page with a filter.
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert (background == "rgb(17, 25, 23)") is (scheme == "dark")
    context.close()


def test_an_article_with_nothing_beside_it_stays_centred(page, make_post):
    post = make_post(title="Short and plain", body="<p>Only a few words.</p>")
    page.set_viewport_size(DESKTOP)
    page.goto(post.get_absolute_url())
    title = page.get_by_role("heading", level=1).bounding_box()
    text = page.locator(".prose").first.bounding_box()
    assert abs(title["x"] - text["x"]) < 1
    assert abs(text["x"] + text["width"] / 2 - DESKTOP["width"] / 2) < 20
