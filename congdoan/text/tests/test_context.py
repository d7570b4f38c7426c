"""Document context: the neighbour counts, the pushes and restoration of a whole text."""

from __future__ import annotations

import numpy as np
import pytest

from congdoan import testing
from congdoan.text import context, lmfast
from congdoan.text.restore import Restorer, restore, restore_lines

SHOP = [
    "cua hang mi cay khai truong hom qua",
    "khach den cua hang rat dong",
    "chu cua hang cho biet mon mi rat dat khach",
    "ngoai ra con chi phi cai tao cua hang lam san go",
]


def _brute_counts(position, key, pick, sizes, scale):
    out = []
    for i in range(len(position)):
        counts = np.zeros(sizes[i])
        for j in range(len(position)):
            if j != i and key[j] == key[i]:
                counts[pick[j]] += np.exp(-abs(position[i] - position[j]) / scale)
        out.append(counts)
    return np.concatenate(out)


@pytest.mark.parametrize("compiled", [False, True])
def test_neighbour_counts_match_a_direct_sum(compiled: bool) -> None:
    if compiled and not lmfast.AVAILABLE:
        testing.missing("numba", "the numba package is not installed")
    func = context.neighbour_counts if compiled else context._neighbour_counts_py
    rng = np.random.default_rng(7)
    n_keys = 6
    key_sizes = rng.integers(2, 6, n_keys)
    key = rng.integers(0, n_keys, 200)
    sizes = key_sizes[key]
    pick = np.array([rng.integers(0, s) for s in sizes])
    position = np.cumsum(rng.integers(1, 40, 200)).astype(np.float64)
    offset = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    key_offset = np.concatenate([[0], np.cumsum(key_sizes)]).astype(np.int64)
    got = func(position, key.astype(np.int64), pick.astype(np.int64), offset, key_offset, 50.0)
    assert np.allclose(got, _brute_counts(position, key, pick, sizes, 50.0))


def test_pushes_favour_the_form_the_document_chose_and_skip_agreeing_lines() -> None:
    p_unigram = np.full(20, 0.05)
    forms = np.array([10, 11], dtype=np.int64)  # equally frequent in the language
    other = np.array([12, 13], dtype=np.int64)
    occ = context.Occurrences()
    for line in range(4):
        # Three lines read the second form, the last one the first form.
        occ.add(line, 0, line * 10.0, forms, 0 if line == 3 else 1)
        occ.add(line, 1, line * 10.0 + 1, other, 0)
    pushes = context.Pushes(occ, p_unigram)
    # Only the last line is decoded again: elsewhere every push favours the chosen form.
    assert pushes.again == [3]
    slots = dict(pushes.line(3))
    assert slots[0][1] > 0 > slots[0][0]
    assert slots[1][0] > 0 > slots[1][1]
    # The pushes of a line that agrees favour what it chose.
    agreeing = dict(pushes.line(0))
    assert agreeing[0][1] > agreeing[0][0]


def test_no_pushes_for_a_lone_word_or_a_single_occurrence() -> None:
    occ = context.Occurrences()
    occ.add(0, 0, 0.0, np.array([10, 11]), 0)
    occ.add(0, 1, 1.0, np.array([12, 13]), 0)
    assert context.Pushes(occ, np.full(20, 0.05)).again == []


def test_far_neighbours_weigh_less(monkeypatch: pytest.MonkeyPatch) -> None:
    p_unigram = np.full(20, 0.05)
    forms = np.array([10, 11], dtype=np.int64)
    occ = context.Occurrences()
    occ.add(0, 0, 0.0, forms, 1)
    occ.add(1, 0, 100.0, forms, 0)
    occ.add(2, 0, 5000.0, forms, 1)  # far away (scale 375): barely counts
    near = dict(context.Pushes(occ, p_unigram).line(1))[0]
    assert near[1] > 0  # the near neighbour's form is favoured…
    monkeypatch.setattr(context, "SCALE", 1e9)  # …and with no decay, both count alike
    assert dict(context.Pushes(occ, p_unigram).line(1))[0][1] > near[1]


def test_pushes_are_scored_the_same_in_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(3)
    p_unigram = rng.random(60) + 0.01
    occ = context.Occurrences()
    syllables = [np.arange(10 + 5 * k, 10 + 5 * k + 2 + k % 3, dtype=np.int64) for k in range(8)]
    for n in range(300):
        ids = syllables[rng.integers(0, 8)]
        occ.add(n // 7, n % 7, float(n * 3), ids, int(rng.integers(0, len(ids))))
    whole = context.Pushes(occ, p_unigram)
    monkeypatch.setattr(context.Pushes, "CHUNK", 17)
    chunked = context.Pushes(occ, p_unigram)
    assert whole.again == chunked.again and whole.again
    for line in whole.again:
        for (a, x), (b, y) in zip(whole.line(line), chunked.line(line), strict=True):
            assert a == b and np.allclose(x, y)


def test_a_document_reads_an_ambiguous_word_as_it_reads_it_elsewhere() -> None:
    alone = restore_lines(SHOP[3:])[0]
    assert "của hàng" in alone  # the sentence by itself is read wrongly
    as_document = restore_lines(SHOP, document=True)
    assert as_document[3].startswith("ngoài ra còn chi phí cải tạo cửa hàng")
    assert restore_lines(SHOP)[3] == alone  # independent lines: no context
    assert restore("\n".join(SHOP)).split("\n") == as_document


def test_decoding_only_contrary_lines_finds_the_same_result(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = [
        *SHOP,
        "quai thu nay co dau giong voi dau rong nhung than lai ngan",
        "hinh tuong con rong la de nhan biet hon ca",
        "sau do tam cho hai ban gai ve",
        "tam dinh dung xe vao uong nuoc",
    ]
    restorer = Restorer()
    selective = restorer.restore_lines(text, document=True)
    assert selective != restorer.restore_lines(text)  # context changed something here
    monkeypatch.setattr(context, "MIN_PUSH", -1e9)  # every pushed line decoded again
    assert restorer.restore_lines(text, document=True) == selective


def test_document_mode_keeps_line_count_and_bad_lines() -> None:
    lines = ["", "\x00\x01\x02 rac", "cong ty tra luong cham", "😀", "x" * 300_000, "cong ty"]
    out = restore_lines(lines, document=True)
    assert len(out) == len(lines)
    assert out[0] == "" and out[1] == lines[1] and out[3] == "😀"
    assert out[2] == "công ty trả lương chậm"
    assert len(out[4]) == 300_000
