"""`congdoan seed-demo`: the demo data of Phú Xuyên. Each app adds its part in `<app>/demo.py`."""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu của LĐLĐ huyện Phú Xuyên (chạy lại không nhân đôi dữ liệu)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--only", default="", help="comma-separated app labels")

    def handle(self, *args: Any, only: str, **options: Any) -> None:
        wanted = {x for x in only.split(",") if x}
        for config in apps.get_app_configs():
            if not config.name.startswith("congdoan."):
                continue
            if wanted and config.label not in wanted:
                continue
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name == f"{config.name}.demo":
                    continue
                raise
            self.stdout.write(f"• {config.label}")
            module.seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Đã nạp dữ liệu mẫu."))
        from congdoan.orgs.demo import print_logins

        print_logins(self.stdout)
