"""The "Kết nối Zalo OA" button of /xuat-ban/kenh/: Zalo's OAuth v4 for Official Accounts with
PKCE, against the fake Zalo on loopback: the permission page, the code exchanged with its
verifier, the tokens stored encrypted with their expiry, the state checked, Zalo's refusals
shown in words, and a page that works without JavaScript."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from congdoan.audit.models import AuditEntry
from congdoan.publishing.models import AccountStatus, ChannelAccount, ChannelKind
from congdoan.publishing.services import account_mark, credentials_get
from congdoan.publishing.tests.fakes_zalo import FakeZalo, challenge_of

pytestmark = pytest.mark.django_db

CONNECT = "/xuat-ban/kenh/ket-noi/zalo/"
DONE = "/xuat-ban/kenh/ket-noi/zalo/xong/"


@pytest.fixture
def zalo(settings: Any, platforms: None) -> Iterator[FakeZalo]:
    fake = FakeZalo().start()
    settings.ZALO_OA_API_BASE = fake.url
    settings.ZALO_OAUTH_BASE = fake.url
    settings.ZALO_APP_ID = FakeZalo.APP_ID
    settings.ZALO_APP_SECRET_KEY = FakeZalo.SECRET
    try:
        yield fake
    finally:
        fake.stop()


def _start(officer: Any, zalo: FakeZalo, unit_code: str) -> dict[str, str]:
    answer = officer.post(CONNECT, {"unit": unit_code})
    assert answer.status_code == 302
    location = urlsplit(answer["Location"])
    assert f"{location.scheme}://{location.netloc}" == zalo.url
    assert location.path == "/v4/oa/permission"
    return {k: v[0] for k, v in parse_qs(location.query).items()}


def _words(response: Any) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_an_officer_connects_the_unit_s_zalo_oa_with_oauth_v4_and_pkce(
    cast: Any, zalo: FakeZalo, client_of: Any
) -> None:
    officer = client_of(cast.officer_a)
    page = officer.get("/xuat-ban/kenh/").content.decode()
    assert "Kết nối Zalo OA" in page and f'action="{CONNECT}"' in page
    query = _start(officer, zalo, cast.unit_a.code)
    assert query["app_id"] == FakeZalo.APP_ID
    assert query["redirect_uri"] == "http://testserver" + DONE
    assert len(query["code_challenge"]) == 43 and query["state"]
    code = zalo.grant_code(query["code_challenge"])  # the OA's admin agreed
    done = officer.get(DONE, {"code": code, "oa_id": FakeZalo.OA_ID, "state": query["state"]})
    assert done.status_code == 302 and done["Location"] == "/xuat-ban/kenh/"
    assert "Đã kết nối" in _words(done)
    account = ChannelAccount.objects.get(kind=ChannelKind.ZALO_OA)
    assert account.unit == cast.unit_a and account.external_id == FakeZalo.OA_ID
    assert account.display_name == FakeZalo.OA_NAME  # read from /v2.0/oa/getoa
    assert account.status == AccountStatus.CONNECTED and account.connected_by == cast.officer_a
    creds = credentials_get(account)
    assert creds["access_token"] in zalo.valid and creds["refresh_token"] in zalo.refresh_tokens
    assert creds["access_token"] not in account.credentials_encrypted  # encrypted at rest
    (exchange,) = [r for r in zalo.requests if r.path == "/v4/oa/access_token"]
    assert exchange.headers["secret_key"] == FakeZalo.SECRET
    assert exchange.form["grant_type"] == "authorization_code"
    assert challenge_of(exchange.form["code_verifier"]) == query["code_challenge"]
    assert account.access_token_expires_at is not None
    assert account.refresh_token_expires_at is not None
    now = timezone.now()
    assert abs(account.access_token_expires_at - (now + timedelta(seconds=90000))) < timedelta(
        minutes=1
    )
    assert account.refresh_token_expires_at > now + timedelta(days=89)
    assert AuditEntry.objects.filter(action="publishing.account.connect").count() == 1
    page = officer.get("/xuat-ban/kenh/").content.decode()
    assert FakeZalo.OA_NAME in page and "Đã kết nối" in page


def test_reconnecting_an_expired_oa_replaces_its_tokens_on_the_same_account(
    cast: Any, zalo: FakeZalo, client_of: Any
) -> None:
    officer = client_of(cast.officer_a)
    query = _start(officer, zalo, cast.unit_a.code)
    code = zalo.grant_code(query["code_challenge"])
    officer.get(DONE, {"code": code, "oa_id": FakeZalo.OA_ID, "state": query["state"]})
    account = ChannelAccount.objects.get(kind=ChannelKind.ZALO_OA)
    first = credentials_get(account)["access_token"]
    account_mark(account, status=AccountStatus.EXPIRED, error="Zalo từ chối làm mới")
    page = officer.get("/xuat-ban/kenh/").content.decode()
    assert "Cần kết nối lại" in page and "Kết nối lại" in page
    query = _start(officer, zalo, cast.unit_a.code)
    code = zalo.grant_code(query["code_challenge"])
    officer.get(DONE, {"code": code, "oa_id": FakeZalo.OA_ID, "state": query["state"]})
    (again,) = ChannelAccount.objects.filter(kind=ChannelKind.ZALO_OA)
    assert again.pk == account.pk and again.status == AccountStatus.CONNECTED
    assert credentials_get(again)["access_token"] != first and again.last_error == ""


def test_a_callback_with_a_forged_state_connects_nothing(
    cast: Any, zalo: FakeZalo, client_of: Any
) -> None:
    officer = client_of(cast.officer_a)
    query = _start(officer, zalo, cast.unit_a.code)
    code = zalo.grant_code(query["code_challenge"])
    done = officer.get(DONE, {"code": code, "oa_id": FakeZalo.OA_ID, "state": "forged"})
    assert done.status_code == 302 and "không hợp lệ" in _words(done)
    assert not ChannelAccount.objects.exists()
    assert not [r for r in zalo.requests if r.path == "/v4/oa/access_token"]


def test_a_code_zalo_refuses_is_shown_in_zalo_s_words_and_connects_nothing(
    cast: Any, zalo: FakeZalo, client_of: Any
) -> None:
    officer = client_of(cast.officer_a)
    query = _start(officer, zalo, cast.unit_a.code)
    zalo.grant_code("a-challenge-of-another-verifier")
    done = officer.get(
        DONE, {"code": "zalo-code-unknown", "oa_id": FakeZalo.OA_ID, "state": query["state"]}
    )
    words = _words(done)
    assert "Zalo từ chối kết nối" in words and "code_verifier is invalid" in words
    assert not ChannelAccount.objects.exists()


def test_an_admin_who_declines_on_zalo_comes_back_told_nothing_was_connected(
    cast: Any, zalo: FakeZalo, client_of: Any
) -> None:
    officer = client_of(cast.officer_a)
    query = _start(officer, zalo, cast.unit_a.code)
    done = officer.get(DONE, {"state": query["state"], "error": "access_denied"})
    assert "Chưa kết nối" in _words(done) and "access_denied" in _words(done)
    assert not ChannelAccount.objects.exists()


def test_an_officer_cannot_connect_a_zalo_oa_for_a_unit_outside_their_scope(
    cast: Any, zalo: FakeZalo, client_of: Any
) -> None:
    answer = client_of(cast.officer_a).post(CONNECT, {"unit": cast.unit_b.code})
    assert answer.status_code == 404
    assert zalo.requests == []


def test_the_button_is_off_and_says_why_when_the_server_has_no_zalo_app(
    cast: Any, settings: Any, client_of: Any
) -> None:
    settings.ZALO_APP_ID = ""
    officer = client_of(cast.officer_a)
    page = officer.get("/xuat-ban/kenh/").content.decode()
    assert "Kết nối Zalo OA" in page and "disabled" in page
    answer = officer.post(CONNECT, {"unit": cast.unit_a.code})
    assert answer.status_code == 302 and "chưa được cấu hình" in _words(answer)


def test_a_member_cannot_start_a_connection(cast: Any, zalo: FakeZalo, client_of: Any) -> None:
    answer = client_of(cast.member_user).post(CONNECT, {"unit": cast.unit_a.code})
    assert answer.status_code in (302, 403, 404)
    assert zalo.requests == [] and not ChannelAccount.objects.exists()
