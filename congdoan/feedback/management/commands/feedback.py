"""`congdoan feedback classify | retrain | check-deadlines | erase-expired`."""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Ý kiến người lao động: phân loại, huấn luyện lại, kiểm tra hạn trả lời."

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
            "--ship", action="store_true", help="Ghi vào mô hình đóng gói (feedback/models/topic)."
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

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "classify":
            self._classify(options["batch"])
        elif action == "retrain":
            self._retrain(options)
        elif action == "check-deadlines":
            self._check(options["schedule"])
        elif action == "erase-expired":
            from congdoan.feedback.deadlines import erase_expired_contacts

            self.stdout.write(f"erased: {erase_expired_contacts()}")

    def _classify(self, batch: int) -> None:
        from congdoan.feedback.triage import analyse_many

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
        from congdoan.feedback.training import retrain

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
            from congdoan.feedback.tasks import feedback_check_deadlines

            try:
                feedback_check_deadlines.enqueue(reschedule=True)
            except Exception as exc:  # a broken queue must say so, not pass silently
                raise CommandError(f"could not enqueue: {exc}") from exc
            self.stdout.write("scheduled")
            return
        from congdoan.feedback.deadlines import check_deadlines

        counts = check_deadlines()
        self.stdout.write(" ".join(f"{k}={v}" for k, v in counts.items()))
