"""Zalo's OpenAPI answers -220 ("access_token is expired or removed") for a token it ended
early; the outbox's Zalo channel renews it once, as for -216 and -124, for a reply to a
worker as for a post of the unit's OA (congdoan/publishing/tests/test_zalo_article.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from congdoan.feedback.tests.fakes import Recorded
from congdoan.outbox.channels import zalo as zalo_channel
from congdoan.outbox.delivery import message_deliver
from congdoan.outbox.models import MessageStatus, OutboundMessage
from congdoan.outbox.services import message_enqueue
from congdoan.outbox.tests.fakes import FakeZaloOAuth
from congdoan.publishing import zalo
from congdoan.publishing.models import ChannelAccount, ChannelKind
from congdoan.publishing.services import account_connect, credentials_get

APP_ID = "1234567890"
APP_SECRET = "zalo-app-secret"


class FakeZaloRemoved(FakeZaloOAuth):
    """Answers -220 instead of -124 for a replaced access token."""

    def handle(self, rec: Recorded) -> tuple[int, Any]:
        if rec.headers.get("access_token") in self.expired:
            return 200, {"error": -220, "message": "access_token is expired or removed"}
        return super().handle(rec)


@pytest.fixture
def fake(settings: Any) -> Iterator[FakeZaloRemoved]:
    server = FakeZaloRemoved(APP_ID, APP_SECRET).start()
    settings.OUTBOX_HTTP_TIMEOUT = 2.0
    settings.ZALO_OA_API_BASE = server.url
    settings.ZALO_OAUTH_BASE = server.url
    settings.ZALO_APP_ID = APP_ID
    settings.ZALO_APP_SECRET_KEY = APP_SECRET
    settings.ZALO_OA_ACCESS_TOKEN = ""
    try:
        yield server
    finally:
        server.stop()


@pytest.mark.django_db
def test_a_reply_with_a_token_zalo_removed_is_sent_once_with_a_renewed_one(
    cast: Any, fake: FakeZaloRemoved
) -> None:
    access, refresh = fake.issue()
    account = account_connect(
        actor=cast.officer_a,
        unit=cast.unit_a,
        kind=ChannelKind.ZALO_OA,
        external_id="oa-220",
        display_name="OA",
        credentials={"access_token": access, "refresh_token": refresh},
        access_token_expires_at=timezone.now() + timedelta(hours=20),
    )
    fake.issue()  # the stored token is now answered -220
    message = message_enqueue(
        channel="zalo", recipient="u-9", body="Đã nhận ý kiến", ref=zalo.account_ref(account)
    )
    assert message_deliver(message_id=message.pk) == MessageStatus.SENT
    assert fake.sent == [{"user_id": "u-9", "text": "Đã nhận ý kiến"}]
    assert len(fake.token_requests) == 1
    assert credentials_get(ChannelAccount.objects.get())["access_token"] == fake.access_token


def test_a_post_is_told_from_a_reply_by_its_purpose() -> None:
    reply = OutboundMessage(channel="zalo", recipient="u-1", body="{}", purpose="feedback.answer")
    post = OutboundMessage(channel="zalo", recipient="7", body="{}", purpose="publishing.post")
    assert zalo_channel.POST_PURPOSE == post.purpose != reply.purpose
    article = zalo_channel.article_of(
        {"title": "T" * 200, "author": "A" * 80, "description": "D" * 400, "paragraphs": ["x"]}
    )
    assert len(article["title"]) == 150 and article["title"].endswith("…")
    assert len(article["author"]) == 50 and len(article["description"]) == 300
    assert article["body"] == [{"type": "text", "content": "x"}]
