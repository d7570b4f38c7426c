"""A Zalo article whose answer was lost, on an OA that made more articles since then: the retry
reads the OA's articles back to that attempt, not only the newest 10, and makes no second
article (`congdoan bench publish` found articles made twice under load)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from congdoan.outbox.delivery import outbox_flush
from congdoan.publishing.models import ChannelAccount, PublicationStatus
from congdoan.publishing.services import credentials_get
from congdoan.publishing.tests.conftest import publish, retry_time
from congdoan.publishing.tests.fakes_zalo import FakeZalo

# The fake Zalo, its connected OA and a public product with a cover, as that module sets them.
from congdoan.publishing.tests.test_zalo_article import story, zalo, zalo_oa  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_lost_article_below_the_newest_10_is_found_and_not_made_again(
    cast: Any,
    zalo: FakeZalo,  # noqa: F811
    zalo_oa: ChannelAccount,  # noqa: F811
    story: Any,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    zalo.lose_create = 1  # Zalo made it; its answer never came back
    publication = publish(cast, story, zalo_oa, django_capture_on_commit_callbacks)
    assert publication.status == PublicationStatus.QUEUED and len(zalo.articles) == 1
    lost = zalo.articles[0]["id"]
    # The OA makes 25 more articles before the retry.
    token = credentials_get(zalo_oa)["access_token"]
    with httpx.Client() as client:
        for n in range(25):
            answer = client.post(
                f"{zalo.url}/v2.0/article/create",
                headers={"access_token": token},
                json={
                    "type": "normal",
                    "title": f"Bản tin số {n}",
                    "author": "Công đoàn",
                    "description": "Tin ngắn.",
                    "cover": {"cover_type": "photo", "photo_url": "https://x.vn/a.jpg"},
                    "body": [{"type": "text", "content": "Nội dung."}],
                    "status": "show",
                },
            )
            assert answer.json()["error"] == 0
    assert outbox_flush(now=retry_time(publication))["sent"] == 1
    publication.refresh_from_db()
    assert len(zalo.articles) == 26  # found three pages down, not made again
    assert publication.status == PublicationStatus.PUBLISHED
    assert publication.remote_id == lost
    assert len(zalo.broadcasts) == 1
