"""Facebook pages and YouTube channels are read by anyone: a product the unit keeps to the
union never goes there, and the officer choosing channels is told what will and will not
happen."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from congdoan.content.models import Product, ProductStatus, Sharing
from congdoan.publishing.models import ChannelAccount, Publication
from congdoan.publishing.publications import NotPublishable, publication_enqueue

pytestmark = pytest.mark.django_db


def test_a_product_kept_to_the_union_is_not_posted_to_a_facebook_page(
    cast: Any, facebook_page: ChannelAccount, make_product: Callable[..., Product]
) -> None:
    internal = make_product(sharing=Sharing.UNION)
    with pytest.raises(NotPublishable, match="công khai"):
        publication_enqueue(actor=cast.officer_a, product=internal, account=facebook_page)
    assert not Publication.objects.exists()


def test_saving_channels_of_a_published_product_says_how_to_post_now(
    cast: Any,
    client_of: Any,
    facebook_page: ChannelAccount,
    make_product: Callable[..., Product],
) -> None:
    product = make_product()
    client = client_of(cast.officer_a)
    response = client.post(
        f"/xuat-ban/{product.pk}/", {"accounts": [facebook_page.pk], "save": ""}, follow=True
    )
    text = response.content.decode()
    assert "Lưu và đăng ngay" in text
    assert "bài sẽ được đăng khi sản phẩm được đăng" not in text
    assert not Publication.objects.exists()


def test_choosing_a_facebook_page_for_an_internal_product_warns(
    cast: Any,
    client_of: Any,
    facebook_page: ChannelAccount,
    make_product: Callable[..., Product],
) -> None:
    product = make_product(status=ProductStatus.DRAFT, sharing=Sharing.UNIT, published_at=None)
    client = client_of(cast.officer_a)
    response = client.post(
        f"/xuat-ban/{product.pk}/", {"accounts": [facebook_page.pk], "save": ""}, follow=True
    )
    assert "không chia sẻ công khai" in response.content.decode()


def test_posting_now_with_no_channel_ticked_says_so(
    cast: Any,
    client_of: Any,
    facebook_page: ChannelAccount,
    make_product: Callable[..., Product],
) -> None:
    product = make_product()
    client = client_of(cast.officer_a)
    response = client.post(f"/xuat-ban/{product.pk}/", {"now": ""}, follow=True)
    assert "Chưa chọn kênh nào" in response.content.decode()
    assert not Publication.objects.exists()


def test_the_officer_who_ticked_a_channel_hears_why_the_product_did_not_go_there(
    cast: Any, facebook_page: ChannelAccount, make_product: Callable[..., Product]
) -> None:
    from congdoan.outbox.models import OutboundMessage
    from congdoan.publishing.models import ChannelChoice
    from congdoan.publishing.publications import publish_to_chosen

    internal = make_product(sharing=Sharing.UNION)
    ChannelChoice.objects.create(product=internal, account=facebook_page, chosen_by=cast.officer_a)
    publish_to_chosen(internal)
    publish_to_chosen(internal)  # the hook again (a retry): one notice, not two
    assert not Publication.objects.exists()
    notices = OutboundMessage.objects.filter(purpose="publishing.not_posted")
    assert notices.count() == 1
    notice = notices.get()
    assert notice.recipient == cast.officer_a.email
    assert "công khai" in notice.body and internal.title in notice.subject
