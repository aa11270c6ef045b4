"""The header search dialog's instant results: /search/suggest/ answers JSON."""

import pytest
from django.core.cache import cache

from search.models import DailySearch, Recommendation

pytestmark = pytest.mark.django_db

URL = "/search/suggest/"


@pytest.fixture
def suggest(client):
    def suggest(q, **headers):
        return client.get(URL, {"q": q}, **headers)

    return suggest


def test_instant_results_name_the_best_articles_with_their_topic_and_address(
    suggest, make_post, make_category
):
    sciatica = make_category(name="Sciatica", slug="sciatica")
    make_post(title="Sciatica when sitting", slug="sciatica-sitting", category=sciatica)
    make_post(title="Neck stretches for desk work")

    response = suggest("sciatica")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "query": "sciatica",
        "corrected_from": None,
        "url": "/search/?q=sciatica",
        "results": [
            {"title": "Sciatica when sitting", "category": "Sciatica", "url": "/sciatica-sitting/"}
        ],
    }


def test_instant_results_are_at_most_five_best_first(suggest, make_post):
    for n in range(8):
        make_post(title=f"Stretch number {n}", body="<p>Gentle stretching.</p>")
    make_post(title="Posture at the desk", body="<p>One stretch helps.</p>")

    titles = [result["title"] for result in suggest("stretch").json()["results"]]

    assert len(titles) == 5
    assert "Posture at the desk" not in titles  # A body match ranks below title matches.


def test_articles_matching_in_the_body_follow_those_matching_in_the_title(suggest, make_post):
    make_post(title="Desk setup", body="<p>Whiplash can follow a fall.</p>")
    make_post(title="Whiplash after a car crash")
    make_post(title="Whiplash and surgery", body="<p>When surgery is needed.</p>")

    titles = [result["title"] for result in suggest("whiplash -surgery").json()["results"]]

    assert titles == ["Whiplash after a car crash", "Desk setup"]


def test_drafts_and_scheduled_articles_are_not_instant_results(suggest, make_post):
    from datetime import timedelta

    from django.utils import timezone

    make_post(title="Whiplash draft", status="draft")
    make_post(title="Whiplash soon", published_at=timezone.now() + timedelta(days=1))

    assert suggest("whiplash").json()["results"] == []


def test_a_misspelt_word_gives_the_results_for_its_correction(suggest, make_post):
    make_post(title="Sciatica when sitting", body="<p>Sciatica and sitting.</p>")

    answer = suggest("sciatca").json()

    assert answer["corrected_from"] == "sciatca"
    assert answer["query"] == "sciatica"
    assert [result["title"] for result in answer["results"]] == ["Sciatica when sitting"]


def test_a_word_typed_halfway_is_completed_to_the_word_most_articles_use(suggest, make_post):
    make_post(title="Sciatica when sitting", body="<p>Sciatica and sitting.</p>")
    make_post(title="Sciatica at night", body="<p>Sleeping with sciatica.</p>")
    make_post(title="Science of pain", body="<p>What science says.</p>")

    answer = suggest("sitting sciat").json()

    assert answer["query"] == "sitting sciatica"
    assert answer["corrected_from"] is None
    assert [result["title"] for result in answer["results"]] == ["Sciatica when sitting"]


def test_a_scheduled_articles_words_are_never_completed_to(suggest, make_post):
    from datetime import timedelta

    from django.utils import timezone

    make_post(title="Zygapophyseal joints", published_at=timezone.now() + timedelta(days=1))

    answer = suggest("zygap").json()

    assert answer == {**answer, "query": "zygap", "results": []}


def test_editors_recommendation_comes_first(suggest, make_post):
    make_post(title="Sciatica explained")
    pinned = make_post(title="Our sciatica guide", body="<p>Nerve pain down the leg.</p>")
    Recommendation.objects.create(query="sciatica", post=pinned)

    titles = [result["title"] for result in suggest("Sciatica").json()["results"]]

    assert titles[0] == "Our sciatica guide"
    assert len(titles) == 2


def test_titles_are_plain_text_in_json_never_html(suggest, make_post):
    make_post(title='Neck <img src=x onerror="alert(1)"> & "pain"')

    response = suggest("neck")

    assert response.json()["results"][0]["title"] == 'Neck <img src=x onerror="alert(1)"> & "pain"'
    # Never read as HTML, even by a browser that guesses types.
    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("q", ["", "a", "  b  ", "\x00", "-"])
def test_fewer_than_two_characters_is_refused_with_a_message(suggest, q):
    response = suggest(q)

    assert response.status_code == 400
    assert "at least 2 characters" in response.json()["error"]


def test_only_get_and_head_are_answered(client):
    assert client.post(URL, {"q": "neck"}).status_code == 405
    assert client.head(URL, {"q": "neck"}).status_code == 200


def test_instant_results_are_public_and_cacheable_and_not_recorded(suggest, make_post):
    make_post(title="Neck pain")

    response = suggest("neck")

    assert "public" in response["Cache-Control"]
    assert "max-age=60" in response["Cache-Control"]
    assert not response.cookies
    assert not DailySearch.objects.exists()  # Half-typed words are not what readers search for.


def test_queries_do_not_grow_with_the_number_of_results(suggest, make_post):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_post(title="Neck pain one")
    suggest("neck")  # Warms the per-process directory of categories.
    with CaptureQueriesContext(connection) as one:
        suggest("neck")
    for n in range(8):
        make_post(title=f"Neck pain {n}")
    suggest("neck")
    with CaptureQueriesContext(connection) as many:
        assert len(suggest("neck").json()["results"]) == 5

    assert len(many) == len(one) <= 4


def test_a_client_typing_too_fast_is_told_to_wait(settings, suggest, make_post):
    cache.clear()
    for _ in range(120):
        assert suggest("neck", REMOTE_ADDR="198.51.100.7").status_code == 200

    refused = suggest("neck", REMOTE_ADDR="198.51.100.7")

    assert refused.status_code == 429
    assert "public" not in refused.get("Cache-Control", "")
    assert suggest("neck", REMOTE_ADDR="198.51.100.8").status_code == 200
