"""The demo articles say each thing once: the red flags are in the care cards, not the text
(which may name the emergency, such as cauda equina syndrome, so that readers searching for it
find the article)."""

import re

import pytest

from blog.demo.content import ARTICLES, CARE

RED_FLAGS = re.compile(r"bladder|bowel|genitals|red flag|meningitis", re.I)


@pytest.mark.parametrize(
    "article", [a for a in ARTICLES if a["slug"] in CARE], ids=lambda a: a["slug"]
)
def test_an_article_with_care_cards_does_not_repeat_the_red_flags_in_its_text(article):
    assert not RED_FLAGS.findall(article["body"])
    assert "emergency" in CARE[article["slug"]]
