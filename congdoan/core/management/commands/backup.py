"""`congdoan backup [FILE]`: the database and the media files in one archive (core/backup.py)."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu và tệp tải lên vào một tệp .tar.gz (có manifest)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "path",
            nargs="?",
            default="",
            help="Archive to write (default: BACKUP_DIR/congdoan-YYYYmmdd-HHMMSS.tar.gz).",
        )

    def handle(self, *args: Any, path: str, **options: Any) -> None:
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        target = Path(path) if path else Path(settings.BACKUP_DIR) / f"congdoan-{stamp}.tar.gz"
        try:
            summary = backup_create(path=target)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _(
                "Đã sao lưu vào %(path)s: cơ sở dữ liệu %(vendor)s (%(db)s byte), %(files)s tệp (%(bytes)s byte)."
            )
            % {
                "path": summary.path,
                "vendor": summary.vendor,
                "db": summary.database_bytes,
                "files": summary.media_files,
                "bytes": summary.media_bytes,
            }
        )
