"""`congdoan nlp train|predict|eval`: short-text classifiers and the quality evaluation."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from congdoan.nlp import cli


class Command(BaseCommand):
    help = "Phân loại văn bản ngắn (huấn luyện, dự đoán) và đánh giá chất lượng."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        train = sub.add_parser("train", help="train a classifier on JSONL {text, label}")
        train.add_argument("--train", type=Path, required=True)
        train.add_argument("--dev", type=Path, default=None, help="JSONL to tune label biases on")
        train.add_argument("--out", type=Path, required=True)
        train.add_argument("--epochs", type=int, default=12)
        predict = sub.add_parser("predict", help="read JSONL on stdin, add label and score")
        predict.add_argument("--model", type=Path, required=True)
        predict.add_argument("--batch", type=int, default=1024)
        evaluate = sub.add_parser("eval", help="evaluate on ../shared/datasets (test splits)")
        evaluate.add_argument(
            "--only", nargs="*", default=None, help="diacritics spelling sentiment topic toxicity"
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        getattr(self, f"_{action}")(options)

    def _read_pairs(self, path: Path) -> tuple[list[str], list[str]]:
        texts: list[str] = []
        labels: list[str] = []
        with path.open("rb") as fh:
            for n, (obj, _line) in enumerate(cli.read_jsonl(fh), start=1):
                if obj is None:
                    continue
                if "text" not in obj or "label" not in obj:
                    raise CommandError(f"{path}:{n}: each line needs 'text' and 'label'")
                texts.append(str(obj["text"] or ""))
                labels.append(str(obj["label"]))
        if not texts:
            raise CommandError(f"{path}: no training examples")
        return texts, labels

    def _train(self, options: dict[str, Any]) -> None:
        from congdoan.text.classify import TextClassifier

        texts, labels = self._read_pairs(options["train"])
        start = time.perf_counter()
        clf = TextClassifier.train(texts, labels, epochs=options["epochs"], progress=True)
        if options["dev"]:
            dev_texts, dev_labels = self._read_pairs(options["dev"])
            score = clf.tune_biases(dev_texts, dev_labels)
            self.stdout.write(f"dev macro-F1 after bias tuning: {score:.2f}")
        clf.save(options["out"])
        self.stdout.write(
            f"trained on {len(texts)} texts, {len(clf.labels)} labels, {len(clf.vocab)} features "
            f"in {time.perf_counter() - start:.1f}s → {options['out']}"
        )

    def _predict(self, options: dict[str, Any]) -> None:
        from congdoan.text.classify import TextClassifier

        try:
            clf = TextClassifier.load(options["model"])
        except FileNotFoundError as exc:
            raise CommandError(f"no model at {options['model']}") from exc
        out = cli.stdout()
        batch: list[tuple[dict[str, object] | None, str]] = []

        def flush() -> None:
            texts = [str(obj.get("text") or "") for obj, _ in batch if obj is not None]
            results = iter(clf.predict(texts))
            for obj, line in batch:
                if obj is None:
                    cli.write(out, line)  # not a JSON object: passed through unchanged
                    continue
                label, score = next(results)
                obj["label"] = label
                obj["score"] = round(score, 4)
                cli.write(out, json.dumps(obj, ensure_ascii=False))
            batch.clear()

        for item in cli.read_jsonl(cli.stdin()):
            batch.append(item)
            if len(batch) >= options["batch"]:
                flush()
        if batch:
            flush()
        out.flush()

    def _eval(self, options: dict[str, Any]) -> None:
        from congdoan.text.evaluate import format_table, run_all

        try:
            rows = run_all(options["only"])
        except FileNotFoundError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(format_table(rows))
