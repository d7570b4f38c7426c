"""Does a text that reads like a known false claim say its opposite?

Matching by words or by meaning (:mod:`.claims`) cannot tell a story from its denial: "Công
đoàn đã trao đủ tiền hỗ trợ cho công nhân" is as near "Công đoàn giữ lại tiền hỗ trợ" as a
repeat is (0.96 by e5). :func:`refutes` reads the canonical words (folded, teen-code written
out) of both:

- the text calls something false ("… là sai", "bịa đặt", "không có chuyện", "bác bỏ",
  "đính chính"…) and the claim does not;
- the text negates one of the claim's words that the claim says plainly ("không thu thêm",
  "không bị giải tán"), or says plainly a word the claim negates ("không tham gia … sẽ bị trừ
  lương" against "không bị trừ lương" is the first rule; "không trả" against "đã trả đủ");
- the text says an opposite of the claim's action and not the action itself ("giữ lại" /
  "trao", "chi trả", "chuyển"; "chiếm đoạt" / "trao tận tay"; "cắt" / "vẫn trao"; "giải tán" /
  "vẫn hoạt động"; "cấm" / "ủng hộ"; "thu" / "miễn phí"; "hủy" / "vẫn tổ chức").

Written on the dev half of ``congdoan/text/data/union_claim_pairs.jsonl`` (its claims are not
the test half's); `congdoan nlp eval --only claim-match`.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from congdoan.monitoring.detection.relevance import canonical

NEGATION_GAP = 2  # words between a negator and the word it negates ("không hề bị", "chưa từng")

# The text calls the claim false.
REFUTING = (
    "là sai",
    "sai sự thật",
    "thông tin sai",
    "bịa đặt",
    "vu khống",
    "xuyên tạc",
    "không đúng",
    "không có chuyện",
    "không có việc",
    "không có quy định",
    "không hề",
    "bác bỏ",
    "đính chính",
    "tung tin",
    "hoàn toàn không",
    "không phải",
)

NEGATORS = ("không", "chưa", "chẳng", "chả", "chưa từng", "đâu có")

# Words too common to be the claim's action (a negator before them says little).
COMMON = ("công", "đoàn", "của", "cho", "và", "là", "có", "được", "các", "những", "người", "sẽ")

# A claim's action → what says the opposite.
OPPOSITES: dict[str, tuple[str, ...]] = {
    "giữ lại": ("trao", "chuyển", "chi trả", "phát đủ", "trả đủ", "nhận đủ", "đúng người"),
    "chiếm đoạt": ("trao", "chi trả", "chuyển", "đúng người", "đúng mục đích", "công khai"),
    "ăn chặn": ("trao", "chi trả", "chuyển", "phát đủ", "đúng người", "công khai"),
    "ôm": ("trao", "chi trả", "đúng người"),
    "cắt": ("vẫn trao", "trao đủ", "giữ nguyên", "vẫn có"),
    "giải tán": ("vẫn hoạt động", "hoạt động bình thường", "vẫn đang hoạt động"),
    "ký": ("phản đối", "không đồng ý", "bác bỏ"),
    "cấm": ("ủng hộ", "cho phép", "tổ chức"),
    "thu thêm": ("giữ nguyên", "vẫn là", "như cũ"),
    "bán": ("bảo mật", "không cung cấp"),
    "chỉ dành cho": ("công khai", "cho đủ", "cho tất cả"),
    "không trả": ("đã trả", "trả đủ", "chi trả"),
    "thu": ("miễn phí", "không mất phí"),
    "hủy": ("vẫn tổ chức", "vẫn diễn ra", "như kế hoạch", "vẫn chạy"),
}


def _phrases(items: Sequence[str]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(canonical(p).split()) for p in items)


@lru_cache(maxsize=1)
def _lists() -> tuple[
    tuple[tuple[str, ...], ...],
    tuple[tuple[str, ...], ...],
    frozenset[str],
    tuple[tuple[tuple[str, ...], tuple[tuple[str, ...], ...]], ...],
]:
    common = frozenset(w for p in _phrases(COMMON) for w in p)
    opposites = tuple((tuple(canonical(k).split()), _phrases(v)) for k, v in OPPOSITES.items())
    return _phrases(REFUTING), _phrases(NEGATORS), common, opposites


def find(words: Sequence[str], phrase: tuple[str, ...]) -> list[int]:
    """Where a phrase (canonical words) starts in a text's canonical words."""
    n = len(phrase)
    return [i for i in range(len(words) - n + 1) if tuple(words[i : i + n]) == phrase]


def _negated_at(words: Sequence[str], i: int, negators: tuple[tuple[str, ...], ...]) -> bool:
    """A negator ends within :data:`NEGATION_GAP` words before position ``i``."""
    return any(bool(find(words[max(0, i - NEGATION_GAP - len(n)) : i], n)) for n in negators)


def refutes(claim: Sequence[str], text: Sequence[str]) -> bool:
    """True when the text (canonical words) says the opposite of the claim (canonical words)."""
    refuting, negators, common, opposites = _lists()
    if any(find(text, p) and not find(claim, p) for p in refuting):
        return True
    claim_words = set(claim)
    for word in claim_words - common:
        if word in ("khong", "chua", "chang", "cha"):
            continue
        said = [i for i, w in enumerate(claim) if w == word]
        claim_negated = all(_negated_at(claim, i, negators) for i in said)
        places = [i for i, w in enumerate(text) if w == word]
        if not places:
            continue
        text_negated = [_negated_at(text, i, negators) for i in places]
        if not claim_negated and all(text_negated):
            return True
        if claim_negated and not any(text_negated):
            return True
    for action, answers in opposites:
        acted = bool(find(claim, action)) and not find(text, action)
        if acted and any(find(text, a) for a in answers):
            return True
    return False
