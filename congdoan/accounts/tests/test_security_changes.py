# ruff: noqa: F811 - pytest fixtures from fakes.fixtures are used as parameters
"""Accounts (issue 12, finding 11): officers' idle timeout, re-authentication before security
changes, scoped and expiring API tokens revoked by a new password or by turning 2FA on,
password reset by e-mail and by SMS code, a notice after each change; members are not urged
to turn on the officers' two-factor login (issue 11, item 14)."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from ninja.errors import HttpError

from congdoan.accounts.middleware import SEEN_AT
from congdoan.accounts.models import ApiToken, ResetCode
from congdoan.accounts.reauth import AUTH_AT
from congdoan.accounts.services import api_token_create, api_token_user
from congdoan.api.auth import TokenAuth
from congdoan.audit.log.display import describe
from congdoan.audit.models import AuditEntry
from congdoan.feedback.tests.fakes import FakeSmsGateway
from congdoan.feedback.tests.fakes.fixtures import fake_sms, fast_retries  # noqa: F401
from congdoan.outbox.models import OutboundMessage

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-rat-dai-123"
NEW_PASSWORD = "mat-khau-moi-that-dai-456"


def _set_session(client: Client, **values: Any) -> None:
    session = client.session
    for key, value in values.items():
        session[key] = value
    session.save()


def _stale(client: Client) -> None:
    """This session's last password or code was an hour ago."""
    _set_session(client, **{AUTH_AT: int(time.time()) - 3600})


def _match(pattern: str, text: str) -> str:
    found = re.search(pattern, text)
    assert found is not None, text
    return found.group(1)


def _notices(user: Any) -> list[OutboundMessage]:
    return list(OutboundMessage.objects.filter(purpose="account.notice", ref=f"user:{user.pk}"))


# -- idle timeout ------------------------------------------------------------------------------


def test_officer_idle_longer_than_the_setting_is_logged_out(cast, client_of, settings):
    settings.OFFICER_IDLE_MINUTES = 30
    client = client_of(cast.officer_a)
    _set_session(client, **{SEEN_AT: int(time.time()) - 31 * 60})
    response = client.get("/y-kien/hop-thu/")
    assert response.status_code == 302 and response["Location"].startswith("/tai-khoan/dang-nhap/")
    assert "_auth_user_id" not in client.session


def test_officer_active_within_the_setting_stays_logged_in(cast, client_of, settings):
    settings.OFFICER_IDLE_MINUTES = 30
    client = client_of(cast.officer_a)
    _set_session(client, **{SEEN_AT: int(time.time()) - 29 * 60})
    assert client.get("/y-kien/hop-thu/").status_code == 200
    assert client.session[SEEN_AT] > int(time.time()) - 60


def test_member_idle_for_long_keeps_the_session(cast, client_of, settings):
    settings.OFFICER_IDLE_MINUTES = 30
    client = client_of(cast.member_user)
    _set_session(client, **{SEEN_AT: int(time.time()) - 5 * 3600})
    assert client.get("/tai-khoan/").status_code == 200
    assert "_auth_user_id" in client.session


# -- re-authentication -------------------------------------------------------------------------


def test_turning_2fa_off_needs_a_recent_password(cast, client_of):
    device = TOTPDevice.objects.create(user=cast.officer_a, name="a", confirmed=True)
    client = client_of(cast.officer_a)
    _stale(client)
    response = client.post("/tai-khoan/xac-thuc-hai-lop/tat/")
    assert response.status_code == 302 and response["Location"].startswith(
        "/tai-khoan/xac-nhan-lai/"
    )
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    wrong = client.post("/tai-khoan/xac-nhan-lai/", {"secret": "sai", "next": "/tai-khoan/"})
    assert wrong.status_code == 200
    assert client.post("/tai-khoan/xac-thuc-hai-lop/tat/").status_code == 302
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    client.post("/tai-khoan/xac-nhan-lai/", {"secret": PASSWORD, "next": "/tai-khoan/"})
    assert client.post("/tai-khoan/xac-thuc-hai-lop/tat/")["Location"] == "/tai-khoan/"
    assert not TOTPDevice.objects.filter(user=cast.officer_a).exists()
    assert AuditEntry.objects.filter(action="account.2fa_disable").exists()
    assert _notices(cast.officer_a)


def test_a_totp_code_re_authenticates_too(cast, client_of):
    device = TOTPDevice.objects.create(user=cast.officer_a, name="a", confirmed=True)
    client = client_of(cast.officer_a)
    _stale(client)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    response = client.post(
        "/tai-khoan/xac-nhan-lai/", {"secret": code, "next": "/tai-khoan/ma-api/"}
    )
    assert response["Location"] == "/tai-khoan/ma-api/"
    assert client.post("/tai-khoan/ma-api/", {"name": "x"}).context["new_key"]


def test_creating_a_token_needs_a_recent_password(cast, client_of):
    client = client_of(cast.officer_a)
    _stale(client)
    response = client.post("/tai-khoan/ma-api/", {"name": "Phần mềm báo cáo"})
    assert response["Location"] == "/tai-khoan/xac-nhan-lai/?next=%2Ftai-khoan%2Fma-api%2F"
    assert not ApiToken.objects.exists()
    assert client.get("/tai-khoan/ma-api/").status_code == 200  # reading the list needs none


def test_changing_the_password_needs_a_recent_password(cast, client_of):
    client = client_of(cast.member_user)
    _stale(client)
    response = client.post(
        "/tai-khoan/doi-mat-khau/", {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response["Location"].startswith("/tai-khoan/xac-nhan-lai/")
    cast.member_user.refresh_from_db()
    assert cast.member_user.check_password(PASSWORD)


# -- tokens: scopes, expiry, revocation --------------------------------------------------------


def test_new_token_has_the_chosen_scopes_and_expiry(cast, client_of):
    client = client_of(cast.officer_a)
    client.post(
        "/tai-khoan/ma-api/", {"name": "ghi", "writes": ["write:feedback"], "expires_in": "30"}
    )
    token = ApiToken.objects.get()
    assert token.scopes == ["read", "write:feedback"]
    assert token.expires_at is not None
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
    page = client.get("/tai-khoan/ma-api/").content.decode()
    assert "Ghi: ý kiến người lao động" in page and "chưa dùng" in page


def test_expired_token_gets_401_and_shows_as_expired(cast, client_of):
    token, key = api_token_create(
        actor=cast.officer_a,
        user=cast.officer_a,
        name="cũ",
        expires_at=timezone.now() + timedelta(seconds=1),
    )
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(days=1))
    assert Client().get("/api/v1/units/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    assert "Đã hết hạn" in client_of(cast.officer_a).get("/tai-khoan/ma-api/").content.decode()


def test_last_use_is_recorded_and_shown(cast, client_of):
    token, key = api_token_create(actor=cast.officer_a, user=cast.officer_a, name="dùng")
    assert Client().get("/api/v1/units/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert "chưa dùng" not in client_of(cast.officer_a).get("/tai-khoan/ma-api/").content.decode()


def test_token_without_read_scope_cannot_read(cast):
    _token, key = api_token_create(
        actor=cast.officer_a, user=cast.officer_a, name="w", scopes=["write:feedback"]
    )
    assert Client().get("/api/v1/units/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 403


def test_read_token_may_not_write_and_a_write_scope_is_per_part(cast):
    _t, read_key = api_token_create(actor=cast.officer_a, user=cast.officer_a, name="r")
    _t, write_key = api_token_create(
        actor=cast.officer_a, user=cast.officer_a, name="w", scopes=["read", "write:feedback"]
    )
    factory = RequestFactory()
    with pytest.raises(HttpError) as refused:
        TokenAuth().authenticate(factory.post("/api/v1/feedback/inbox"), read_key)
    assert refused.value.status_code == 403
    assert (
        TokenAuth().authenticate(factory.post("/api/v1/feedback/inbox"), write_key)
        == cast.officer_a
    )
    with pytest.raises(HttpError):
        TokenAuth().authenticate(factory.post("/api/v1/units/PX-A"), write_key)


def test_changing_the_password_revokes_tokens_and_sends_a_notice(cast, client_of):
    _token, key = api_token_create(actor=cast.officer_a, user=cast.officer_a, name="x")
    client = client_of(cast.officer_a)
    response = client.post(
        "/tai-khoan/doi-mat-khau/", {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response["Location"] == "/tai-khoan/"
    assert api_token_user(key) is None
    cast.officer_a.refresh_from_db()
    assert cast.officer_a.check_password(NEW_PASSWORD)
    assert "_auth_user_id" in client.session  # this session goes on
    assert client.get("/tai-khoan/").status_code == 200
    notices = _notices(cast.officer_a)
    assert any("đổi mật khẩu" in n.body and n.recipient == cast.officer_a.email for n in notices)
    assert AuditEntry.objects.filter(action="account.password_change").exists()


def test_turning_2fa_on_revokes_tokens(cast, client_of):
    _token, key = api_token_create(actor=cast.officer_a, user=cast.officer_a, name="x")
    client = client_of(cast.officer_a)
    client.get("/tai-khoan/xac-thuc-hai-lop/")
    device = TOTPDevice.objects.get(user=cast.officer_a, confirmed=False)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    assert client.post("/tai-khoan/xac-thuc-hai-lop/", {"token": code}).status_code == 302
    assert api_token_user(key) is None
    assert any("bật xác thực hai lớp" in n.body for n in _notices(cast.officer_a))
    entry = AuditEntry.objects.get(action="account.2fa_enable")
    assert [(c.label, c.text) for c in describe([entry])[0].changes] == [
        ("số mã API bị thu hồi", "1")
    ]


# -- password reset ----------------------------------------------------------------------------


def test_officer_resets_the_password_by_email(cast, client):
    _token, key = api_token_create(actor=cast.officer_a, user=cast.officer_a, name="x")
    response = client.post("/tai-khoan/quen-mat-khau/", {"email": cast.officer_a.email.upper()})
    assert response["Location"] == "/tai-khoan/quen-mat-khau/da-gui/"
    mail = OutboundMessage.objects.get(purpose="account.reset_email")
    assert mail.channel == "email" and mail.recipient == cast.officer_a.email
    link = _match(r"https?://[^/]+(/tai-khoan/dat-lai-mat-khau/\S+/)", mail.body)
    form_url = client.get(link)["Location"]  # Django moves the token into the session
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response["Location"] == "/tai-khoan/dat-lai-mat-khau/xong/"
    assert "_auth_user_id" not in client.session  # no login without the second factor
    cast.officer_a.refresh_from_db()
    assert cast.officer_a.check_password(NEW_PASSWORD)
    assert api_token_user(key) is None
    assert _notices(cast.officer_a)
    assert client.get(link).status_code == 200  # used: the page says so
    assert "không còn dùng được" in client.get(link, follow=True).content.decode()


def test_reset_for_an_unknown_email_looks_the_same_and_sends_nothing(cast, client):
    response = client.post("/tai-khoan/quen-mat-khau/", {"email": "khong-co@example.vn"})
    assert response["Location"] == "/tai-khoan/quen-mat-khau/da-gui/"
    assert not OutboundMessage.objects.filter(purpose="account.reset_email").exists()


@pytest.fixture
def phone_member(cast: Any) -> Any:
    user = cast.member_user
    user.email = None
    user.phone = "+84912345678"
    user.save(update_fields=["email", "phone"])
    return user


def test_member_resets_the_password_with_a_code_by_sms(
    phone_member, client, fake_sms: FakeSmsGateway, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/tai-khoan/quen-mat-khau/sms/", {"phone": "0912 345 678"})
    assert response["Location"] == "/tai-khoan/quen-mat-khau/sms/ma/"
    (sent,) = fake_sms.sent
    assert sent["to"] == "+84912345678"
    code = _match(r"\b(\d{6})\b", sent["text"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/tai-khoan/quen-mat-khau/sms/ma/",
            {"code": code, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )
    assert response["Location"] == "/tai-khoan/dang-nhap/"
    phone_member.refresh_from_db()
    assert phone_member.check_password(NEW_PASSWORD)
    # A phone-only member is told by SMS.
    assert any("đổi mật khẩu" in s["text"] for s in fake_sms.sent[1:])
    login = client.post(
        "/tai-khoan/dang-nhap/", {"username": "0912345678", "password": NEW_PASSWORD}
    )
    assert login.status_code == 302


def test_sms_code_dies_after_five_wrong_tries(
    phone_member, client, fake_sms, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/tai-khoan/quen-mat-khau/sms/", {"phone": "0912345678"})
    code = _match(r"\b(\d{6})\b", fake_sms.sent[0]["text"])
    wrong = "000000" if code != "000000" else "111111"
    data = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    for _ in range(5):
        assert (
            client.post("/tai-khoan/quen-mat-khau/sms/ma/", {**data, "code": wrong}).status_code
            == 200
        )
    assert (
        client.post("/tai-khoan/quen-mat-khau/sms/ma/", {**data, "code": code}).status_code == 200
    )
    phone_member.refresh_from_db()
    assert phone_member.check_password(PASSWORD)
    assert ResetCode.objects.get().attempts == 5


def test_sms_reset_for_an_unknown_number_looks_the_same(cast, client, fake_sms):
    response = client.post("/tai-khoan/quen-mat-khau/sms/", {"phone": "0987000111"})
    assert response["Location"] == "/tai-khoan/quen-mat-khau/sms/ma/"
    assert not ResetCode.objects.exists()


# -- item 11.14 --------------------------------------------------------------------------------


def test_member_profile_does_not_urge_the_officers_two_factor_login(cast, client_of):
    page = client_of(cast.member_user).get("/tai-khoan/").content.decode()
    assert "Cán bộ công đoàn nên bật" not in page and "/tai-khoan/xac-thuc-hai-lop/" not in page
    assert "/tai-khoan/doi-mat-khau/" in page


def test_officer_profile_offers_two_factor(cast, client_of):
    page = client_of(cast.officer_a).get("/tai-khoan/").content.decode()
    assert "/tai-khoan/xac-thuc-hai-lop/" in page


# -- reset by the union's officer --------------------------------------------------------------


def test_unions_officer_gives_a_member_a_one_time_reset_link(cast, client_of, client):
    response = client_of(cast.officer_a).post(
        f"/tai-khoan/dat-lai-cho-doan-vien/{cast.member_a.pk}/"
    )
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    link = response.context["link"].removeprefix("http://testserver")
    assert AuditEntry.objects.filter(action="account.reset_link_by_officer").exists()
    assert _notices(cast.member_user)
    form_url = client.get(link)["Location"]
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response["Location"] == "/tai-khoan/dat-lai-mat-khau/xong/"
    cast.member_user.refresh_from_db()
    assert cast.member_user.check_password(NEW_PASSWORD)
    assert "không còn dùng được" in client.get(link, follow=True).content.decode()


def test_officer_of_another_union_or_a_member_cannot_make_a_reset_link(cast, client_of):
    url = f"/tai-khoan/dat-lai-cho-doan-vien/{cast.member_a.pk}/"
    assert client_of(cast.officer_b).post(url).status_code == 404
    assert client_of(cast.member_user).post(url).status_code == 403
    assert not AuditEntry.objects.filter(action="account.reset_link_by_officer").exists()
