"""The workflow of a product: draft → submitted → approved → scheduled → published → archived,
with the versions it leaves, the comments, corrections and what is refused."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from congdoan.audit.models import AuditEntry
from congdoan.content import hooks, services
from congdoan.content.diff import version_diff
from congdoan.content.models import (
    ApprovalBy,
    ContentSettings,
    Product,
    ProductKind,
    ProductStatus,
    VersionReason,
)
from congdoan.content.tests.factories import published
from congdoan.periodic.scheduler import run_due

pytestmark = pytest.mark.django_db


def test_a_product_goes_from_draft_to_published_with_a_version_at_each_step(
    cast: Any, staff_a: Any, make_product: Callable[..., Product], themes: Any
) -> None:
    product = make_product(
        author=staff_a,
        title="Hội nghị người lao động năm 2026 của Công ty May A",
        summary="Công ty May A tổ chức hội nghị người lao động.",
        body="<p>Sáng 15/3, hơn 600 công nhân dự hội nghị.</p>",
        themes=[themes["quyen-loi-doan-vien"]],
        audiences=["members"],
        tags=["hội nghị", "hội nghị", " May A "],
    )
    assert product.status == ProductStatus.DRAFT
    assert product.slug == "hoi-nghi-nguoi-lao-dong-nam-2026-cua-cong-ty-may-a"
    assert product.tags == ["hội nghị", "May A"]
    assert product.is_digital
    services.product_submit(actor=staff_a, product=product)
    services.product_approve(actor=cast.officer_a, product=product)
    assert product.approver == cast.officer_a and product.approved_at is not None
    services.product_publish(actor=staff_a, product=product)
    product.refresh_from_db()
    assert product.status == ProductStatus.PUBLISHED and product.published_at is not None
    assert list(product.versions.values_list("number", "reason")) == [
        (1, VersionReason.SUBMITTED),
        (2, VersionReason.APPROVED),
        (3, VersionReason.PUBLISHED),
    ]
    services.product_archive(actor=staff_a, product=product)
    product.refresh_from_db()
    assert product.status == ProductStatus.ARCHIVED and product.archived_at is not None
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "content.product.create",
        "content.product.submit",
        "content.product.approve",
        "content.product.publish",
        "content.product.archive",
    } <= actions


def test_nothing_is_published_without_approval(
    staff_a: Any, make_product: Callable[..., Product]
) -> None:
    product = make_product(author=staff_a)
    with pytest.raises(ValidationError, match="chưa được duyệt"):
        services.product_publish(actor=staff_a, product=product)
    services.product_submit(actor=staff_a, product=product)
    with pytest.raises(ValidationError, match="chưa được duyệt"):
        services.product_publish(actor=staff_a, product=product)
    assert Product.objects.get(pk=product.pk).status == ProductStatus.SUBMITTED


def test_an_author_cannot_approve_their_own_product(
    cast: Any, make_product: Callable[..., Product]
) -> None:
    product = make_product(author=cast.officer_a)
    services.product_submit(actor=cast.officer_a, product=product)
    with pytest.raises(ValidationError, match="tự duyệt"):
        services.product_approve(actor=cast.officer_a, product=product)
    assert Product.objects.get(pk=product.pk).status == ProductStatus.SUBMITTED


def test_a_unit_may_allow_its_leaders_to_approve_their_own(
    cast: Any, make_product: Callable[..., Product]
) -> None:
    services.content_settings_update(
        actor=cast.district_officer,
        unit=cast.unit_a,
        approval_by=ApprovalBy.UNIT_LEADER,
        allow_self_approval=True,
    )
    product = make_product(author=cast.officer_a)
    services.product_submit(actor=cast.officer_a, product=product)
    services.product_approve(actor=cast.officer_a, product=product)
    assert product.status == ProductStatus.APPROVED


def test_a_unit_does_not_set_its_own_approval_rule(cast: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.content_settings_update(
            actor=cast.officer_a,
            unit=cast.unit_a,
            approval_by=ApprovalBy.UNIT_LEADER,
            allow_self_approval=True,
        )


def test_an_officer_who_is_not_a_leader_cannot_approve(
    cast: Any, staff_a: Any, make_product: Callable[..., Product]
) -> None:
    product = make_product(author=cast.officer_a)
    services.product_submit(actor=cast.officer_a, product=product)
    with pytest.raises(PermissionDenied):
        services.product_approve(actor=staff_a, product=product)


def test_with_parent_leader_approval_only_the_level_above_approves(
    cast: Any, staff_a: Any, make_product: Callable[..., Product]
) -> None:
    ContentSettings.objects.create(unit=cast.unit_a, approval_by=ApprovalBy.PARENT_LEADER)
    product = make_product(author=staff_a)
    services.product_submit(actor=staff_a, product=product)
    with pytest.raises(PermissionDenied):
        services.product_approve(actor=cast.officer_a, product=product)  # A's own leader
    with pytest.raises(PermissionDenied):
        services.product_approve(actor=cast.officer_b, product=product)  # a sibling's
    services.product_approve(actor=cast.district_officer, product=product)
    assert product.status == ProductStatus.APPROVED


def test_a_leader_of_another_unit_cannot_approve(
    cast: Any, staff_a: Any, make_product: Callable[..., Product]
) -> None:
    product = make_product(author=staff_a)
    services.product_submit(actor=staff_a, product=product)
    with pytest.raises(PermissionDenied):
        services.product_approve(actor=cast.officer_b, product=product)


def test_rejecting_sends_back_to_draft_with_the_reason(
    cast: Any, staff_a: Any, make_product: Callable[..., Product]
) -> None:
    product = make_product(author=staff_a)
    services.product_submit(actor=staff_a, product=product)
    with pytest.raises(ValidationError):
        services.product_reject(actor=cast.officer_a, product=product, comment="  ")
    services.product_reject(
        actor=cast.officer_a, product=product, comment="Xin bổ sung số liệu người tham dự."
    )
    product.refresh_from_db()
    assert product.status == ProductStatus.DRAFT
    assert [c.text for c in product.comments.all()] == ["Xin bổ sung số liệu người tham dự."]
    services.product_comment(actor=staff_a, product=product, text="Đã bổ sung, xin duyệt lại.")
    assert product.comments.count() == 2
    services.product_update(actor=staff_a, product=product, body="<p>Có 612 người dự.</p>")
    services.product_submit(actor=staff_a, product=product)


def test_a_product_waiting_for_approval_is_not_edited(
    staff_a: Any, make_product: Callable[..., Product]
) -> None:
    product = make_product(author=staff_a)
    services.product_submit(actor=staff_a, product=product)
    with pytest.raises(PermissionDenied):
        services.product_update(actor=staff_a, product=product, title="Tiêu đề khác")


def test_another_unit_cannot_write_for_unit_a(
    cast: Any, make_product: Callable[..., Product]
) -> None:
    with pytest.raises(PermissionDenied):
        make_product(author=cast.officer_b, unit=cast.unit_a)
    product = make_product(author=cast.officer_a)
    with pytest.raises(PermissionDenied):
        services.product_update(actor=cast.officer_b, product=product, title="Sửa trộm")
    with pytest.raises(PermissionDenied):
        services.product_submit(actor=cast.member_user, product=product)


def test_an_event_needs_its_start(cast: Any, make_product: Callable[..., Product]) -> None:
    with pytest.raises(ValidationError) as err:
        make_product(kind=ProductKind.EVENT, title="Ngày hội công nhân")
    assert "event_starts_at" in err.value.message_dict
    start = timezone.now() + timedelta(days=10)
    with pytest.raises(ValidationError):
        make_product(
            kind=ProductKind.EVENT, event_starts_at=start, event_ends_at=start - timedelta(hours=1)
        )


def test_posters_are_not_digital_unless_said(make_product: Callable[..., Product]) -> None:
    assert not make_product(kind=ProductKind.POSTER, title="Pa-nô Tháng Công nhân").is_digital
    assert make_product(kind=ProductKind.POSTER, title="Áp phích số", is_digital=True).is_digital


def test_same_title_gets_a_second_address(make_product: Callable[..., Product]) -> None:
    first = make_product(title="Tin hoạt động")
    second = make_product(title="Tin hoạt động")
    assert (first.slug, second.slug) == ("tin-hoat-dong", "tin-hoat-dong-2")


def test_correcting_a_published_product_keeps_the_old_text_and_marks_it_updated(
    cast: Any,
    staff_a: Any,
    make_product: Callable[..., Product],
    django_capture_on_commit_callbacks: Any,
) -> None:
    product = make_product(author=staff_a, body="<p>Hơn 600 công nhân dự hội nghị.</p>")
    published(product, approver=cast.officer_a, actor=staff_a)
    assert product.corrected_at is None
    corrected: list[int] = []

    def listener(changed: Product) -> None:
        corrected.append(changed.pk)

    hooks.register_on_corrected(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.product_correct(
                actor=staff_a,
                product=product,
                title=product.title,
                summary=product.summary,
                body="<p>Hơn 650 công nhân dự hội nghị.</p>",
            )
    finally:
        hooks.unregister(listener)
    assert corrected == [product.pk]
    product.refresh_from_db()
    assert product.corrected_at is not None
    versions = list(product.versions.order_by("number"))
    assert [v.reason for v in versions] == [
        VersionReason.SUBMITTED,
        VersionReason.APPROVED,
        VersionReason.PUBLISHED,
        VersionReason.CORRECTED,
    ]
    assert "600" in versions[2].body and "650" in versions[3].body
    body = next(d for d in version_diff(versions[2], versions[3]) if d.name == "body")
    assert [(p.op, p.text) for p in body.parts if p.op != "equal"] == [
        ("delete", "600"),
        ("insert", "650"),
    ]
    assert AuditEntry.objects.filter(action="content.product.correct").exists()


def test_changing_only_the_themes_of_a_published_product_is_not_a_correction(
    cast: Any, staff_a: Any, make_product: Callable[..., Product], themes: Any
) -> None:
    product = make_product(author=staff_a)
    published(product, approver=cast.officer_a, actor=staff_a)
    services.product_update(actor=staff_a, product=product, themes=[themes["guong-tot"]])
    product.refresh_from_db()
    assert product.corrected_at is None
    assert list(product.themes.values_list("code", flat=True)) == ["guong-tot"]


def test_publishing_calls_the_registered_hooks_after_commit(
    cast: Any,
    staff_a: Any,
    make_product: Callable[..., Product],
    django_capture_on_commit_callbacks: Any,
) -> None:
    heard: list[str] = []

    def listener(product: Product) -> None:
        heard.append(product.title)

    def broken(product: Product) -> None:
        raise RuntimeError("kênh hỏng")

    hooks.register_on_published(broken)
    hooks.register_on_published(listener)
    try:
        product = make_product(author=staff_a, title="Tin đã đăng")
        with django_capture_on_commit_callbacks(execute=True):
            published(product, approver=cast.officer_a, actor=staff_a)
    finally:
        hooks.unregister(broken)
        hooks.unregister(listener)
    assert heard == ["Tin đã đăng"]


def test_a_schedule_in_the_past_is_refused_with_a_clear_message(
    cast: Any, staff_a: Any, make_product: Callable[..., Product]
) -> None:
    product = make_product(author=staff_a)
    services.product_submit(actor=staff_a, product=product)
    services.product_approve(actor=cast.officer_a, product=product)
    with pytest.raises(ValidationError) as err:
        services.product_schedule(
            actor=staff_a, product=product, publish_at=timezone.now() - timedelta(minutes=1)
        )
    assert "tương lai" in err.value.message_dict["publish_at"][0]
    assert Product.objects.get(pk=product.pk).status == ProductStatus.APPROVED


def test_the_periodic_job_publishes_scheduled_products_whose_time_has_come(
    cast: Any, staff_a: Any, make_product: Callable[..., Product]
) -> None:
    due, later = (
        make_product(author=staff_a, title="Đến giờ"),
        make_product(author=staff_a, title="Chưa đến giờ"),
    )
    for product in (due, later):
        services.product_submit(actor=staff_a, product=product)
        services.product_approve(actor=cast.officer_a, product=product)
        services.product_schedule(
            actor=staff_a, product=product, publish_at=timezone.now() + timedelta(hours=1)
        )
    # Time passes for the first one.
    Product.objects.filter(pk=due.pk).update(publish_at=timezone.now() - timedelta(minutes=1))
    assert run_due(only={"content.publish_due"}) == {"content.publish_due": True}
    due.refresh_from_db()
    later.refresh_from_db()
    assert due.status == ProductStatus.PUBLISHED and due.published_at is not None
    assert later.status == ProductStatus.SCHEDULED
    assert due.versions.filter(reason=VersionReason.PUBLISHED).count() == 1


def test_publishing_twice_tells_the_second_officer_it_is_done(
    cast: Any, staff_a: Any, make_product: Callable[..., Product]
) -> None:
    product = make_product(author=staff_a)
    services.product_submit(actor=staff_a, product=product)
    services.product_approve(actor=cast.officer_a, product=product)
    stale = Product.objects.get(pk=product.pk)
    services.product_publish(actor=staff_a, product=product)
    with pytest.raises(ValidationError, match="Đã đăng"):
        services.product_publish(actor=cast.officer_a, product=stale)
    assert product.versions.filter(reason=VersionReason.PUBLISHED).count() == 1


def test_an_update_leaves_out_what_it_does_not_name_and_empties_what_is_none(
    cast: Any, make_product: Callable[..., Product]
) -> None:
    start = timezone.now() + timedelta(days=7)
    product = make_product(
        kind=ProductKind.EVENT, title="Ngày hội công nhân", event_starts_at=start
    )
    services.product_update(actor=cast.officer_a, product=product, summary="Mời đoàn viên dự.")
    product.refresh_from_db()
    assert product.event_starts_at == start and product.summary == "Mời đoàn viên dự."
    with pytest.raises(ValidationError):  # an event without its start
        services.product_update(actor=cast.officer_a, product=product, event_starts_at=None)
    services.product_update(
        actor=cast.officer_a, product=product, kind=ProductKind.NEWS, event_starts_at=None
    )
    product.refresh_from_db()
    assert product.kind == ProductKind.NEWS and product.event_starts_at is None
