# ruff: noqa: F811 - pytest fixtures are used as parameters
"""Zalo OA tokens that keep working, against a fake Zalo that spends each refresh token once:
connecting with PKCE, the refresh job, a refused token renewed once while sending, the
officers told to reconnect, two workers never spending one refresh token, the static
ZALO_OA_ACCESS_TOKEN as the fallback."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.utils import timezone

from congdoan.feedback.tests.fakes.fixtures import fast_retries  # noqa: F401
from congdoan.orgs.site import set_home_unit
from congdoan.outbox.channels import zalo as zalo_channel
from congdoan.outbox.delivery import message_deliver
from congdoan.outbox.errors import ChannelError, ChannelNotConfigured
from congdoan.outbox.models import MessageStatus, OutboundMessage
from congdoan.outbox.services import message_enqueue
from congdoan.outbox.tests.fakes import FakeZaloOAuth, challenge_of
from congdoan.publishing import zalo
from congdoan.publishing.models import AccountStatus, ChannelAccount, ChannelKind
from congdoan.publishing.refresh import channels_refresh
from congdoan.publishing.services import account_connect, credentials_get

APP_ID = "1234567890"
APP_SECRET = "zalo-app-secret"


@pytest.fixture
def fake(settings: Any, fast_retries: None) -> Iterator[FakeZaloOAuth]:
    server = FakeZaloOAuth(APP_ID, APP_SECRET).start()
    settings.ZALO_OA_API_BASE = server.url
    settings.ZALO_OAUTH_BASE = server.url
    settings.ZALO_APP_ID = APP_ID
    settings.ZALO_APP_SECRET_KEY = APP_SECRET
    settings.ZALO_OA_ACCESS_TOKEN = ""
    settings.SITE_URL = "https://congdoan.example"
    try:
        yield server
    finally:
        server.stop()


def connected(cast: Any, fake: FakeZaloOAuth, *, ends_in: timedelta) -> ChannelAccount:
    """A unit A account holding the fake's current tokens, its access token ending then."""
    access, refresh = fake.issue()
    now = timezone.now()
    return account_connect(
        actor=cast.officer_a,
        unit=cast.unit_a,
        kind=ChannelKind.ZALO_OA,
        external_id="oa-1",
        display_name="Zalo OA Công đoàn May A",
        credentials={"access_token": access, "refresh_token": refresh},
        access_token_expires_at=now + ends_in,
        refresh_token_expires_at=now + timedelta(days=90),
    )


@pytest.mark.django_db
def test_officer_connects_the_oa_with_pkce_and_the_tokens_are_stored_encrypted(
    cast: Any, fake: FakeZaloOAuth
) -> None:
    url = zalo.connect_url(
        actor=cast.officer_a, unit=cast.unit_a, redirect_uri="https://congdoan.example/cb/"
    )
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert parts.path == "/v4/oa/permission"
    assert query["app_id"] == APP_ID and query["redirect_uri"] == "https://congdoan.example/cb/"
    code = fake.grant_code(query["code_challenge"])  # the OA's admin agreed

    account = zalo.connect_finish(
        actor=cast.officer_a, state=query["state"], code=code, oa_id="oa-777"
    )

    (request,) = fake.token_requests
    assert request["grant_type"] == "authorization_code" and request["code"] == code
    assert fake.requests[0].headers["secret_key"] == APP_SECRET
    assert "code_verifier" not in url and request["code_verifier"] not in url
    account.refresh_from_db()
    assert (account.unit, account.kind, account.external_id) == (
        cast.unit_a,
        ChannelKind.ZALO_OA,
        "oa-777",
    )
    assert account.status == AccountStatus.CONNECTED
    assert fake.access_token not in account.credentials_encrypted
    assert credentials_get(account)["access_token"] == fake.access_token
    assert account.access_token_expires_at is not None
    hours = (account.access_token_expires_at - timezone.now()).total_seconds() / 3600
    assert 24.9 < hours <= 25


@pytest.mark.django_db
def test_connect_callback_of_another_officer_or_a_refused_code_is_refused(
    cast: Any, fake: FakeZaloOAuth
) -> None:
    url = zalo.connect_url(actor=cast.officer_a, unit=cast.unit_a, redirect_uri="https://x/cb/")
    state = parse_qs(urlsplit(url).query)["state"][0]
    with pytest.raises(zalo.ConnectError, match="không phải của bạn"):
        zalo.connect_finish(actor=cast.officer_b, state=state, code="c", oa_id="oa")
    with pytest.raises(zalo.ConnectError, match="không hợp lệ"):
        zalo.connect_finish(actor=cast.officer_a, state="forged", code="c", oa_id="oa")
    with pytest.raises(zalo.ConnectError, match="Zalo từ chối kết nối"):
        zalo.connect_finish(actor=cast.officer_a, state=state, code="not-granted", oa_id="oa")
    assert not ChannelAccount.objects.exists()


def test_channels_page_flow_uses_the_dialog_and_the_code_exchange(fake: FakeZaloOAuth) -> None:
    """The page keeps the verifier in its session: dialog_url, then oa_connection."""
    verifier, challenge = zalo.pkce_pair()
    assert len(verifier) == 43 and challenge == challenge_of(verifier)
    url = zalo.dialog_url(redirect_uri="https://x/cb/", state="s-1", code_challenge=challenge)
    assert parse_qs(urlsplit(url).query)["state"] == ["s-1"]
    code = fake.grant_code(challenge)
    with pytest.raises(zalo.ConnectError, match="Zalo từ chối kết nối"):
        zalo.oa_connection(code=code, code_verifier="another-verifier", oa_id="oa-9")
    code = fake.grant_code(challenge)
    found = zalo.oa_connection(code=code, code_verifier=verifier, oa_id="oa-9")
    assert found.external_id == "oa-9"
    assert found.credentials == {"access_token": fake.access_token, "refresh_token": "refresh-3"}


@pytest.mark.django_db
def test_refresh_job_renews_tokens_before_they_end_and_spends_each_refresh_token_once(
    cast: Any, fake: FakeZaloOAuth
) -> None:
    account = connected(cast, fake, ends_in=timedelta(minutes=30))
    first_refresh = credentials_get(account)["refresh_token"]

    assert zalo.zalo_refresh_due()["refreshed"] == 1
    account.refresh_from_db()
    creds = credentials_get(account)
    assert creds["access_token"] == fake.access_token
    assert creds["refresh_token"] != first_refresh and fake.spent == [first_refresh]
    assert account.access_token_expires_at is not None
    assert account.access_token_expires_at > timezone.now() + timedelta(hours=24)

    assert zalo.zalo_refresh_due()["refreshed"] == 0  # fresh now: nothing spent
    assert len(fake.token_requests) == 1


@pytest.mark.django_db
def test_worker_sends_with_the_units_token_and_renews_it_once_when_zalo_says_expired(
    cast: Any, fake: FakeZaloOAuth
) -> None:
    account = connected(cast, fake, ends_in=timedelta(hours=20))
    fake.issue()  # Zalo ended the stored access token early: it now answers -124
    message = message_enqueue(
        channel="zalo", recipient="u-1", body="Trả lời ý kiến", ref=zalo.account_ref(account)
    )

    assert message_deliver(message_id=message.pk) == MessageStatus.SENT

    sends = [r for r in fake.requests if r.path == "/v3.0/oa/message/cs"]
    assert len(sends) == 2 and len(fake.token_requests) == 1
    assert fake.sent == [{"user_id": "u-1", "text": "Trả lời ý kiến"}]
    assert credentials_get(ChannelAccount.objects.get())["access_token"] == fake.access_token


@pytest.mark.django_db
def test_refused_refresh_token_fails_once_with_a_clear_message_and_officers_are_told(
    cast: Any, fake: FakeZaloOAuth, django_capture_on_commit_callbacks: Any
) -> None:
    account = connected(cast, fake, ends_in=timedelta(hours=20))
    fake.issue()
    fake.refresh_tokens.clear()  # revoked by the OA's admin
    message = message_enqueue(
        channel="zalo", recipient="u-1", body="Trả lời", ref=zalo.account_ref(account)
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert message_deliver(message_id=message.pk) == MessageStatus.FAILED

    message.refresh_from_db()
    assert "-124" in message.last_error and "kết nối lại Zalo OA" in message.last_error
    assert len(fake.requests) == 2  # one send, one refresh: no retry storm
    account.refresh_from_db()
    assert account.status == AccountStatus.EXPIRED and account.needs_reconnect
    (mail,) = OutboundMessage.objects.filter(channel="email", purpose="publishing.reconnect")
    assert mail.recipient == cast.officer_a.email
    assert "https://congdoan.example/" in mail.body

    # Nothing more is sent with it, and the officers are not told twice.
    assert zalo.zalo_refresh_due() == {"refreshed": 0, "expired": 0, "retry": 0}
    with pytest.raises(ChannelNotConfigured):
        zalo_channel.send_text("u-1", "xin chào", ref=zalo.account_ref(account))
    assert OutboundMessage.objects.filter(channel="email").count() == 1


@pytest.mark.django_db
def test_refresh_token_close_to_its_end_asks_the_officers_once_to_reconnect(
    cast: Any, fake: FakeZaloOAuth, django_capture_on_commit_callbacks: Any
) -> None:
    account = connected(cast, fake, ends_in=timedelta(hours=20))
    ChannelAccount.objects.filter(pk=account.pk).update(
        refresh_token_expires_at=timezone.now() + timedelta(days=5)
    )
    for _run in range(2):  # the channels' job warns for every platform, Zalo included
        with django_capture_on_commit_callbacks(execute=True):
            zalo.zalo_refresh_due()
            channels_refresh()
    account.refresh_from_db()
    assert account.status == AccountStatus.EXPIRING
    assert OutboundMessage.objects.filter(purpose="publishing.reconnect").count() == 1
    # Still usable until it ends.
    assert zalo_channel.send_text("u-1", "xin chào", ref=zalo.account_ref(account)) == "zmsg1"


@pytest.mark.django_db
def test_zalo_oauth_down_leaves_the_account_connected_for_the_next_run(
    cast: Any, fake: FakeZaloOAuth
) -> None:
    account = connected(cast, fake, ends_in=timedelta(minutes=5))
    fake.fail_next(1, status=503)
    assert zalo.zalo_refresh_due()["retry"] == 1
    account.refresh_from_db()
    assert account.status == AccountStatus.CONNECTED
    assert zalo.zalo_refresh_due()["refreshed"] == 1


@pytest.mark.django_db
def test_a_sender_whose_token_was_already_renewed_spends_nothing(
    cast: Any, fake: FakeZaloOAuth
) -> None:
    account = connected(cast, fake, ends_in=timedelta(minutes=5))
    old = zalo_channel.token_for(zalo.account_ref(account))
    assert old is not None
    assert zalo.account_refresh(account_id=account.pk) == "refreshed"
    assert zalo.account_refresh(account_id=account.pk, rejected_token=old.access_token) == "fresh"
    assert len(fake.token_requests) == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_refreshing_at_once_spend_the_refresh_token_once(
    cast: Any, fake: FakeZaloOAuth
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises the two writers itself; the row claim is for PostgreSQL")
    account = connected(cast, fake, ends_in=timedelta(minutes=5))
    fake.fail_next(1, delay=0.5)  # the first refresh is slow: the second comes meanwhile
    outcomes: list[str] = []

    def refresh() -> None:
        try:
            outcomes.append(zalo.account_refresh(account_id=account.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=refresh) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert sorted(outcomes) == ["fresh", "refreshed"]
    assert len(fake.token_requests) == 1
    assert credentials_get(ChannelAccount.objects.get())["access_token"] == fake.access_token


@pytest.mark.django_db
def test_feedback_messages_use_the_home_units_account_else_the_static_token(
    cast: Any, fake: FakeZaloOAuth, settings: Any
) -> None:
    settings.ZALO_OA_ACCESS_TOKEN = "static-token"
    assert zalo_channel.token_for("feedback.concern:1") == zalo_channel.ZaloToken("static-token")
    account = connected(cast, fake, ends_in=timedelta(hours=20))
    # The only connected OA is the deployment's.
    assert zalo_channel.token_for("feedback.concern:1") == zalo_channel.ZaloToken(
        fake.access_token, account.pk
    )
    access, refresh = fake.issue()
    home = account_connect(
        actor=cast.district_officer,
        unit=cast.district,
        kind=ChannelKind.ZALO_OA,
        external_id="oa-px",
        display_name="Zalo OA LĐLĐ Phú Xuyên",
        credentials={"access_token": access, "refresh_token": refresh},
        access_token_expires_at=timezone.now() + timedelta(hours=20),
    )
    set_home_unit(cast.district)
    assert zalo_channel.token_for("feedback.concern:1") == zalo_channel.ZaloToken(access, home.pk)


def test_static_token_refused_is_final_and_asks_for_a_new_one(
    fake: FakeZaloOAuth, settings: Any
) -> None:
    zalo_channel.register_token_source(None)  # an older deployment: no accounts at all
    try:
        settings.ZALO_OA_ACCESS_TOKEN = "stale"
        with pytest.raises(ChannelError, match=r"-216.*kết nối lại") as info:
            zalo_channel.send_text("u-1", "xin chào")
        assert info.value.retryable is False and fake.token_requests == []
    finally:
        zalo.register()
