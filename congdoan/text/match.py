"""Near-duplicate detection with MinHash signatures and LSH banding.

Shingles are character 5-grams of ``fold(normalize(text))`` with whitespace collapsed, so
copies that differ in diacritics, case, spacing or tone-mark placement still match.
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from collections.abc import Hashable

import numpy as np

from congdoan.text.normalize import normalize
from congdoan.text.vietnamese import fold

NUM_PERM = 128
SHINGLE = 5
_PRIME = np.uint64((1 << 31) - 1)
_rng = np.random.default_rng(20261127)
_A = _rng.integers(1, (1 << 31) - 1, size=NUM_PERM, dtype=np.uint64)
_B = _rng.integers(0, (1 << 31) - 1, size=NUM_PERM, dtype=np.uint64)
_EMPTY = np.full(NUM_PERM, np.iinfo(np.uint32).max, dtype=np.uint32)


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    clean = " ".join(fold(normalize(text)).split())
    if not clean:
        return set()
    if len(clean) <= size:
        return {clean}
    return {clean[i : i + size] for i in range(len(clean) - size + 1)}


def minhash(text: str, num_perm: int = NUM_PERM) -> np.ndarray:
    """MinHash signature (uint32 array of ``num_perm`` values) of a text."""
    if num_perm > NUM_PERM:
        raise ValueError(f"num_perm must be at most {NUM_PERM}")
    sh = shingles(text)
    if not sh:
        return _EMPTY[:num_perm].copy()
    hashes = np.fromiter(
        (zlib.crc32(s.encode("utf-8")) for s in sh), dtype=np.uint64, count=len(sh)
    )
    hashes %= _PRIME
    a = _A[:num_perm, None]
    b = _B[:num_perm, None]
    sig = np.full(num_perm, np.iinfo(np.uint64).max, dtype=np.uint64)
    for start in range(0, len(hashes), 8192):
        chunk = hashes[None, start : start + 8192]
        np.minimum(sig, ((a * chunk + b) % _PRIME).min(axis=1), out=sig)
    return sig.astype(np.uint32)


def jaccard_estimate(sig_a: np.ndarray, sig_b: np.ndarray) -> float:
    """Share of equal MinHash values: an estimate of the Jaccard similarity of the shingles."""
    if len(sig_a) != len(sig_b) or len(sig_a) == 0:
        raise ValueError("signatures must have the same non-zero length")
    return float(np.count_nonzero(sig_a == sig_b)) / len(sig_a)


class NearDuplicateIndex:
    """An in-memory LSH index: ``add(key, text)``, then ``query(text, threshold)``.

    With 32 bands of 4 rows, pairs with Jaccard 0.5 are found with probability ~0.87 and
    pairs at 0.6 with ~0.99; candidates are then checked against ``threshold`` with the
    full signature, so the answer has no false positives beyond the estimate's noise.
    """

    def __init__(self, bands: int = 32, rows: int = 4) -> None:
        if bands * rows > NUM_PERM:
            raise ValueError("bands * rows must not exceed the signature length")
        self.bands = bands
        self.rows = rows
        self._buckets: list[dict[bytes, list[Hashable]]] = [defaultdict(list) for _ in range(bands)]
        self._signatures: dict[Hashable, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self._signatures)

    def _band_keys(self, sig: np.ndarray) -> list[bytes]:
        return [sig[i * self.rows : (i + 1) * self.rows].tobytes() for i in range(self.bands)]

    def add(self, key: Hashable, text: str) -> None:
        if key in self._signatures:
            self.remove(key)
        sig = minhash(text)
        self._signatures[key] = sig
        for band, bkey in zip(self._buckets, self._band_keys(sig), strict=True):
            band[bkey].append(key)

    def remove(self, key: Hashable) -> None:
        sig = self._signatures.pop(key, None)
        if sig is None:
            return
        for band, bkey in zip(self._buckets, self._band_keys(sig), strict=True):
            members = band.get(bkey)
            if members and key in members:
                members.remove(key)

    def query(self, text: str, threshold: float = 0.6) -> list[Hashable]:
        """Keys of added texts whose estimated Jaccard similarity is ≥ threshold, best first."""
        sig = minhash(text)
        seen: set[Hashable] = set()
        for band, bkey in zip(self._buckets, self._band_keys(sig), strict=True):
            seen.update(band.get(bkey, ()))
        scored = [(jaccard_estimate(sig, self._signatures[k]), k) for k in seen]
        scored = [(s, k) for s, k in scored if s >= threshold]
        scored.sort(key=lambda p: -p[0])
        return [k for _, k in scored]
