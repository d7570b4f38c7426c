"""Writes: checked, audited, kept to the actor's scope."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from congdoan.activities import rules, services
from congdoan.activities.models import (
    MAX_AMOUNT_VND,
    Activity,
    ActivityKind,
    ChannelKind,
    ExampleKind,
    ExampleStatus,
    PostSource,
)
from congdoan.audit.models import AuditEntry


def _values(**kw: Any) -> dict[str, Any]:
    return {
        "kind": ActivityKind.HOUSE,
        "title": "Trao Mái ấm Công đoàn",
        "held_on": date(2026, 10, 5),
        **kw,
    }


def test_an_activity_is_audited_with_its_unit(cast: Any) -> None:
    activity = services.activity_create(
        actor=cast.officer_a, unit=cast.unit_a, values=_values(amount_vnd=50_000_000)
    )
    entry = AuditEntry.objects.get(action="activities.activity.create")
    assert (entry.unit_id, entry.actor_id) == (cast.unit_a.pk, cast.officer_a.pk)
    assert activity.amount_vnd == 50_000_000
    assert activity.is_communication is False


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("amount_vnd", -1, "không được âm"),
        ("amount_vnd", MAX_AMOUNT_VND + 1, "quá lớn"),
        ("amount_vnd", "mười triệu", "số tiền"),
        ("participants", -3, "không được âm"),
        ("participants", 10**9, "quá lớn"),
        ("kind", "party", "Loại hoạt động"),
        ("title", "   ", "Chưa nhập"),
        ("held_on", "2026-13-01", "Ngày tổ chức"),
    ],
)
def test_bad_values_are_refused_with_a_vietnamese_message(
    cast: Any, field: str, value: Any, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        services.activity_create(
            actor=cast.officer_a, unit=cast.unit_a, values=_values(**{field: value})
        )
    assert not Activity.objects.exists()


def test_a_unit_outside_the_scope_is_refused(cast: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.activity_create(actor=cast.officer_a, unit=cast.unit_b, values=_values())
    with pytest.raises(PermissionDenied):
        services.budget_save(
            actor=cast.officer_a, unit=cast.unit_b, year=2026, communication_vnd=1, total_vnd=2
        )
    with pytest.raises(PermissionDenied):
        services.channel_save(
            actor=cast.officer_b, unit=cast.unit_a, values={"kind": ChannelKind.FANPAGE}
        )
    with pytest.raises(PermissionDenied):
        services.log_presence_posts(
            actor=cast.officer_b,
            unit=cast.unit_a,
            channel_kind=ChannelKind.FANPAGE,
            day=date(2026, 12, 1),
            count=1,
            source=PostSource.UNIT,
        )


def test_budget_checks_amounts_year_and_share(cast: Any) -> None:
    save = services.budget_save
    with pytest.raises(ValidationError, match="không được âm"):
        save(actor=None, unit=cast.unit_a, year=2026, communication_vnd=-1, total_vnd=5)
    with pytest.raises(ValidationError, match="quá lớn"):
        save(actor=None, unit=cast.unit_a, year=2026, communication_vnd=0, total_vnd=10**15)
    with pytest.raises(ValidationError, match="không thể lớn hơn"):
        save(actor=None, unit=cast.unit_a, year=2026, communication_vnd=6, total_vnd=5)
    with pytest.raises(ValidationError, match="Năm phải"):
        save(actor=None, unit=cast.unit_a, year=1990, communication_vnd=0, total_vnd=5)
    save(actor=None, unit=cast.unit_a, year=2026, communication_vnd=1, total_vnd=5)
    budget = save(actor=None, unit=cast.unit_a, year=2026, communication_vnd=2, total_vnd=8)
    assert (budget.communication_vnd, budget.total_vnd) == (2, 8)
    assert cast.unit_a.budgets.count() == 1


def test_posts_for_a_day_to_come_are_refused(cast: Any) -> None:
    with pytest.raises(ValidationError, match="chưa tới"):
        services.log_presence_posts(
            unit=cast.unit_a,
            channel_kind=ChannelKind.FANPAGE,
            day=timezone.localdate() + timedelta(days=1),
            count=1,
            source=PostSource.GRAPH,
        )


def _submit(cast: Any) -> Any:
    return services.example_submit(
        actor=cast.officer_a,
        unit=cast.unit_a,
        kind=ExampleKind.PERSON,
        title="Chị Nguyễn Thị Lan, tổ trưởng sản xuất giỏi",
        summary="",
        submitted_on=date(2026, 11, 1),
    )


def test_a_good_example_goes_up_one_level_at_a_time_to_the_city(cast: Any) -> None:
    example = _submit(cast)
    assert (example.status, example.holder) == (ExampleStatus.SUBMITTED, cast.district)
    # the unit that submitted it cannot act on it; the district can
    assert not rules.can_act_on_example(cast.officer_a, example)
    assert rules.can_forward_example(cast.district_officer, example)
    with pytest.raises(PermissionDenied):
        services.example_forward(actor=cast.officer_a, example=example)
    services.example_forward(
        actor=cast.district_officer, example=example, note="Đề nghị biểu dương"
    )
    assert (example.status, example.holder) == (ExampleStatus.FORWARDED, cast.city)
    # the city is the last stop: it recognises or returns, it does not forward
    assert not rules.can_forward_example(cast.admin, example)
    services.example_recognise(actor=cast.admin, example=example)
    assert example.status == ExampleStatus.RECOGNISED
    assert list(example.steps.values_list("status", flat=True)) == [
        "submitted",
        "forwarded",
        "recognised",
    ]
    with pytest.raises(PermissionDenied):
        services.example_return(actor=cast.admin, example=example, note="x")


def test_returning_needs_a_reason_and_a_stale_action_is_refused(cast: Any) -> None:
    example = _submit(cast)
    with pytest.raises(ValidationError, match="lý do"):
        services.example_return(actor=cast.district_officer, example=example, note=" ")
    stale = type(example).objects.get(pk=example.pk)
    services.example_return(actor=cast.district_officer, example=example, note="Bổ sung số liệu")
    assert example.status == ExampleStatus.RETURNED
    with pytest.raises(ValidationError, match="vừa được người khác xử lý"):
        services.example_forward(actor=None, example=stale)


def test_a_returned_example_is_corrected_and_sent_again_by_its_unit(
    cast: Any, client_of: Any
) -> None:
    example = _submit(cast)
    services.example_return(actor=cast.district_officer, example=example, note="Thiếu ảnh")
    with pytest.raises(PermissionDenied):
        services.example_resubmit(actor=cast.officer_b, example=example, title="x", summary="")
    response = client_of(cast.officer_a).post(
        f"/hoat-dong/guong-dien-hinh/{example.pk}/gui-lai/",
        {"title": "Chị Lan, tổ trưởng giỏi (bổ sung ảnh)", "summary": "Kèm 5 ảnh"},
    )
    assert response.status_code == 302
    example.refresh_from_db()
    assert (example.status, example.holder, example.summary) == (
        ExampleStatus.SUBMITTED,
        cast.district,
        "Kèm 5 ảnh",
    )
    assert example.steps.count() == 3
    with pytest.raises(PermissionDenied):  # only a returned one is sent again
        services.example_resubmit(actor=cast.officer_a, example=example, title="x", summary="")


def test_a_link_that_is_not_http_is_refused(cast: Any) -> None:
    with pytest.raises(ValidationError, match="Đường dẫn không hợp lệ"):
        services.press_create(
            actor=None,
            unit=cast.unit_a,
            values={
                "kind": "coverage",
                "outlet": "Báo",
                "title": "Tin",
                "happened_on": date(2026, 1, 1),
                "link": "javascript:alert(1)",
            },
        )
    with pytest.raises(ValidationError, match="Đường dẫn không hợp lệ"):
        services.channel_save(
            actor=None, unit=cast.unit_a, values={"kind": "fanpage", "url": "ftp://x.vn/a"}
        )
