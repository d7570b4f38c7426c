"""Posting to a Facebook Page through the outbox, against a fake Graph API on loopback: the
post, its photo, scheduling, an expired token (one failure, no retry storm, officers told),
rate limits (backoff), a refused post (a clear message) and idempotency."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from congdoan.audit.models import AuditEntry
from congdoan.content import services as content_services
from congdoan.content.models import ProductStatus
from congdoan.outbox.delivery import outbox_flush
from congdoan.outbox.models import DeliveryAttempt, OutboundMessage
from congdoan.publishing import publications
from congdoan.publishing.models import (
    AccountStatus,
    ChannelAccount,
    Publication,
    PublicationStatus,
)
from congdoan.publishing.publications import NotPublishable, publication_enqueue
from congdoan.publishing.services import account_connect
from congdoan.publishing.tests.conftest import MediaKind, add_media, publish, retry_time
from congdoan.publishing.tests.fakes import EXPIRED, RATE_LIMITED, FakeGraph, graph_error

pytestmark = pytest.mark.django_db


def test_product_is_posted_to_the_page_with_its_short_version_and_link(
    cast: Any,
    graph: FakeGraph,
    facebook_page: ChannelAccount,
    make_product: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    product = make_product()
    publication = publish(cast, product, facebook_page, django_capture_on_commit_callbacks)
    (post,) = graph.posts
    assert product.title in post["message"] and product.summary in post["message"]
    assert post.get("link", "") == publications.public_url(product)
    assert "published" not in post
    assert publication.status == PublicationStatus.PUBLISHED
    assert publication.remote_id == post["id"]
    assert publication.remote_url == f"https://www.facebook.com/{post['id']}"
    assert AuditEntry.objects.filter(action="publishing.publication.enqueue").count() == 1


def test_a_photo_goes_to_the_photos_edge_as_a_file_with_the_caption(
    cast: Any,
    graph: FakeGraph,
    facebook_page: ChannelAccount,
    make_product: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    product = make_product()
    add_media(product, MediaKind.PHOTO, "hoi-nghi.jpg", b"\xff\xd8jpeg-bytes", "image/jpeg")
    publication = publish(cast, product, facebook_page, django_capture_on_commit_callbacks)
    (post,) = graph.posts
    assert post["photo"] == b"\xff\xd8jpeg-bytes"
    assert product.title in post["caption"]
    assert publications.public_url(product) in post["caption"]
    assert publication.status == PublicationStatus.PUBLISHED and publication.remote_id == post["id"]


def test_a_product_scheduled_later_is_posted_unpublished_with_its_time(
    cast: Any,
    graph: FakeGraph,
    facebook_page: ChannelAccount,
    make_product: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    at = (timezone.now() + timedelta(days=2)).replace(microsecond=0)
    product = make_product(publish_at=at)
    publish(cast, product, facebook_page, django_capture_on_commit_callbacks)
    (post,) = graph.posts
    assert post["published"] == "false"
    assert int(post["scheduled_publish_time"]) == int(at.timestamp())


def test_an_expired_token_fails_once_marks_the_page_and_tells_the_officers_without_a_retry_storm(
    cast: Any,
    graph: FakeGraph,
    facebook_page: ChannelAccount,
    make_product: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    first, second = make_product(), make_product()
    with django_capture_on_commit_callbacks(execute=True):
        # Both queued while the page still looked connected; the token then dies.
        graph.then(400, EXPIRED)
        one, _ = publication_enqueue(actor=cast.officer_a, product=first, account=facebook_page)
        two, _ = publication_enqueue(actor=cast.officer_a, product=second, account=facebook_page)
    one.refresh_from_db()
    two.refresh_from_db()
    assert len(graph.requests) == 1  # the second never reached Facebook
    assert one.status == two.status == PublicationStatus.FAILED
    assert "kết nối lại" in one.last_answer and "190" in one.last_answer
    assert "cần được kết nối lại" in two.last_answer
    assert one.message is not None and two.message is not None
    assert one.message.attempts == 1 and two.message.attempts == 1  # final: no retries
    facebook_page.refresh_from_db()
    assert facebook_page.status == AccountStatus.EXPIRED and "190" in facebook_page.last_error
    (mail,) = OutboundMessage.objects.filter(purpose="publishing.reconnect")
    assert mail.recipient == cast.officer_a.email and "/xuat-ban/kenh/" in mail.body
    assert outbox_flush(now=timezone.now() + timedelta(days=1))["sent"] == 0
    assert len(graph.requests) == 1
    # A third post is refused at once, with the reason.
    with pytest.raises(NotPublishable, match="kết nối lại"):
        publication_enqueue(actor=cast.officer_a, product=make_product(), account=facebook_page)


def test_a_rate_limit_backs_off_by_the_outbox_policy_and_posts_later(
    cast: Any,
    graph: FakeGraph,
    facebook_page: ChannelAccount,
    make_product: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    graph.then(400, RATE_LIMITED)
    graph.then(400, graph_error(4, "Application request limit reached"))
    publication = publish(cast, make_product(), facebook_page, django_capture_on_commit_callbacks)
    assert publication.status == PublicationStatus.QUEUED
    assert "giới hạn" in publication.last_answer
    assert publication.message is not None
    first_wait = publication.message.next_attempt_at
    assert first_wait > timezone.now() + timedelta(seconds=10)  # backed off, not hammering
    assert outbox_flush()["sent"] == 0 and len(graph.requests) == 1
    assert outbox_flush(now=retry_time(publication))["retry"] == 1  # the second limit
    publication.message.refresh_from_db()
    assert publication.message.next_attempt_at - first_wait > timedelta(seconds=10)
    assert outbox_flush(now=retry_time(publication))["sent"] == 1
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.PUBLISHED and len(graph.posts) == 1
    assert [a.ok for a in DeliveryAttempt.objects.filter(message=publication.message)] == [
        False,
        False,
        True,
    ]
    facebook_page.refresh_from_db()
    assert facebook_page.status == AccountStatus.CONNECTED


def test_a_post_facebook_refuses_is_final_with_facebooks_words_and_can_be_retried(
    cast: Any,
    graph: FakeGraph,
    facebook_page: ChannelAccount,
    make_product: Any,
    django_capture_on_commit_callbacks: Any,
    client_of: Any,
) -> None:
    graph.then(400, graph_error(1609005, "Error posting link: the link is blocked"))
    publication = publish(cast, make_product(), facebook_page, django_capture_on_commit_callbacks)
    assert publication.status == PublicationStatus.FAILED
    assert "Facebook từ chối bài đăng" in publication.last_answer
    assert "the link is blocked" in publication.last_answer
    facebook_page.refresh_from_db()
    assert facebook_page.status == AccountStatus.CONNECTED  # the page itself is fine
    page = client_of(cast.officer_a).get("/xuat-ban/")
    assert "Facebook từ chối bài đăng" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        answer = client_of(cast.officer_a).post(f"/xuat-ban/lan/{publication.pk}/gui-lai/")
    assert answer.status_code == 302
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.PUBLISHED and len(graph.posts) == 1
    assert AuditEntry.objects.filter(action="publishing.publication.retry").count() == 1


@pytest.mark.parametrize("with_photo", [False, True])
def test_a_post_whose_answer_was_lost_is_found_on_the_page_and_not_posted_again(
    cast: Any,
    graph: FakeGraph,
    facebook_page: ChannelAccount,
    make_product: Any,
    django_capture_on_commit_callbacks: Any,
    with_photo: bool,
) -> None:
    product = make_product()
    if with_photo:
        add_media(product, MediaKind.PHOTO, "anh.jpg", b"\xff\xd8jpeg", "image/jpeg")
    graph.lose_answers = 1
    publication = publish(cast, product, facebook_page, django_capture_on_commit_callbacks)
    assert publication.status == PublicationStatus.QUEUED and len(graph.posts) == 1
    assert outbox_flush(now=retry_time(publication))["sent"] == 1
    publication.refresh_from_db()
    assert len(graph.posts) == 1  # found on the page, not posted twice
    assert publication.status == PublicationStatus.PUBLISHED
    assert publication.remote_id == graph.posts[0]["id"]


def test_a_post_facebook_refused_is_posted_on_retry_without_looking_for_it(
    cast: Any,
    graph: FakeGraph,
    facebook_page: ChannelAccount,
    make_product: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    graph.then(400, RATE_LIMITED)
    publication = publish(cast, make_product(), facebook_page, django_capture_on_commit_callbacks)
    assert publication.progress == {}
    outbox_flush(now=retry_time(publication))
    assert [r.method for r in graph.requests] == ["POST", "POST"]
    assert len(graph.posts) == 1


def test_the_same_product_published_twice_by_two_officers_is_posted_once(
    cast: Any,
    graph: FakeGraph,
    facebook_page: ChannelAccount,
    make_product: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    product = make_product()
    with django_capture_on_commit_callbacks(execute=True):
        one, created_one = publication_enqueue(
            actor=cast.officer_a, product=product, account=facebook_page
        )
        two, created_two = publication_enqueue(
            actor=cast.district_officer, product=product, account=facebook_page
        )
    assert (created_one, created_two) == (True, False) and one.pk == two.pk
    assert OutboundMessage.objects.filter(channel="facebook").count() == 1
    assert len(graph.posts) == 1
    with django_capture_on_commit_callbacks(execute=True):
        _again, created = publication_enqueue(
            actor=cast.officer_a, product=product, account=facebook_page
        )
    assert not created and len(graph.posts) == 1


@pytest.mark.django_db(transaction=True)
def test_two_officers_publishing_at_the_same_moment_post_once_on_postgresql(
    cast: Any, graph: FakeGraph, facebook_page: ChannelAccount, make_product: Any
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the race needs two real connections (PostgreSQL)")
    product = make_product()
    barrier = threading.Barrier(2)
    results: list[Any] = []

    def officer(user: Any) -> None:
        try:
            with transaction.atomic():
                barrier.wait(timeout=10)
                results.append(
                    publication_enqueue(actor=user, product=product, account=facebook_page)
                )
        except Exception as exc:  # reported below
            results.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=officer, args=(u,)) for u in (cast.officer_a, cast.district_officer)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(created for _p, created in results) == [False, True]
    assert Publication.objects.filter(product=product).count() == 1
    assert OutboundMessage.objects.filter(channel="facebook").count() == 1
    outbox_flush(now=timezone.now() + timedelta(seconds=5))
    assert len(graph.posts) == 1


def test_a_product_is_posted_to_the_pages_ticked_when_content_publishes_it(
    cast: Any,
    graph: FakeGraph,
    facebook_page: ChannelAccount,
    make_product: Any,
    django_capture_on_commit_callbacks: Any,
    client_of: Any,
) -> None:
    product = make_product(status=ProductStatus.APPROVED, published_at=None)
    officer = client_of(cast.officer_a)
    answer = officer.post(f"/xuat-ban/{product.pk}/", {"accounts": [facebook_page.pk]})
    assert answer.status_code == 302 and graph.posts == []
    with django_capture_on_commit_callbacks(execute=True):
        content_services.product_publish(actor=cast.officer_a, product=product)
    assert len(graph.posts) == 1
    page = officer.get(f"/xuat-ban/{product.pk}/").content.decode()
    assert "Đã đăng" in page and graph.posts[0]["id"] in page
    assert AuditEntry.objects.filter(action="publishing.choices.set").count() == 1


def test_after_reconnecting_an_expired_page_the_failed_post_is_retried_and_posted(
    cast: Any,
    graph: FakeGraph,
    facebook_page: ChannelAccount,
    make_product: Any,
    django_capture_on_commit_callbacks: Any,
    client_of: Any,
) -> None:
    graph.then(400, EXPIRED)
    publication = publish(cast, make_product(), facebook_page, django_capture_on_commit_callbacks)
    officer = client_of(cast.officer_a)
    officer.post(f"/xuat-ban/lan/{publication.pk}/gui-lai/")  # refused: reconnect first
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.FAILED and graph.posts == []
    account_connect(
        actor=cast.officer_a,
        unit=cast.unit_a,
        kind=facebook_page.kind,
        external_id=facebook_page.external_id,
        display_name="Công đoàn PX-A",
        credentials={"access_token": graph.PAGE_TOKEN, "page_id": graph.PAGE_ID},
    )
    with django_capture_on_commit_callbacks(execute=True):
        officer.post(f"/xuat-ban/lan/{publication.pk}/gui-lai/")
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.PUBLISHED and len(graph.posts) == 1
