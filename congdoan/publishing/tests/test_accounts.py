"""Channel accounts: credentials encrypted at rest, connecting with the platforms' OAuth
(fake Facebook Login and Google on loopback), the refresh job that renews tokens and tells the
officers in time to reconnect, and the channels page, scoped to the viewer."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.utils import timezone

from congdoan.audit.models import AuditEntry
from congdoan.outbox.channels.accounts import CredentialsRejected
from congdoan.outbox.models import OutboundMessage
from congdoan.publishing import backend, crypto
from congdoan.publishing.models import AccountStatus, ChannelAccount, ChannelKind
from congdoan.publishing.refresh import channels_refresh
from congdoan.publishing.services import credentials_get, credentials_save
from congdoan.publishing.tests.fakes import FakeGoogle, FakeGraph

pytestmark = pytest.mark.django_db


def test_credentials_are_unreadable_in_the_database(
    facebook_page: ChannelAccount, graph: FakeGraph
) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM publishing_channelaccount WHERE id = %s", [facebook_page.pk])
        row = " ".join(str(value) for value in cursor.fetchone())
    assert graph.PAGE_TOKEN not in row and "access_token" not in row
    assert credentials_get(facebook_page)["access_token"] == graph.PAGE_TOKEN


def test_a_configured_key_encrypts_and_an_old_key_still_decrypts(
    facebook_page: ChannelAccount, settings: Any
) -> None:
    old = crypto.derived_key(settings.SECRET_KEY).decode()
    new = "x" * 43 + "="
    settings.CHANNEL_CREDENTIALS_KEY = f"{new},{old}"  # rotation: new first, old still read
    assert credentials_get(facebook_page)["page_id"] == facebook_page.external_id
    credentials_save(facebook_page, {"access_token": "t2", "page_id": "p"})
    settings.CHANNEL_CREDENTIALS_KEY = new
    assert credentials_get(facebook_page)["access_token"] == "t2"


def test_credentials_that_no_key_reads_mark_the_account_and_ask_for_a_reconnection(
    cast: Any, facebook_page: ChannelAccount, settings: Any
) -> None:
    settings.SECRET_KEY = "another-secret-key-after-a-careless-redeploy"
    with pytest.raises(crypto.CredentialsUnreadable):
        credentials_get(facebook_page)
    with pytest.raises(CredentialsRejected, match="kết nối lại"):
        backend.credentials(str(facebook_page.pk))
    facebook_page.refresh_from_db()
    assert facebook_page.status == AccountStatus.ERROR
    (mail,) = OutboundMessage.objects.filter(purpose="publishing.reconnect")
    assert mail.recipient == cast.officer_a.email


def test_the_refresh_job_renews_youtube_tokens_before_they_end(
    youtube_channel: ChannelAccount, google: FakeGoogle
) -> None:
    ChannelAccount.objects.filter(pk=youtube_channel.pk).update(
        access_token_expires_at=timezone.now() + timedelta(minutes=20)
    )
    assert channels_refresh()["refreshed"] == 1
    youtube_channel.refresh_from_db()
    assert credentials_get(youtube_channel)["access_token"] == "ya29.fresh1"
    assert credentials_get(youtube_channel)["refresh_token"] == google.REFRESH
    assert youtube_channel.access_token_expires_at is not None
    assert youtube_channel.access_token_expires_at > timezone.now() + timedelta(minutes=55)
    assert channels_refresh()["refreshed"] == 0  # fresh now: nothing to do


def test_the_refresh_job_marks_a_revoked_grant_expired_and_tells_the_officers_once(
    cast: Any, youtube_channel: ChannelAccount, google: FakeGoogle
) -> None:
    google.revoked = True
    ChannelAccount.objects.filter(pk=youtube_channel.pk).update(
        access_token_expires_at=timezone.now() + timedelta(minutes=20)
    )
    assert channels_refresh()["expired"] == 1
    youtube_channel.refresh_from_db()
    assert youtube_channel.status == AccountStatus.EXPIRED
    assert "Token has been expired or revoked" in youtube_channel.last_error
    assert channels_refresh() == {"refreshed": 0, "expiring": 0, "expired": 0, "failed": 0}
    assert OutboundMessage.objects.filter(purpose="publishing.reconnect").count() == 1


def test_the_refresh_job_waits_for_google_when_it_is_down(
    youtube_channel: ChannelAccount, google: FakeGoogle
) -> None:
    google.then(503, {"error": "backendError"})
    ChannelAccount.objects.filter(pk=youtube_channel.pk).update(
        access_token_expires_at=timezone.now() + timedelta(minutes=20)
    )
    assert channels_refresh()["failed"] == 1
    youtube_channel.refresh_from_db()
    assert youtube_channel.status == AccountStatus.CONNECTED
    assert channels_refresh()["refreshed"] == 1


def test_officers_are_told_before_a_page_must_be_reconnected_and_when_it_has_to_be(
    cast: Any, facebook_page: ChannelAccount, settings: Any
) -> None:
    settings.CHANNEL_RECONNECT_WARN_DAYS = 10
    ChannelAccount.objects.filter(pk=facebook_page.pk).update(
        refresh_token_expires_at=timezone.now() + timedelta(days=5)
    )
    assert channels_refresh()["expiring"] == 1
    assert channels_refresh()["expiring"] == 0  # told once
    facebook_page.refresh_from_db()
    assert facebook_page.status == AccountStatus.EXPIRING and facebook_page.warned_at
    (warning,) = OutboundMessage.objects.filter(purpose="publishing.reconnect")
    assert "Sắp hết hạn" in warning.body and warning.recipient == cast.officer_a.email
    assert backend.credentials(str(facebook_page.pk))["page_id"]  # still posts meanwhile
    later = timezone.now() + timedelta(days=6)
    assert channels_refresh(now=later)["expired"] == 1
    facebook_page.refresh_from_db()
    assert facebook_page.status == AccountStatus.EXPIRED
    assert OutboundMessage.objects.filter(purpose="publishing.reconnect").count() == 2


def test_an_officer_connects_the_unit_s_facebook_page_with_facebook_login(
    cast: Any, graph: FakeGraph, client_of: Any
) -> None:
    officer = client_of(cast.officer_a)
    answer = officer.post("/xuat-ban/kenh/ket-noi/facebook/", {"unit": cast.unit_a.code})
    assert answer.status_code == 302 and answer["Location"].startswith(graph.url + "/dialog/oauth")
    query = parse_qs(urlsplit(answer["Location"]).query)
    # pages_read_insights: the reach figures (publishing/metrics) read the post insights
    assert query["scope"] == [
        "pages_show_list,pages_read_engagement,pages_read_insights,pages_manage_posts"
    ]
    done = officer.get(
        "/xuat-ban/kenh/ket-noi/facebook/xong/", {"code": "good-code", "state": query["state"][0]}
    )
    assert done.status_code == 302
    account = ChannelAccount.objects.get(kind=ChannelKind.FACEBOOK_PAGE)
    assert account.unit == cast.unit_a and account.external_id == graph.PAGE_ID
    assert credentials_get(account)["access_token"] == graph.PAGE_TOKEN
    assert account.refresh_token_expires_at is not None  # Facebook's data access ends
    assert AuditEntry.objects.filter(action="publishing.account.connect").count() == 1
    page = officer.get("/xuat-ban/kenh/").content.decode()
    assert "Công đoàn PX-A" in page and "Đã kết nối" in page


def test_a_callback_with_a_forged_state_connects_nothing(
    cast: Any, graph: FakeGraph, client_of: Any
) -> None:
    officer = client_of(cast.officer_a)
    officer.post("/xuat-ban/kenh/ket-noi/facebook/", {"unit": cast.unit_a.code})
    officer.get("/xuat-ban/kenh/ket-noi/facebook/xong/", {"code": "good-code", "state": "forged"})
    assert not ChannelAccount.objects.exists()


def test_an_officer_connects_a_youtube_channel_with_google(
    cast: Any, google: FakeGoogle, client_of: Any
) -> None:
    officer = client_of(cast.officer_a)
    answer = officer.post("/xuat-ban/kenh/ket-noi/youtube/", {"unit": cast.unit_a.code})
    query = parse_qs(urlsplit(answer["Location"]).query)
    assert query["access_type"] == ["offline"] and query["prompt"] == ["consent"]
    officer.get(
        "/xuat-ban/kenh/ket-noi/youtube/xong/", {"code": "good-code", "state": query["state"][0]}
    )
    account = ChannelAccount.objects.get(kind=ChannelKind.YOUTUBE)
    assert account.external_id == google.CHANNEL_ID and account.display_name == "CĐ PX-A"
    assert credentials_get(account)["refresh_token"] == google.REFRESH


def test_an_officer_cannot_connect_a_channel_for_a_unit_outside_their_scope(
    cast: Any, graph: FakeGraph, client_of: Any
) -> None:
    answer = client_of(cast.officer_a).post(
        "/xuat-ban/kenh/ket-noi/facebook/", {"unit": cast.unit_b.code}
    )
    assert answer.status_code == 404


def test_the_channels_page_shows_each_officer_only_their_units_accounts(
    cast: Any, facebook_page: ChannelAccount, client_of: Any
) -> None:
    ChannelAccount.objects.filter(pk=facebook_page.pk).update(
        status=AccountStatus.EXPIRED, last_error="Mã 190: hết hạn"
    )
    mine = client_of(cast.officer_a).get("/xuat-ban/kenh/").content.decode()
    assert "Công đoàn PX-A" in mine and "Cần kết nối lại" in mine and "Mã 190" in mine
    theirs = client_of(cast.officer_b).get("/xuat-ban/kenh/").content.decode()
    assert "Công đoàn PX-A" not in theirs
    assert (
        client_of(cast.officer_b).post(f"/xuat-ban/kenh/{facebook_page.pk}/bo-ket-noi/").status_code
        == 404
    )
    assert client_of(cast.member_user).get("/xuat-ban/kenh/").status_code == 403
    assert (
        client_of(cast.officer_a).post(f"/xuat-ban/kenh/{facebook_page.pk}/bo-ket-noi/").status_code
        == 302
    )
    assert not ChannelAccount.objects.exists()
