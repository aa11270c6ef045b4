import pytest
from django.test import Client


@pytest.fixture
def client():
    return Client()


@pytest.fixture
def search(client):
    """GET the search page with the given parameters."""

    def search(q=None, **params):
        if q is not None:
            params["q"] = q
        return client.get("/search/", params)

    return search


@pytest.fixture
def titles():
    """Titles of the posts a search page lists, in order."""

    def titles(response):
        results = response.context["results"]
        recommended = [post.title for post in results.recommended]
        return recommended + [post.title for post in (results.page or [])]

    return titles
