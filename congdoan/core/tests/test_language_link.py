"""The header's language switch is a link: it sets the language cookie and goes back to the
page, and an anonymous public page sets no cookie at all (so it can be cached)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db


def test_anonymous_public_pages_set_no_cookie(client):
    for path in ("/", "/tin/"):
        response = client.get(path)
        assert response.status_code == 200
        assert not response.cookies, (path, response.cookies)
        page = response.content.decode()
        assert "csrfmiddlewaretoken" not in page
        assert "/ngon-ngu/?lang=en&amp;next=" + path.replace("/", "%2F") in page


def test_the_link_switches_to_english_and_back(client):
    response = client.get("/ngon-ngu/", {"lang": "en", "next": "/tin/?page=2"})
    assert response.status_code == 302 and response["Location"] == "/tin/?page=2"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get("/").content.decode()
    assert 'lang="en"' in page and ">Tiếng Việt</a>" in page
    client.get("/ngon-ngu/", {"lang": "vi", "next": "/"})
    assert 'lang="vi"' in client.get("/").content.decode()


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", ""]
)
def test_it_goes_back_only_to_this_site(client, target):
    response = client.get("/ngon-ngu/", {"lang": "en", "next": target})
    assert response.status_code == 302 and response["Location"] == "/"


def test_an_unknown_language_changes_nothing(client):
    response = client.get("/ngon-ngu/", {"lang": "xx", "next": "/"})
    assert response.status_code == 302 and not response.cookies
    assert 'lang="vi"' in client.get("/").content.decode()


def test_signed_in_pages_keep_their_logout_form(cast, client_of):
    client: Client = client_of(cast.officer_a)
    page = client.get("/").content.decode()
    assert "csrfmiddlewaretoken" in page and "/tai-khoan/dang-xuat/" in page
    assert "/ngon-ngu/?lang=en" in page
