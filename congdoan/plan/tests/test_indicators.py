"""Each indicator on a small fixture counted by hand, through refresh_figures and figures_for."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from congdoan.activities import services as act
from congdoan.activities.models import (
    ActivityKind,
    AttendanceSource,
    ChannelKind,
    CourseTopic,
    PostSource,
)
from congdoan.content.models import Product, ProductStatus
from congdoan.feedback.models import Concern
from congdoan.library.models import Blob, DocType, Document, Status
from congdoan.orgs import services as org_services
from congdoan.orgs.models import Unit, UnitKind
from congdoan.orgs.tests import factories as f
from congdoan.periodic.registry import JOBS
from congdoan.plan import selectors, services
from congdoan.plan.indicators import base
from congdoan.plan.models import IndicatorFigure
from congdoan.plan.periods import parse_period

Y2025 = parse_period("2025")
TODAY = date(2026, 3, 1)


def value(unit: Any, code: str, period: str = "2025") -> Decimal | None:
    row = selectors.figure_for(unit=unit, period=parse_period(period), code=code)
    assert row is not None
    return row.value


def own(unit: Any, code: str, period: str = "2025") -> tuple[int | None, int | None]:
    fig = IndicatorFigure.objects.get(unit=unit, indicator=code, period=period)
    return fig.numerator, fig.denominator


def activity(unit: Any, kind: str, on: date, members: list[Any]) -> None:
    a = act.activity_create(
        actor=None, unit=unit, values={"kind": kind, "title": f"{kind} {on}", "held_on": on}
    )
    if members:
        act.attendance_add(
            actor=None,
            activity=a,
            member_ids=[m.pk for m in members],
            source=AttendanceSource.SHEET,
        )


@pytest.fixture
def reach(cast: Any, only_sources: Any) -> dict[str, Any]:
    """Unit A in 2025: member_a (answered concern), a1 (district conference), a2 (only Tết
    Sum vầy: not communication), a3 (a talk in 2024 only); a member who left in 2024 is not
    counted. Unit B: member_b, b1 (a dialogue of B). → A 2/4, B 1/2, the district 3/6."""
    only_sources("attended", "answered")
    a1, a2, a3 = (f.member(cast.unit_a) for _ in range(3))
    f.member(cast.unit_a, left_on=date(2024, 6, 1))
    b1 = f.member(cast.unit_b)
    activity(cast.district, ActivityKind.CONFERENCE, date(2025, 3, 1), [a1])
    activity(cast.unit_a, ActivityKind.TET, date(2025, 1, 20), [a2])
    activity(cast.unit_a, ActivityKind.TALK, date(2024, 12, 1), [a3])
    activity(cast.unit_b, ActivityKind.DIALOGUE, date(2025, 10, 10), [b1])
    Concern.objects.create(
        unit=cast.unit_a,
        text="Hỏi về chế độ thai sản",
        submitted_by=cast.member_user,
        answered_at=timezone.make_aware(datetime(2025, 5, 5, 9)),
    )
    Concern.objects.create(  # answered, but not in 2025
        unit=cast.unit_b,
        text="Hỏi về lương",
        submitted_by=cast.member_user,
        answered_at=timezone.make_aware(datetime(2026, 1, 2, 9)),
    )
    return {"a1": a1, "b1": b1}


def test_members_reached_counts_unique_members_with_evidence(cast: Any, reach: Any) -> None:
    services.refresh_figures(period=Y2025, today=TODAY)
    assert own(cast.unit_a, "members_reached") == (2, 4)
    assert own(cast.unit_b, "members_reached") == (1, 2)
    assert value(cast.district, "members_reached") == Decimal("50.0")


def test_members_reached_without_any_source_is_no_data(cast: Any, only_sources: Any) -> None:
    only_sources()
    base.register_reach_source("contests", "thi trực tuyến", "congdoan.contests.selectors.nope")
    f.member(cast.unit_a)
    result = services.refresh(period=Y2025, today=TODAY)
    assert "members_reached" in result.missing
    row = selectors.figure_for(unit=cast.district, period=Y2025, code="members_reached")
    assert row is not None and row.value is None
    assert "Chưa có nguồn dữ liệu" in row.note


def test_evidence_names_attendees_and_only_counts_the_others(cast: Any, reach: Any) -> None:
    ev = selectors.evidence_for(
        viewer=cast.district_officer, unit=cast.district, period=Y2025, code="members_reached"
    )
    assert ev is not None
    names = {r[0] for r in ev.rows}
    # member_a was reached through an answered concern: counted, never named
    assert names == {reach["a1"].full_name, reach["b1"].full_name}
    assert "1 đoàn viên được tính qua nguồn không hiển thị" in ev.note
    only_b = selectors.evidence_for(
        viewer=cast.officer_b, unit=cast.district, period=Y2025, code="members_reached"
    )
    assert only_b is not None and {r[0] for r in only_b.rows} == {reach["b1"].full_name}
    assert "không hiển thị" not in only_b.note


def test_leaders_trained_by_level_and_non_state_priority(cast: Any) -> None:
    """Leaders on 31/12/2025: A: officer_a (no member record) and a1 (trained 5/2024, within
    the 2023–2028 plan); B (a state enterprise): officer_b; the district: its officer and d1
    (trained 2025). A vice-chair post that is not a leader post does not count."""
    cast.unit_b.kind = UnitKind.STATE_ENTERPRISE
    cast.unit_b.save(update_fields=["kind"])
    services.plan_create(actor=None, unit=cast.district, title="KH", year_from=2023, year_to=2028)
    a1, a2 = f.member(cast.unit_a), f.member(cast.unit_a)
    d1 = f.member(cast.district)
    leader = f.position("pho-chu-tich", leader=True)
    clerk = f.position("uy-vien", leader=False)
    for unit, pos, m in (
        (cast.unit_a, leader, a1),
        (cast.unit_a, clerk, a2),
        (cast.district, leader, d1),
    ):
        org_services.appointment_create(
            actor=None,
            unit=unit,
            position=pos,
            full_name=m.full_name,
            member=m,
            started_on=date(2023, 1, 1),
        )
    course = act.course_create(
        actor=None, unit=cast.district, title="Kỹ năng", topic=CourseTopic.SOCIAL
    )
    for held, people in ((date(2024, 5, 5), [a1, a2]), (date(2025, 9, 9), [d1])):
        session = act.session_create(actor=None, course=course, unit=cast.district, held_on=held)
        for m in people:
            act.training_attendance_set(actor=None, session=session, member=m)
    services.refresh_figures(period=Y2025, today=TODAY)
    assert own(cast.unit_a, "leaders_trained_grassroots") == (1, 2)
    assert own(cast.unit_b, "leaders_trained_grassroots") == (0, 1)
    assert value(cast.district, "leaders_trained_grassroots") == Decimal("33.3")
    assert value(cast.district, "leaders_trained_non_state") == Decimal("50.0")
    assert own(cast.district, "leaders_trained_upper") == (1, 2)
    assert not IndicatorFigure.objects.filter(
        unit=cast.unit_a, indicator="leaders_trained_upper"
    ).exists()


def test_digital_share_counts_products_published_in_the_period(cast: Any) -> None:
    def product(
        unit: Any, n: int, digital: bool, on: datetime | None, status: str = ProductStatus.PUBLISHED
    ) -> None:
        Product.objects.create(
            unit=unit,
            title=f"Sản phẩm {n}",
            slug=f"sp-{n}",
            is_digital=digital,
            status=status,
            published_at=timezone.make_aware(on) if on else None,
        )

    product(cast.unit_a, 1, True, datetime(2025, 2, 1))
    product(cast.unit_a, 2, False, datetime(2025, 12, 31, 23, 30))
    product(cast.unit_a, 3, True, datetime(2025, 6, 1), ProductStatus.ARCHIVED)
    product(cast.unit_a, 4, True, datetime(2026, 1, 1, 0, 5))
    product(cast.unit_a, 5, True, None, ProductStatus.DRAFT)
    product(cast.unit_b, 6, False, datetime(2025, 4, 4))
    services.refresh_figures(period=Y2025, today=TODAY)
    assert own(cast.unit_a, "digital_share") == (2, 3)
    assert value(cast.district, "digital_share") == Decimal("50.0")  # 2 of 4
    services.refresh_figures(period=parse_period("2025H1"), today=TODAY)
    assert value(cast.district, "digital_share", "2025H1") == Decimal("66.7")  # 2 of 3


def _document(unit: Any, n: int, **kw: Any) -> Document:
    blob = Blob.objects.create(
        sha256=f"{n:064d}", file=f"x{n}.pdf", size=1, content_type="application/pdf"
    )
    kw.setdefault("created_at", timezone.make_aware(datetime(2025, 1, 1)))
    return Document.objects.create(
        unit=unit, blob=blob, original_name=f"x{n}.pdf", source_kind="upload", **kw
    )


def _issued(unit: Any, n: int, doc_type: str, title: str, issued_on: date) -> Document:
    """A read document the unit issued (a guidance, an official letter) with its title and date."""
    return _document(
        unit,
        n,
        status=Status.READY,
        text="x",
        doc_type=doc_type,
        title=title,
        issued_on=issued_on,
    )


def test_documents_digitised_and_orientation_documents(cast: Any) -> None:
    _document(cast.unit_a, 1, status=Status.READY, text="Nội dung")
    _document(cast.unit_a, 2, status=Status.READY, text="")  # read, but no text
    _document(cast.unit_a, 3, status=Status.PENDING)
    _issued(
        cast.district,
        4,
        DocType.GUIDANCE,
        "Hướng dẫn định hướng thông tin tuyên truyền",
        date(2025, 3, 3),
    )
    _issued(cast.district, 5, DocType.GUIDANCE, "Hướng dẫn tổ chức Tết", date(2025, 3, 4))
    _issued(
        cast.district,
        6,
        DocType.OFFICIAL_LETTER,
        "V/v định hướng thông tin về lương tối thiểu",
        date(2024, 12, 30),
    )
    _document(
        cast.unit_a,
        7,
        doc_type=DocType.OFFICIAL_LETTER,
        title="định hướng",
        issued_on=date(2025, 5, 5),
    )
    services.refresh_figures(period=Y2025, today=TODAY)
    assert own(cast.unit_a, "documents_digitised") == (1, 4)
    assert value(cast.district, "documents_digitised") == Decimal("57.1")  # 4 of 7
    assert own(cast.district, "orientation_documents") == (1, None)
    assert value(cast.district, "orientation_documents") == Decimal(1)
    assert not IndicatorFigure.objects.filter(
        unit=cast.unit_a, indicator="orientation_documents"
    ).exists()


def test_fanpage_and_direct_activity_duties_are_shares_of_units(cast: Any) -> None:
    act.channel_save(
        actor=None,
        unit=cast.unit_a,
        values={"kind": ChannelKind.FANPAGE, "url": "https://fb.com/a"},
    )
    act.channel_save(
        actor=None,
        unit=cast.unit_b,
        values={"kind": ChannelKind.FANPAGE, "url": "https://fb.com/b"},
    )
    act.log_presence_posts(
        unit=cast.unit_a,
        channel_kind=ChannelKind.FANPAGE,
        day=date(2025, 12, 20),
        count=2,
        source=PostSource.UNIT,
    )
    act.log_presence_posts(
        unit=cast.unit_b,
        channel_kind=ChannelKind.FANPAGE,
        day=date(2025, 9, 1),
        count=2,
        source=PostSource.UNIT,
    )
    activity(cast.unit_a, ActivityKind.CONFERENCE, date(2025, 2, 2), [])
    activity(cast.unit_a, ActivityKind.DIALOGUE, date(2025, 9, 2), [])
    activity(cast.unit_b, ActivityKind.TALK, date(2025, 3, 3), [])
    activity(cast.unit_b, ActivityKind.TET, date(2025, 1, 25), [])
    services.refresh_figures(period=Y2025, unit_ids=[cast.unit_a.pk, cast.unit_b.pk], today=TODAY)
    assert own(cast.unit_a, "fanpage_active") == (1, 1)
    assert own(cast.unit_b, "fanpage_active") == (0, 1)  # silent since September
    assert own(cast.unit_a, "direct_activities") == (1, 1)
    assert own(cast.unit_b, "direct_activities") == (0, 1)  # one talk; Tết is not communication
    assert value(cast.district, "direct_activities") == Decimal("50.0")
    services.refresh_figures(period=parse_period("2025H1"), unit_ids=[cast.unit_b.pk], today=TODAY)
    assert own(cast.unit_b, "direct_activities", "2025H1") == (1, 1)  # one is enough in six months


def test_false_information_plugs_in_when_monitoring_registers(cast: Any, only_sources: Any) -> None:
    services.refresh_figures(period=Y2025, today=TODAY)
    assert value(cast.district, "false_info_handled") is None
    base.register_figure_source(
        "false_info_handled", "giám sát", "congdoan.plan.tests.test_indicators.fake_monitoring"
    )
    services.refresh_figures(period=Y2025, today=TODAY)
    assert value(cast.district, "false_info_handled") == Decimal("75.0")


def fake_monitoring(*, unit_ids: Any, start: date, end: date) -> dict[int, tuple[int, int]]:
    a = Unit.objects.get(code="PX-A").pk
    return {a: (3, 4)} if a in unit_ids else {}


def test_a_refresh_removes_a_live_row_whose_data_went(cast: Any) -> None:
    Product.objects.create(
        unit=cast.unit_a,
        title="SP",
        slug="sp",
        status=ProductStatus.PUBLISHED,
        published_at=timezone.make_aware(datetime(2025, 2, 1)),
    )
    services.refresh_figures(period=Y2025, today=TODAY)
    assert own(cast.unit_a, "digital_share") == (1, 1)
    Product.objects.all().delete()
    services.refresh_figures(period=Y2025, today=TODAY)
    assert value(cast.district, "digital_share") is None


def test_the_periodic_job_refreshes_the_current_half_year_year_and_month(cast: Any) -> None:
    assert JOBS["plan.refresh_figures"].run == "congdoan.plan.services.refresh_current"
    today = timezone.localdate()
    Product.objects.create(
        unit=cast.unit_a,
        title="SP",
        slug="sp",
        status=ProductStatus.PUBLISHED,
        published_at=timezone.now(),
    )
    assert services.refresh_current().endswith("figures")
    periods = set(
        IndicatorFigure.objects.filter(unit=cast.unit_a, indicator="digital_share").values_list(
            "period", flat=True
        )
    )
    half = "H1" if today.month <= 6 else "H2"
    assert periods == {str(today.year), f"{today.year}{half}", f"{today.year}-{today.month:02d}"}


def test_the_trend_of_a_past_year_has_twelve_points(cast: Any) -> None:
    Product.objects.create(
        unit=cast.unit_a,
        title="SP",
        slug="sp",
        status=ProductStatus.PUBLISHED,
        is_digital=True,
        published_at=timezone.make_aware(datetime(2025, 3, 10)),
    )
    services.refresh_trend(year=2025, today=TODAY)
    points = selectors.trend(unit=cast.district, year=2025, today=TODAY)["digital_share"]
    assert len(points) == 12
    assert (
        points[:2] == [None, None]
        and points[2] == Decimal("100.0")
        and points[11] == Decimal("100.0")
    )


def test_the_refresh_command_recomputes_a_period_and_refuses_a_bad_one(
    cast: Any, monkeypatch: Any
) -> None:
    # Without the monitoring app the command names the indicator it could not compute.
    monkeypatch.delitem(base.FIGURE_SOURCES, "false_info_handled", raising=False)
    Product.objects.create(
        unit=cast.unit_a,
        title="SP",
        slug="sp",
        status=ProductStatus.PUBLISHED,
        published_at=timezone.make_aware(datetime(2025, 3, 10)),
    )
    out = StringIO()
    call_command("plan", "refresh", "--period", "2025", "--unit", "PX", "--trend", stdout=out)
    assert "năm 2025" in out.getvalue() and "false_info_handled" in out.getvalue()
    assert own(cast.unit_a, "digital_share") == (1, 1)
    assert IndicatorFigure.objects.filter(unit=cast.unit_a, period="2025-12").exists()
    with pytest.raises(CommandError, match="không tồn tại"):
        call_command("plan", "refresh", "--period", "2025H3")
    with pytest.raises(CommandError, match="Không có đơn vị"):
        call_command("plan", "refresh", "--period", "2025", "--unit", "ZZ")


def test_an_orientation_titled_with_a_capital_dinh_counts_on_every_database(cast: Any) -> None:
    """SQLite's LIKE folds only ASCII letters: "Định hướng" at the head of a title must count."""
    _issued(
        cast.district,
        11,
        DocType.GUIDANCE,
        "Định hướng thông tin tuyên truyền Tháng Công nhân năm 2025",
        date(2025, 4, 8),
    )
    _issued(
        cast.district,
        12,
        DocType.OFFICIAL_LETTER,
        "V/V ĐỊNH HƯỚNG THÔNG TIN DỊP TẾT",
        date(2025, 1, 12),
    )
    services.refresh_figures(period=Y2025, today=TODAY)
    assert own(cast.district, "orientation_documents") == (2, None)
