"""Small evaluation helpers (no scikit-learn at run time)."""

from __future__ import annotations

from collections.abc import Sequence


def f1_per_class(gold: Sequence[str], pred: Sequence[str]) -> dict[str, float]:
    labels = sorted(set(gold) | set(pred))
    out: dict[str, float] = {}
    for label in labels:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == label and p == label)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if g != label and p == label)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        out[label] = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return out


def macro_f1(gold: Sequence[str], pred: Sequence[str]) -> float:
    """Macro-averaged F1 over the gold labels, in per cent."""
    per = f1_per_class(gold, pred)
    labels = sorted(set(gold))
    return 100.0 * sum(per[label] for label in labels) / len(labels) if labels else 0.0


def accuracy(gold: Sequence[str], pred: Sequence[str]) -> float:
    if not gold:
        return 0.0
    return 100.0 * sum(1 for g, p in zip(gold, pred, strict=True) if g == p) / len(gold)
