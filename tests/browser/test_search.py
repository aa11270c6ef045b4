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


def test_instant_results_are_chosen_with_the_arrow_keys_and_opened_with_enter(page, make_post):
    from axe_playwright_python.sync_playwright import Axe

    make_post(title="Sciatica when sitting", body="<p>How to sit with sciatica.</p>")
    make_post(title="Sciatica <b>exercises</b>", body="<p>Moving with sciatica.</p>")
    make_post(title="Neck stretches for desk work")
    page.goto("/")

    dialog = open_search_by_keyboard(page)
    search_box = dialog.get_by_role("combobox", name="Search articles and pages")
    page.keyboard.type("sciatica")
    suggestions = dialog.get_by_role("listbox", name="Articles")
    expect(suggestions.get_by_role("option")).to_have_count(2)
    expect(search_box).to_have_attribute("aria-expanded", "true")
    expect(dialog.get_by_role("status")).to_have_text("2 articles found")
    # The title is text, not markup.
    expect(suggestions.get_by_role("option", name="Sciatica <b>exercises</b>")).to_be_visible()
    violations = [
        f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']]}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert violations == []

    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    first = suggestions.get_by_role("option").first
    expect(first).to_have_attribute("aria-selected", "true")
    expect(search_box).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    expect(search_box).to_be_focused()
    title = first.locator(".search-instant__title").inner_text()

    page.keyboard.press("Escape")  # Closes the list, not the dialog.
    expect(suggestions).to_be_hidden()
    expect(dialog).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**/sciatica-*/")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
