"""The outbox's signals of two attempts at one post can arrive out of order (the failed first
attempt's process was slow, or waited on a database lock, while the retry posted): a
publication that is published stays published (`congdoan bench publish` found one left
"queued" with its post made)."""

from __future__ import annotations

from typing import Any

import pytest

from congdoan.outbox.models import OutboundMessage
from congdoan.outbox.signals import message_failed
from congdoan.publishing.models import ChannelAccount, PublicationStatus
from congdoan.publishing.tests.conftest import publish
from congdoan.publishing.tests.fakes import FakeGraph

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("final", [False, True])
def test_a_failure_told_after_the_post_was_made_leaves_it_published(
    cast: Any,
    graph: FakeGraph,
    facebook_page: ChannelAccount,
    make_product: Any,
    django_capture_on_commit_callbacks: Any,
    final: bool,
) -> None:
    publication = publish(cast, make_product(), facebook_page, django_capture_on_commit_callbacks)
    assert publication.status == PublicationStatus.PUBLISHED
    message = publication.message
    assert message is not None
    message.last_error = "Facebook: đang giới hạn hoặc tạm lỗi (mã 2); sẽ thử lại sau."
    message_failed.send(sender=OutboundMessage, message=message, final=final)
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.PUBLISHED
    assert publication.remote_id == graph.posts[0]["id"] and publication.last_answer == ""
