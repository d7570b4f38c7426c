"""Every way to a session passes the same second factor (issue 12, finding 1)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-rat-dai-123"


def _with_totp(user: Any) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_admin_login_form_with_only_the_password_gives_no_session(cast):
    _with_totp(cast.admin)
    client = Client()
    response = client.post(
        "/quan-tri/login/?next=/quan-tri/", {"username": "admin@example.vn", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/tai-khoan/dang-nhap/")
    assert "_auth_user_id" not in client.session
    assert client.get("/quan-tri/").status_code == 302
    assert client.get("/tai-khoan/ma-api/").status_code == 302


def test_admin_login_page_sends_people_to_the_application_login(client):
    response = client.get("/quan-tri/login/?next=/quan-tri/feedback/concern/")
    assert response.status_code == 302
    assert response["Location"] == "/tai-khoan/dang-nhap/?next=%2Fquan-tri%2Ffeedback%2Fconcern%2F"


def test_admin_with_totp_reaches_the_admin_only_after_the_code(cast):
    device = _with_totp(cast.admin)
    client = Client()
    response = client.post(
        "/tai-khoan/dang-nhap/?next=/quan-tri/",
        {"username": "admin@example.vn", "password": PASSWORD, "next": "/quan-tri/"},
    )
    assert response.status_code == 302 and response["Location"].startswith("/tai-khoan/xac-thuc/")
    assert client.get("/quan-tri/").status_code == 302
    response = client.post("/tai-khoan/xac-thuc/", {"token": _code(device), "next": "/quan-tri/"})
    assert response.status_code == 302 and response["Location"] == "/quan-tri/"
    assert client.get("/quan-tri/").status_code == 200


def test_session_of_a_totp_user_that_skipped_the_code_does_not_open_the_admin(cast):
    _with_totp(cast.admin)
    client = Client()
    client.force_login(cast.admin, backend="congdoan.accounts.backends.EmailOrPhoneBackend")
    response = client.get("/quan-tri/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_admin_without_totp_reaches_the_admin_after_the_password(cast):
    client = Client()
    response = client.post(
        "/tai-khoan/dang-nhap/",
        {"username": "admin@example.vn", "password": PASSWORD, "next": "/quan-tri/"},
    )
    assert response["Location"] == "/quan-tri/"
    assert client.get("/quan-tri/").status_code == 200


def test_a_right_code_during_the_throttle_is_told_to_wait_not_called_wrong(cast, settings):
    """Issue 12.12: after too many wrong codes, django-otp refuses even the right one for a
    while; the person is told to wait, not that the right code is wrong."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 60  # the wait outlasts the test, however slow the machine
    device = _with_totp(cast.admin)
    client = Client()
    client.post("/tai-khoan/dang-nhap/", {"username": "admin@example.vn", "password": PASSWORD})
    for _ in range(3):
        client.post("/tai-khoan/xac-thuc/", {"token": "000000"})
    page = client.post("/tai-khoan/xac-thuc/", {"token": _code(device)}).content.decode()
    assert "chưa được kiểm tra" in page and "giây" in page
    assert "không đúng hoặc đã hết hạn" not in page
    assert "_auth_user_id" not in client.session


def test_a_first_wrong_code_is_called_wrong(cast):
    _with_totp(cast.admin)
    client = Client()
    client.post("/tai-khoan/dang-nhap/", {"username": "admin@example.vn", "password": PASSWORD})
    page = client.post("/tai-khoan/xac-thuc/", {"token": "000000"}).content.decode()
    assert "không đúng hoặc đã hết hạn" in page
