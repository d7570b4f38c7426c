"""Stance toward the union: the cue phrases (negation, sarcasm, the employer, questions, words
that fold alike) and the evaluation on the labelled set (`congdoan nlp eval --only stance`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from congdoan.monitoring import stance_eval
from congdoan.monitoring.detection import prepare, stance
from congdoan.text.eval_registry import APP_EVALUATIONS
from congdoan.text.evaluate import evaluations


def push(text: str) -> float:
    return stance.cue_score(prepare("", text))[0]


def test_a_denied_praise_blames_and_a_denied_blame_defends() -> None:
    assert push("Công đoàn bảo vệ công nhân") > 0
    assert push("chưa bao giờ thấy công đoàn bảo vệ ai cả") < 0
    assert push("công đoàn im lặng") < 0
    assert push("công đoàn không hề im lặng như mấy người nói") > 0
    # A blame that is itself a negation, or asks "gì", is not turned by it.
    assert push("cđ ko giúp dc j") < 0
    assert push("cđ cty mình chả có tác dụng gì") < 0


def test_a_condition_and_a_refutation() -> None:
    # "Without the union, …": praise, not a denial.
    assert push("Không nhờ công đoàn thì chắc mình chẳng biết được hưởng trợ cấp") > 0
    # "Saying the union does nothing is wrong."
    assert push("Nói công đoàn không làm gì là sai") > 0


def test_praise_beside_blame_reads_as_sarcasm() -> None:
    thanks = push("Cảm ơn công đoàn đã hỗ trợ")
    sarcasm = push("Cảm ơn công đoàn đã im lặng suốt 3 tháng công ty nợ lương")
    assert thanks > 0 > sarcasm


def test_the_employers_wrongs_are_not_the_unions() -> None:
    said_of_union = push("công đoàn làm mình thất vọng quá")
    said_of_employer = push("công ty làm mình thất vọng quá, mai lên hỏi công đoàn")
    assert said_of_union < said_of_employer < 0


def test_words_that_fold_alike_are_not_cues() -> None:
    # "cán bộ công đoàn" folds like "bỏ công đoàn", "Quốc tế" like "tệ", "tăng" like "tặng".
    assert push("Cán bộ công đoàn xuống tận phòng trọ hỏi thăm công nhân") > 0
    assert push("Ngày Quốc tế Lao động") == 0
    assert push("công đoàn đề nghị tăng lương") == 0


def test_questions_and_news_are_neutral() -> None:
    got = stance_eval.predict(
        [
            "Cho hỏi đóng đoàn phí qua app được không hay phải nộp tiền mặt",
            "Hồ sơ xin trợ cấp khó khăn của công đoàn cần những giấy tờ gì vậy ạ",
            "Công ty nợ lương 3 tháng, may có công đoàn đứng ra đòi nên anh em đã nhận đủ",
            "cong doan chi biet thu tien, co viec thi im re",
        ]
    )
    assert got == ["neutral", "neutral", "positive", "negative"]


def test_the_set_has_both_halves_and_three_labels() -> None:
    dev, test = stance_eval.stance_set("dev"), stance_eval.stance_set("test")
    assert len(dev[0]) > 100 and len(test[0]) > len(dev[0])
    assert set(dev[1]) == set(test[1]) == {"negative", "neutral", "positive"}
    assert not set(dev[0]) & set(test[0])


def test_the_evaluation_is_registered_and_runs_on_a_slice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert APP_EVALUATIONS["stance"] == "congdoan.monitoring.stance_eval.eval_stance"
    assert "stance" in evaluations() and "toxicity-pipeline" in evaluations()
    rows = [
        ("Cảm ơn công đoàn đã đến thăm, ấm lòng lắm", "positive", "test"),
        ("công đoàn bù nhìn, đóng phí cho vui", "negative", "test"),
        ("Cho em hỏi đoàn phí đóng bao nhiêu ạ?", "neutral", "test"),
        ("Công đoàn tặng quà Tết, thiết thực quá", "positive", "dev"),
        ("công đoàn vô dụng", "negative", "dev"),
    ]
    path = tmp_path / "stance.jsonl"
    path.write_text(
        "\n".join(json.dumps({"text": t, "label": la, "split": s}) for t, la, s in rows),
        "utf-8",
    )
    monkeypatch.setattr(stance_eval, "STANCE_FILE", path)
    row = stance_eval.eval_stance()
    assert row.ours == 100.0 and row.extra["accuracy"] == 100.0
    assert "(3, ours)" in row.data and "dev (tuned on)" in row.notes
