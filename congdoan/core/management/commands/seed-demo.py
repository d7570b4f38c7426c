"""`congdoan seed-demo`: the demo data of Phú Xuyên, from the development tooling
(`congdoan_dev.demo`, one module per app; not in the production wheel)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from congdoan.core.management.tooling import import_tooling


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu của LĐLĐ huyện Phú Xuyên (chạy lại không nhân đôi dữ liệu)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--only", default="", help="comma-separated app labels")

    def handle(self, *args: Any, only: str, **options: Any) -> None:
        demo = import_tooling("congdoan_dev.demo")
        demo.seed_all(only={x for x in only.split(",") if x}, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Đã nạp dữ liệu mẫu."))
        demo.print_logins(self.stdout)
