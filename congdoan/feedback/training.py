"""Training and evaluation of the topic classifier (`congdoan feedback retrain`).

Data:
- `data/seed.jsonl`: concerns written for this project (no public labelled set of
  Vietnamese workers' concerns exists), with and without diacritics;
- `data/heldout.jsonl`: written separately, never trained on: the figures we report;
- officers' corrections (`Concern.topic_corrected`): one in five, chosen by a hash of the
  code, is kept apart to measure quality on the officers' own labels; the rest is trained on.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from congdoan.audit.services import audit_record
from congdoan.feedback.models import Concern, Topic
from congdoan.feedback.services import queue
from congdoan.feedback.services.history import signed_in
from congdoan.feedback.triage.classifiers import model_dir, reset_models
from congdoan.feedback.triage.keywords import urgency_for
from congdoan.orgs.scoping import Viewer
from congdoan.text.classify import FeatureConfig, TextClassifier

DATA_DIR = Path(__file__).resolve().parent / "data"
REPORT_FILE = "report.json"
# Pinned, so that a change of the toolkit's defaults does not silently change our model.
FEATURES = FeatureConfig(word_ngrams=2, char_min=2, char_max=5)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if line:
                rows.append(json.loads(line))
    return rows


def seed_rows() -> list[dict[str, Any]]:
    return read_jsonl(DATA_DIR / "seed.jsonl")


def heldout_rows() -> list[dict[str, Any]]:
    return read_jsonl(DATA_DIR / "heldout.jsonl")


def _officer_slice(code: str) -> bool:
    """True when this corrected concern is kept apart for evaluation (stable across runs)."""
    return int(hashlib.sha256(code.encode()).hexdigest(), 16) % 5 == 0


def officer_rows(field: str = "topic") -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Officers' labels of `field` ("topic" or "urgency"): (train, held-apart)."""
    train: list[dict[str, Any]] = []
    test: list[dict[str, Any]] = []
    flag = f"{field}_corrected"
    for code, text, label in Concern.objects.filter(**{flag: True}).values_list(
        "code", "text", field
    ):
        (test if _officer_slice(code) else train).append({"text": text, field: label})
    return train, test


def evaluate(model: Any, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Accuracy, macro-F1 and per-topic precision/recall on labelled rows."""
    if not rows:
        return {"n": 0}
    predicted = [label for label, _p in model.predict([r["text"] for r in rows])]
    gold = [r["topic"] for r in rows]
    names = dict(Topic.choices)
    per_topic = []
    f1s = []
    for topic in Topic.values:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p == topic)
        n_pred = predicted.count(topic)
        n_gold = gold.count(topic)
        precision = tp / n_pred if n_pred else 0.0
        recall = tp / n_gold if n_gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        if n_gold:
            f1s.append(f1)
        per_topic.append(
            {
                "topic": topic,
                "label": str(names[topic]),
                "precision": round(precision, 3),
                "recall": round(recall, 3),
                "support": n_gold,
            }
        )
    correct = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p)
    return {
        "n": len(rows),
        "accuracy": round(correct / len(rows), 3),
        "macro_f1": round(sum(f1s) / len(f1s), 3) if f1s else 0.0,
        "per_topic": per_topic,
    }


def evaluate_urgency(
    rows: list[dict[str, Any]], topic_model: Any, urgency_model: Any
) -> dict[str, Any]:
    """The urgency decision (rules + these models) against hand labels: accuracy, per-level P/R."""
    labelled = [r for r in rows if r.get("urgency")]
    if not labelled:
        return {"n": 0}
    texts = [r["text"] for r in labelled]
    topic_preds = topic_model.predict(texts)
    urgency_preds = (
        urgency_model.predict(texts) if urgency_model is not None else [None] * len(texts)
    )
    predicted = [
        urgency_for(text, topic, u)[0]
        for text, (topic, _p), u in zip(texts, topic_preds, urgency_preds, strict=True)
    ]
    gold = [r["urgency"] for r in labelled]
    levels = []
    for level in ("urgent", "high", "normal"):
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p == level)
        n_pred, n_gold = predicted.count(level), gold.count(level)
        levels.append(
            {
                "urgency": level,
                "precision": round(tp / n_pred, 3) if n_pred else 0.0,
                "recall": round(tp / n_gold, 3) if n_gold else 0.0,
                "support": n_gold,
            }
        )
    correct = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p)
    return {"n": len(labelled), "accuracy": round(correct / len(labelled), 3), "per_level": levels}


def retrain(
    *, out_dir: Path | None = None, epochs: int = 30, include_officers: bool = True
) -> dict[str, Any]:
    """Train on seed + officers' corrections, evaluate on the held-apart data, save model and report.

    The shipped model (`--ship`) is built from the seed set only: no deployment's data in the package.
    """
    seed = seed_rows()
    heldout = heldout_rows()
    heldout_texts = {r["text"] for r in heldout}
    officer_train, officer_test = officer_rows() if include_officers else ([], [])
    train = [r for r in seed + officer_train if r["text"] not in heldout_texts]
    model = TextClassifier.train(
        [r["text"] for r in train],
        [r["topic"] for r in train],
        epochs=epochs,
        min_count=1,
        learning_rate=0.05,
        max_features=60_000,
        config=FEATURES,
    )
    folder = Path(out_dir or settings.FEEDBACK_TRAINED_MODEL_DIR)
    model.meta.update(
        {"task": "feedback-topic", "n_seed": len(seed), "n_officer": len(officer_train)}
    )
    model.save(folder)
    # The urgency model, beside it ("urgency" next to "topic"): seed labels + officers' ones.
    u_officer_train, u_officer_test = officer_rows("urgency") if include_officers else ([], [])
    u_train = [
        r for r in seed + u_officer_train if r["text"] not in heldout_texts and r.get("urgency")
    ]
    u_model = TextClassifier.train(
        [r["text"] for r in u_train],
        [r["urgency"] for r in u_train],
        epochs=epochs,
        min_count=1,
        learning_rate=0.05,
        max_features=60_000,
        config=FEATURES,
    )
    u_model.meta.update({"task": "feedback-urgency", "n_officer": len(u_officer_train)})
    u_model.save(folder.parent / "urgency")
    test = evaluate(model, heldout)
    # Only officers' labels on texts the model never saw: repeats (clusters) would flatter it.
    trained_texts = {r["text"] for r in train}
    officer = evaluate(model, [r for r in officer_test if r["text"] not in trained_texts])
    report = {
        "trained_at": timezone.localtime().strftime("%H:%M %d/%m/%Y"),
        "n_train": len(train),
        "n_seed": len(seed),
        "n_officer_train": len(officer_train),
        "n_test": test["n"],
        "accuracy": test.get("accuracy"),
        "macro_f1": test.get("macro_f1"),
        "per_topic": test.get("per_topic", []),
        "officer_labels": officer if officer["n"] else None,
        "train_topics": dict(Counter(r["topic"] for r in train)),
    }
    report["urgency"] = evaluate_urgency(heldout, model, u_model)
    u_trained = {r["text"] for r in u_train}
    u_officer = evaluate_urgency(
        [r for r in u_officer_test if r["text"] not in u_trained], model, u_model
    )
    report["urgency_officer_labels"] = u_officer if u_officer["n"] else None
    reset_models()
    (folder / REPORT_FILE).write_text(
        json.dumps(report, ensure_ascii=False, indent=2) + "\n", "utf-8"
    )
    return report


def load_report() -> dict[str, Any] | None:
    """The report of the model in use (retrained, else shipped); None without one."""
    folder = model_dir()
    if folder is None or not (folder / REPORT_FILE).exists():
        return None
    data: dict[str, Any] = json.loads((folder / REPORT_FILE).read_text("utf-8"))
    return data


# -- retraining from the dashboard: a task on the worker, its state in a small file ---------------

RETRAIN_STATE_FILE = "retrain-task.json"
# A retraining still "queued" or "running" after this long is taken as lost (a worker that
# stopped midway): the Office may ask again.
RETRAIN_STALE_AFTER = 3600  # seconds


def _state_path() -> Path:
    return Path(settings.FEEDBACK_TRAINED_MODEL_DIR).parent / RETRAIN_STATE_FILE


def retrain_state() -> dict[str, Any] | None:
    """The last retraining asked for: status ("queued", "running", "done", "failed"), who
    asked, when, and the result; None when none was asked for."""
    try:
        data: dict[str, Any] = json.loads(_state_path().read_text("utf-8"))
    except (OSError, ValueError):
        return None
    busy = data.get("status") in ("queued", "running")
    age = timezone.now().timestamp() - float(data.get("updated", 0))
    data["busy"] = busy and age < RETRAIN_STALE_AFTER
    data["lost"] = busy and not data["busy"]
    return data


def _write_state(**fields: Any) -> None:
    path = _state_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    previous = {}
    with contextlib.suppress(OSError, ValueError):
        previous = json.loads(path.read_text("utf-8"))
    previous.update(fields, updated=timezone.now().timestamp())
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(previous, ensure_ascii=False), "utf-8")
    tmp.replace(path)


def retrain_request(*, actor: Viewer) -> bool:
    """Queue a retraining on the worker (the Office's button); False when one is already
    queued or running. The state says "queued" at once; the task moves it on."""
    state = retrain_state()
    if state is not None and state["busy"]:
        return False
    officer = signed_in(actor)
    _write_state(
        status="queued",
        by=(officer.get_full_name() if officer else "") or str(actor),
        asked_at=timezone.localtime().strftime("%H:%M %d/%m/%Y"),
        finished_at="",
        error="",
    )
    audit_record(actor=actor, action="feedback.model.retrain", changes={})
    transaction.on_commit(lambda: queue.task_named("retrain_models").enqueue())
    return True


def retrain_run() -> dict[str, Any]:
    """The worker's side: retrain, and keep the state file saying how it went."""
    _write_state(status="running")
    try:
        report = retrain()
    except Exception as exc:
        _write_state(
            status="failed",
            error=type(exc).__name__,
            finished_at=timezone.localtime().strftime("%H:%M %d/%m/%Y"),
        )
        raise
    _write_state(
        status="done",
        accuracy=report.get("accuracy"),
        finished_at=timezone.localtime().strftime("%H:%M %d/%m/%Y"),
    )
    return {"accuracy": report.get("accuracy"), "n_train": report.get("n_train")}
