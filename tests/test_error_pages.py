import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_an_unknown_host_gets_a_plain_400_page(client):
    response = client.get("/", HTTP_HOST="not-our-site.example")
    assert response.status_code == 400
    assert "We couldn’t understand that request" in response.content.decode()


def test_a_form_without_its_csrf_token_gets_a_page_that_says_what_to_do():
    response = Client(enforce_csrf_checks=True).post("/admin/login/", {"username": "a"})
    assert response.status_code == 403
    assert "Please go back, reload the page and send it again" in response.content.decode()


def test_a_page_number_that_is_not_a_number_is_a_404_not_an_error(client, make_post):
    make_post()
    assert client.get("/articles/?page=abc").status_code == 404
    assert client.get("/articles/?page=99999").status_code == 404
