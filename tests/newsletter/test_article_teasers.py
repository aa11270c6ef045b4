import re

import pytest

from newsletter import emails

pytestmark = pytest.mark.django_db


def test_an_articles_key_points_are_its_teaser_in_the_newsletter(make_issue, make_post):
    post = make_post(
        excerpt="The excerpt.", key_points="Move gently\nUse heat <warm>\nSee a GP after 2 weeks"
    )
    plain = make_post(title="Pillows", excerpt="Which pillow suits you.")
    rendered = emails.render_issue(make_issue(posts=[post, plain]))
    assert re.search(r"<li[^>]*>Move gently</li>", rendered.html)  # Styles are inlined.
    assert "Use heat &lt;warm&gt;" in rendered.html
    assert "The excerpt." not in rendered.html and "The excerpt." not in rendered.text
    assert "- Move gently\n- Use heat <warm>\n- See a GP after 2 weeks\n" in rendered.text
    assert "Which pillow suits you." in rendered.html and "Which pillow suits you." in rendered.text
