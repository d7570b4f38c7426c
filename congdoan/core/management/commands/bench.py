"""`congdoan bench NAME [ARGS…]`: benchmarks. They print figures and never fail on a timing."""

from __future__ import annotations

import importlib
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

BENCHMARKS = {
    "tree": "congdoan.orgs.bench",
    "text": "congdoan.nlp.bench",
    "library": "congdoan.library.bench",
    "feedback": "congdoan.feedback.bench",
    "faults": "congdoan.outbox.bench",
}


class Command(BaseCommand):
    help = "Chạy đo hiệu năng: " + ", ".join(BENCHMARKS)

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", choices=sorted(BENCHMARKS))
        parser.add_argument(
            "args", nargs="*", help="passed to the benchmark (use -- before options)"
        )

    def handle(self, *args: Any, name: str, **options: Any) -> None:
        try:
            module = importlib.import_module(BENCHMARKS[name])
        except ModuleNotFoundError as exc:
            raise CommandError(f"benchmark {name!r} is not available: {exc}") from exc
        argv = list(args)  # Django hands the positional "args" over as *args, not in options
        sys.stdout.flush()
        module.run(argv)
