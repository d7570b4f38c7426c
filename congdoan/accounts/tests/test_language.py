"""Vietnamese by default; English after switching with Django's language form."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_pages_are_vietnamese_by_default(client):
    home = client.get("/").content.decode()
    assert 'lang="vi"' in home and "Công đoàn đồng hành cùng người lao động" in home
    login = client.get("/tai-khoan/dang-nhap/").content.decode()
    assert "Mật khẩu" in login


def test_switching_to_english_translates_home_and_login_pages(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    home = client.get("/").content.decode()
    assert 'lang="en"' in home
    assert "The trade union stands with workers" in home
    assert "Công đoàn đồng hành cùng người lao động" not in home
    assert "Log in" in home and ">Tiếng Việt<" in home  # the switch offers Vietnamese back
    login = client.get("/tai-khoan/dang-nhap/").content.decode()
    assert "Password" in login and "E-mail or phone number" in login
    assert "Mật khẩu" not in login


def test_switching_back_to_vietnamese(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert "Công đoàn đồng hành cùng người lao động" in client.get("/").content.decode()


def test_officer_pages_are_translated_too(cast, client_of):
    client: Client = client_of(cast.officer_a)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/don-vi/PX-A/").content.decode()
    assert "Import members from a file" in page and "Members" in page
    assert "Nhập đoàn viên từ tệp" not in page
