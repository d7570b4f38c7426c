"""The relevance evaluation (``congdoan nlp eval --only relevance``) and its data set."""

from __future__ import annotations

from pathlib import Path

from congdoan.text import relevance, shipped
from congdoan.text.classify import TextClassifier
from congdoan.text.datasets import read_jsonl
from congdoan.text.evaluate import Row
from congdoan.text.metrics import macro_f1
from congdoan.text.teencode import expand
from congdoan.text.vietnamese import fold, strip_marks

# The relevance set (issue 18): short items (posts, comments, headlines, ledes) relevant to
# workers, labour and the union or not, written by the project; each line says its half: dev
# (the combination's weight and threshold are chosen on it) or test (figures only).
RELEVANCE_FILE = Path(__file__).resolve().parent / "data" / "relevance.jsonl"


def relevance_set() -> tuple[list[str], list[str], list[str]]:
    """Texts, labels (relevant / other) and halves (dev / test) of the relevance set."""
    rows = read_jsonl(RELEVANCE_FILE)
    return (
        [str(r["text"]) for r in rows],
        [str(r["label"]) for r in rows],
        [str(r["split"]) for r in rows],
    )


def _prf(gold: list[str], pred: list[str]) -> tuple[float, float, float, float]:
    """Precision, recall, F1 of "relevant" and macro-F1 (per cent)."""
    tp = sum(g == p == relevance.RELEVANT for g, p in zip(gold, pred, strict=True))
    n_pred = sum(p == relevance.RELEVANT for p in pred)
    n_gold = sum(g == relevance.RELEVANT for g in gold)
    precision = 100.0 * tp / n_pred if n_pred else 0.0
    recall = 100.0 * tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, macro_f1(gold, pred)


def relevance_predictions(texts: list[str], clf: TextClassifier | None) -> dict[str, list[str]]:
    """Each way's labels for the texts (read as monitoring reads them: teen-code written
    out, folded): "vocabulary" (the phrases alone, at their threshold), "classifier" (P ≥ 0.5)
    and "combined" (the combination the model's meta holds)."""
    read = [fold(expand(t)) for t in texts]
    phrases = [relevance.vocabulary_score(t) for t in read]
    comb = relevance.combination_of(clf)
    scaled = [relevance.vocabulary_score(t, comb.vocabulary) for t in read]
    out = {
        "vocabulary": [relevance.RELEVANT if v >= relevance.THRESHOLD else "other" for v in phrases]
    }
    if clf is not None:
        probs = relevance.probabilities(clf, read)
        out["classifier"] = [relevance.RELEVANT if p >= 0.5 else "other" for p in probs]
        out["combined"] = [
            relevance.RELEVANT if comb.score(v, p) >= comb.threshold else "other"
            for v, p in zip(scaled, probs, strict=True)
        ]
    return out


def eval_relevance(models_dir: Path | None = None, *, folder: Path | None = None) -> Row:
    """Relevance to workers, labour and the union on the test half of the project's set:
    (a) the vocabulary alone (monitoring's built-in phrases; a source's keywords and unit
    names are not part of it), (b) the classifier alone, (c) the two combined as monitoring
    combines them (weight and threshold chosen on the dev half); precision, recall and F1
    of "relevant", macro-F1; the accent-stripped column is (c) on the texts without marks.
    ``folder``: the model's own folder (a trial build), else the one in ``models_dir``."""
    texts, labels, splits = relevance_set()
    test = [i for i, s in enumerate(splits) if s == "test"]
    gold = [labels[i] for i in test]
    items = [texts[i] for i in test]
    folder = folder or shipped.classifier_dir(shipped.RELEVANCE, models_dir)
    clf = relevance.load_model(str(folder))
    preds = relevance_predictions(items, clf)
    stripped_preds = relevance_predictions([strip_marks(t) for t in items], clf)
    parts = []
    extra: dict[str, float] = {}
    for name, pred in preds.items():
        p, r, f1, macro = _prf(gold, pred)
        parts.append(f"{name}: P {p:.1f} R {r:.1f} F1 {f1:.1f} macro {macro:.1f}")
        extra.update({f"{name}_precision": p, f"{name}_recall": r, f"{name}_macro_f1": macro})
    best = "combined" if "combined" in preds else "vocabulary"
    parts.append(_hard_cases(items, gold, preds[best]))
    comb = relevance.combination_of(clf)
    return Row(
        "relevance to labour/union: macro-F1, vocabulary + classifier",
        f"relevance test half ({len(items)}, ours)",
        _prf(gold, preds[best])[3],
        "none",
        "report",
        stripped=_prf(gold, stripped_preds[best])[3],
        notes="; ".join(parts)
        + (
            f"; combination (dev): weight {comb.weight:g}, vocabulary ×{comb.vocabulary:g}, "
            f"threshold {comb.threshold:g}"
            if clf is not None
            else f"; classifier missing ({folder})"
        ),
        extra=extra,
        figure="text.relevance_f1_combined",
    )


def _hard_cases(items: list[str], gold: list[str], pred: list[str]) -> str:
    """How the hard cases fare: relevant items the vocabulary alone misses, and other items
    the vocabulary alone takes for relevant."""
    said = [relevance.vocabulary_score(fold(expand(t))) >= relevance.THRESHOLD for t in items]
    missed = [i for i, g in enumerate(gold) if g == relevance.RELEVANT and not said[i]]
    mistaken = [i for i, g in enumerate(gold) if g != relevance.RELEVANT and said[i]]
    found = sum(pred[i] == relevance.RELEVANT for i in missed)
    kept_out = sum(pred[i] != relevance.RELEVANT for i in mistaken)
    return (
        f"relevant without the vocabulary's words found {found}/{len(missed)}, "
        f"other with its words kept out {kept_out}/{len(mistaken)}"
    )
