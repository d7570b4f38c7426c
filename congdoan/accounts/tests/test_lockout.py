"""The lockout counts the account, not the spelling typed (issue 12, finding 2)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_axes_on")]

PASSWORD = "mat-khau-rat-dai-123"


@pytest.fixture
def _axes_on() -> Any:
    with override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=5):
        yield


def _login(identity: str, password: str, ip: str = "10.0.0.1") -> Any:
    client = Client(REMOTE_ADDR=ip)
    response = client.post("/tai-khoan/dang-nhap/", {"username": identity, "password": password})
    return client, response


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def officer(cast: Any) -> Any:
    user = cast.district_officer
    user.email = "thuongvu@ldldphuxuyen.vn"
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def phone_member(cast: Any) -> Any:
    user = cast.member_user
    user.phone = "+84912345678"
    user.save(update_fields=["phone"])
    return user


def test_every_spelling_of_a_locked_email_is_refused(officer):
    for n in range(5):
        _login("thuongvu@ldldphuxuyen.vn", "sai", ip=f"10.0.1.{n}")
    for variant in (
        "THUONGVU@ldldphuxuyen.vn",
        " thuongvu@ldldphuxuyen.vn",
        "thuongvu@LDLDPHUXUYEN.VN",
        "thuongvu@ldldphuxuyen.vn",
    ):
        client, _response = _login(variant, PASSWORD, ip="10.0.2.1")
        assert not _logged_in(client), variant


def test_every_spelling_of_a_locked_phone_is_refused(phone_member):
    for n in range(5):
        _login("0912345678", "sai", ip=f"10.0.1.{n}")
    for variant in ("+84912345678", "0912 345 678", "0912.345.678", "84912345678"):
        client, _response = _login(variant, PASSWORD, ip="10.0.2.1")
        assert not _logged_in(client), variant


def test_wrong_guesses_on_letter_case_variants_lock_the_account(officer):
    variants = [
        "ThuongVu@ldldphuxuyen.vn",
        "THUONGVU@LDLDPHUXUYEN.VN",
        "thuongVU@ldldphuxuyen.VN",
        "tHuongvu@ldldphuxuyen.vn",
        "thUongvu@ldldphuxuyen.vn",
    ]
    for n, variant in enumerate(variants):
        _login(variant, "sai", ip=f"10.0.3.{n}")
    client, _response = _login("thuongvu@ldldphuxuyen.vn", PASSWORD, ip="10.0.4.1")
    assert not _logged_in(client)


def test_the_phone_and_the_email_of_one_account_share_the_count(phone_member):
    phone_member.email = "doanvien@example.vn"
    phone_member.save(update_fields=["email"])
    for n in range(5):
        _login("0912 345 678", "sai", ip=f"10.0.5.{n}")
    client, _response = _login("DoanVien@example.vn", PASSWORD, ip="10.0.6.1")
    assert not _logged_in(client)


def test_any_spelling_logs_in_before_the_lockout(officer, phone_member):
    for identity, user in (
        (" THUONGVU@ldldphuxuyen.vn ", officer),
        ("0912.345.678", phone_member),
        ("0912 345 678", phone_member),
    ):
        client, response = _login(identity, PASSWORD)
        assert response.status_code == 302, identity
        assert client.session["_auth_user_id"] == str(user.pk)


def test_a_few_wrong_guesses_do_not_lock(officer):
    for n in range(4):
        _login("THUONGVU@ldldphuxuyen.vn", "sai", ip=f"10.0.7.{n}")
    client, _response = _login("thuongvu@ldldphuxuyen.vn", PASSWORD, ip="10.0.8.1")
    assert _logged_in(client)
