"""`congdoan report build --unit CODE --period 2026H1|2026 --format docx|pdf|xlsx --out FILE`.

Writes the unit's report of the period: its frozen figures once submitted, else the live
figures as a draft, with the consolidation of the units under it. Run by the server's
operator, so every unit may be used. An unknown unit or period stops with a clear message
and writes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from congdoan.orgs.models import Unit
from congdoan.plan.periods import PeriodError, parse_period
from congdoan.reports import selectors
from congdoan.reports.exports import FORMATS, render


class Command(BaseCommand):
    help = "Báo cáo định kỳ: build (xuất báo cáo 6 tháng, năm ra DOCX, PDF hoặc XLSX)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        build = sub.add_parser("build", help="xuất báo cáo của một đơn vị trong một kỳ")
        build.add_argument("--unit", required=True, help="mã đơn vị, ví dụ PX")
        build.add_argument("--period", required=True, help="kỳ: 2026H1, 2026H2 hoặc 2026")
        build.add_argument("--format", required=True, choices=sorted(FORMATS))
        build.add_argument("--out", required=True, type=Path, help="tệp sẽ ghi")

    def handle(self, *args: Any, **options: Any) -> None:
        unit = Unit.objects.filter(code__iexact=options["unit"]).select_related("level").first()
        if unit is None:
            raise CommandError(f"Không có đơn vị mã {options['unit']}.")
        try:
            period = parse_period(options["period"])
        except PeriodError as exc:
            raise CommandError(str(exc)) from exc
        if period.start > timezone.localdate():
            raise CommandError(f"Kỳ báo cáo {period.label()} chưa bắt đầu.")
        out: Path = options["out"]
        if not out.parent.is_dir():
            raise CommandError(f"Không có thư mục {out.parent}.")
        doc = selectors.export_document(unit=unit, period=period)
        content, _type, _name = render(doc, options["format"])
        out.write_bytes(content)
        self.stdout.write(f"{out}: {len(content)} byte ({unit.code}, {period.code})")
