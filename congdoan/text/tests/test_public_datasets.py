"""Quality guards on the public test sets (skipped without ../shared/datasets).

These check that the shipped models keep the figures reported in docs/text.md; they do
not train or tune anything. Full figures: ``congdoan nlp eval``.
"""

from __future__ import annotations

import pytest

from congdoan.text import datasets, strip_marks
from congdoan.text.evaluate import eval_classifier, syllable_accuracy
from congdoan.text.restore import restore_lines

pytestmark = pytest.mark.datasets


def test_diacritics_restoration_beats_pyvi_by_far_on_vi_accent_test() -> None:
    gold = datasets.accent_test()
    restored = restore_lines([strip_marks(line) for line in gold])
    assert syllable_accuracy(gold, restored) >= 94.0


def test_spelling_correction_leaves_clean_sentences_unchanged() -> None:
    noisy, clean = datasets.spelling_test()
    pairs = [(n, c) for n, c in zip(noisy, clean, strict=True) if n == c]
    out = restore_lines([n for n, _ in pairs])
    unchanged = sum(1 for o, (_, c) in zip(out, pairs, strict=True) if o == c) / len(pairs)
    assert unchanged >= 0.99


def test_spelling_correction_fixes_some_noisy_sentences() -> None:
    noisy, clean = datasets.spelling_test()
    pairs = [(n, c) for n, c in zip(noisy[:1500], clean[:1500], strict=True) if n != c]
    out = restore_lines([n for n, _ in pairs])
    assert sum(1 for o, (_, c) in zip(out, pairs, strict=True) if o == c) / len(pairs) >= 0.15


@pytest.mark.parametrize(
    ("name", "floor"),
    [("uit_vsfc_sentiment", 72.0), ("uit_vsfc_topic", 72.0), ("vihsd_toxicity", 60.0)],
)
def test_classifiers_keep_their_figures_with_and_without_accents(name: str, floor: float) -> None:
    row = eval_classifier(name)
    assert row.ours is not None and row.ours >= floor
    assert row.stripped is not None and row.ours - row.stripped <= 3.0
