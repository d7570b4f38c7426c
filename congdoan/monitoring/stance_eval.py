"""Quality of the stance toward the union (:mod:`.detection.stance`) on the project's own
labelled set, for `congdoan nlp eval --only stance` (registered in :mod:`.apps`: the toolkit
imports no app).

The set, ``congdoan/text/data/union_stance.jsonl`` (``{"text", "label", "split"}``), holds short
posts and comments about the union, its officers, dues and activities, and about employers and
wages where the union is named in passing, labelled by their stance *toward the union*
(negative / neutral / positive), not their overall feeling. The heuristic's cue phrases and
weights were tuned on the ``dev`` half only; the figure is the ``test`` half's.

Each text is read as the detection pipeline reads it (:func:`.detection.prepare`, the fused fast
models, toxicity then stance), without the database: stance does not use the units.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from congdoan.text.datasets import read_jsonl
from congdoan.text.evaluate import Row
from congdoan.text.metrics import accuracy, f1_per_class, macro_f1

STANCE_FILE = Path(__file__).resolve().parents[1] / "text" / "data" / "union_stance.jsonl"


def stance_set(split: str | None = None) -> tuple[list[str], list[str]]:
    """Texts and labels of the stance set (one split, or all)."""
    rows = [r for r in read_jsonl(STANCE_FILE) if split is None or r["split"] == split]
    return [str(r["text"]) for r in rows], [str(r["label"]) for r in rows]


def predict(texts: Sequence[str]) -> list[str]:
    """The stance label of each raw text, as the fast detection pipeline gives it."""
    from congdoan.monitoring.detection import (  # lazy: loads the models (the command only)
        MODEL_CHARS,
        fused,
        prepare,
        stance,
        toxicity,
        words_of,
    )
    from congdoan.text.vietnamese import fold  # lazy: with the above

    prepared = [prepare("", t) for t in texts]
    words = [words_of(p) for p in prepared]
    model_texts = [fold(p)[:MODEL_CHARS] for p in prepared]
    tox_p, sent_p, *_relevance = fused.fast_models().predict_proba(model_texts)
    toxic = toxicity.classify(model_texts, proba=tox_p)
    scores = [t.score for t in toxic]
    results = stance.assess(model_texts, words, [None] * len(texts), scores, proba=sent_p)
    return [r.label for r in results]


def _figures(labels: list[str], pred: list[str]) -> tuple[float, float, str]:
    per = f1_per_class(labels, pred)
    classes = ", ".join(f"{k} {100 * per.get(k, 0.0):.0f}" for k in sorted(set(labels)))
    return macro_f1(labels, pred), accuracy(labels, pred), classes


def eval_stance(_models_dir: Path | None = None) -> Row:
    """Macro-F1 of the stance on the test half; accuracy, per-class F1 and the dev half's
    figures in the notes."""
    test_texts, test_labels = stance_set("test")
    dev_texts, dev_labels = stance_set("dev")
    predict(dev_texts[:4])  # load the models before timing
    start = time.perf_counter()
    test_pred = predict(test_texts)
    seconds = time.perf_counter() - start
    f1, acc, classes = _figures(test_labels, test_pred)
    dev_f1, dev_acc, dev_classes = _figures(dev_labels, predict(dev_texts))
    return Row(
        "stance toward the union macro-F1 (monitoring)",
        f"union_stance test half ({len(test_texts)}, ours)",
        f1,
        "none",
        "report",
        notes=(
            f"test accuracy {acc:.1f}%, F1 {classes}; dev (tuned on) macro-F1 {dev_f1:.2f}, "
            f"accuracy {dev_acc:.1f}%, F1 {dev_classes}; {len(test_texts) / seconds:,.0f} texts/s"
        ),
        extra={"accuracy": acc, "dev_f1": dev_f1, "dev_accuracy": dev_acc},
        figure="monitoring.stance_f1_test",
        extra_figures={
            "accuracy": "monitoring.stance_accuracy_test",
            "dev_f1": "monitoring.stance_macro_f1_dev",
        },
    )
