"""`congdoan plan refresh --period 2026|2026H1 [--unit CODE] [--trend] [--replace-imported]`.

Recomputes the stored figures of a period (every unit, or one unit's subtree as it was then)
as the periodic job does for the current periods; `--trend` also fills the year's monthly
points; `--replace-imported` lets live data replace the imported figures of a closed period
(the operator's choice, as the dashboard's button is the officer's). A period that does not
exist or an unknown unit stops with a clear message and writes nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from congdoan.orgs.models import Unit
from congdoan.orgs.selectors import subtree_ids_at
from congdoan.plan import services
from congdoan.plan.periods import PeriodError, parse_period


class Command(BaseCommand):
    help = "Chỉ tiêu kế hoạch: refresh (tính lại số liệu đã lưu của một kỳ)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        refresh = sub.add_parser("refresh", help="tính lại số liệu của một kỳ")
        refresh.add_argument("--period", required=True, help="kỳ: 2026H1, 2026H2 hoặc 2026")
        refresh.add_argument("--unit", help="chỉ đơn vị này và các đơn vị trực thuộc")
        refresh.add_argument("--trend", action="store_true", help="cả các điểm theo tháng")
        refresh.add_argument(
            "--replace-imported", action="store_true", help="thay cả số liệu nhập từ sổ sách"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = parse_period(options["period"])
        except PeriodError as exc:
            raise CommandError(str(exc)) from exc
        unit_ids = None
        if options.get("unit"):
            unit = Unit.objects.filter(code__iexact=options["unit"]).first()
            if unit is None:
                raise CommandError(f"Không có đơn vị mã {options['unit']}.")
            unit_ids = subtree_ids_at(unit=unit, on_date=period.end)
        result = services.refresh(
            period=period, unit_ids=unit_ids, replace_imported=options["replace_imported"]
        )
        written = result.written
        if options["trend"]:
            written += services.refresh_trend(year=period.year, unit_ids=unit_ids)
        self.stdout.write(
            f"{period.label()}: {written} số liệu; giữ {result.kept_imported} số liệu nhập."
        )
        for code, reason in result.missing.items():
            self.stdout.write(f"  {code}: {reason}")
