"""`congdoan bench NAME [ARGS…]`: benchmarks. They print figures and never fail on a timing.

The benchmarks are development tooling (`congdoan_dev.bench`, not in the production wheel):
without it the command says so instead of failing with a traceback.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from congdoan.core.management.tooling import import_tooling


def _names() -> str:
    """The benchmarks' names, for --help (which works without the tooling too)."""
    try:
        return ", ".join(sorted(import_tooling("congdoan_dev.bench").BENCHMARKS))
    except CommandError:
        return "(công cụ phát triển chưa được cài)"


class Command(BaseCommand):
    help = "Chạy đo hiệu năng (công cụ phát triển congdoan_dev)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help=_names())
        parser.add_argument(
            "args", nargs="*", help="passed to the benchmark (use -- before options)"
        )

    def handle(self, *args: Any, name: str, **options: Any) -> None:
        bench = import_tooling("congdoan_dev.bench")
        if name not in bench.BENCHMARKS:
            known = ", ".join(sorted(bench.BENCHMARKS))
            raise CommandError(f"Không có phép đo {name!r}; chọn một trong: {known}")
        module = bench.benchmark(name)
        argv = list(args)  # Django hands the positional "args" over as *args, not in options
        sys.stdout.flush()
        module.run(argv)
