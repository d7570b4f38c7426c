"""`congdoan orgs import-members FILE --unit CODE [--valid-only] [--dry-run]`.

The union tree's commands, one verb each (`congdoan <app> <verb>`). `import-members` is the
member import from the shell, run by the server's operator: it may import into any unit (and
its subtree), checks the rows exactly like the web page, prints each wrong row, and writes
nothing while a row is wrong unless --valid-only is given.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from congdoan.orgs import imports
from congdoan.orgs.models import Unit


def add_import_members_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="tệp .xlsx hoặc .csv")
    parser.add_argument(
        "--unit",
        required=True,
        help="mã đơn vị nhận đoàn viên (khi tệp không có cột “Mã đơn vị”)",
    )
    parser.add_argument(
        "--valid-only", action="store_true", help="chỉ nhập các dòng hợp lệ, bỏ qua dòng lỗi"
    )
    parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi gì")


def import_members(command: BaseCommand, options: dict[str, Any]) -> None:
    path: Path = options["file"]
    if not path.is_file():
        raise CommandError(f"Không tìm thấy tệp {path}")
    unit = Unit.objects.filter(code=options["unit"], is_active=True).first()
    if unit is None:
        raise CommandError(f"Không có đơn vị đang hoạt động với mã {options['unit']}")
    try:
        sheet = imports.read_sheet(path.read_bytes(), path.name)
        preview = imports.check_sheet(sheet, unit=unit, viewer=None)
    except imports.SheetError as exc:
        raise CommandError(str(exc)) from exc
    for warning in preview.warnings:
        command.stderr.write(command.style.WARNING(warning))
    for row in preview.error_rows:
        command.stderr.write(f"dòng {row.line}: " + " ".join(row.errors))
    command.stdout.write(
        f"{len(preview.rows)} dòng: {len(preview.valid_rows)} hợp lệ, {len(preview.error_rows)} lỗi."
    )
    if options["dry_run"]:
        return
    if preview.has_errors and not options["valid_only"]:
        raise CommandError(
            "Tệp còn dòng lỗi; chưa nhập gì. Sửa tệp, hoặc chạy lại với --valid-only."
        )
    try:
        result = imports.import_members(
            actor=None, sheet=sheet, unit=unit, viewer=None, valid_only=options["valid_only"]
        )
    except ValidationError as exc:
        raise CommandError(" ".join(exc.messages)) from exc
    command.stdout.write(
        command.style.SUCCESS(f"Đã nhập {result.created} đoàn viên; bỏ qua {result.skipped} dòng.")
    )


class Command(BaseCommand):
    help = "Cây công đoàn và đoàn viên: nhập đoàn viên từ tệp (import-members)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add_import_members_arguments(
            sub.add_parser(
                "import-members",
                help="Nhập đoàn viên từ tệp Excel (.xlsx) hoặc CSV vào một đơn vị.",
            )
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "import-members":
            import_members(self, options)
