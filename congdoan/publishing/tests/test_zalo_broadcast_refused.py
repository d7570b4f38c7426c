"""A Zalo article or broadcast that Zalo refused to handle (HTTP 503, 429) was not made: the
retry makes it, once, without looking for it first. Only an answer that leaves it unknown (a
502, a timeout) makes the retry look for the article, and keeps the broadcast from being sent
again (`congdoan bench publish` found broadcasts never sent after a 503, and articles given up
after ten long look-ups)."""

from __future__ import annotations

from typing import Any

import pytest

from congdoan.outbox.delivery import outbox_flush
from congdoan.publishing.models import ChannelAccount, PublicationStatus
from congdoan.publishing.tests.conftest import publish, retry_time
from congdoan.publishing.tests.fakes import Answer
from congdoan.publishing.tests.fakes_zalo import FakeZalo

# The fake Zalo, its connected OA and a public product with a cover, as that module sets them.
from congdoan.publishing.tests.test_zalo_article import story, zalo, zalo_oa  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", [503, 429])
def test_a_broadcast_zalo_did_not_handle_is_sent_by_the_retry(
    cast: Any,
    zalo: FakeZalo,  # noqa: F811
    zalo_oa: ChannelAccount,  # noqa: F811
    story: Any,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
    status: int,
) -> None:
    refusals = [Answer(status, None)]
    broadcast = zalo._broadcast
    monkeypatch.setattr(
        zalo, "_broadcast", lambda body: refusals.pop() if refusals else broadcast(body)
    )
    publication = publish(cast, story, zalo_oa, django_capture_on_commit_callbacks)
    assert publication.status == PublicationStatus.QUEUED and zalo.broadcasts == []
    assert outbox_flush(now=retry_time(publication))["sent"] == 1
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.PUBLISHED
    assert len(zalo.broadcasts) == 1 and len(zalo.articles) == 1
    assert publication.progress["broadcast_id"] == zalo.broadcasts[0]["message_id"]
    assert "note" not in publication.progress


@pytest.mark.parametrize("status", [503, 429])
def test_an_article_zalo_did_not_handle_is_made_by_the_retry_without_a_look_up(
    cast: Any,
    zalo: FakeZalo,  # noqa: F811
    zalo_oa: ChannelAccount,  # noqa: F811
    story: Any,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
    status: int,
) -> None:
    zalo.then(status, None)
    publication = publish(cast, story, zalo_oa, django_capture_on_commit_callbacks)
    assert publication.status == PublicationStatus.QUEUED and zalo.articles == []
    assert not publication.progress.get("create_sent_at")
    assert outbox_flush(now=retry_time(publication))["sent"] == 1
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.PUBLISHED
    assert len(zalo.articles) == 1 and len(zalo.broadcasts) == 1
    assert zalo.calls("GET", "/v2.0/article/getslice") == 0  # nothing to look for
