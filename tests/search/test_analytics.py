from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from search.models import DailySearch

pytestmark = pytest.mark.django_db


def test_each_search_is_counted_per_normalised_query_and_day(search, make_post):
    make_post(title="Neck stretches")
    search("Neck  stretches")
    search("neck stretches")
    search("neck stretches", page=1)
    search("")
    row = DailySearch.objects.get()
    assert (row.query, row.day, row.searches, row.results) == (
        "neck stretches",
        timezone.localdate(),
        3,
        1,
    )


def test_nothing_about_the_reader_is_stored():
    fields = {field.name for field in DailySearch._meta.get_fields()}
    assert fields == {"id", "query", "day", "searches", "results", "fallback"}


def test_top_queries_and_top_zero_result_queries(search, make_post):
    make_post(title="Neck stretches")
    for q in ["neck", "neck", "neck", "coccyx", "coccyx", "jaw"]:
        search(q)
    since = timezone.localdate() - timedelta(days=30)
    assert [row["query"] for row in DailySearch.objects.top(since)] == [
        "neck",
        "coccyx",
        "jaw",
    ]
    assert [row["query"] for row in DailySearch.objects.top_without_results(since)] == [
        "coccyx",
        "jaw",
    ]


def test_the_admin_shows_top_queries_and_zero_result_queries(client, search, make_post):
    make_post(title="Neck stretches")
    search("neck")
    search("coccyx")
    client.force_login(User.objects.create_superuser("boss", "b@example.com", "pw"))
    html = client.get("/admin/search/dailysearch/").content.decode()
    assert "Top searches" in html
    assert "Searches without results" in html
    assert "coccyx" in html
