"""A unit reuses another's shared product as its own draft, with attribution; reuse is counted."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from congdoan.content import services
from congdoan.content.models import Product, ProductStatus, Sharing
from congdoan.content.tests.factories import published
from congdoan.orgs import services as org_services
from congdoan.orgs.tests import factories

pytestmark = pytest.mark.django_db


def test_reuse_copies_into_the_viewers_unit_and_counts(
    cast: Any, make_product: Callable[..., Product], themes: Any
) -> None:
    source = make_product(
        title="Hỏi đáp về Bộ luật Lao động: làm thêm giờ",
        summary="Người lao động làm thêm không quá 40 giờ/tháng.",
        body="<p>Điều 107 Bộ luật Lao động 2019…</p>",
        sharing=Sharing.UNION,
        themes=[themes["chinh-sach-phap-luat"]],
        tags=["làm thêm giờ"],
    )
    published(source, approver=cast.district_officer, actor=cast.officer_a)
    copy = services.product_reuse(actor=cast.officer_b, source=source, unit=cast.unit_b)
    again = services.product_reuse(actor=cast.officer_b, source=source, unit=cast.unit_b)
    source.refresh_from_db()
    assert source.reuse_count == 2
    assert copy.unit == cast.unit_b and copy.status == ProductStatus.DRAFT
    assert copy.sharing == Sharing.UNIT and copy.author == cast.officer_b
    assert copy.source == source and copy.attribution == "Nguồn: Công đoàn Công ty May A"
    assert copy.body == source.body and copy.tags == ["làm thêm giờ"]
    assert list(copy.themes.values_list("code", flat=True)) == ["chinh-sach-phap-luat"]
    assert again.slug == f"{copy.slug}-2"


def test_what_is_not_shared_or_not_published_cannot_be_reused(
    cast: Any, make_product: Callable[..., Product]
) -> None:
    own = make_product(title="Tin nội bộ", sharing=Sharing.UNIT)
    published(own, approver=cast.district_officer, actor=cast.officer_a)
    draft = make_product(title="Nháp chia sẻ", sharing=Sharing.UNION)
    for source in (own, draft):
        with pytest.raises(PermissionDenied):
            services.product_reuse(actor=cast.officer_b, source=source, unit=cast.unit_b)
    shared = make_product(title="Tin chia sẻ", sharing=Sharing.UNION)
    published(shared, approver=cast.district_officer, actor=cast.officer_a)
    with pytest.raises(PermissionDenied):  # into a unit B's officer does not manage
        services.product_reuse(actor=cast.officer_b, source=shared, unit=cast.unit_a)
    assert Product.objects.get(pk=shared.pk).reuse_count == 0


@pytest.fixture
def officer_of_two(cast: Any) -> Any:
    """Unit B's officer, who also holds a post in a third grassroots union (unit C)."""
    unit_c = factories.unit(cast.district, code="PX-C", name="Công đoàn Công ty Giày C")
    org_services.appointment_create(
        actor=None,
        unit=unit_c,
        position=factories.position(),
        full_name="Chủ tịch CĐ B",
        user=cast.officer_b,
        started_on=date(2020, 1, 1),
    )
    return unit_c


def _shared(cast: Any, make_product: Callable[..., Product]) -> Product:
    source = make_product(title="Hỏi đáp về làm thêm giờ", sharing=Sharing.UNION)
    return published(source, approver=cast.district_officer, actor=cast.officer_a)


def test_an_officer_of_several_units_chooses_which_one_the_copy_belongs_to(
    cast: Any, client_of: Any, make_product: Callable[..., Product], officer_of_two: Any
) -> None:
    source = _shared(cast, make_product)
    client = client_of(cast.officer_b)
    page = client.get(f"/noi-dung/{source.pk}/").content.decode()
    assert f'<select name="unit" id="reuse-unit-{source.pk}">' in page
    assert f'<option value="{officer_of_two.pk}">Công đoàn Công ty Giày C</option>' in page
    library = client.get("/noi-dung/thu-vien/").content.decode()
    assert f'id="reuse-unit-{source.pk}"' in library

    response = client.post(f"/noi-dung/{source.pk}/dung-lai/", {"unit": officer_of_two.pk})
    copy = Product.objects.get(source=source)
    assert response.status_code == 302 and response["Location"] == f"/noi-dung/{copy.pk}/sua/"
    assert copy.unit == officer_of_two


def test_without_a_choice_the_copy_goes_to_the_first_unit(
    cast: Any, client_of: Any, make_product: Callable[..., Product], officer_of_two: Any
) -> None:
    source = _shared(cast, make_product)
    client_of(cast.officer_b).post(f"/noi-dung/{source.pk}/dung-lai/")
    assert Product.objects.get(source=source).unit == cast.unit_b  # PX-B before PX-C


def test_a_unit_the_officer_does_not_write_for_is_refused_with_a_message(
    cast: Any, client_of: Any, make_product: Callable[..., Product], officer_of_two: Any
) -> None:
    source = _shared(cast, make_product)
    client = client_of(cast.officer_b)
    for unit in (cast.unit_a, cast.district, cast.other_district):  # the source's, above, other
        response = client.post(f"/noi-dung/{source.pk}/dung-lai/", {"unit": unit.pk}, follow=True)
        assert "Bạn không thể đưa bản sao vào đơn vị này" in response.content.decode()
    assert not Product.objects.filter(source=source).exists()


def test_an_officer_of_one_unit_is_not_asked(
    cast: Any, client_of: Any, make_product: Callable[..., Product]
) -> None:
    source = _shared(cast, make_product)
    page = client_of(cast.officer_b).get(f"/noi-dung/{source.pk}/").content.decode()
    assert f"/noi-dung/{source.pk}/dung-lai/" in page
    assert 'name="unit"' not in page.split(f"/noi-dung/{source.pk}/dung-lai/", 1)[1][:400]


def test_the_studio_page_says_no_reuse_yet_and_no_public_views_for_an_internal_product(
    cast: Any, client_of: Any, make_product: Callable[..., Product]
) -> None:
    internal = make_product(title="Tin chia sẻ trong hệ thống", sharing=Sharing.UNION)
    published(internal, approver=cast.district_officer, actor=cast.officer_a)
    page = client_of(cast.officer_a).get(f"/noi-dung/{internal.pk}/").content.decode()
    assert "Chưa đơn vị nào dùng lại." in page and "dùng lại 0 lần" not in page
    assert "lượt xem trên trang công khai" not in page  # it has no public page

    public = make_product(title="Tin công khai", sharing=Sharing.PUBLIC)
    published(public, approver=cast.district_officer, actor=cast.officer_a)
    services.product_reuse(actor=cast.officer_b, source=public, unit=cast.unit_b)
    page = client_of(cast.officer_a).get(f"/noi-dung/{public.pk}/").content.decode()
    assert "Đã được đơn vị khác dùng lại 1 lần." in page
    assert "0 lượt xem trên trang công khai." in page
