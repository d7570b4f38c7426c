"""`congdoan survey_from_template --unit PX [--template nhu-cau-thong-tin] [--public] [--open]`:
the plan's standing survey of information needs (or another template) for a unit, as a
draft or opened at once — for a scheduled run each period, or the demo."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from congdoan.orgs.models import Unit
from congdoan.surveys.models import Audience
from congdoan.surveys.services.surveys import survey_open
from congdoan.surveys.services.templates import INFO_NEEDS, TEMPLATES, survey_from_template


class Command(BaseCommand):
    help = "Tạo khảo sát từ mẫu (mặc định: khảo sát nhu cầu thông tin của đoàn viên)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="mã đơn vị tổ chức")
        parser.add_argument("--template", default=INFO_NEEDS, choices=sorted(TEMPLATES))
        parser.add_argument("--public", action="store_true", help="ai có đường dẫn cũng trả lời")
        parser.add_argument("--open", action="store_true", help="mở ngay")

    def handle(self, *args: Any, **options: Any) -> None:
        unit = Unit.objects.filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(f"Không có đơn vị mã {options['unit']}.")
        survey = survey_from_template(
            actor=None,
            unit=unit,
            template=options["template"],
            audience=Audience.PUBLIC if options["public"] else Audience.MEMBERS,
        )
        if options["open"]:
            survey_open(actor=None, survey=survey)
        self.stdout.write(f"{survey.pk} /khao-sat/{survey.key}/ {survey.title} ({survey.status})")
