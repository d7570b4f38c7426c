"""`congdoan restore FILE`: put back the database and the media files of a `congdoan backup`.

Stop the web server and the worker first: the restore replaces what they read."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from congdoan.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Khôi phục cơ sở dữ liệu và tệp tải lên từ một bản sao lưu (thay toàn bộ dữ liệu hiện có)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", help="The archive written by `congdoan backup`.")
        parser.add_argument(
            "--yes", action="store_true", help="Do not ask before replacing the data."
        )

    def handle(self, *args: Any, path: str, yes: bool, **options: Any) -> None:
        if not yes:
            answer = input(
                _("Mọi dữ liệu hiện có sẽ bị thay bằng bản sao lưu. Gõ 'co' để tiếp tục: ")
            )
            if answer.strip().lower() not in {"co", "có", "yes"}:
                raise CommandError(_("Đã hủy, không thay đổi gì."))
        try:
            manifest = backup_restore(path=Path(path))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _(
                "Đã khôi phục bản sao lưu ngày %(when)s (%(files)s tệp). Chạy `congdoan migrate` nếu phiên bản mã mới hơn."
            )
            % {"when": manifest["created_at"], "files": len(manifest["files"]) - 1}
        )
