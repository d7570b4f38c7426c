"""`congdoan feedback classify | retrain | check-deadlines | erase-expired | import-forms`.

`import-forms FILE --unit CODE [--valid-only] [--dry-run] [--user EMAIL]`: paper forms typed
into a spreadsheet, imported from the shell. Run by the server's operator, so any unit may be
used unless --user is given (then that officer's scope applies and the import is audited in
their name). Each wrong row is printed; nothing is written while a row is wrong unless
--valid-only is given. (`congdoan feedback_import` is its old name.)
"""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from congdoan.core.importer import SheetError
from congdoan.feedback import importers
from congdoan.feedback.deadlines import check_deadlines, erase_expired_contacts
from congdoan.feedback.tasks import feedback_check_deadlines
from congdoan.orgs.models import Unit


def add_import_forms_arguments(parser: ArgumentParser) -> None:
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


def import_forms(command: BaseCommand, options: dict[str, Any]) -> None:
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
    except SheetError as exc:
        raise CommandError(str(exc)) from exc
    preview = importers.preview_sheet(sheet, default_unit=unit, may_use=may_use)
    for warning in preview.warnings:
        command.stderr.write(command.style.WARNING(warning))
    for row in preview.error_rows:
        command.stderr.write(f"dòng {row.line}: " + " ".join(row.errors))
    command.stdout.write(
        f"{len(preview.rows)} dòng: {len(preview.valid_rows)} hợp lệ, {len(preview.error_rows)} lỗi."
    )
    if options["dry_run"]:
        return
    try:
        result = importers.import_sheet(
            preview=preview, actor=actor, valid_only=options["valid_only"]
        )
    except ValidationError as exc:
        raise CommandError(" ".join(exc.messages)) from exc
    command.stdout.write(
        command.style.SUCCESS(
            f"Đã nhập {result.created} ý kiến; {result.already} dòng đã có từ trước; "
            f"bỏ qua {result.skipped} dòng lỗi."
        )
    )


class Command(BaseCommand):
    help = (
        "Ý kiến người lao động: phân loại, huấn luyện lại, kiểm tra hạn trả lời, nhập phiếu giấy."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        classify = sub.add_parser(
            "classify", help="Đọc mỗi dòng một ý kiến từ stdin, in một dòng JSON cho mỗi ý kiến."
        )
        classify.add_argument("--batch", type=int, default=256)
        retrain = sub.add_parser(
            "retrain", help="Huấn luyện lại từ bộ dữ liệu mẫu và các sửa đổi của cán bộ."
        )
        retrain.add_argument(
            "--out", default="", help="Thư mục lưu mô hình (mặc định FEEDBACK_TRAINED_MODEL_DIR)."
        )
        retrain.add_argument(
            "--ship", action="store_true", help="Ghi vào mô hình đóng gói (feedback/trained/topic)."
        )
        retrain.add_argument("--epochs", type=int, default=30)
        check = sub.add_parser(
            "check-deadlines",
            help="Phân loại ý kiến tồn, nhắc hạn, chuyển cấp trên, xoá liên hệ hết hạn lưu.",
        )
        check.add_argument(
            "--schedule",
            action="store_true",
            help="Đưa vào hàng đợi tác vụ tự lặp lại mỗi FEEDBACK_CHECK_EVERY_MINUTES phút.",
        )
        sub.add_parser(
            "erase-expired",
            help="Xoá thông tin liên hệ của ý kiến đã đóng quá FEEDBACK_RETENTION_DAYS ngày.",
        )
        add_import_forms_arguments(
            sub.add_parser(
                "import-forms",
                help="Nhập phiếu tâm tư, nguyện vọng (đã gõ lại vào tệp .xlsx hoặc .csv) thành ý kiến.",
            )
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "classify":
            self._classify(options["batch"])
        elif action == "retrain":
            self._retrain(options)
        elif action == "check-deadlines":
            self._check(options["schedule"])
        elif action == "erase-expired":
            self.stdout.write(f"erased: {erase_expired_contacts()}")
        elif action == "import-forms":
            import_forms(self, options)

    def _classify(self, batch: int) -> None:
        from congdoan.feedback.triage import analyse_many  # lazy: loads the classifiers

        stdin = sys.stdin
        lines: list[str] = []

        def flush() -> None:
            texts = [line for line in lines]
            for text, result in zip(texts, analyse_many(texts), strict=True):
                self.stdout.write(json.dumps(result.as_json(text), ensure_ascii=False))
            lines.clear()

        for raw in stdin:
            text = raw.rstrip("\n")
            if not text.strip():
                continue
            lines.append(text)
            if len(lines) >= batch:
                flush()
        if lines:
            flush()

    def _retrain(self, options: dict[str, Any]) -> None:
        from congdoan.feedback.training import retrain  # lazy: the training stack

        out = Path(options["out"]) if options["out"] else None
        if options["ship"]:
            out = Path(settings.FEEDBACK_MODEL_DIR)
        report = retrain(
            out_dir=out, epochs=options["epochs"], include_officers=not options["ship"]
        )
        self.stdout.write(
            f"trained on {report['n_train']} concerns ({report['n_seed']} seed, "
            f"{report['n_officer_train']} officers' corrections)"
        )
        self.stdout.write(
            f"held-apart test: n={report['n_test']} accuracy={report['accuracy']} macro-F1={report['macro_f1']}"
        )
        self.stdout.write(f"{'topic':<12} {'precision':>9} {'recall':>7} {'n':>4}")
        for row in report["per_topic"]:
            self.stdout.write(
                f"{row['topic']:<12} {row['precision']:>9.3f} {row['recall']:>7.3f} {row['support']:>4}"
            )
        urgency = report.get("urgency") or {}
        if urgency.get("n"):
            self.stdout.write(
                f"urgency (rules + classifier) on the held-apart set: n={urgency['n']} accuracy={urgency['accuracy']}"
            )
            for row in urgency["per_level"]:
                self.stdout.write(
                    f"{row['urgency']:<12} {row['precision']:>9.3f} {row['recall']:>7.3f} {row['support']:>4}"
                )
        officer = report.get("officer_labels")
        if officer:
            self.stdout.write(
                f"officers' held-apart labels: n={officer['n']} accuracy={officer['accuracy']}"
            )
        else:
            self.stdout.write("officers' held-apart labels: none yet")

    def _check(self, schedule: bool) -> None:
        if schedule:
            try:
                feedback_check_deadlines.enqueue(reschedule=True)
            except Exception as exc:  # a broken queue must say so, not pass silently
                raise CommandError(f"could not enqueue: {exc}") from exc
            self.stdout.write("scheduled")
            return
        counts = check_deadlines()
        self.stdout.write(" ".join(f"{k}={v}" for k, v in counts.items()))
