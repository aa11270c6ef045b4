"""The newsletter page is one sign-up form: the footer's is left out there."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

FORM = '<form class="signup-form"'


def test_the_newsletter_page_shows_one_sign_up_form(client):
    html = client.get(reverse("newsletter:signup")).content.decode()
    assert html.count(FORM) == 1
    assert 'id="page-email"' in html and 'id="footer-email"' not in html
    assert "site-footer" in html  # The rest of the footer stays.


def test_a_rejected_address_is_answered_with_one_form_too(client):
    response = client.post(reverse("newsletter:subscribe"), {"email": "nope"})
    assert response.status_code == 400
    assert response.content.decode().count(FORM) == 1


def test_other_pages_keep_the_footer_sign_up_form(client, make_post):
    for url in ["/", make_post().get_absolute_url()]:
        assert client.get(url).content.decode().count(FORM) == 1
