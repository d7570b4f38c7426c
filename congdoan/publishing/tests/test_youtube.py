"""Uploading to YouTube through the outbox, against a fake of Google's token endpoint and the
Data API v3: chunks of a resumable upload, an attempt cut half-way that resumes where it
stopped (a killed worker too: the outbox reclaims its message), the access token refreshed
before use and after a 401, a revoked grant (final, officers told) and quota refusals."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from congdoan.outbox.delivery import outbox_flush
from congdoan.outbox.models import MessageStatus, OutboundMessage
from congdoan.publishing.models import AccountStatus, ChannelAccount, Publication, PublicationStatus
from congdoan.publishing.publications import NotPublishable, publication_enqueue
from congdoan.publishing.tests.conftest import MediaKind, add_media, publish, retry_time
from congdoan.publishing.tests.fakes import FakeGoogle

pytestmark = pytest.mark.django_db

VIDEO = bytes(range(256)) * 2600  # 665,600 bytes: three chunks of 256 KiB


def _video_product(make_product: Any) -> Any:
    product = make_product(tags=["an toàn lao động"])
    add_media(product, MediaKind.VIDEO, "clip.mp4", VIDEO, "video/mp4")
    return product


def test_a_video_is_uploaded_in_chunks_with_its_title_and_tags(
    cast: Any,
    google: FakeGoogle,
    youtube_channel: ChannelAccount,
    make_product: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    product = _video_product(make_product)
    publication = publish(cast, product, youtube_channel, django_capture_on_commit_callbacks)
    (video,) = google.videos
    assert video["bytes"] == VIDEO
    assert video["snippet"]["title"] == product.title
    assert video["snippet"]["tags"] == ["an toàn lao động"]
    assert video["status"] == {"privacyStatus": "public"}
    puts = [r for r in google.requests if r.method == "PUT"]
    assert len(puts) == 3
    assert publication.status == PublicationStatus.PUBLISHED
    assert publication.remote_url == f"https://www.youtube.com/watch?v={video['id']}"
    assert google.refreshes == 0  # the token had 50 minutes left


def test_an_upload_cut_half_way_resumes_where_it_stopped(
    cast: Any,
    google: FakeGoogle,
    youtube_channel: ChannelAccount,
    make_product: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    google.cut_after_chunks = 1
    publication = publish(
        cast, _video_product(make_product), youtube_channel, django_capture_on_commit_callbacks
    )
    assert publication.status == PublicationStatus.QUEUED and "503" in publication.last_answer
    assert publication.progress["upload_url"].startswith(google.url)
    google.cut_after_chunks = None
    assert outbox_flush(now=retry_time(publication))["sent"] == 1
    (video,) = google.videos
    assert video["bytes"] == VIDEO and len(google.sessions) == 1  # one session, resumed
    status_query = [
        r for r in google.requests if r.headers.get("content-range", "").startswith("bytes */")
    ]
    assert len(status_query) == 1
    resumed = [r.headers["content-range"] for r in google.requests if r.method == "PUT"][-2:]
    assert resumed == ["bytes 262144-524287/665600", "bytes 524288-665599/665600"]


def test_a_killed_worker_s_upload_is_reclaimed_by_the_flush_and_resumed(
    cast: Any,
    google: FakeGoogle,
    youtube_channel: ChannelAccount,
    make_product: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    google.cut_after_chunks = 1
    publication = publish(
        cast, _video_product(make_product), youtube_channel, django_capture_on_commit_callbacks
    )
    google.cut_after_chunks = None
    # The worker that took the retry died while sending: SENDING, its lease over.
    assert publication.message is not None
    OutboundMessage.objects.filter(pk=publication.message.pk).update(
        status=MessageStatus.SENDING, claimed_until=timezone.now() - timedelta(seconds=1)
    )
    assert outbox_flush()["sent"] == 1
    (video,) = google.videos
    assert video["bytes"] == VIDEO and len(google.sessions) == 1
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.PUBLISHED


def test_an_access_token_about_to_end_is_refreshed_before_the_upload(
    cast: Any,
    google: FakeGoogle,
    youtube_channel: ChannelAccount,
    make_product: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    ChannelAccount.objects.filter(pk=youtube_channel.pk).update(
        access_token_expires_at=timezone.now() + timedelta(minutes=1)
    )
    publication = publish(
        cast, _video_product(make_product), youtube_channel, django_capture_on_commit_callbacks
    )
    assert publication.status == PublicationStatus.PUBLISHED and google.refreshes == 1
    youtube_channel.refresh_from_db()
    assert youtube_channel.access_token_expires_at is not None
    assert youtube_channel.access_token_expires_at > timezone.now() + timedelta(minutes=50)


def test_a_token_google_no_longer_accepts_is_refreshed_once_and_the_upload_goes_on(
    cast: Any,
    google: FakeGoogle,
    youtube_channel: ChannelAccount,
    make_product: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    google.valid.discard("ya29.first")  # revoked early, though not yet expired
    publication = publish(
        cast, _video_product(make_product), youtube_channel, django_capture_on_commit_callbacks
    )
    assert publication.status == PublicationStatus.PUBLISHED and google.refreshes == 1


def test_a_revoked_grant_fails_once_marks_the_channel_and_tells_the_officers(
    cast: Any,
    google: FakeGoogle,
    youtube_channel: ChannelAccount,
    make_product: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    google.valid.clear()
    google.revoked = True
    publication = publish(
        cast, _video_product(make_product), youtube_channel, django_capture_on_commit_callbacks
    )
    assert publication.status == PublicationStatus.FAILED
    assert "kết nối lại" in publication.last_answer
    assert publication.message is not None and publication.message.attempts == 1
    youtube_channel.refresh_from_db()
    assert youtube_channel.status == AccountStatus.EXPIRED
    assert OutboundMessage.objects.filter(purpose="publishing.reconnect").count() == 1
    before = len(google.requests)
    with pytest.raises(NotPublishable):
        publication_enqueue(
            actor=cast.officer_a, product=_video_product(make_product), account=youtube_channel
        )
    assert len(google.requests) == before


def test_a_quota_refusal_is_retried_later(
    cast: Any,
    google: FakeGoogle,
    youtube_channel: ChannelAccount,
    make_product: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    google.then(
        403,
        {
            "error": {
                "code": 403,
                "message": "The request cannot be completed because you have exceeded your quota.",
                "errors": [{"reason": "quotaExceeded"}],
            }
        },
    )
    publication = publish(
        cast, _video_product(make_product), youtube_channel, django_capture_on_commit_callbacks
    )
    assert (
        publication.status == PublicationStatus.QUEUED
        and "quotaExceeded" in publication.last_answer
    )
    assert outbox_flush(now=retry_time(publication))["sent"] == 1
    assert len(google.videos) == 1


def test_a_product_without_a_video_is_not_sent_to_youtube(
    cast: Any, youtube_channel: ChannelAccount, make_product: Any
) -> None:
    with pytest.raises(NotPublishable, match="video"):
        publication_enqueue(actor=cast.officer_a, product=make_product(), account=youtube_channel)
    assert not Publication.objects.exists()
