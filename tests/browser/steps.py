"""What people do in the browser, shared by the browser tests and the production tier."""

from playwright.sync_api import expect


def log_in(page, username, password):
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")


def choose_category(page, name):
    # The category field is the admin's autocomplete (Select2).
    page.locator("#id_category + .select2 .select2-selection").click()
    # Its dropdown's search box: "other categories" (a multiple Select2) has one of its own.
    page.locator(".select2-search--dropdown .select2-search__field").fill(name[:5])
    page.locator(".select2-results__option", has_text=name).click()


def open_search_by_keyboard(page):
    """Tab to the header's Search button and press Enter; returns the dialog."""
    toggle = page.get_by_role("button", name="Search")
    for _ in range(8):
        page.keyboard.press("Tab")
        if toggle.evaluate("element => element === document.activeElement"):
            break
    expect(toggle).to_be_focused()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Search Back & Neck")
    expect(dialog.get_by_role("searchbox")).to_be_focused()
    return dialog
