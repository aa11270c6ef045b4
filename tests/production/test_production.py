"""
The site as production runs it (tests/production/conftest.py), used as its people use it.

Pages the browser visits here, each failing the test on any console error, script error or
Content-Security-Policy violation:
- admin: the login page, the dashboard, the add-post form with CKEditor (typing, a heading, a
  link, an image upload) and the post list, as an Editor and as an Author;
- public: the home page, the new article, its category, the search dialog and search results,
  the newsletter confirmation and unsubscribe pages.
Fetched without a browser: the RSS and Atom feeds, the sitemap, the one-click unsubscribe
(as Gmail sends it), and the pages the W3C Nu HTML Checker reads: home, an article, a category,
a tag, search results, the newsletter page, a flat page, an author, a reviewer and the 404 page.
"""

import contextlib
import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.browser.steps import choose_category, log_in, open_search_by_keyboard

from .conftest import PASSWORD, ROOT

TITLE = "A morning stretch routine for shift workers"
SLUG = "a-morning-stretch-routine-for-shift-workers"


def editor_body(page):
    body = page.frame_locator("#cke_id_body iframe.cke_wysiwyg_frame").locator("body")
    expect(body).to_have_attribute("contenteditable", "true")  # CKEditor has booted.
    return body


def choose_format(page, name):
    page.locator("#cke_id_body .cke_combo__format .cke_combo_button").click()
    panel = page.frame_locator("iframe.cke_panel_frame")
    panel.get_by_role("option", name=name).click()


def add_link(page, url):
    page.locator("#cke_id_body .cke_button__link").click()
    dialog = page.locator(".cke_dialog:visible")
    dialog.get_by_label("URL").fill(url)
    dialog.get_by_role("button", name="OK").click()
    expect(page.locator(".cke_dialog:visible")).to_have_count(0)


def upload_image(page, path, alt):
    page.locator("#cke_id_body .cke_button__image").click()
    dialog = page.locator(".cke_dialog:visible")
    dialog.get_by_role("tab", name="Upload").click()
    upload_frame = dialog.frame_locator("iframe.cke_dialog_ui_input_file")
    upload_frame.locator("input[type=file]").set_input_files(path)
    dialog.get_by_role("button", name="Send it to the Server").click()
    url_field = dialog.locator("input.cke_dialog_ui_input_text").first
    page.wait_for_function("el => el.value.includes('/media/')", arg=url_field.element_handle())
    dialog.get_by_label("Alternative Text").fill(alt)
    dialog.get_by_role("button", name="OK").click()
    expect(page.locator(".cke_dialog:visible")).to_have_count(0)  # Nothing covers Save.


@pytest.fixture(scope="session")
def photo(tmp_path_factory):
    path = tmp_path_factory.mktemp("photos") / "morning-stretch.jpg"
    Image.new("RGB", (1200, 675), (90, 160, 150)).save(path, format="JPEG")
    return path


@pytest.fixture(scope="session")
def published_article(deployment, chromium, photo):
    """An Editor writes and publishes an article in CKEditor, in the browser."""
    context = chromium.new_context(base_url=deployment.url, ignore_https_errors=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    from .conftest import Console

    console = Console(page)
    log_in(page, "editor", PASSWORD)
    page.goto("/admin/blog/post/add/")
    page.get_by_label("Title:", exact=True).fill(TITLE)
    choose_category(page, "Exercises & Stretches")
    page.get_by_label("Excerpt:", exact=True).fill("Five minutes that set up your back.")
    editor_body(page).click()
    page.keyboard.type("Start slowly: reach up, breathe out and let your shoulders drop.")
    page.keyboard.press("Enter")
    choose_format(page, "Heading 2")
    page.keyboard.type("Why moving helps")
    page.keyboard.press("Enter")
    page.keyboard.type("The NHS advice on back pain")
    page.keyboard.press("Shift+Home")
    add_link(page, "https://www.nhs.uk/conditions/back-pain/")
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    upload_image(page, photo, "Arms raised in a morning stretch")
    page.get_by_label("Status:", exact=True).select_option("published")
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()
    refused = page.locator(".errornote, .errorlist, .checklist__item--error").all_inner_texts()
    assert not refused, f"Saving was refused: {refused}"
    page.wait_for_url(re.compile(r".*/admin/blog/post/$"))
    expect(page.locator(".messagelist")).to_contain_text(TITLE)
    context.close()
    assert not console.problems, console.problems
    return deployment.shell(
        "from blog.models import Post\n"
        f"post = Post.objects.get(slug='{SLUG}')\n"
        "print(post.is_published, post.get_absolute_url(), post.body.replace(chr(10), ' '))"
    )


def test_an_editor_writes_and_publishes_an_article_in_ckeditor(published_article):
    is_published, url, body = published_article.split(" ", 2)
    assert is_published == "True"
    assert url == f"/{SLUG}/"
    assert "<h2>Why moving helps</h2>" in body
    nhs = "https://www.nhs.uk/conditions/back-pain/"
    assert re.search(rf'<a href="{nhs}"[^>]*>The NHS advice on back pain</a>', body)
    assert re.search(r'<img[^>]+alt="Arms raised in a morning stretch"', body)
    assert "let your shoulders drop" in body


def test_the_new_article_reaches_every_public_listing(deployment, published_article):
    category = deployment.get("/category/exercises-and-stretches/")
    assert category.status == 200 and TITLE in category.text
    assert TITLE in deployment.get("/").text
    assert TITLE in deployment.get("/feed/").text
    assert TITLE in deployment.get("/feed/atom/").text
    assert "https://backandneck.example/sitemap-posts.xml" in deployment.get("/sitemap.xml").text
    assert f"https://backandneck.example/{SLUG}/" in deployment.get("/sitemap-posts.xml").text
    results = deployment.get("/search/?q=shift+workers")
    assert results.status == 200 and TITLE in results.text


def test_a_reader_opens_the_article_with_its_image(deployment, published_article, browser_page):
    page = browser_page
    page.goto("/")
    page.get_by_role("link", name=TITLE).first.click()
    page.wait_for_url(f"**/{SLUG}/")
    image = page.locator(".prose").get_by_role("img", name="Arms raised in a morning stretch")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth") > 0
    page.get_by_role("link", name="Exercises & Stretches").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Exercises")


def test_an_author_writes_a_draft_but_cannot_publish(deployment, browser_page):
    page = browser_page
    log_in(page, "author", PASSWORD)
    page.goto("/admin/blog/post/add/")
    expect(page.get_by_label("Status:", exact=True)).to_have_count(0)
    page.get_by_label("Title:", exact=True).fill("An author's first draft")
    choose_category(page, "Neck Pain")
    editor_body(page).click()
    page.keyboard.type("Rest is not always best for a stiff neck.")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(re.compile(r".*/admin/blog/post/$"))
    status = deployment.shell(
        "from blog.models import Post\n"
        'post = Post.objects.get(title="An author\'s first draft")\n'
        "print(post.status, post.is_published, 'Rest is not always' in post.body)"
    )
    assert status == "draft False True"
    assert deployment.get("/an-authors-first-draft/").status == 404


def test_a_reader_subscribes_confirms_and_leaves_with_one_click(
    deployment, published_article, browser_page
):
    page = browser_page
    page.goto(f"/{SLUG}/")
    footer = page.locator(".site-footer")
    footer.get_by_label("Your email address").fill("reader@example.com")
    footer.get_by_role("button", name="Subscribe").click()
    expect(footer.get_by_role("status")).to_have_text(re.compile("Please check your inbox"))

    confirmation = deployment.mail_to("reader@example.com", "onfirm")
    text = confirmation.get_body(("plain",)).get_content()
    link = re.search(r"https://backandneck\.example/\S+/confirm/\S+/", text)
    page.goto(link.group(0))
    page.get_by_role("button", name="Yes, subscribe me").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You’re subscribed")
    # The task worker sends the welcome, with the same one-click unsubscribe as an issue.
    welcome = deployment.mail_to("reader@example.com", "Welcome")
    assert welcome["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # The weekly run, from cron: another process, with the new article in it.
    deployment.manage("send_newsletter", "--send-anyway")
    issue = deployment.mail_to("reader@example.com", "New this week")
    assert issue["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    one_click = re.search(r"<(https://[^>]+)>", issue["List-Unsubscribe"]).group(1)
    assert TITLE in issue.get_body(("html",)).get_content()

    # What Gmail does when the reader presses its Unsubscribe button (RFC 8058).
    answer = deployment.get(
        one_click.removeprefix("https://backandneck.example"),
        method="POST",
        body="List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert answer.status == 200
    subscribed = deployment.shell(
        "from newsletter.models import Subscriber\n"
        "print(Subscriber.objects.get(email='reader@example.com').status)"
    )
    assert subscribed == "unsubscribed"


def test_during_a_sign_up_burst_the_challenge_runs_from_the_hashed_static_files(
    deployment, browser_page
):
    deployment.shell(
        "from newsletter.models import SignupSpike\nSignupSpike.objects.create(peak=99)"
    )
    page = browser_page
    page.goto("/newsletter/")
    form = page.locator(".newsletter-page__form")
    form.get_by_label("Your email address").fill("burst-reader@example.com")
    form.get_by_role("button", name="Subscribe").click()
    expect(form.locator("altcha-widget")).to_be_visible()
    expect(form.get_by_role("status")).to_have_text(
        re.compile("Please check your inbox"), timeout=30_000
    )
    deployment.mail_to("burst-reader@example.com", "onfirm")
    deployment.shell(
        "from newsletter.models import SignupSpike\nSignupSpike.objects.all().delete()"
    )
    # The 429 that asks for the challenge is expected; a blocked script or worker is not.
    page.console.problems = [p for p in page.console.problems if "429" not in p[1]]


def test_the_search_dialog_works_by_keyboard(deployment, published_article, browser_page):
    page = browser_page
    page.goto("/")
    open_search_by_keyboard(page)
    page.keyboard.type("shift workers")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=shift+workers")
    page.get_by_role("link", name=TITLE).first.click()
    page.wait_for_url(f"**/{SLUG}/")


def within_a_second(check):
    """nginx keeps public pages up to the end of the current second (docs/production.md)."""
    deadline = time.monotonic() + 1.0
    while not check():
        assert time.monotonic() < deadline, "not visible through nginx within a second"


def test_a_change_made_by_another_process_shows_at_once_in_every_worker(deployment):
    """
    Two gunicorn workers keep their own pages; a manage.py process changes the content. It shows
    in both workers at once, and so through nginx's one-second cache within a second.
    """
    path = "/sitting-well-at-a-desk/"
    old = deployment.shell(
        "from blog.models import Post\n"
        "print(Post.objects.published().order_by('pk').first().get_absolute_url())"
    )
    for _ in range(8):  # Both workers have the page cached now.
        assert deployment.get(old).status == 200
    deployment.shell(
        "from blog.models import Post\n"
        f"post = Post.objects.published().order_by('pk').first()\n"
        f"post.slug = '{path.strip('/')}'\n"
        "post.save()"
    )
    within_a_second(lambda: deployment.get(old).status == 301)
    for _ in range(8):
        moved = deployment.get(old)
        assert moved.status == 301, moved.status
        assert moved.getheader("Location").endswith(path)
        assert deployment.get(path).status == 200

    home = deployment.get("/").text
    export = ROOT / "tests" / "data" / "wordpress" / "themeunittestdata.wordpress.xml"
    deployment.manage("import_wordpress", str(export))
    imported = deployment.shell(
        "from blog.models import Post\n"
        "print(Post.objects.published().order_by('-published_at').first().title)"
    )
    within_a_second(lambda: imported.split()[0] in deployment.get("/").text)
    for _ in range(4):
        fresh = deployment.get("/").text
        assert fresh != home
        assert imported.split()[0] in fresh


NU_CHECKED_PAGES = {
    "home": "/",
    "an article": f"/{SLUG}/",
    "a category": "/category/exercises-and-stretches/",
    "a tag": None,  # The first of the demo's.
    "search results": "/search/?q=neck+pain",
    "the newsletter page": "/newsletter/",
    "a flat page": "/about/",
    "an author": None,  # The first of the demo's.
    "a reviewer": None,
    "the 404 page": "/no-such-page/",
}


def vnu_jar():
    for candidate in [
        os.environ.get("VNU_JAR", ""),
        Path.home() / ".cache/vnu/node_modules/vnu-jar/build/dist/vnu.jar",
        ROOT / "node_modules/vnu-jar/build/dist/vnu.jar",
    ]:
        if candidate and Path(candidate).exists():
            return Path(candidate)
    return None


def test_public_pages_are_valid_html(deployment, published_article, tmp_path):
    jar = vnu_jar()
    if not jar or not shutil.which("java"):
        message = "The W3C Nu HTML Checker needs Java and vnu-jar (npm install vnu-jar)"
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    pages = dict(NU_CHECKED_PAGES)
    people = deployment.shell(
        "from django.urls import reverse\n"
        "from blog.models import Post\n"
        "from people.models import AuthorProfile, Reviewer\n"
        "tag = Post.objects.published().filter(tags__isnull=False).first().tags.first()\n"
        "print(AuthorProfile.objects.first().get_absolute_url(),"
        " Reviewer.objects.first().get_absolute_url(),"
        " reverse('blog:tag_detail', args=[tag.slug]))"
    )
    pages["an author"], pages["a reviewer"], pages["a tag"] = people.split()
    missing = [name for name, path in pages.items() if path is None]
    assert not missing, f"no link to {missing} on the article or the home page"
    files = {}
    for name, path in pages.items():
        response = deployment.get(path)
        expected = 404 if name == "the 404 page" else 200
        assert response.status == expected, (name, path, response.status)
        file = tmp_path / f"{name.replace(' ', '-')}.html"
        file.write_text(response.text)
        files[str(file)] = f"{name} ({path})"
    result = subprocess.run(
        ["java", "-jar", str(jar), "--format", "json", "--stdout", *files],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    messages = json.loads(result.stdout)["messages"]
    errors = [
        f"{files.get(m.get('url', '').removeprefix('file:'), m.get('url'))} line "
        f"{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error" or m.get("subType") == "fatal"
    ]
    assert not errors, "\n".join(errors)


def test_the_tier_runs_on_the_database_and_cache_of_this_run(deployment):
    vendor, cache, debug, storage = deployment.shell(
        "from django.conf import settings\n"
        "from django.core.cache import caches\n"
        "from django.db import connection\n"
        "print(connection.vendor, type(caches['default']).__name__, settings.DEBUG,"
        " settings.STORAGES['staticfiles']['BACKEND'].rpartition('.')[2])"
    ).split()
    on_postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    assert (vendor, cache) == (
        ("postgresql", "RedisCache") if on_postgres else ("sqlite", "LocMemCache")
    )
    assert (debug, storage) == ("False", "CompressedManifestStaticFilesStorage")
    assert re.search(r"/static/js/site\.[0-9a-f]{12}\.js", deployment.get("/").text)


def test_autosave_and_the_snippet_menu_work_in_ckeditor_under_production_settings(
    deployment, browser_page
):
    """DEBUG off, hashed static files, the strict policy: autosave.js and the snippet plugin."""
    deployment.shell(
        "from blog.models import Snippet\n"
        "Snippet.objects.get_or_create(slug='tier-disclaimer', "
        "defaults={'name': 'Tier disclaimer', 'body': '<p>Not advice.</p>'})"
    )
    page = browser_page
    log_in(page, "editor", PASSWORD)
    page.goto("/admin/blog/post/add/")
    assert re.search(r"/static/blog/admin/autosave\.[0-9a-f]{12}\.js", page.content())
    page.get_by_label("Title:", exact=True).fill("An autosaved idea")
    editor_body(page).click()
    page.keyboard.type("A sentence typed before the tab was closed.")
    page.keyboard.press("Enter")
    page.locator("#cke_id_body .cke_combo__snippets .cke_combo_button").click()
    page.frame_locator("iframe.cke_panel_frame").get_by_role(
        "option", name="Tier disclaimer"
    ).click()
    expect(editor_body(page)).to_contain_text("[snippet tier-disclaimer]")
    expect(page.locator("[data-autosave-status]")).to_contain_text("Draft autosaved")
    page.reload()
    page.get_by_role("button", name="Restore my changes").click()
    expect(editor_body(page)).to_contain_text("A sentence typed before the tab was closed.")
    expect(page.get_by_label("Title:", exact=True)).to_have_value("An autosaved idea")


def test_an_editor_picks_images_from_the_media_library(deployment, published_article, browser_page):
    """The picker and CKEditor's Browse Server, with hashed static files and the strict CSP."""
    page = browser_page
    log_in(page, "editor", PASSWORD)
    page.goto("/admin/blog/post/add/")
    page.get_by_role("button", name="Browse the media library…").click()
    library = page.frame_locator(".library-picker__frame")
    library.get_by_role("button", name=re.compile("Arms raised")).first.click()
    expect(page.locator(".library-picker__dialog")).to_be_hidden()
    assert page.locator("#id_library_image").input_value() != ""
    expect(page.locator("[data-library-preview] img")).to_have_count(1)

    editor_body(page).click()
    page.locator("#cke_id_body .cke_button__image").click()
    dialog = page.locator(".cke_dialog:visible")
    with page.expect_popup() as popup_info:
        dialog.get_by_role("button", name="Browse Server").click()
    popup = popup_info.value
    # The click may close the window before it returns.
    with popup.expect_event("close"), contextlib.suppress(PlaywrightError):
        popup.get_by_role("button", name=re.compile("Arms raised")).first.click()
    url_field = dialog.locator("input.cke_dialog_ui_input_text").first
    assert "/media/library/" in url_field.input_value()
    assert dialog.get_by_label("Alternative Text").input_value() == (
        "Arms raised in a morning stretch"
    )
