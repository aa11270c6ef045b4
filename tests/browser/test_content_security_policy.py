"""The Content-Security-Policy blocks nothing the site itself needs, in a real browser."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def csp_violations(page):
    """Every policy violation the browser reports, from console messages and page errors."""
    found = []
    page.on(
        "console",
        lambda message: (
            found.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + "
        "e.blockedURI))"
    )
    return found


@pytest.fixture
def editor_logged_in(page, make_user, settings):
    settings.AXES_ENABLED = True
    # A superuser rather than an Editor: the groups come from a data migration, which
    # transactional tests may have flushed away when they run after other tests.
    make_user(username="editor", is_staff=True, is_superuser=True)
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    return page


def test_public_pages_run_under_the_strict_policy(page, csp_violations, make_post):
    post = make_post(title="Gentle neck stretches", tags=["desk"])
    page.goto("/")
    page.get_by_role("link", name="Gentle neck stretches").first.click()
    page.wait_for_url(f"**{post.get_absolute_url()}")
    page.goto("/no-such-page/")
    assert csp_violations == []


def test_ckeditor_loads_and_edits_in_the_admin_without_policy_errors(
    editor_logged_in, csp_violations
):
    page = editor_logged_in
    page.goto("/admin/blog/post/add/")
    body = page.frame_locator("iframe.cke_wysiwyg_frame").locator("body[contenteditable=true]")
    body.wait_for()
    body.click()
    page.keyboard.type("Breathe slowly")
    page.keyboard.press("Control+A")
    page.locator("a.cke_button__bold").click()  # A toolbar button: CKEditor's inline onclick.
    assert body.locator("strong").inner_text() == "Breathe slowly"
    assert csp_violations == []


def test_the_rest_of_the_admin_runs_under_the_strict_script_policy(
    editor_logged_in, csp_violations, make_post
):
    page = editor_logged_in
    make_post(title="Sleeping positions")
    page.goto("/admin/blog/post/")
    page.get_by_role("link", name="Sleeping positions").click()
    page.wait_for_url("**/change/")
    page.goto("/admin/siteconfig/sitesettings/")
    assert csp_violations == []


INJECT_SCRIPT = """src => new Promise(resolve => {
    const script = document.createElement('script');
    script.src = src;
    document.addEventListener('securitypolicyviolation', e => resolve('blocked ' + e.blockedURI));
    script.onload = () => resolve('ran');
    script.onerror = () => resolve('not found');
    document.head.append(script);
})"""


@pytest.mark.parametrize("staff", [False, True], ids=["public page", "CKEditor page"])
def test_chromium_refuses_scripts_from_the_uploads_but_runs_the_static_ones(page, request, staff):
    """What the issue saw: a GIF that is also JavaScript, loaded by a <script> from /media/."""
    if staff:
        request.getfixturevalue("editor_logged_in")
        page.goto("/admin/blog/post/add/")
    else:
        page.goto("/")
    media = page.evaluate(INJECT_SCRIPT, "/media/uploads/2026/12/04/note.js")
    assert media.startswith("blocked ") and "/media/uploads/" in media
    assert page.evaluate(INJECT_SCRIPT, "/static/js/site.js") == "ran"
