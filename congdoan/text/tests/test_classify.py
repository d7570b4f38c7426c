from __future__ import annotations

from pathlib import Path

import pytest

from congdoan.text import strip_marks
from congdoan.text.classify import TextClassifier
from congdoan.text.evaluate import CLASSIFIERS, MODELS_DIR

TOY = [
    ("công ty nợ lương ba tháng", "wages"),
    ("chậm trả lương cho công nhân", "wages"),
    ("lương tháng này chưa được trả", "wages"),
    ("bị trừ lương vô lý", "wages"),
    ("nhà xưởng nóng, không có quạt", "safety"),
    ("máy móc không an toàn, dễ tai nạn", "safety"),
    ("thiếu đồ bảo hộ lao động", "safety"),
    ("nhà vệ sinh bẩn, khói bụi nhiều", "safety"),
]


@pytest.fixture(scope="module")
def toy_model() -> TextClassifier:
    texts, labels = zip(*(TOY * 3), strict=True)
    return TextClassifier.train(list(texts), list(labels), epochs=40, min_count=1)


def test_classifier_learns_a_toy_task(toy_model: TextClassifier) -> None:
    out = toy_model.predict(["công ty chưa trả lương", "xưởng nóng quá, không có quạt"])
    assert [label for label, _ in out] == ["wages", "safety"]
    assert all(0.0 < score <= 1.0 for _, score in out)


def test_classifier_gives_accentless_input_the_same_answer(toy_model: TextClassifier) -> None:
    texts = ["công ty chưa trả lương", "thiếu đồ bảo hộ"]
    assert toy_model.predict(texts) == toy_model.predict([strip_marks(t) for t in texts])


def test_classifier_survives_a_save_and_load(toy_model: TextClassifier, tmp_path: Path) -> None:
    toy_model.save(tmp_path / "m")
    loaded = TextClassifier.load(tmp_path / "m")
    texts = ["nợ lương", "tai nạn lao động", "", "😀", "x" * 10_000]
    assert [label for label, _ in loaded.predict(texts)] == [
        label for label, _ in toy_model.predict(texts)
    ]
    assert loaded.labels == ["safety", "wages"]


def test_classifier_predicts_nothing_for_no_texts(toy_model: TextClassifier) -> None:
    assert toy_model.predict([]) == []


def test_classifier_refuses_mismatched_training_data() -> None:
    with pytest.raises(ValueError):
        TextClassifier.train(["a", "b"], ["x"])


@pytest.mark.parametrize("name", sorted(CLASSIFIERS))
def test_shipped_classifiers_load_and_predict(name: str) -> None:
    clf = TextClassifier.load(MODELS_DIR / name)
    label, score = clf.predict(["giảng viên dạy rất nhiệt tình"])[0]
    assert label in clf.labels and 0 < score <= 1
    assert (MODELS_DIR / name / "MODEL_CARD.md").exists()


def test_shipped_models_stay_within_the_size_budget() -> None:
    total = sum(p.stat().st_size for p in MODELS_DIR.rglob("*") if p.is_file())
    assert total <= 60 * 1024 * 1024
