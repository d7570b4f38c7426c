"""`congdoan feedback_import FILE --unit CODE [--valid-only] [--dry-run] [--user EMAIL]`.

Paper forms typed into a spreadsheet, imported from the shell. Run by the server's operator,
so any unit may be used unless --user is given (then that officer's scope applies and the
import is audited in their name). Each wrong row is printed; nothing is written while a row
is wrong unless --valid-only is given.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from congdoan.feedback import importers
from congdoan.orgs.models import Unit


class Command(BaseCommand):
    help = "Nhập phiếu tâm tư, nguyện vọng (đã gõ lại vào tệp .xlsx hoặc .csv) thành ý kiến."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="tệp .xlsx hoặc .csv")
        parser.add_argument(
            "--unit", required=True, help="mã đơn vị cho các dòng không ghi “Mã đơn vị”"
        )
        parser.add_argument(
            "--valid-only", action="store_true", help="chỉ nhập các dòng hợp lệ, bỏ qua dòng lỗi"
        )
        parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi gì")
        parser.add_argument(
            "--user",
            default="",
            help="e-mail hoặc tên đăng nhập của cán bộ nhập (phạm vi, nhật ký)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}")
        actor = None
        if options["user"]:
            User = get_user_model()
            actor = User.objects.filter(
                Q(email__iexact=options["user"]) | Q(username=options["user"])
            ).first()
            if actor is None:
                raise CommandError(f"Không có người dùng {options['user']}")
        may_use = importers.officer_may_use(actor) if actor is not None else (lambda unit: True)
        unit = Unit.objects.filter(code__iexact=options["unit"], is_active=True).first()
        if unit is None or not may_use(unit):
            raise CommandError(
                f"Không có đơn vị đang hoạt động với mã {options['unit']} (trong phạm vi)"
            )
        try:
            sheet = importers.read_sheet(path.name, path.read_bytes())
        except importers.SheetError as exc:
            raise CommandError(str(exc)) from exc
        preview = importers.preview_sheet(sheet, default_unit=unit, may_use=may_use)
        for row in preview.invalid:
            self.stderr.write(f"dòng {row.number}: " + " ".join(row.errors))
        self.stdout.write(
            f"{len(preview.rows)} dòng: {len(preview.valid)} hợp lệ, {len(preview.invalid)} lỗi."
        )
        if options["dry_run"]:
            return
        try:
            result = importers.import_sheet(
                preview=preview, actor=actor, valid_only=options["valid_only"]
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nhập {result.created} ý kiến; {result.already} dòng đã có từ trước; "
                f"bỏ qua {result.skipped} dòng lỗi."
            )
        )
