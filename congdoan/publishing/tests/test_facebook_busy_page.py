"""A Facebook post whose answer was lost, on a page that posted more since then: the retry
reads every post made since that attempt, not only the newest 25, and posts nothing twice
(`congdoan bench publish` found such posts doubled under load)."""

from __future__ import annotations

from typing import Any

import pytest

from congdoan.outbox.delivery import outbox_flush
from congdoan.publishing.models import ChannelAccount, PublicationStatus
from congdoan.publishing.tests.conftest import publish, retry_time
from congdoan.publishing.tests.fakes import FakeGraph

pytestmark = pytest.mark.django_db


def test_a_lost_post_below_the_newest_25_is_found_and_not_posted_again(
    cast: Any,
    graph: FakeGraph,
    facebook_page: ChannelAccount,
    make_product: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    graph.lose_answers = 1
    publication = publish(cast, make_product(), facebook_page, django_capture_on_commit_callbacks)
    assert publication.status == PublicationStatus.QUEUED and len(graph.posts) == 1
    lost = graph.posts[0]["id"]
    # The page goes on posting before the retry: 30 other products, each sent once.
    others = [make_product() for _ in range(30)]
    for product in others:
        done = publish(cast, product, facebook_page, django_capture_on_commit_callbacks)
        assert done.status == PublicationStatus.PUBLISHED
    assert len(graph.posts) == 31
    assert outbox_flush(now=retry_time(publication))["sent"] == 1
    publication.refresh_from_db()
    assert len(graph.posts) == 31  # found among the page's posts, not posted again
    assert publication.status == PublicationStatus.PUBLISHED
    assert publication.remote_id == lost
    looked = [r for r in graph.requests if r.method == "GET"][-1]
    assert looked.query["limit"] == "100" and int(looked.query["since"]) > 0
