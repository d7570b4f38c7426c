"""Publishing a product to a unit's Zalo OA through the outbox, against a fake Zalo OpenAPI on
loopback: the article and its broadcast, a lost answer never making a second article or a
second broadcast, an article still processed, an expired token renewed once, a revoked one
(officers told to reconnect), quota (retried later), refused content (Zalo's words), and
products Zalo cannot take."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from congdoan.content import services as content_services
from congdoan.content.models import ProductStatus, Sharing
from congdoan.outbox.channels import zalo as zalo_channel
from congdoan.outbox.delivery import outbox_flush
from congdoan.outbox.models import DeliveryAttempt, OutboundMessage
from congdoan.publishing import publications
from congdoan.publishing.models import (
    AccountStatus,
    ChannelAccount,
    ChannelKind,
    PublicationStatus,
)
from congdoan.publishing.publications import NotPublishable, publication_enqueue
from congdoan.publishing.services import account_connect, credentials_get
from congdoan.publishing.tests.conftest import MediaKind, add_media, publish, retry_time
from congdoan.publishing.tests.fakes_zalo import FakeZalo

pytestmark = pytest.mark.django_db

CREATE = ("POST", "/v2.0/article/create")
VERIFY = ("POST", "/v2.0/article/verify")
LIST = ("GET", "/v2.0/article/getslice")
BROADCAST = ("POST", "/v2.0/oa/message")


@pytest.fixture
def zalo(settings: Any, platforms: None) -> Iterator[FakeZalo]:
    fake = FakeZalo().start()
    settings.ZALO_OA_API_BASE = fake.url
    settings.ZALO_OAUTH_BASE = fake.url
    settings.ZALO_APP_ID = FakeZalo.APP_ID
    settings.ZALO_APP_SECRET_KEY = FakeZalo.SECRET
    settings.ZALO_OA_ACCESS_TOKEN = ""
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture
def zalo_oa(cast: Any, zalo: FakeZalo) -> ChannelAccount:
    access, refresh = zalo.issue()
    now = timezone.now()
    return account_connect(
        actor=cast.officer_a,
        unit=cast.unit_a,
        kind=ChannelKind.ZALO_OA,
        external_id=FakeZalo.OA_ID,
        display_name=FakeZalo.OA_NAME,
        credentials={"access_token": access, "refresh_token": refresh},
        access_token_expires_at=now + timedelta(hours=20),
        refresh_token_expires_at=now + timedelta(days=90),
    )


@pytest.fixture
def story(make_product: Any) -> Any:
    """A public product with a full version of two paragraphs, a cover and a second photo."""
    product = make_product(
        body="<p>Sáng 6/12, hơn 300 đoàn viên dự hội nghị.</p><p>Công đoàn ký thoả ước mới.</p>"
    )
    cover = add_media(product, MediaKind.PHOTO, "bia.jpg", b"\xff\xd8jpeg", "image/jpeg")
    add_media(product, MediaKind.PHOTO, "hoi-truong.jpg", b"\xff\xd8jpeg2", "image/jpeg")
    product.cover = cover
    product.save(update_fields=["cover"])
    return product


def test_a_published_product_becomes_a_zalo_article_and_a_broadcast_to_the_followers(
    cast: Any,
    zalo: FakeZalo,
    zalo_oa: ChannelAccount,
    story: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    publication = publish(cast, story, zalo_oa, django_capture_on_commit_callbacks)
    (article,) = zalo.articles
    assert article["type"] == "normal" and article["status"] == "show"
    assert article["title"] == story.title and article["author"] == cast.unit_a.name
    assert article["description"] == story.summary
    assert article["cover"]["cover_type"] == "photo"
    assert article["cover"]["photo_url"].startswith("https://congdoan.example.vn/tin/")
    texts = [b["content"] for b in article["body"] if b["type"] == "text"]
    assert texts[:2] == [
        "Sáng 6/12, hơn 300 đoàn viên dự hội nghị.",
        "Công đoàn ký thoả ước mới.",
    ]
    assert publications.public_url(story) in texts[-1]
    (image,) = [b for b in article["body"] if b["type"] == "image"]
    assert image["url"] != article["cover"]["photo_url"]
    (broadcast,) = zalo.broadcasts
    element = broadcast["message"]["attachment"]["payload"]["elements"][0]
    assert element == {"media_type": "article", "attachment_id": article["id"]}
    assert publication.status == PublicationStatus.PUBLISHED
    assert publication.remote_id == article["id"] and publication.last_answer == ""
    assert publication.message is not None and publication.message.channel == "zalo"
    assert publication.progress["broadcast_id"] == broadcast["message_id"]
    assert all(
        r.headers["access_token"] == credentials_get(zalo_oa)["access_token"] for r in zalo.requests
    )


def test_an_article_whose_answer_was_lost_is_found_by_its_title_and_not_made_again(
    cast: Any,
    zalo: FakeZalo,
    zalo_oa: ChannelAccount,
    story: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    zalo.lose_create = 1  # Zalo made it; its answer never came back
    publication = publish(cast, story, zalo_oa, django_capture_on_commit_callbacks)
    assert publication.status == PublicationStatus.QUEUED and "thử lại" in publication.last_answer
    assert outbox_flush(now=retry_time(publication))["sent"] == 1
    publication.refresh_from_db()
    assert len(zalo.articles) == 1 and zalo.calls(*CREATE) == 1 and zalo.calls(*LIST) == 1
    assert publication.status == PublicationStatus.PUBLISHED
    assert publication.remote_id == zalo.articles[0]["id"]
    assert publication.remote_url == zalo.articles[0]["link"]
    assert len(zalo.broadcasts) == 1


def test_an_article_still_processed_is_verified_again_later_without_a_second_create(
    cast: Any,
    zalo: FakeZalo,
    zalo_oa: ChannelAccount,
    story: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    zalo.processing_rounds = 1
    publication = publish(cast, story, zalo_oa, django_capture_on_commit_callbacks)
    assert publication.status == PublicationStatus.QUEUED and "-214" in publication.last_answer
    assert publication.progress.get("token")
    assert outbox_flush(now=retry_time(publication))["sent"] == 1
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.PUBLISHED
    assert zalo.calls(*CREATE) == 1 and zalo.calls(*VERIFY) == 2 and len(zalo.broadcasts) == 1


def test_a_broadcast_whose_answer_was_lost_is_never_sent_twice_and_the_officer_is_told(
    cast: Any,
    zalo: FakeZalo,
    zalo_oa: ChannelAccount,
    story: Any,
    django_capture_on_commit_callbacks: Any,
    client_of: Any,
) -> None:
    zalo.lose_broadcast = 1
    publication = publish(cast, story, zalo_oa, django_capture_on_commit_callbacks)
    assert publication.status == PublicationStatus.QUEUED
    assert outbox_flush(now=retry_time(publication))["sent"] == 1
    publication.refresh_from_db()
    assert len(zalo.broadcasts) == 1 and len(zalo.articles) == 1
    assert publication.status == PublicationStatus.PUBLISHED
    assert "không gửi lại" in publication.last_answer
    assert "không gửi lại" in client_of(cast.officer_a).get("/xuat-ban/").content.decode()


def test_an_expired_access_token_is_refreshed_once_and_the_article_posted(
    cast: Any,
    zalo: FakeZalo,
    zalo_oa: ChannelAccount,
    story: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    old = credentials_get(zalo_oa)["access_token"]
    zalo.expire(old)  # Zalo ended it before our clock said so
    publication = publish(cast, story, zalo_oa, django_capture_on_commit_callbacks)
    assert publication.status == PublicationStatus.PUBLISHED and len(zalo.articles) == 1
    zalo_oa.refresh_from_db()
    fresh = credentials_get(zalo_oa)["access_token"]
    assert fresh != old and fresh in zalo.valid
    assert zalo_oa.status == AccountStatus.CONNECTED
    assert [r.headers.get("access_token") for r in zalo.requests if r.path == CREATE[1]] == [
        old,
        fresh,
    ]


def test_a_revoked_grant_fails_once_marks_the_oa_and_tells_the_officers_to_reconnect(
    cast: Any,
    zalo: FakeZalo,
    zalo_oa: ChannelAccount,
    story: Any,
    make_product: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    zalo.valid.clear()  # the OA's admin withdrew the app: -216 …
    zalo.refresh_tokens.clear()  # … and the refresh token is refused too
    publication = publish(cast, story, zalo_oa, django_capture_on_commit_callbacks)
    assert publication.status == PublicationStatus.FAILED
    assert "kết nối lại" in publication.last_answer
    assert publication.message is not None and publication.message.attempts == 1
    zalo_oa.refresh_from_db()
    assert zalo_oa.status == AccountStatus.EXPIRED
    (mail,) = OutboundMessage.objects.filter(purpose="publishing.reconnect")
    assert mail.recipient == cast.officer_a.email and "/xuat-ban/kenh/" in mail.body
    assert zalo.articles == []
    with pytest.raises(NotPublishable, match="kết nối lại"):
        publication_enqueue(actor=cast.officer_a, product=make_product(), account=zalo_oa)


def test_zalo_out_of_quota_is_retried_later_by_the_outbox_policy(
    cast: Any,
    zalo: FakeZalo,
    zalo_oa: ChannelAccount,
    story: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    zalo.then(200, {"error": -211, "message": "Out of quota"})
    publication = publish(cast, story, zalo_oa, django_capture_on_commit_callbacks)
    assert publication.status == PublicationStatus.QUEUED
    assert "-211" in publication.last_answer and "thử lại" in publication.last_answer
    assert publication.message is not None
    assert publication.message.next_attempt_at > timezone.now() + timedelta(seconds=10)
    assert outbox_flush()["sent"] == 0 and zalo.articles == []
    assert outbox_flush(now=retry_time(publication))["sent"] == 1
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.PUBLISHED and len(zalo.articles) == 1
    assert [a.ok for a in DeliveryAttempt.objects.filter(message=publication.message)] == [
        False,
        True,
    ]


def test_a_broadcast_refused_at_night_is_retried_later_without_a_second_article(
    cast: Any,
    zalo: FakeZalo,
    zalo_oa: ChannelAccount,
    story: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    zalo.broadcast_refusals.append((-234, "Message cannot be sent at night"))
    publication = publish(cast, story, zalo_oa, django_capture_on_commit_callbacks)
    assert publication.status == PublicationStatus.QUEUED
    assert "Bài viết đã đăng trên Zalo OA" in publication.last_answer
    assert "-234" in publication.last_answer
    assert len(zalo.articles) == 1 and zalo.broadcasts == []
    assert outbox_flush(now=retry_time(publication))["sent"] == 1
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.PUBLISHED
    assert zalo.calls(*CREATE) == 1 and zalo.calls(*VERIFY) == 1 and len(zalo.broadcasts) == 1


def test_a_broadcast_zalo_refuses_fails_and_the_officer_s_retry_sends_only_the_broadcast(
    cast: Any,
    zalo: FakeZalo,
    zalo_oa: ChannelAccount,
    story: Any,
    django_capture_on_commit_callbacks: Any,
    client_of: Any,
) -> None:
    zalo.broadcast_refusals.append((-224, "The OA needs to upgrade OA Tier Package"))
    publication = publish(cast, story, zalo_oa, django_capture_on_commit_callbacks)
    assert publication.status == PublicationStatus.FAILED
    assert "chưa gửi được tới người quan tâm" in publication.last_answer
    assert "Tier Package" in publication.last_answer
    with django_capture_on_commit_callbacks(execute=True):
        client_of(cast.officer_a).post(f"/xuat-ban/lan/{publication.pk}/gui-lai/")
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.PUBLISHED
    assert zalo.calls(*CREATE) == 1 and len(zalo.articles) == 1 and len(zalo.broadcasts) == 1


def test_content_zalo_refuses_fails_at_once_with_zalos_words(
    cast: Any,
    zalo: FakeZalo,
    zalo_oa: ChannelAccount,
    make_product: Any,
    django_capture_on_commit_callbacks: Any,
    client_of: Any,
) -> None:
    product = make_product(title="Tuyên truyền phòng chống cờ bạc")
    add_media(product, MediaKind.PHOTO, "bia.jpg", b"\xff\xd8jpeg", "image/jpeg")
    publication = publish(cast, product, zalo_oa, django_capture_on_commit_callbacks)
    assert publication.status == PublicationStatus.FAILED
    assert "Zalo OA từ chối bài viết" in publication.last_answer
    assert "-248" in publication.last_answer and "platform standards" in publication.last_answer
    assert publication.message is not None and publication.message.attempts == 1
    assert publication.progress.get("create_sent_at") == ""
    zalo_oa.refresh_from_db()
    assert zalo_oa.status == AccountStatus.CONNECTED  # the OA itself is fine
    page = client_of(cast.officer_a).get("/xuat-ban/").content.decode()
    assert "Zalo OA từ chối bài viết" in page


def test_zalo_down_is_retried_and_nothing_is_made_twice(
    cast: Any,
    zalo: FakeZalo,
    zalo_oa: ChannelAccount,
    story: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    zalo.then(503, None)
    publication = publish(cast, story, zalo_oa, django_capture_on_commit_callbacks)
    assert publication.status == PublicationStatus.QUEUED and "503" in publication.last_answer
    assert outbox_flush(now=retry_time(publication))["sent"] == 1
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.PUBLISHED
    # The 503 made nothing: the retry looked (nothing found) and made it once.
    assert len(zalo.articles) == 1 and len(zalo.broadcasts) == 1


@pytest.mark.parametrize("problem", ["no_photo", "not_public"])
def test_a_product_zalo_cannot_take_is_refused_with_a_clear_message(
    cast: Any, zalo_oa: ChannelAccount, make_product: Any, problem: str
) -> None:
    if problem == "no_photo":
        product, words = make_product(), "ảnh bìa"
    else:
        product, words = make_product(sharing=Sharing.UNION), "công khai"
        add_media(product, MediaKind.PHOTO, "bia.jpg", b"\xff\xd8jpeg", "image/jpeg")
    with pytest.raises(NotPublishable, match=words):
        publication_enqueue(actor=cast.officer_a, product=product, account=zalo_oa)
    assert not publications.Publication.objects.exists()


def test_a_reply_to_a_worker_still_goes_as_a_customer_service_text(
    cast: Any, zalo: FakeZalo, zalo_oa: ChannelAccount
) -> None:
    """The same outbox channel: a message that is not a post keeps the old behaviour."""
    message = OutboundMessage(channel="zalo", recipient="user-1", body="Chào anh", purpose="x")
    zalo.then(200, {"error": 0, "data": {"message_id": "cs-1"}})
    assert zalo_channel.send(message) == "cs-1"
    (request,) = zalo.requests
    assert request.path == "/v3.0/oa/message/cs"


def test_an_officer_ticks_the_unit_s_zalo_oa_and_the_product_goes_there_when_published(
    cast: Any,
    zalo: FakeZalo,
    zalo_oa: ChannelAccount,
    story: Any,
    django_capture_on_commit_callbacks: Any,
    client_of: Any,
) -> None:
    story.status = ProductStatus.APPROVED
    story.published_at = None
    story.save(update_fields=["status", "published_at"])
    officer = client_of(cast.officer_a)
    page = officer.get(f"/xuat-ban/{story.pk}/").content.decode()
    assert FakeZalo.OA_NAME in page  # offered among the unit's channels
    answer = officer.post(f"/xuat-ban/{story.pk}/", {"accounts": [zalo_oa.pk]})
    assert answer.status_code == 302 and zalo.articles == []
    with django_capture_on_commit_callbacks(execute=True):
        content_services.product_publish(actor=cast.officer_a, product=story)
    assert len(zalo.articles) == 1 and len(zalo.broadcasts) == 1
    page = officer.get(f"/xuat-ban/{story.pk}/").content.decode()
    assert "Đã đăng" in page and zalo.articles[0]["id"] in page
    # Published again (a second click, the hook run twice): the same version goes once.
    with django_capture_on_commit_callbacks(execute=True):
        officer.post(f"/xuat-ban/{story.pk}/", {"accounts": [zalo_oa.pk], "now": "1"})
    assert len(zalo.articles) == 1 and len(zalo.broadcasts) == 1


def test_a_correction_updates_the_article_on_the_oa_without_a_second_one_or_broadcast(
    cast: Any,
    zalo: FakeZalo,
    zalo_oa: ChannelAccount,
    story: Any,
    django_capture_on_commit_callbacks: Any,
    client_of: Any,
) -> None:
    officer = client_of(cast.officer_a)
    with django_capture_on_commit_callbacks(execute=True):
        officer.post(f"/xuat-ban/{story.pk}/", {"accounts": [zalo_oa.pk], "now": "1"})
    (article,) = zalo.articles
    with django_capture_on_commit_callbacks(execute=True):
        content_services.product_correct(
            actor=cast.officer_a,
            product=story,
            title=story.title,
            summary=story.summary,
            body="<p>Sáng 6/12, hơn 350 đoàn viên dự hội nghị.</p>",
        )
    (update,) = zalo.updates
    assert update["id"] == article["id"] and "status" not in update
    assert update["body"][0]["content"] == "Sáng 6/12, hơn 350 đoàn viên dự hội nghị."
    assert len(zalo.articles) == 1 and len(zalo.broadcasts) == 1  # no second article or alert
    first, corrected = publications.Publication.objects.order_by("version")
    assert corrected.version > first.version
    assert corrected.status == PublicationStatus.PUBLISHED
    assert corrected.remote_id == first.remote_id == article["id"]


def test_a_correction_of_a_product_never_posted_to_zalo_posts_nothing(
    cast: Any,
    zalo: FakeZalo,
    zalo_oa: ChannelAccount,
    story: Any,
    django_capture_on_commit_callbacks: Any,
    client_of: Any,
) -> None:
    client_of(cast.officer_a).post(f"/xuat-ban/{story.pk}/", {"accounts": [zalo_oa.pk]})
    with django_capture_on_commit_callbacks(execute=True):
        content_services.product_correct(
            actor=cast.officer_a, product=story, title="Tiêu đề mới", summary="", body=""
        )
    assert zalo.requests == [] and not publications.Publication.objects.exists()
