"""An account with no token at all (the demo's, or a connection that never finished) asks the
platform nothing: the post fails at once and says the channel must be connected."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from congdoan.content.models import Product
from congdoan.publishing.models import (
    AccountStatus,
    ChannelAccount,
    ChannelKind,
    PublicationStatus,
)
from congdoan.publishing.tests.conftest import publish
from congdoan.publishing.tests.fakes import FakeGraph

pytestmark = pytest.mark.django_db


def test_a_post_to_an_account_without_a_token_fails_without_calling_facebook(
    cast: Any,
    graph: FakeGraph,
    make_product: Callable[..., Product],
    django_capture_on_commit_callbacks: Any,
) -> None:
    account = ChannelAccount.objects.create(
        unit=cast.unit_a,
        kind=ChannelKind.FACEBOOK_PAGE,
        display_name="Trang mẫu",
        external_id="demo-fb",
        status=AccountStatus.CONNECTED,
    )
    publication = publish(cast, make_product(), account, django_capture_on_commit_callbacks)
    assert publication.status == PublicationStatus.FAILED
    assert "chưa có mã truy cập" in publication.last_answer
    assert graph.requests == []
