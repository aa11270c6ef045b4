from datetime import date

import pytest

from tests.browser.test_reading import serious_violations

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_review_note_sources_and_profiles_have_no_serious_accessibility_problems(
    page, make_post, make_reviewer, make_author_profile, make_user
):
    author = make_user()
    make_author_profile(user=author, slug="maya", bio="Writes about backs.")
    reviewer = make_reviewer(name="Dr Hannah Cole", slug="hannah-cole", bio="A physio.")
    post = make_post(
        author=author,
        body="<h2>Breathing</h2><p>Slow breathing helps [1].</p>",
        reviewed_by=reviewer,
        last_reviewed=date(2025, 3, 4),
    )
    post.references.create(title="A trial", publisher="JAMA", year=2016, doi="10.1001/x.1")

    page.goto(post.get_absolute_url())
    assert page.get_by_text("Medically reviewed by").is_visible()
    page.get_by_role("link", name="source 1").click()
    assert page.evaluate("location.hash") == "#source-1"
    assert page.get_by_role("heading", name="Sources").is_visible()
    assert serious_violations(page) == []

    for url in ["/author/maya/", "/reviewer/hannah-cole/"]:
        page.goto(url)
        assert page.get_by_role("heading", level=1).is_visible()
        assert serious_violations(page) == []
