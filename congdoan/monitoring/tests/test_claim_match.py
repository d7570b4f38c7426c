"""Claim matching tells a story from its denial (detection.opposite), and its evaluation
(`congdoan nlp eval --only claim-match`) runs on a slice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from congdoan.monitoring import claim_eval
from congdoan.monitoring.detection import claims, opposite, prepare, words_of
from congdoan.monitoring.detection.relevance import canonical
from congdoan.text.evaluate import EVALUATIONS

CLAIM = "Công đoàn giữ lại tiền hỗ trợ của công nhân"


def refutes(claim: str, text: str) -> bool:
    return opposite.refutes(canonical(claim).split(), canonical(text).split())


def test_a_denial_refutes_and_a_repeat_does_not() -> None:
    assert refutes(CLAIM, "Công đoàn đã trao đủ tiền hỗ trợ cho công nhân")  # the opposite act
    assert refutes(CLAIM, "Tin công đoàn giữ lại tiền hỗ trợ là sai")
    assert refutes(CLAIM, "cđ ko giữ lại tiền hỗ trợ của ae")
    assert refutes("Công đoàn sẽ thu thêm đoàn phí", "Công đoàn không thu thêm đoàn phí")
    assert not refutes(CLAIM, "CĐ huyện giữ lại tiền hỗ trợ của anh em công nhân")
    assert not refutes(CLAIM, "cong doan giu lai tien ho tro cua cong nhan khong phat")
    # A claim that is itself a negation: saying the word plainly denies it.
    claim = "Người lao động không tham gia công đoàn sẽ bị trừ lương"
    assert refutes(claim, "Người lao động không tham gia công đoàn không bị trừ lương")
    assert not refutes(claim, "Ai không tham gia công đoàn sẽ bị trừ lương")


def test_the_matcher_drops_a_refuting_text_that_it_matched_before() -> None:
    known = [claims.claim_of(7, CLAIM)]
    texts = [
        "Công đoàn giữ lại tiền hỗ trợ của công nhân, ai cũng bức xúc",
        "Công đoàn không hề giữ lại tiền hỗ trợ của công nhân",
    ]
    prepared = [prepare("", t) for t in texts]
    words = [words_of(p) for p in prepared]
    before = claims.match_claims(prepared, words, known, semantic=False, opposite_check=False)
    after = claims.match_claims(prepared, words, known, semantic=False)
    assert [m[0] for m, _ in before] == [7, 7]
    assert [m[0] for m, _ in after] == [7, None]
    assert after[1][1] is True and after[0][1] is False  # the refuted flag


def test_the_evaluation_is_registered_and_runs_on_a_slice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert EVALUATIONS["claim-match"] is claim_eval.eval_claim_match
    monkeypatch.setattr("congdoan.text.embed.available", lambda: False)  # by words: fast
    rows = [
        (CLAIM, "CĐ giữ lại tiền hỗ trợ của công nhân", "repeats", "test"),
        (CLAIM, "Công đoàn đã trao đủ tiền hỗ trợ cho công nhân", "refutes", "test"),
        (CLAIM, "Công đoàn tổ chức giải bóng đá", "unrelated", "test"),
        (CLAIM, "Công đoàn không giữ lại tiền hỗ trợ của công nhân", "refutes", "dev"),
        (CLAIM, "cong doan giu lai tien ho tro cua cong nhan", "repeats", "dev"),
    ]
    path = tmp_path / "pairs.jsonl"
    path.write_text(
        "\n".join(
            json.dumps({"claim": c, "text": t, "label": la, "split": s}) for c, t, la, s in rows
        ),
        "utf-8",
    )
    monkeypatch.setattr(claim_eval, "PAIRS_FILE", path)
    row = claim_eval.eval_claim_match()
    assert row.ours == 100.0 and "(3 pairs, 1 claims, ours)" in row.data
    assert "refutations taken for repeats 0/1" in row.notes
