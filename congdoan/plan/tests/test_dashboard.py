"""The targets dashboard: scoped to the viewer, light, and honest about missing data."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from congdoan.content.models import Product, ProductStatus
from congdoan.plan import services
from congdoan.plan.charts import trend_svg
from congdoan.plan.indicators.base import FIGURE_SOURCES
from congdoan.plan.models import IndicatorFigure, Plan, Source
from congdoan.plan.periods import parse_period, year_to_month
from congdoan.plan.tests.test_indicators import _document


def _figures(cast: Any) -> None:
    plan = services.plan_create(
        actor=None,
        unit=cast.district,
        title="Kế hoạch truyền thông",
        year_from=2023,
        year_to=2028,
        document_id=4242,
    )
    services.target_set(actor=None, plan=plan, indicator="members_reached", value=90)
    for unit, n in ((cast.unit_a, 95), (cast.unit_b, 40)):
        IndicatorFigure.objects.create(
            indicator="members_reached",
            unit=unit,
            period="2025",
            numerator=n,
            denominator=100,
            source=Source.IMPORTED,
        )


def test_the_district_officer_sees_every_indicator_and_the_unit_that_pulls_down(
    cast: Any, client_of: Any, monkeypatch: Any
) -> None:
    # A site without the monitoring app: its indicator says why it has no figure.
    monkeypatch.delitem(FIGURE_SOURCES, "false_info_handled", raising=False)
    _figures(cast)
    page = client_of(cast.district_officer).get("/chi-tieu/?unit=PX&period=2025")
    assert page.status_code == 200
    html = page.content.decode()
    assert "67,5 %" in html  # (95 + 40) / 200
    assert "chưa đạt" in html
    assert "Công đoàn Công ty Điện tử B" in html  # B pulls it down (40 %)
    assert "chưa có dữ liệu" in html  # the indicators with nothing stored
    assert "Chưa có nguồn dữ liệu" in html  # false information: no monitoring here
    assert "số liệu nhập từ sổ sách" in html
    assert 'href="/tai-lieu/4242/"' in html  # the plan's text in the library


def test_an_officer_of_unit_b_sees_only_b(cast: Any, client_of: Any) -> None:
    _figures(cast)
    b = client_of(cast.officer_b)
    own = b.get("/chi-tieu/?period=2025")
    assert own.status_code == 200
    html = own.content.decode()
    assert "40 %" in html and "Công ty Điện tử B" in html
    assert "Công ty May A" not in html
    assert b.get("/chi-tieu/?unit=PX&period=2025").status_code == 404
    assert b.get("/chi-tieu/?unit=PX-A&period=2025").status_code == 404
    assert b.get("/chi-tieu/members_reached/?unit=PX-A").status_code == 404
    assert b.get("/chi-tieu/members_reached/bieu-do.svg?unit=PX-A").status_code == 404


def test_members_and_anonymous_visitors_are_kept_out(cast: Any, client_of: Any) -> None:
    assert client_of(cast.member_user).get("/chi-tieu/").status_code in (302, 403)
    assert Client().get("/chi-tieu/").status_code == 302


def test_a_period_that_does_not_exist_is_said_and_this_year_shown(
    cast: Any, client_of: Any
) -> None:
    page = client_of(cast.district_officer).get("/chi-tieu/?unit=PX&period=2025H3")
    assert page.status_code == 200
    assert "không tồn tại" in page.content.decode()


def test_the_indicator_page_lists_the_evidence_within_the_viewers_scope(
    cast: Any, client_of: Any
) -> None:
    _document(cast.unit_a, 1, status="ready", text="x", title="Tài liệu của A")
    _document(cast.unit_b, 2, status="ready", text="x", title="Tài liệu của B")
    url = "/chi-tieu/documents_digitised/?period=2025&unit="
    district = client_of(cast.district_officer).get(url + "PX").content.decode()
    assert "Tài liệu của A" in district and "Tài liệu của B" in district
    own = client_of(cast.officer_b).get(url + "PX-B").content.decode()
    assert "Tài liệu của B" in own and "Tài liệu của A" not in own


def test_unknown_indicator_is_404(cast: Any, client_of: Any) -> None:
    assert client_of(cast.district_officer).get("/chi-tieu/khong-co/").status_code == 404


def test_the_trend_is_an_svg_chart_by_month(cast: Any, client_of: Any) -> None:
    for month, n in ((1, 10), (2, 30), (3, 60)):
        IndicatorFigure.objects.create(
            indicator="members_reached",
            unit=cast.unit_a,
            period=year_to_month(2025, month).code,
            numerator=n,
            denominator=100,
        )
    svg = trend_svg(unit=cast.district, code="members_reached", year=2025, today=date(2025, 3, 15))
    assert svg.startswith("<svg") and "<script" not in svg
    assert "T1 10" in svg and "T3 60" in svg
    answer = client_of(cast.district_officer).get(
        "/chi-tieu/members_reached/bieu-do.svg?unit=PX&year=2025"
    )
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("image/svg+xml")


def test_live_data_does_not_overwrite_an_imported_closed_period_unless_chosen(
    cast: Any, client_of: Any
) -> None:
    IndicatorFigure.objects.create(
        indicator="digital_share",
        unit=cast.unit_a,
        period="2024",
        numerator=7,
        denominator=10,
        source=Source.IMPORTED,
    )
    Product.objects.create(
        unit=cast.unit_a,
        title="SP",
        slug="sp",
        status=ProductStatus.PUBLISHED,
        published_at=timezone.make_aware(datetime(2024, 5, 1)),
        is_digital=False,
    )
    services.refresh_figures(period=parse_period("2024"), today=date(2026, 1, 10))
    row = IndicatorFigure.objects.get(indicator="digital_share", unit=cast.unit_a, period="2024")
    assert (row.numerator, row.denominator, row.source) == (7, 10, "imported")
    page = client_of(cast.district_officer).get("/chi-tieu/?unit=PX&period=2024")
    assert "Tính lại từ dữ liệu trên hệ thống" in page.content.decode()
    done = client_of(cast.district_officer).post(
        "/chi-tieu/tinh-lai/", {"unit": "PX", "period": "2024"}
    )
    assert done.status_code == 302
    row.refresh_from_db()
    assert (row.numerator, row.denominator, row.source) == (0, 1, "live")
    assert (
        client_of(cast.officer_b)
        .post("/chi-tieu/tinh-lai/", {"unit": "PX", "period": "2024"})
        .status_code
        == 404
    )


def test_the_district_officers_home_page_shows_the_targets_of_the_year(
    cast: Any, client_of: Any
) -> None:
    plan = services.plan_create(
        actor=None, unit=cast.district, title="KH", year_from=2023, year_to=2030
    )
    services.target_set(actor=None, plan=plan, indicator="digital_share", value=50)
    year = str(timezone.localdate().year)
    IndicatorFigure.objects.create(
        indicator="digital_share", unit=cast.unit_a, period=year, numerator=1, denominator=4
    )
    html = client_of(cast.district_officer).get("/bang-dieu-khien/").content.decode()
    assert "Chỉ tiêu kế hoạch truyền thông" in html
    assert "đạt 0/1 chỉ tiêu có số liệu" in html
    assert "25 % / 50 %" in html
    admin = client_of(cast.admin).get("/bang-dieu-khien/").content.decode()
    assert "đạt 0/1" not in admin  # a whole-tree roll-up is not computed on every home visit


def test_an_administrator_loads_a_plan_and_its_targets_in_the_admin(
    cast: Any, client_of: Any
) -> None:
    c = client_of(cast.admin)
    _figures(cast)
    assert c.get(reverse("admin:plan_plan_changelist")).status_code == 200
    add = c.get(reverse("admin:plan_plan_add")).content.decode()
    assert 'value="members_reached"' in add
    assert c.get(reverse("admin:plan_indicatorfigure_changelist")).status_code == 200


def test_a_grassroots_union_is_not_shown_the_targets_set_for_the_district(
    cast: Any, client_of: Any
) -> None:
    """The district's own duties (orientation documents, its trained leaders) have no figure
    for a grassroots union, ever: they were shown to its chair as "chưa có dữ liệu"."""
    _figures(cast)
    services.target_set(
        actor=None,
        plan=Plan.objects.get(unit=cast.district),
        indicator="orientation_documents",
        value=2,
        level=cast.district.level,
    )
    own = client_of(cast.officer_b).get("/chi-tieu/?period=2025").content.decode()
    assert "Đoàn viên được tiếp cận" in own
    assert "Văn bản định hướng thông tin" not in own
    district = client_of(cast.district_officer).get("/chi-tieu/?unit=PX&period=2025")
    assert "Văn bản định hướng thông tin" in district.content.decode()


def test_the_plans_years_are_not_said_twice(cast: Any, client_of: Any) -> None:
    """ "giai đoạn 2023 - 2028 (2023–2028)" read as a mistake on the officer's dashboard."""
    services.plan_create(
        actor=None,
        unit=cast.district,
        title="Kế hoạch truyền thông giai đoạn 2023 - 2028",
        year_from=2023,
        year_to=2028,
    )
    services.plan_create(
        actor=None, unit=cast.district, title="Kế hoạch năm", year_from=2026, year_to=2026
    )
    html = client_of(cast.district_officer).get("/chi-tieu/?unit=PX").content.decode()
    assert "Theo Kế hoạch truyền thông giai đoạn 2023 - 2028</p>" in html
    assert "(2023–2028)" not in html
    assert "Theo Kế hoạch năm (2026–2026)" in html


def test_a_long_indicator_name_fits_the_chart_and_the_legend_is_short(cast: Any) -> None:
    """The title ran past the chart's edge and the legend's long name ran into "Chỉ tiêu"."""
    plan = services.plan_create(
        actor=None, unit=cast.district, title="KH", year_from=2023, year_to=2028
    )
    services.target_set(actor=None, plan=plan, indicator="leaders_trained_non_state", value=50)
    svg = trend_svg(
        unit=cast.district, code="leaders_trained_non_state", year=2025, today=date(2025, 3, 15)
    )
    title = re.search(r'font-weight="bold"[^>]*>([^<]*)</text>', svg)
    assert title is not None
    assert title.group(1).endswith("… — năm 2025")
    assert len(title.group(1)) * 8 <= 720 - 64
    assert ">Kết quả</text>" in svg and ">Chỉ tiêu</text>" in svg
    short = trend_svg(unit=cast.district, code="digital_share", year=2025)
    assert "Tỷ lệ sản phẩm truyền thông trên nền tảng số — năm 2025" in short


def test_the_units_pulling_a_target_down_say_by_how_much(cast: Any, client_of: Any) -> None:
    """Ranked by what they lack, not by their rate: under "còn thấp nhất" a 70 % unit listed
    before a 40 % one read as a sorting mistake. The heading and the shortfall say the order."""
    plan = services.plan_create(
        actor=None, unit=cast.district, title="KH", year_from=2023, year_to=2028
    )
    services.target_set(actor=None, plan=plan, indicator="members_reached", value=90)
    for unit, n, d in ((cast.unit_a, 700, 1000), (cast.unit_b, 40, 100)):
        IndicatorFigure.objects.create(
            indicator="members_reached", unit=unit, period="2025", numerator=n, denominator=d
        )
    html = client_of(cast.district_officer).get("/chi-tieu/?unit=PX&period=2025").content.decode()
    assert "kéo chỉ tiêu xuống nhiều nhất" in html
    a, b = html.index("Công ty May A</a>: 70 %"), html.index("Công ty Điện tử B</a>: 40 %")
    assert a < b
    assert "còn thiếu 200" in html and "còn thiếu 50" in html


def test_a_period_to_come_is_said_and_this_year_shown(cast: Any, client_of: Any) -> None:
    """?period=2027 showed every indicator as "chưa có dữ liệu" for a year not begun."""
    _figures(cast)
    future = timezone.localdate().year + 1
    page = client_of(cast.district_officer).get(f"/chi-tieu/?unit=PX&period={future}")
    html = page.content.decode()
    assert page.status_code == 200
    assert f"Kỳ năm {future} chưa bắt đầu" in html
    assert f"· năm {timezone.localdate().year}" in html  # this year's figures instead
