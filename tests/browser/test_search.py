import pytest
from playwright.sync_api import expect

from .steps import open_search_by_keyboard

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_keyboard_user_opens_search_from_the_header_and_reaches_the_article(page, make_post):
    make_post(title="Sciatica when sitting", body="<p>How to sit with sciatica.</p>")
    make_post(title="Neck stretches for desk work")
    page.goto("/")

    dialog = open_search_by_keyboard(page)
    toggle = page.get_by_role("button", name="Search")
    expect(dialog).to_be_visible()

    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(toggle).to_be_focused()

    page.keyboard.press("Enter")
    page.keyboard.type("sciatica sitting")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=sciatica+sitting")
    expect(page.get_by_text("1 result for")).to_be_visible()

    page.get_by_role("link", name="Sciatica when sitting").click()
    page.wait_for_url("**/sciatica-when-sitting/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sciatica when sitting")


def test_without_javascript_the_header_search_is_a_link(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/")
    page.get_by_role("link", name="Search").click()
    page.wait_for_url("**/search/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    context.close()
