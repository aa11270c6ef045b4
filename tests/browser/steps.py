"""What people do in the browser, shared by the browser tests and the production tier."""

import time
from base64 import b32decode

from django_otp.oath import TOTP
from playwright.sync_api import expect

# The authenticator app: the secret of each account set up in this test session, and the time
# step of the last code it gave (a code works once, so the next sign-in waits for a new one).
_authenticator = {}


def log_in(page, username, password):
    """Log in to the admin, with the authenticator step where the site asks for it."""
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: url.endswith(("/admin/", "/admin/login/code/")))
    if page.url.endswith("/admin/login/code/"):
        enter_code(page, username)
    page.wait_for_url("**/admin/")


def enter_code(page, username):
    secret = page.locator("#totp-secret")
    if secret.count():  # First sign-in: set the app up.
        _authenticator[username] = {"key": b32decode(secret.inner_text()), "step": None}
    app = _authenticator[username]
    totp = TOTP(app["key"])
    while totp.t() == app["step"]:
        time.sleep(0.5)
        totp = TOTP(app["key"])
    app["step"] = totp.t()
    page.get_by_label("Code").fill(f"{totp.token():06d}")
    page.get_by_role("button", name="Log in").click()


def choose_category(page, name):
    # The category field is the admin's autocomplete (Select2).
    page.locator("#id_category + .select2 .select2-selection").click()
    # The open dropdown's own box: "Other categories" has an inline search box of its own.
    page.locator(".select2-dropdown .select2-search__field").fill(name[:5])
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
    expect(dialog.get_by_role("combobox", name="Search articles and pages")).to_be_focused()
    return dialog
