"""The judged reader queries of search/relevance.py, on whichever database the tests run."""

import functools
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from PIL import Image

from backandneck.management.commands import seed_demo
from search.relevance import JUDGEMENTS, TARGET_HIT_RATE, TARGET_TOP_1, evaluate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("skip_renditions")]


@functools.cache
def _plain_image(palette, seed, motif=None):
    """Drawing the demo's pictures is slow and has nothing to do with search."""
    buffer = BytesIO()
    Image.new("RGB", seed_demo.IMAGE_SIZE, palette[0]).save(buffer, format="JPEG")
    return buffer.getvalue()


@pytest.fixture
def demo(settings, monkeypatch):
    monkeypatch.setattr(seed_demo, "abstract_image", _plain_image)
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())


def test_there_are_at_least_forty_judged_queries_of_every_kind():
    queries = [judgement.query for judgement in JUDGEMENTS]
    assert len(set(queries)) == len(queries) >= 40
    assert any(q.startswith('"') for q in queries)
    assert any(" -" in q for q in queries)
    assert any(" or " in q for q in queries)


def test_readers_find_the_articles_they_mean(demo, settings):
    report = evaluate(site_id=settings.SITE_ID)
    misses = [
        (o.judgement.query, o.slugs[:3]) for o in report.outcomes if o.hit_rate < 1 or not o.top_1
    ]
    assert not report.zero_results, [o.judgement.query for o in report.zero_results]
    assert report.hit_rate >= TARGET_HIT_RATE, misses
    assert report.top_1 >= TARGET_TOP_1, misses
