"""Fixtures of publishing's tests: the fake platforms on loopback, the settings pointed at
them, a published product of unit A and its connected accounts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from congdoan.content.models import MediaKind, Product, ProductMedia, ProductStatus, Sharing
from congdoan.core.tests.test_browser import browser, phone  # noqa: F401  (browser fixtures)
from congdoan.publishing import services
from congdoan.publishing.models import ChannelAccount, ChannelKind, Publication
from congdoan.publishing.publications import publication_enqueue
from congdoan.publishing.tests.fakes import FakeGoogle, FakeGraph


@pytest.fixture
def platforms(settings: Any, tmp_path: Any) -> None:
    settings.OUTBOX_HTTP_TIMEOUT = 2.0
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://congdoan.example.vn"
    settings.FACEBOOK_APP_ID = "fb-app"
    settings.FACEBOOK_APP_SECRET = "fb-secret"
    settings.GOOGLE_OAUTH_CLIENT_ID = "g-client"
    settings.GOOGLE_OAUTH_CLIENT_SECRET = "g-secret"
    settings.YOUTUBE_UPLOAD_CHUNK_BYTES = 256 * 1024


@pytest.fixture
def graph(settings: Any, platforms: None) -> Iterator[FakeGraph]:
    fake = FakeGraph().start()
    settings.FACEBOOK_GRAPH_BASE = fake.url
    settings.FACEBOOK_DIALOG_URL = fake.url + "/dialog/oauth"
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture
def google(settings: Any, platforms: None) -> Iterator[FakeGoogle]:
    fake = FakeGoogle().start()
    settings.YOUTUBE_API_BASE = fake.url
    settings.GOOGLE_OAUTH_TOKEN_URL = fake.url + "/token"
    settings.GOOGLE_OAUTH_AUTH_URL = fake.url + "/o/oauth2/v2/auth"
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture
def make_product(cast: Any) -> Callable[..., Product]:
    counter = iter(range(1, 10_000))

    def make(unit: Any = None, **kw: Any) -> Product:
        n = next(counter)
        fields: dict[str, Any] = {
            "unit": unit or cast.unit_a,
            "title": f"Hội nghị người lao động {n}",
            "slug": f"hoi-nghi-{n}",
            "summary": "Công đoàn tổ chức hội nghị người lao động năm 2027.",
            "status": ProductStatus.PUBLISHED,
            "sharing": Sharing.PUBLIC,
            "author": cast.officer_a,
            "published_at": timezone.now(),
            **kw,
        }
        return Product.objects.create(**fields)

    return make


def add_media(
    product: Product, kind: str, name: str, data: bytes, content_type: str
) -> ProductMedia:
    media = ProductMedia(product=product, kind=kind, content_type=content_type, size=len(data))
    media.file.save(name, ContentFile(data), save=True)
    return media


def publish(cast: Any, product: Any, account: ChannelAccount, capture: Any) -> Publication:
    """Officer A posts the product to the account; the outbox sends it on commit (`capture`:
    django_capture_on_commit_callbacks)."""
    with capture(execute=True):
        publication, _created = publication_enqueue(
            actor=cast.officer_a, product=product, account=account
        )
    publication.refresh_from_db()
    return publication


def retry_time(publication: Publication) -> Any:
    """Just after the publication's message is due again (for `outbox_flush(now=…)`)."""
    assert publication.message is not None
    publication.message.refresh_from_db()
    return publication.message.next_attempt_at + timedelta(seconds=1)


@pytest.fixture
def facebook_page(cast: Any, graph: FakeGraph) -> ChannelAccount:
    return services.account_connect(
        actor=cast.officer_a,
        unit=cast.unit_a,
        kind=ChannelKind.FACEBOOK_PAGE,
        external_id=graph.PAGE_ID,
        display_name="Công đoàn PX-A",
        credentials={"access_token": graph.PAGE_TOKEN, "page_id": graph.PAGE_ID},
        refresh_token_expires_at=timezone.now() + timedelta(days=80),
    )


@pytest.fixture
def youtube_channel(cast: Any, google: FakeGoogle) -> ChannelAccount:
    return services.account_connect(
        actor=cast.officer_a,
        unit=cast.unit_a,
        kind=ChannelKind.YOUTUBE,
        external_id=google.CHANNEL_ID,
        display_name="CĐ PX-A",
        credentials={"access_token": "ya29.first", "refresh_token": google.REFRESH},
        access_token_expires_at=timezone.now() + timedelta(minutes=50),
    )


__all__ = ["MediaKind", "add_media"]
