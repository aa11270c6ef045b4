"""The demo articles say each thing once: the red flags are in the care cards, not the text
(which may name the emergency, such as cauda equina syndrome, so that readers searching for it
find the article)."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from backandneck.management.commands import seed_demo
from blog.demo.content import ARTICLES, CARE

from .test_seed_demo import remembered_image

RED_FLAGS = re.compile(r"bladder|bowel|genitals|red flag|meningitis", re.I)


@pytest.mark.parametrize(
    "article", [a for a in ARTICLES if a["slug"] in CARE], ids=lambda a: a["slug"]
)
def test_an_article_with_care_cards_does_not_repeat_the_red_flags_in_its_text(article):
    assert not RED_FLAGS.findall(article["body"])
    assert "emergency" in CARE[article["slug"]]


@pytest.mark.django_db
def test_no_admin_login_is_created_when_debug_is_off(settings, monkeypatch, skip_renditions):
    # Into an empty database: tests/test_seed_demo.py shares one seeded with DEBUG on.
    monkeypatch.setattr(seed_demo, "abstract_image", remembered_image)
    settings.DEBUG = False
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert not get_user_model().objects.filter(username="admin").exists()
    assert "skipped" in out.getvalue()
