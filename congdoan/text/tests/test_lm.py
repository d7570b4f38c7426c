"""The Viterbi decoders: the numba one and the numpy one find the best path (checked
against an exhaustive search) and agree with each other."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from congdoan import testing
from congdoan.text import lmfast
from congdoan.text.lm import BOUNDARY, SyllableLM
from congdoan.text.restore import Restorer


@pytest.fixture(scope="module")
def lm() -> SyllableLM:
    model = SyllableLM.default()
    if model is None:
        testing.missing("the language model", "congdoan/text/models/syllable_lm.npz is not built")
    return model


def _random_lattices(
    lm: SyllableLM, rng: np.random.Generator, count: int, max_len: int, max_cands: int
) -> tuple[list[list[np.ndarray]], list[list[np.ndarray | None]]]:
    folded = [k for k, v in lm.candidates.items() if len(v) >= 2]
    lattices: list[list[np.ndarray]] = []
    emissions: list[list[np.ndarray | None]] = []
    for _ in range(count):
        lattice: list[np.ndarray] = []
        bonus: list[np.ndarray | None] = []
        for _ in range(int(rng.integers(0, max_len + 1))):
            ids = lm.candidates[folded[int(rng.integers(len(folded)))]][:max_cands]
            if rng.random() < 0.1:
                ids = np.array([BOUNDARY])  # a full stop inside the line
            lattice.append(ids)
            bonus.append(None if rng.random() < 0.6 else -rng.random(len(ids)) * 3)
        lattices.append(lattice)
        emissions.append(bonus)
    return lattices, emissions


def _exhaustive(
    lm: SyllableLM, lattice: list[np.ndarray], bonus: list[np.ndarray | None]
) -> list[int]:
    best: tuple[float, list[int]] = (-np.inf, [])
    for path in itertools.product(*(range(len(c)) for c in lattice)):
        ids = [BOUNDARY, BOUNDARY] + [int(c[j]) for c, j in zip(lattice, path, strict=True)]
        u, v, w = (np.array(ids[k : len(ids) - 2 + k], dtype=np.int64) for k in range(3))
        score = float(np.log(lm.prob(u, v, w)).sum())
        score += sum(float(b[j]) for b, j in zip(bonus, path, strict=True) if b is not None)
        if score > best[0]:
            best = (score, list(path))
    return best[1]


@pytest.mark.parametrize("compiled", [False, True])
def test_viterbi_finds_the_best_path(lm: SyllableLM, compiled: bool) -> None:
    if compiled and not lmfast.AVAILABLE:
        testing.missing("numba", "the numba package is not installed")
    rng = np.random.default_rng(7)
    lattices, emissions = _random_lattices(lm, rng, count=30, max_len=4, max_cands=3)
    found = lm.viterbi_many(lattices, emissions, compiled=compiled)
    for lattice, bonus, path in zip(lattices, emissions, found, strict=True):
        assert path == _exhaustive(lm, lattice, bonus)


@pytest.mark.parametrize("same_tables", [True, False])
def test_compiled_and_numpy_decoders_agree(
    lm: SyllableLM, same_tables: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not lmfast.AVAILABLE:
        testing.missing("numba", "the numba package is not installed")
    # False: contexts looked up in their own table, as for a model whose tables differ.
    monkeypatch.setitem(lm.__dict__, "_same_tables", same_tables)
    rng = np.random.default_rng(11)
    lattices, emissions = _random_lattices(lm, rng, count=200, max_len=40, max_cands=8)
    lattices.append([])  # an empty lattice among the others
    emissions.append([])
    assert lm.viterbi_many(lattices, emissions, compiled=True) == lm.viterbi_many(
        lattices, emissions, compiled=False
    )
    assert lm.viterbi_many([], compiled=True) == lm.viterbi_many([], compiled=False) == []


def test_restoration_is_the_same_with_either_decoder(
    lm: SyllableLM, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = [
        "cong ty tra luong cham cho cong nhan trong ba thang lien",
        "Hoi nghi tong két cong tic cong doan nim 2025",
        "Ban chấp hành công đoàn cơ sở họp ngày 12/3, thống nhất kế hoach",
        "",
        "ke hoach so 12/KH-LĐLĐ ve tuyen truyen",
    ]
    if not lmfast.AVAILABLE:
        testing.missing("numba", "the numba package is not installed")
    compiled = Restorer(lm).restore_lines(lines)
    monkeypatch.setattr(lmfast, "AVAILABLE", False)
    assert Restorer(lm).restore_lines(lines) == compiled
    assert compiled[0].startswith("công ty trả lương chậm cho công nhân")


def test_the_decoder_compiles_in_memory_without_a_cache_directory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[dict[str, bool]] = []

    def fake_njit(**options: bool) -> object:
        calls.append(options)
        if options.get("cache"):
            raise RuntimeError("cannot cache function 'decode': no locator available")
        return lambda func: func

    monkeypatch.setattr(lmfast, "njit", fake_njit)
    compiled = lmfast.compiled(lambda x: x + 1)
    assert compiled(1) == 2
    assert calls == [{"cache": True, "nogil": True}, {"nogil": True}]


def test_mean_logprob_prefers_vietnamese_to_its_garbled_copy(lm: SyllableLM) -> None:
    clean = lm.mean_logprob("Đẩy mạnh công tác truyền thông. Năm 2024")
    garbled = lm.mean_logprob("Pay manh cong tic truyén thong. Năm 2024")
    assert clean is not None and garbled is not None and clean > garbled + 1
    assert lm.mean_logprob(" . ! \n") is None
