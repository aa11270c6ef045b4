import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def articles(make_post, category):
    make_post(
        title="Stress Management Techniques for Soothing Back Pain",
        slug="stress-management-techniques-for-soothing-back-pain",
        category=category,
        excerpt="Calm the mind to ease the back.",
        body="<h2>Deep Breathing</h2><p>Breathe in slowly for four counts.</p>",
        is_featured=True,
    )
    make_post(title="Neck stretches for desk work", tags=["desk"])


def serious_violations(page):
    violations = Axe().run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']]}"
        for v in violations
        if v["impact"] in {"serious", "critical"}
    ]


def test_a_reader_opens_an_article_from_the_home_page(page, articles):
    page.goto("/")
    assert serious_violations(page) == []
    title = "Stress Management Techniques for Soothing Back Pain"
    page.get_by_role("link", name=title).first.click()
    page.wait_for_url("**/stress-management-techniques-for-soothing-back-pain/")
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "Stress Management Techniques for Soothing Back Pain"
    assert page.get_by_role("heading", name="Deep Breathing").is_visible()
    assert page.get_by_role("heading", name="Medical disclaimer").is_visible()
    assert serious_violations(page) == []


def test_category_and_missing_pages_have_no_serious_accessibility_problems(page, articles):
    page.goto("/category/lower-back-pain/")
    assert page.get_by_role("heading", level=1).inner_text() == "Lower Back Pain"
    assert serious_violations(page) == []
    response = page.goto("/no-such-article/")
    assert response.status == 404
    assert serious_violations(page) == []


def test_keyboard_users_can_skip_to_the_content(page, articles):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()


def test_imported_long_words_and_addresses_never_make_a_phone_scroll_sideways(
    browser, live_server, make_post, category
):
    # WordPress's Theme Unit Test data has an 85-letter one-word title; imported articles
    # carry long bare URLs, wide tables and <pre> lines.
    word = "Taumatawhakatangihangakoauauotamateaturipukakapikimaungahoronukupokaiwhenuakitanatahu"
    url = "https://example.org/" + "a-very-long-path-segment-" * 8
    post = make_post(
        title=word,
        excerpt=word,
        body=f"<p>{word} {url}</p><pre>{'x = 1; ' * 40}</pre>"
        f"<table><tr>{'<td>cell</td>' * 30}</tr></table>",
        tags=[word[:60]],
        category=category,
    )
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 800})
    page = context.new_page()
    for path in (post.get_absolute_url(), "/", category.get_absolute_url()):
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        wide = page.evaluate(
            "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect()"
            ".right > 376).slice(0, 5).map(e => e.tagName + '.' + e.className)"
        )
        assert width <= 375, f"{path} is {width} px wide: {wide}"
    context.close()
