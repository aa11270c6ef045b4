"""What editors click in the sources table (Look up), and a reader's browser counting a view."""

import re

import pytest
from playwright.sync_api import expect

from blog.models import ArticleDay
from tests.test_reference_lookup import DOI, PMID, apis  # noqa: F401  (the fake APIs fixture)

from .steps import log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


@pytest.fixture
def logged_in_editor(page, make_user):
    editor = make_user(is_staff=True, is_superuser=True)
    log_in(page, editor.username, "pw")
    return page


def test_look_up_fills_a_source_from_its_doi_or_pmid(logged_in_editor, apis):  # noqa: F811
    page = logged_in_editor
    page.goto("/admin/blog/post/add/")
    page.locator("input[name='references-0-title']").fill("Typed by the editor")
    page.locator("input[name='references-0-doi']").fill(f"https://doi.org/{DOI}")
    page.locator("input[name='references-0-doi'] ~ button.reference-lookup").click()
    status = page.locator("input[name='references-0-doi'] ~ .reference-lookup-status")
    expect(status).to_contain_text("Filled in: authors, publisher, year, url")
    expect(page.locator("input[name='references-0-title']")).to_have_value("Typed by the editor")
    expect(page.locator("input[name='references-0-publisher']")).to_have_value("The Lancet")
    expect(page.locator("input[name='references-0-year']")).to_have_value("2018")
    assert (
        page.locator("input[name='references-0-authors']")
        .input_value()
        .startswith("Hartvigsen J, Hancock MJ")
    )

    # A row added with "Add another source" gets its buttons too.
    page.get_by_text(re.compile("Add another Source", re.I)).click()
    page.locator("input[name='references-1-pmid']").fill(f"PMID: {PMID}")
    page.locator("input[name='references-1-pmid'] ~ button.reference-lookup").click()
    expect(
        page.locator("input[name='references-1-pmid'] ~ .reference-lookup-status")
    ).to_contain_text("Filled in")
    expect(page.locator("input[name='references-1-title']")).to_have_value(
        "What low back pain is and why we need to pay attention"
    )
    expect(page.locator("input[name='references-1-doi']")).to_have_value(DOI)

    page.locator("input[name='references-1-doi']").fill("10.9999/nothing-here")
    page.locator("input[name='references-1-doi'] ~ button.reference-lookup").click()
    expect(
        page.locator("input[name='references-1-doi'] ~ .reference-lookup-status")
    ).to_contain_text("Crossref knows no DOI 10.9999/nothing-here")


def test_a_readers_browser_counts_one_view_and_a_headless_one_none(browser, live_server, make_post):
    post = make_post(slug="sitting-well")
    for user_agent, expected in [(None, 0), (BROWSER, 1)]:
        context = browser.new_context(base_url=live_server.url, user_agent=user_agent)
        page = context.new_page()
        with page.expect_response(re.compile(r"/sitting-well/view/$")) as beacon:
            page.goto(post.get_absolute_url())
        assert beacon.value.status == 204
        assert beacon.value.request.method == "POST"
        context.close()
        assert sum(ArticleDay.objects.values_list("views", flat=True)) == expected
